# SPDX-License-Identifier: GPL-2.0
#
# A memcg OOM follows oom_namelist's lists.  In an 80 MB cgroup: a 40 MB
# avoided database, an 8 MB preferred firefox-bin, a 16 MB unlisted
# worker and a trigger that grows with oom_score_adj -500 (so it ranks
# below the others in the stock order).  The stock killer would take the
# database both times; here the first OOM kills firefox-bin and the
# second the worker.  A larger preferred task outside the cgroup is never
# touched: the kernel still scans only the cgroup's tasks.

. /lib.sh

plan 21

echo -1000 >/proc/self/oom_score_adj

# The other tests use the default hook; this one the kretprobe.
check_kretprobe_core
check "modprobe oom_namelist prefer=firefox* avoid=database*" \
	load_mod oom_namelist 'prefer=firefox*' 'avoid=database*'
check "memcg box with memory.max 80M, no swap" memcg_create box 80M

outside=$(start_hog firefox-main 24)
check "firefox-main (outside the cgroup) is ready" alive "${outside:-0}"
db=$(start_hog database 40 0 "" box)
check "database (in box) is ready" alive "${db:-0}"
ff=$(start_hog firefox-bin 8 0 "" box)
check "firefox-bin (in box) is ready" alive "${ff:-0}"
worker=$(start_hog worker 16 0 "" box)
check "worker (in box) is ready" alive "${worker:-0}"
diag "box memory.current $(cat /sys/fs/cgroup/box/memory.current)"

kills=$(oom_kills)
status=0
trigger_oom trigger -500 box || status=$?
check "OOM 1: firefox-bin was killed" wait_for_pid_exit "${ff:-0}" 10
check "OOM 1: the avoided database survived" alive "$db"
check "OOM 1: firefox-main outside the cgroup survived" alive "$outside"
check "OOM 1: it was a memcg OOM kill in box" [ "$(memcg_oom_kills box)" -eq 1 ]
check "OOM 1: exactly one OOM kill" [ $(($(oom_kills) - kills)) -eq 1 ]
check "OOM 1: the kill log names the pattern" \
	policy_killed namelist "$ff" firefox-bin "prefer 'firefox\*'"

kills=$(oom_kills)
trigger_oom trigger -500 box || status=$?
check "OOM 2: the unlisted worker was killed, not the larger database" \
	wait_for_pid_exit "${worker:-0}" 10
check "OOM 2: the avoided database survived" alive "$db"
check "OOM 2: firefox-main outside the cgroup survived" alive "$outside"
check "OOM 2: a second memcg OOM kill in box" [ "$(memcg_oom_kills box)" -eq 2 ]
check "OOM 2: exactly one OOM kill" [ $(($(oom_kills) - kills)) -eq 1 ]
check "OOM 2: the kill log says the worker was not listed" \
	policy_killed namelist "$worker" worker "not listed"
check "the trigger survived both OOMs" [ $status -eq 0 ]
