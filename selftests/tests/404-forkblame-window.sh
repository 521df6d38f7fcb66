# SPDX-License-Identifier: GPL-2.0
#
# oom_forkblame window_s=: child victims spread wider than the window do
# not add up.  With threshold=2 and window_s=1 a spawner that waits 1.5 s
# before each new child can never have two victims within one second: it
# loses all 4 children and exits by itself, never blamed.
#
# timeout: 240

. /lib.sh

plan 6

echo -1000 >/proc/self/oom_score_adj

fb=/sys/kernel/oom_policy/forkblame

counter()
{
	cat "$fb/$1"
}

check "modprobe oom_forkblame threshold=2 window_s=1" \
	load_mod oom_forkblame threshold=2 window_s=1

sh -c 'echo 0 >/proc/self/oom_score_adj && exec spawner "$@"' spawner \
	-n spawner -c 8 -d 1500 -k 4 </dev/null >/tmp/spawner.log 2>&1 &
pid=$!
status=0
wait "$pid" || status=$?
diag "spawner: $(tr '\n' ';' </tmp/spawner.log)"
check "the spawner exited by itself (status $status)" [ "$status" = 0 ]
check "it lost its 4 children" \
	[ "$(grep -c 'killed by signal 9' /tmp/spawner.log)" = 4 ]
check "4 child victims were recorded" [ "$(counter child_victims)" = 4 ]
check "no parent was ever blamed" [ "$(counter blames)" = 0 ]
check "no blamed parent was killed" [ "$(counter parent_kills)" = 0 ]
