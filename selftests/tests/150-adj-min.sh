# SPDX-License-Identifier: GPL-2.0
#
# A task with oom_score_adj -1000 is never chosen, under either mode,
# even when it is by far the largest; the preview never lists it.

. /lib.sh

# The 2.6 heuristic adds half of each child's size to its parent, so this
# shell, parent of the hogs, would be a candidate: keep it out.
echo -1000 >/proc/$$/oom_score_adj
# Hogs that drop to uid 1000 write their ready file here too.
chmod 1777 /tmp

plan 8

P=/sys/kernel/debug/oom_policy/preview

load_mod oom_classic || fail "modprobe oom_classic"
precious=$(start_hog precious 100 -1000)
check "oom_score of the -1000 task is 0" [ "$(oom_score "${precious:-0}")" = 0 ]
check "the preview leaves the -1000 task out" \
	sh -c "! grep -q precious $P"
check "the preview lists the policy" grep -q "^# policy classic" "$P"

for mode in modern legacy; do
	echo $mode >/sys/module/oom_classic/parameters/mode
	victim=$(start_hog victim 20)
	trigger_oom trigger -999
	check "$mode: the other task was killed" \
		wait_for_pid_exit "${victim:-0}" 10
	check "$mode: the -1000 task survived" alive "${precious:-0}"
done
check "init survived" alive 1
