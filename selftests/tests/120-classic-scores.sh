# SPDX-License-Identifier: GPL-2.0
#
# oom_classic mode=modern gives every process exactly its stock
# /proc/<pid>/oom_score, through both hooks, and unloading restores the
# stock scores exactly.

. /lib.sh

# Hogs that drop to uid 1000 write their ready file here too.
chmod 1777 /tmp

plan 8

# scores FILE: "pid score" for every process that lived at the start
# (the commands that read the scores come and go).
scores()
{
	for p in $PIDS; do
		s=$(cat "/proc/$p/oom_score" 2>/dev/null) && echo "$p $s"
	done >"$1"
}

# Processes with varied sizes and oom_score_adj, so the scores differ.
start_hog a 24 0 >/dev/null
start_hog b 12 500 >/dev/null
start_hog c 6 -500 1000 >/dev/null
start_hog d 2 -999 >/dev/null

PIDS=$(cd /proc && ls -d [0-9]* | sort -n)

for hook in redirect kretprobe; do
	scores /tmp/stock
	load_mod oom_policy hook=$hook
	load_mod oom_classic
	scores /tmp/classic
	check "hook $hook: oom_score of every process equals stock" \
		cmp /tmp/stock /tmp/classic
	check "hook $hook is in use" \
		[ "$(cat /sys/kernel/oom_policy/hook)" = $hook ]
	unload_mod oom_classic
	scores /tmp/after
	check "hook $hook: unloading the policy restores stock scores" \
		cmp /tmp/stock /tmp/after
	rmmod oom_policy
done

scores /tmp/final
for p in $PIDS; do cat "/proc/$p/comm" 2>/dev/null; done >/tmp/names
check "unloading the core restores stock scores" cmp /tmp/stock /tmp/final
check "the comparison saw every hog" \
	[ "$(grep -cx -e a -e b -e c -e d /tmp/names)" -ge 4 ]
diag "$(wc -l </tmp/final) processes compared"
