# SPDX-License-Identifier: GPL-2.0
#
# Switching and unloading the active policy while OOMs keep happening:
# nothing breaks (the harness fails the test on any kernel splat), every
# OOM ends in a kill, and the kernel is back to stock afterwards.
#
# qemu-smp: 2
# timeout: 300

. /lib.sh

plan 6

load_mod oom_classic || fail "modprobe oom_classic"

# A background series of OOMs: each grower is killed when it fills memory.
(
	i=0
	while [ $i -lt 8 ] && [ ! -e /tmp/stop ]; do
		hog -n grower -g </dev/null >/dev/null 2>&1
		i=$((i + 1))
	done
	touch /tmp/storm-done
) &

switches=0
while [ ! -e /tmp/storm-done ]; do
	case $((switches % 4)) in
	0) echo none >/sys/kernel/oom_policy/active ;;
	1) echo classic >/sys/kernel/oom_policy/active ;;
	2) rmmod oom_classic ;;
	3) modprobe oom_classic mode=legacy ;;
	esac
	switches=$((switches + 1))
	sleep 0.2
done
diag "$switches switches during the OOMs"

check "the OOMs happened" [ "$(oom_kills)" -ge 8 ]
check "policy switches happened during them" [ "$switches" -ge 8 ]
check "init survived" alive 1
modprobe oom_classic 2>/dev/null
check "oom_events counted every OOM kill" \
	[ "$(cat /sys/kernel/oom_policy/oom_events)" -ge "$(oom_kills)" ]
victims=$(awk '{ n += $2 } END { print n }' /sys/kernel/oom_policy/victims)
check "every kill was counted as a victim once" [ "$victims" = "$(oom_kills)" ]
check "no hook call was missed" [ "$(cat /sys/kernel/oom_policy/missed)" = 0 ]
