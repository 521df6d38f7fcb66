# SPDX-License-Identifier: GPL-2.0
#
# Switching the active policy through /sys/kernel/oom_policy/active:
# registered names and "none" are accepted, anything else is -EINVAL and
# changes nothing, and only root may write.

. /lib.sh

plan 14

A=/sys/kernel/oom_policy/active

# write_active VALUE: write VALUE and a newline, as echo does.
write_active()
{
	printf '%s\n' "$1" >"$A"
}

# refused VALUE: the write fails with EINVAL (busybox's printf does not
# report write errors; its echo does).
refused()
{
	sh -c "echo '$1' >$A" 2>&1 | grep -q 'Invalid argument'
}

load_mod oom_classic || fail "modprobe oom_classic"

check "write none" write_active none
check "active reads none" [ "$(cat "$A")" = none ]
check "write classic" write_active classic
check "active reads classic" [ "$(cat "$A")" = classic ]

for bad in bogus "" "classic2" "none none" "CLASSIC"; do
	check "write '$bad' is refused with EINVAL" refused "$bad"
done
check "active still reads classic" [ "$(cat "$A")" = classic ]

check "a non-root write is refused" sh -c "! runas 1000 sh -c 'echo none >$A' 2>/dev/null"
check "active still reads classic after it" [ "$(cat "$A")" = classic ]

check "write without a newline" sh -c "printf none >$A"
check "active reads none" [ "$(cat "$A")" = none ]
