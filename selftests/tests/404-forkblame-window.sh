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

check "modprobe oom_forkblame threshold=2 window_s=1" \
	load_mod oom_forkblame threshold=2 window_s=1

status=0
spawner_run /tmp/spawner.log spawner -n spawner -c 8 -d 1500 -k 4 || status=$?
check "the spawner exited by itself (status $status)" [ "$status" = 0 ]
check "it lost its 4 children" \
	[ "$(killed_children /tmp/spawner.log)" = 4 ]
check "4 child victims were recorded" [ "$(forkblame_counter child_victims)" = 4 ]
check "no parent was ever blamed" [ "$(forkblame_counter blames)" = 0 ]
check "no blamed parent was killed" [ "$(forkblame_counter parent_kills)" = 0 ]
