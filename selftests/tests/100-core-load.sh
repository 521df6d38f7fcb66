# SPDX-License-Identifier: GPL-2.0
#
# Loading and unloading: modprobe pulls the core in for a policy, a
# policy becomes active when it loads, unloading it returns to none, and
# a policy cannot load without the core.

. /lib.sh

plan 12

check "insmod of a policy without the core fails" \
	sh -c '! insmod /lib/modules/$(uname -r)/extra/oom_classic.ko'
check "the kernel names the missing core symbol" \
	dmesg_grep "oom_classic: Unknown symbol oom_policy_register"

check "modprobe oom_classic loads" load_mod oom_classic
check "the core came with it" [ -d /sys/module/oom_policy ]
check "the core hooks oom_badness by redirect" \
	[ "$(cat /sys/kernel/oom_policy/hook)" = redirect ]
check "classic is available" \
	[ "$(cat /sys/kernel/oom_policy/available)" = "classic none" ]
check "classic is active" [ "$(cat /sys/kernel/oom_policy/active)" = classic ]
check "no hook call was missed" [ "$(cat /sys/kernel/oom_policy/missed)" = 0 ]

check "rmmod oom_classic succeeds" rmmod oom_classic
check "active is none again" [ "$(cat /sys/kernel/oom_policy/active)" = none ]
check "rmmod oom_policy succeeds" rmmod oom_policy
check "the core's sysfs directory is gone" [ ! -e /sys/kernel/oom_policy ]
