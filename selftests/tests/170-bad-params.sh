# SPDX-License-Identifier: GPL-2.0
#
# Bad module parameters: at load time the load fails with a clear
# message naming the parameter; at run time the write fails with EINVAL
# and the old value stays.

. /lib.sh

plan 9

check "oom_policy hook=bogus fails to load" \
	sh -c '! modprobe oom_policy hook=bogus'
check "the message names hook and the accepted values" \
	dmesg_grep "oom_policy: hook: 'bogus' is not a hook method; accepted: auto, redirect, kretprobe"
check "the core is not loaded" [ ! -d /sys/module/oom_policy ]

check "oom_classic mode=bogus fails to load" \
	sh -c '! modprobe oom_classic mode=bogus'
check "the message names mode and the accepted values" \
	dmesg_grep "oom_classic: mode: 'bogus' is not a mode; accepted: modern, legacy"
check "oom_classic is not loaded" [ ! -d /sys/module/oom_classic ]

M=/sys/module/oom_classic/parameters/mode
load_mod oom_classic mode=legacy || fail "modprobe oom_classic mode=legacy"
for bad in bogus "" "modern legacy"; do
	printf '%s\n' "$bad" >$M 2>/dev/null && fail "mode '$bad' was accepted"
done
check "a run-time write of a bad mode is refused" \
	sh -c "! echo 1 >$M"
check "mode still reads legacy" [ "$(cat $M)" = legacy ]
check "a non-root write is refused" \
	sh -c "! runas 1000 sh -c 'echo modern >$M' 2>/dev/null"
