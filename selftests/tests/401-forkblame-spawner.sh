# SPDX-License-Identifier: GPL-2.0
#
# oom_forkblame against a spawner: a small parent that forks a child,
# which grows until it is OOM-killed, then forks the next, forever.
#
# Stock: the kernel kills child after child and never the parent; the
# spawner (told to stop after 3 children) outlives all of them.
# forkblame threshold=2: the first two children die as before; at the
# next OOM the spawner is blamed and dies, though its growing third child
# is far larger. It spawns nothing more; the orphaned third child dies
# at the OOM after, and its new parent, init, is never blamed.
#
# The scenario is the demo's: run_spawner of lib.sh is all it needs.
#
# timeout: 300

. /lib.sh

plan 19

# The test shell and the busybox tools it runs stay out of the way: they
# inherit -1000 and are never chosen or blamed. The spawner sets 0 again.
echo -1000 >/proc/self/oom_score_adj

# No comm on the system is NAME.
none_named()
{
	! grep -qx -- "$1" /proc/[0-9]*/comm 2>/dev/null
}

# -- Stock: the spawner outlives every child -------------------------------

kills=$(oom_kills)
status=0
spawner_run /tmp/stock.log "stock spawner" -n spawner -c 8 -k 3 || status=$?
check "stock: the spawner exited by itself (status $status)" [ "$status" = 0 ]
check "stock: its 3 children were all killed by SIGKILL" \
	[ "$(killed_children /tmp/stock.log)" = 3 ]
check "stock: 3 OOM kills" [ $(($(oom_kills) - kills)) -eq 3 ]

# -- forkblame: the spawner dies after threshold children ------------------

check "modprobe oom_forkblame threshold=2 window_s=600" \
	load_mod oom_forkblame threshold=2 window_s=600
check "forkblame is the active policy" \
	[ "$(cat /sys/kernel/oom_policy/active)" = forkblame ]

kills=$(oom_kills)
status=0
spawner_run /tmp/fb.log "forkblame spawner" -n spawner -c 8 || status=$?
pid=$!
check "forkblame: the spawner was killed by SIGKILL (status $status)" \
	[ "$status" = 137 ]
check "forkblame: exactly 2 children were killed before it" \
	[ "$(killed_children /tmp/fb.log)" = 2 ]
check "forkblame: it started 3 children and no more" \
	[ "$(grep -c started /tmp/fb.log)" = 3 ]
check "forkblame: the kill log gives the reason" \
	policy_killed forkblame "$pid" spawner "2 children OOM-killed in (under 1|[0-9]+) s"

# The third child, orphaned while it grew, is the next OOM's victim.
child=$(sed -n 's/^child \([0-9]*\) started$/\1/p' /tmp/fb.log | tail -n 1)
check "forkblame: the orphaned third child was OOM-killed next" \
	wait_for_pid_exit "${child:-0}" 120
check "forkblame: 4 OOM kills in all" [ $(($(oom_kills) - kills)) -eq 4 ]
check "forkblame: the kill log shows the child as not blamed" \
	policy_killed forkblame "${child:-0}" spawner-child "not blamed"
check "forkblame: no child is left" none_named spawner-child
check "forkblame: no spawner is left" none_named spawner

check "counters: one blame" [ "$(forkblame_counter blames)" = 1 ]
check "counters: one blamed parent killed" [ "$(forkblame_counter parent_kills)" = 1 ]
# The spawner's two children and the spawner itself, a child of this
# shell; the third child's parent was init by then.
check "counters: 3 child victims recorded" [ "$(forkblame_counter child_victims)" = 3 ]
# What is left is this shell, with one child victim: the spawner's record
# went with it.
check "counters: only this shell is still tracked" [ "$(forkblame_counter tracked)" = 1 ]
check "counters: nothing is blamed any more" [ "$(forkblame_counter blamed)" = 0 ]
