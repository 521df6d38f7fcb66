# SPDX-License-Identifier: GPL-2.0
#
# oom_namelist avoid=: the large database survives while a smaller
# compiler dies; a task on both lists counts as avoided; and when only
# avoided tasks are left (the list grown at run time to cover the
# trigger too), the largest of them is killed rather than nothing.
# Avoided tasks read oom_score 0: the core clamps a score below every
# stock one instead of letting the unsigned oom_score wrap.

. /lib.sh

plan 25

# The test shell and the busybox tools it runs can never be chosen, so
# that in the last OOM every killable task is one of ours.
echo -1000 >/proc/self/oom_score_adj

params=/sys/module/oom_namelist/parameters

# The other tests use the default hook; this one the kretprobe.
check_kretprobe_core
check "modprobe oom_namelist prefer=*cache avoid=database*" \
	load_mod oom_namelist 'prefer=*cache' 'avoid=database*'
check "avoid reads back" [ "$(cat $params/avoid)" = 'database*' ]

avail=$(avail_mb)
db_mb=$((avail * 55 / 100))
diag "MemAvailable $avail MB: database $db_mb MB, database-cache 8 MB, cc1 24 MB"

db=$(start_hog database "$db_mb")
check "database is ready" alive "${db:-0}"
cache=$(start_hog database-cache 8)
check "database-cache is ready" alive "${cache:-0}"
cc1=$(start_hog cc1 24)
check "cc1 is ready" alive "${cc1:-0}"

diag "oom_score: database $(oom_score "$db"), database-cache $(oom_score "$cache"), cc1 $(oom_score "$cc1")"
check "the avoided database reads oom_score 0" [ "$(oom_score "$db")" -eq 0 ]
check "database-cache, on both lists, reads oom_score 0 (avoided)" \
	[ "$(oom_score "$cache")" -eq 0 ]
check "cc1 reads a stock oom_score above 0" [ "$(oom_score "$cc1")" -gt 0 ]
check "the preview names the pattern for the database" \
	preview_has "$db" "avoid 'database*'"
check "the preview shows database-cache as avoided, not preferred" \
	preview_has "$cache" "avoid 'database*'"

# First OOM.  The trigger is unlisted but gets oom_score_adj -500, so in
# the stock order it ranks below cc1 however far it grows.
kills=$(oom_kills)
trigger_oom trigger -500
check "OOM 1: cc1 was killed" wait_for_pid_exit "$cc1" 10
check "OOM 1: the much larger avoided database survived" alive "$db"
check "OOM 1: database-cache survived" alive "$cache"
check "OOM 1: exactly one OOM kill" [ $(($(oom_kills) - kills)) -eq 1 ]
check "OOM 1: the kill log says cc1 was not listed" \
	policy_killed namelist "$cc1" cc1 "not listed"

# Second OOM: the list changes at run time to cover the trigger too, so
# every killable task is avoided.  One must still die: the largest.
check "avoid=database*,trigger is accepted at run time" \
	sh -c "echo 'database*,trigger' >$params/avoid"
check "avoid reads back the new list" \
	[ "$(cat $params/avoid)" = 'database*,trigger' ]
kills=$(oom_kills)
status=0
trigger_oom trigger || status=$?
check "OOM 2: the trigger survived (smaller of the avoided)" [ $status -eq 0 ]
check "OOM 2: the database was killed rather than nothing" \
	wait_for_pid_exit "$db" 10
check "OOM 2: database-cache survived" alive "$cache"
check "OOM 2: exactly one OOM kill" [ $(($(oom_kills) - kills)) -eq 1 ]
check "OOM 2: the kill log names the avoid pattern" \
	policy_killed namelist "$db" database "avoid 'database\*'"
check "modprobe -r oom_namelist" unload_mod oom_namelist
