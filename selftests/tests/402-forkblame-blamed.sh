# SPDX-License-Identifier: GPL-2.0
#
# oom_forkblame: a blamed parent outranks every task that is not blamed,
# and only the very process that was blamed.
#
# A spawner holding 24 MB of its own loses two children to OOM kills and
# then idles.  Blamed (threshold=2), it tops the preview with the reason
# and its oom_score reads 2000, the top.  At the next OOM it is killed
# although a hog of half the memory, and the task whose allocation ran
# out, are both far larger; they survive.  Its pid is then handed to a
# new process while its record is still in the table (no OOM and no
# counter read in between has pruned it): the newcomer is not blamed.
# The counters leave the dead parent out (reading them prunes nothing:
# 406-forkblame-reads).  The core hooks oom_badness() by kretprobe here.
#
# timeout: 240

. /lib.sh

plan 23

echo -1000 >/proc/self/oom_score_adj

# The other tests use the default hook; this one the kretprobe, whose
# handlers call the policy in probe context.
check_kretprobe_core
check "modprobe oom_forkblame threshold=2 window_s=600" \
	load_mod oom_forkblame threshold=2 window_s=600

# The culprit: two children grow until the OOM killer takes them, then
# it stays, holding 24 MB its children never shared.
run_spawner /tmp/spawner.log -n culprit -c 8 -k 2 -m 24 -w
culprit=$!
check "the culprit's two children were OOM-killed" \
	wait_until 120 at_least_killed /tmp/spawner.log 2
check "the culprit is alive and idle" alive "$culprit"
check "the culprit is blamed" [ "$(forkblame_counter blamed)" = 1 ]
check "the preview gives the reason" \
	preview_ends "$culprit" "2 children OOM-killed in (under 1|[0-9]+) s"
check "the culprit's oom_score reads 2000, the top" \
	[ "$(oom_score "$culprit")" = 2000 ]

avail=$(avail_mb)
big_mb=$((avail * 50 / 100))
diag "MemAvailable $avail MB: big $big_mb MB, culprit 24 MB"
big=$(start_hog big "$big_mb")
check "big is ready" alive "${big:-0}"
check "big is not blamed" preview_ends "${big:-0}" "not blamed"
check "the culprit outranks big in oom_score" \
	[ "$(oom_score "$culprit")" -gt "$(oom_score "${big:-0}")" ]

kills=$(oom_kills)
check "the trigger survived the OOM" trigger_oom
check "the culprit was killed" wait_for_pid_exit "$culprit" 10
check "big survived" alive "${big:-0}"
check "exactly one OOM kill" [ $(($(oom_kills) - kills)) -eq 1 ]
check "the kill log gives the reason" \
	dmesg_grep "oom_policy: forkblame: chose pid $culprit \(culprit\), score [0-9]+, stock [0-9]+: 2 children OOM-killed in (under 1|[0-9]+) s\$"
check "one blamed parent killed" [ "$(forkblame_counter parent_kills)" = 1 ]

# Same pid, another process: reap the culprit and have the next fork of
# this shell take its pid (ns_last_pid).  Nothing has pruned the table.
wait "$culprit"
echo $((culprit - 1)) >/proc/sys/kernel/ns_last_pid
hog -n newcomer -m 8 -a 0 -r /tmp/newcomer.ready </dev/null >/dev/console 2>&1 &
newcomer=$!
wait_until 30 [ -s /tmp/newcomer.ready ]
if [ "$newcomer" = "$culprit" ]; then
	check "the newcomer with the culprit's pid is not blamed" \
		preview_ends "$newcomer" "not blamed"
	check "the newcomer's oom_score is in the stock range" \
		[ "$(oom_score "$newcomer")" -lt 2000 ]
else
	skip "the newcomer with the culprit's pid is not blamed" \
		"it got pid $newcomer, not $culprit"
	skip "the newcomer's oom_score is in the stock range" \
		"it got pid $newcomer, not $culprit"
fi

# This shell has one child victim (the culprit); the culprit is gone.
check "the dead culprit is left out: only this shell is tracked" \
	[ "$(forkblame_counter tracked)" = 1 ]
check "nothing is blamed" [ "$(forkblame_counter blamed)" = 0 ]
check "the newcomer is alive" alive "$newcomer"
check "big is alive" alive "${big:-0}"
