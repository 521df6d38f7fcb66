# SPDX-License-Identifier: GPL-2.0
#
# oom_forkblame protect=: a protected parent is never blamed, and the
# decision is taken when tasks are scored, so a change of the list (or of
# a name) counts at once.
#
# A spawner named sshd, in the default list, loses all 3 of its children
# (threshold=2) and exits by itself.  A spawner named "culprit" loses two
# children and idles; protected at run time, it keeps its stock score,
# the preview says why, and the next OOM takes the task that ran out of
# memory instead.  Unprotected again, it is blamed once more.
#
# timeout: 240

. /lib.sh

plan 18

echo -1000 >/proc/self/oom_score_adj

params=/sys/module/oom_forkblame/parameters

check "modprobe oom_forkblame threshold=2 window_s=600" \
	load_mod oom_forkblame threshold=2 window_s=600

# -- The default list: sshd --------------------------------------------------

status=0
spawner_run /tmp/sshd.log sshd -n sshd -c 8 -k 3 || status=$?
check "sshd exited by itself (status $status)" [ "$status" = 0 ]
check "sshd lost its 3 children" [ "$(killed_children /tmp/sshd.log)" = 3 ]
check "sshd reached the threshold" [ "$(forkblame_counter blames)" -ge 1 ]
check "no blamed parent was killed" [ "$(forkblame_counter parent_kills)" = 0 ]

# -- Protected at run time -------------------------------------------------

run_spawner /tmp/culprit.log -n culprit -c 8 -k 2 -m 24 -w
culprit=$!
check "the culprit's two children were OOM-killed" \
	wait_until 120 at_least_killed /tmp/culprit.log 2
check "the culprit is blamed, unprotected" \
	preview_ends "$culprit" "2 children OOM-killed in (under 1|[0-9]+) s"

check "protect=culprit is accepted" sh -c "echo culprit >$params/protect"
check "the preview shows the culprit protected" \
	preview_ends "$culprit" "protected, 2 children OOM-killed in (under 1|[0-9]+) s"
check "the protected culprit's oom_score is in the stock range" \
	[ "$(oom_score "$culprit")" -lt 2000 ]

kills=$(oom_kills)
status=0
trigger_oom || status=$?
check "the OOM killed the trigger, the largest task" [ "$status" != 0 ]
check "exactly one OOM kill" [ $(($(oom_kills) - kills)) -eq 1 ]
check "the protected culprit survived" alive "$culprit"
check "still no blamed parent killed" [ "$(forkblame_counter parent_kills)" = 0 ]

check "protect='' is accepted" sh -c "echo >$params/protect"
check "unprotected, the culprit is blamed again" \
	preview_ends "$culprit" "2 children OOM-killed in (under 1|[0-9]+) s"
check "its oom_score reads 2000 again" \
	[ "$(oom_score "$culprit")" = 2000 ]
kill -9 "$culprit"
check "modprobe -r oom_forkblame" unload_mod oom_forkblame
