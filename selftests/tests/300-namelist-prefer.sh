# SPDX-License-Identifier: GPL-2.0
#
# oom_namelist prefer=: a small browser dies ahead of a much larger
# database.  The browser is matched twice: "firefox-bin" by its comm, and
# a content process that renamed itself "Web Content" by the name of its
# executable (a link to the hog program called firefox-bin).  Each OOM
# kills exactly one preferred task; the database and an unlisted editor
# of the same size as the browser survive both.  /proc/<pid>/oom_score
# and the preview show the preference, the kill log names the pattern.

. /lib.sh

plan 31

# The test shell and the busybox tools it runs stay out of the way: they
# inherit -1000; the hogs set their own oom_score_adj.
echo -1000 >/proc/self/oom_score_adj

score_is()
{
	[ "$(oom_score "$1")" = "$2" ]
}

score_below()
{
	[ "$(oom_score "$1")" -lt "$2" ]
}

# Every process's oom_score in the documented range, 0 to 2000.
scores_in_range()
{
	local f s

	for f in /proc/[0-9]*/oom_score; do
		s=$(cat "$f" 2>/dev/null) || continue
		[ "$s" -ge 0 ] && [ "$s" -le 2000 ] || return 1
	done
}

params=/sys/module/oom_namelist/parameters

check "modprobe oom_namelist prefer=firefox*" load_mod oom_namelist 'prefer=firefox*'
check "namelist is the active policy" \
	[ "$(cat /sys/kernel/oom_policy/active)" = namelist ]
check "prefer reads back" [ "$(cat $params/prefer)" = 'firefox*' ]
check "avoid is empty" [ -z "$(cat $params/avoid)" ]

avail=$(avail_mb)
db_mb=$((avail * 55 / 100))
diag "MemAvailable $avail MB: database $db_mb MB, firefox-bin 16 MB, Web Content 8 MB, editor 16 MB"

db=$(start_hog database "$db_mb")
check "database is ready" alive "${db:-0}"
ff=$(start_hog firefox-bin 16)
check "firefox-bin is ready" alive "${ff:-0}"
wc=$(start_exe_hog /tmp/firefox-bin "Web Content" 8)
check "Web Content (executable firefox-bin) is ready" alive "${wc:-0}"
ed=$(start_hog editor 16)
check "editor is ready" alive "${ed:-0}"

diag "oom_score: database $(oom_score "$db"), firefox-bin $(oom_score "$ff"), Web Content $(oom_score "$wc"), editor $(oom_score "$ed")"
check "firefox-bin (comm) reads oom_score 2000, the top of its range" score_is "$ff" 2000
check "Web Content (exe) reads oom_score 2000" score_is "$wc" 2000
check "database reads a stock oom_score (below 2000)" score_below "$db" 2000
check "editor reads a stock oom_score (below 2000)" score_below "$ed" 2000
check "every oom_score is within 0 to 2000" scores_in_range

check "the preview names the pattern for firefox-bin" \
	preview_has "$ff" "prefer 'firefox*'"
check "the preview names the pattern and the executable for Web Content" \
	preview_has "$wc" "prefer 'firefox*' (exe firefox-bin)"
check "the preview shows the database as not listed" \
	preview_has "$db" "not listed"

# First OOM: both browser processes are preferred; the larger one goes.
kills=$(oom_kills)
trigger_oom
check "OOM 1: firefox-bin was killed" wait_for_pid_exit "$ff" 10
check "OOM 1: the larger database survived" alive "$db"
check "OOM 1: Web Content survived (smaller of the preferred)" alive "$wc"
check "OOM 1: editor survived" alive "$ed"
check "OOM 1: exactly one OOM kill" [ $(($(oom_kills) - kills)) -eq 1 ]
check "OOM 1: the kill log names the pattern" \
	policy_killed namelist "$ff" firefox-bin "prefer 'firefox\*'"

# Second OOM: the content process is matched by its executable only.
kills=$(oom_kills)
trigger_oom
check "OOM 2: Web Content was killed" wait_for_pid_exit "$wc" 10
check "OOM 2: the database survived" alive "$db"
check "OOM 2: editor survived" alive "$ed"
check "OOM 2: exactly one OOM kill" [ $(($(oom_kills) - kills)) -eq 1 ]
check "OOM 2: the kill log names the pattern and the executable" \
	policy_killed namelist "$wc" "Web Content" "prefer 'firefox\*' \(exe firefox-bin\)"
check "the core counted both victims for namelist" \
	grep -qx 'namelist 2' /sys/kernel/oom_policy/victims

check "modprobe -r oom_namelist" unload_mod oom_namelist
check "oom_namelist is unloaded" sh -c "! grep -q '^oom_namelist ' /proc/modules"
check "without the policy the database outranks the editor again" \
	[ "$(oom_score "$db")" -gt "$(oom_score "$ed")" ]
