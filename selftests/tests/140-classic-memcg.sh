# SPDX-License-Identifier: GPL-2.0
#
# A memcg OOM follows the active policy: inside a cgroup with
# memory.max, mode=legacy kills the smaller unprivileged task where the
# stock kernel would kill root's larger one, and the OOM is charged to
# that cgroup.

. /lib.sh

# The 2.6 heuristic adds half of each child's size to its parent, so this
# shell, parent of the hogs, would be a candidate: keep it out.
echo -1000 >/proc/$$/oom_score_adj
# Hogs that drop to uid 1000 write their ready file here too.
chmod 1777 /tmp

plan 7

memcg_create job 64M || fail "cannot create the memory cgroup"

load_mod oom_classic mode=legacy || fail "modprobe oom_classic mode=legacy"
outside=$(start_hog outside 40)
rootdb=$(start_hog rootdb 24 0 "" job)
userjob=$(start_hog userjob 16 0 1000 job)
trigger_oom trigger -999 job

check "the unprivileged userjob in the cgroup was killed" \
	wait_for_pid_exit "${userjob:-0}" 10
check "root's larger rootdb survived" alive "${rootdb:-0}"
check "the larger task outside the cgroup survived" alive "${outside:-0}"
check "the OOM was the cgroup's" [ "$(memcg_oom_kills job)" = 1 ]
check "the kill log names the policy" \
	dmesg_grep "oom_policy: classic: chose pid ${userjob:-0} \(userjob\)"
check "the kernel reports a memcg OOM" \
	dmesg_grep "oom-kill:constraint=CONSTRAINT_MEMCG"
check "no hook call was missed" [ "$(cat /sys/kernel/oom_policy/missed)" = 0 ]
