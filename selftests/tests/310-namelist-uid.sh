# SPDX-License-Identifier: GPL-2.0
#
# oom_namelist uid: patterns: who owns a task decides, not its name or
# size.  A small job of uid 1000 dies ahead of a much larger root
# database; then a range (uid:1500-2500) picks uid 2000's job; then
# avoid=uid:0-999 keeps every root task alive while an unlisted task of
# uid 3000 dies, though the database is by far the largest.  All the
# hogs share one comm prefix so that no name could tell them apart.

. /lib.sh

plan 33

echo -1000 >/proc/self/oom_score_adj

params=/sys/module/oom_namelist/parameters

check "modprobe oom_namelist prefer=uid:1000" load_mod oom_namelist 'prefer=uid:1000'
check "prefer reads back" [ "$(cat $params/prefer)" = uid:1000 ]

avail=$(avail_mb)
db_mb=$((avail * 55 / 100))
diag "MemAvailable $avail MB: job-db (root) $db_mb MB, job-a (uid 1000) 8 MB, job-b (uid 2000) 16 MB, job-c (root) 16 MB"
db=$(start_hog job-db "$db_mb")
check "job-db (root) is ready" alive "${db:-0}"
a=$(start_hog job-a 8 0 1000)
check "job-a (uid 1000) is ready" alive "${a:-0}"
b=$(start_hog job-b 16 0 2000)
check "job-b (uid 2000) is ready" alive "${b:-0}"
c=$(start_hog job-c 16)
check "job-c (root) is ready" alive "${c:-0}"
floor=$(victim_floor_kb)
check "the smallest victim, 4 MB, frees more than the kernel needs ($floor kB)" \
	[ $((4 * 1024)) -gt "$floor" ]

diag "oom_score: job-db $(oom_score "$db"), job-a $(oom_score "$a"), job-b $(oom_score "$b"), job-c $(oom_score "$c")"
check "job-a (uid 1000) reads oom_score 2000, the top" [ "$(oom_score "$a")" = 2000 ]
check "job-b (uid 2000) is not matched by uid:1000" [ "$(oom_score "$b")" -lt 2000 ]
check "the preview names the pattern for job-a" preview_has "$a" "prefer 'uid:1000'"

kills=$(oom_kills)
trigger_oom
check "OOM 1: job-a (uid 1000) was killed" wait_for_pid_exit "$a" 10
check "OOM 1: the larger root job-db survived" alive "$db"
check "OOM 1: job-b and job-c survived" alive_all "$b" "$c"
check "OOM 1: exactly one OOM kill" [ $(($(oom_kills) - kills)) -eq 1 ]
check "OOM 1: the kill log names the pattern" policy_killed namelist "$a" job-a "prefer 'uid:1000'"

# A range, inclusive at both ends.
check "prefer=uid:1500-2500 at run time" sh -c "echo uid:1500-2500 >$params/prefer"
check "job-b (uid 2000) reads oom_score 2000, the top" [ "$(oom_score "$b")" = 2000 ]
check "uid:2000-2000 matches uid 2000" \
	[ "$(score_with prefer uid:2000-2000 "$b")" = 2000 ]
check "uid:0-1999 does not match uid 2000" \
	[ "$(score_with prefer uid:0-1999 "$b")" -lt 2000 ]
check "uid:2001-4294967294 does not match uid 2000" \
	[ "$(score_with prefer uid:2001-4294967294 "$b")" -lt 2000 ]
check "prefer=uid:1500-2500 again" sh -c "echo uid:1500-2500 >$params/prefer"
kills=$(oom_kills)
trigger_oom
check "OOM 2: job-b (uid 2000) was killed" wait_for_pid_exit "$b" 10
check "OOM 2: job-db and job-c survived" alive_all "$db" "$c"
check "OOM 2: exactly one OOM kill" [ $(($(oom_kills) - kills)) -eq 1 ]
check "OOM 2: the kill log names the range" policy_killed namelist "$b" job-b "prefer 'uid:1500-2500'"

# avoid: every system account (0-999) after every user.  The trigger runs
# as root too, so it is avoided as well; the victim must be job-d.
d=$(start_hog job-d 4 0 3000)
check "job-d (uid 3000) is ready" alive "${d:-0}"
check "prefer emptied, avoid=uid:0-999" \
	sh -c "echo >$params/prefer && echo uid:0-999 >$params/avoid"
check "job-db (root) reads oom_score 0" [ "$(oom_score "$db")" -eq 0 ]
kills=$(oom_kills)
status=0
trigger_oom || status=$?
check "OOM 3: job-d (uid 3000, unlisted, smallest) was killed" wait_for_pid_exit "$d" 10
check "OOM 3: the avoided root tasks survived" alive_all "$db" "$c"
check "OOM 3: the avoided root trigger survived" [ $status -eq 0 ]
check "OOM 3: exactly one OOM kill" [ $(($(oom_kills) - kills)) -eq 1 ]

check "modprobe -r oom_namelist" unload_mod oom_namelist
