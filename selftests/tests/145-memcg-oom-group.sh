# SPDX-License-Identifier: GPL-2.0
#
# memory.oom.group: after the chosen victim the kernel kills every other
# task of the group, threads one by one, and has dropped its reference to
# the chosen task by then. The core must not read that task again (KASAN
# on the debug kernel catches a read), count and log each process once,
# however many threads it has, and say the others died with the group,
# not that the kernel chose them without a scan.

. /lib.sh

# The test shell and the tools it runs stay out of the way.
echo -1000 >/proc/$$/oom_score_adj
# Hogs that drop to uid 1000 write their ready file here too.
chmod 1777 /tmp

plan 12

# not_logged ERE: no kernel log line matches ERE.
not_logged()
{
	! dmesg_grep "$1" >/dev/null
}

memcg_create group 64M || fail "cannot create the memory cgroup"
echo 1 >/sys/fs/cgroup/group/memory.oom.group
check "memory.oom.group is set" \
	[ "$(cat /sys/fs/cgroup/group/memory.oom.group)" = 1 ]

check "modprobe oom_namelist prefer=small" load_mod oom_namelist prefer=small
outside=$(start_hog outside 24)
big=$(HOG_ARGS="-t 8" start_hog big 20 0 "" group)
small=$(HOG_ARGS="-t 8" start_hog small 8 0 "" group)
other=$(start_hog other 8 0 "" group)
check "the group's tasks are ready" alive_all "${big:-0}" "${small:-0}" "${other:-0}"
before=$(sed -n 's/^namelist //p' /sys/kernel/oom_policy/victims)
trigger_oom trigger -999 group

check "the preferred small was killed" wait_for_pid_exit "${small:-0}" 10
check "big died with the group" wait_for_pid_exit "${big:-0}" 10
check "other died with the group" wait_for_pid_exit "${other:-0}" 10
check "the task outside the cgroup survived" alive "${outside:-0}"
check "the kernel killed the group" \
	[ "$(sed -n 's/^oom_group_kill //p' /sys/fs/cgroup/group/memory.events)" = 1 ]
check "the kill log names small as the policy's choice, once" \
	[ "$(dmesg_grep "namelist: chose pid ${small:-0} \(small\)" | wc -l)" = 1 ]
check "big, with 9 threads, has one line: killed with small's group" \
	[ "$(dmesg_grep "namelist: pid ${big:-0} \(big\) killed with pid ${small:-0}'s memory.oom.group" | wc -l)" = 1 ]
check "nothing is said to be chosen without a scan" \
	not_logged "without a scan"
# small, big, other and the trigger: four processes, 20 threads.
check "victims counts the group's 4 processes, not their threads" \
	[ "$(sed -n 's/^namelist //p' /sys/kernel/oom_policy/victims)" = $((before + 4)) ]
