# SPDX-License-Identifier: GPL-2.0
#
# oom_forkblame's tracked and blamed files are world-readable, so reading
# them must not cost the OOM path anything: a read changes nothing and
# looks no pid up while it holds the lock the OOM path takes.
#
# A spawner loses two children to OOM kills and idles, blamed
# (threshold=2).  Both files are read under the function-graph tracer:
# the trace of each read must show fb_lock taken, and no find_pid_ns()
# or pid_task() between a spin_lock and its unlock.  A user who is not
# root reads the same counts.  Once the spawner is killed, the counts
# leave it out, with no OOM in between.
#
# timeout: 240

. /lib.sh

plan 17

echo -1000 >/proc/self/oom_score_adj

T=/sys/kernel/tracing
[ -d $T/events ] || mount -t tracefs nodev $T

check "modprobe oom_forkblame threshold=2 window_s=600" \
	load_mod oom_forkblame threshold=2 window_s=600

run_spawner /tmp/spawner.log -n culprit -c 8 -k 2 -w
culprit=$!
check "the spawner's two children were OOM-killed" \
	wait_until 120 at_least_killed /tmp/spawner.log 2
check "the spawner is alive and idle" alive "$culprit"
check "the spawner is tracked" [ "$(forkblame_counter tracked)" = 1 ]
check "the spawner is blamed" [ "$(forkblame_counter blamed)" = 1 ]

# graph_reads FILE...: the function-graph trace of reading each FILE of
# /sys/kernel/oom_policy/forkblame, in /tmp/graph.
graph_reads()
{
	local f

	echo 0 >$T/tracing_on
	echo >$T/trace
	echo 0 >$T/max_graph_depth
	: >$T/set_graph_function
	for f in "$@"; do
		echo "${f}_show" >>$T/set_graph_function || return
	done
	echo function_graph >$T/current_tracer || return
	echo 1 >$T/tracing_on
	for f in "$@"; do
		cat "/sys/kernel/oom_policy/forkblame/$f" >/dev/null
	done
	echo 0 >$T/tracing_on
	cat $T/trace >/tmp/graph
	echo nop >$T/current_tracer
	: >$T/set_graph_function
}

# lookups_under_lock: a pid look-up in /tmp/graph between a spin_lock and
# its unlock.
lookups_under_lock()
{
	awk '/_raw_spin_lock/ { held++ }
	     /_raw_spin_unlock/ { if (held) held-- }
	     /find_pid_ns|pid_task|find_vpid/ && held { bad = 1; print }
	     END { exit !bad }' /tmp/graph
}

check "the reads were traced" graph_reads tracked blamed
diag "$(grep -c . /tmp/graph) trace lines"
check "the trace has the read of tracked" grep -q 'tracked_show' /tmp/graph
check "the trace has the read of blamed" grep -q 'blamed_show' /tmp/graph
check "the reads take a spin lock (fb_lock)" grep -q '_raw_spin_lock' /tmp/graph
if lookups_under_lock >/tmp/bad; then
	fail "no pid is looked up while the lock is held"
	diag "under the lock: $(tr -s ' \n' ' ' </tmp/bad | cut -c1-300)"
else
	pass "no pid is looked up while the lock is held"
fi

check "a user who is not root reads tracked 1" \
	[ "$(runas 1000 cat /sys/kernel/oom_policy/forkblame/tracked)" = 1 ]
check "a user who is not root reads blamed 1" \
	[ "$(runas 1000 cat /sys/kernel/oom_policy/forkblame/blamed)" = 1 ]
check "reads changed no counter: 2 child victims, 1 blame" \
	[ "$(forkblame_counter child_victims) $(forkblame_counter blames)" = "2 1" ]

kills=$(oom_kills)
kill -KILL "$culprit"
wait "$culprit"
check "the spawner is gone" sh -c "! kill -0 $culprit 2>/dev/null"
check "with no OOM since, tracked leaves it out" \
	[ "$(forkblame_counter tracked)" = 0 ]
check "and so does blamed" [ "$(forkblame_counter blamed)" = 0 ]
check "there was no OOM kill meanwhile" [ "$(oom_kills)" = "$kills" ]
