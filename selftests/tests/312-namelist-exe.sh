# SPDX-License-Identifier: GPL-2.0
#
# oom_namelist exe: patterns match the full path of a task's executable,
# whatever the task calls itself.  A small "cruncher" run from
# /opt/batch/bin/job dies ahead of a much larger database run from
# /bin/hog.  Also checked: a busybox applet's executable is
# /bin/busybox; a removed executable reads "PATH (deleted)", as
# readlink /proc/PID/exe shows it; a path longer than 255 characters is
# never matched, not even by '*'.  The core hooks oom_badness() by
# kretprobe here, so that the executable's path is built, and its file
# reference dropped, in probe context (the other tests use the default).

. /lib.sh

plan 24

echo -1000 >/proc/self/oom_score_adj

params=/sys/module/oom_namelist/parameters

check_kretprobe_core
check "modprobe oom_namelist prefer=exe:/opt/batch/bin/*" \
	load_mod oom_namelist 'prefer=exe:/opt/batch/bin/*'

avail=$(avail_mb)
db_mb=$((avail * 55 / 100))
diag "MemAvailable $avail MB: database $db_mb MB from /bin/hog, cruncher 8 MB from /opt/batch/bin/job"
db=$(start_hog database "$db_mb")
check "database (/bin/hog) is ready" alive "${db:-0}"
job=$(start_exe_hog /opt/batch/bin/job cruncher 8)
check "cruncher (/opt/batch/bin/job) is ready" alive "${job:-0}"
check "readlink shows cruncher's executable" \
	[ "$(readlink "/proc/$job/exe")" = /opt/batch/bin/job ]

check "cruncher reads oom_score 2000, the top" [ "$(oom_score "$job")" = 2000 ]
check "database reads a stock oom_score (below 2000)" \
	[ "$(oom_score "$db")" -lt 2000 ]
check "the preview names the pattern for cruncher" \
	preview_has "$job" "prefer 'exe:/opt/batch/bin/*'"

# A busybox applet runs /bin/busybox, whatever its name.
sh -c 'echo 0 >/proc/self/oom_score_adj; exec sleep 1000' &
applet=$!
while [ "$(cat "/proc/$applet/comm" 2>/dev/null)" != sleep ]; do
	sleep 0.1
done
check "exe:/bin/busybox matches the sleep applet" \
	[ "$(score_with prefer exe:/bin/busybox "$applet")" = 2000 ]
check "exe:/bin/busybox does not match cruncher" [ "$(oom_score "$job")" -lt 2000 ]
kill "$applet"

# An executable removed while it runs.
gone=$(start_exe_hog /opt/batch/bin/gone gonejob 4)
check "gonejob (/opt/batch/bin/gone) is ready" alive "${gone:-0}"
rm /opt/batch/bin/gone
diag "after rm: readlink /proc/$gone/exe = $(readlink "/proc/$gone/exe")"
check "a removed executable no longer matches its old path" \
	[ "$(score_with prefer exe:/opt/batch/bin/gone "$gone")" -lt 2000 ]
check "it matches its path with ' (deleted)'" \
	[ "$(score_with prefer 'exe:/opt/batch/bin/gone (deleted)' "$gone")" = 2000 ]

# A path of more than 255 characters.
seg=$(printf 'd%.0s' $(seq 70))
deep=$(start_exe_hog "/tmp/$seg/$seg/$seg/$seg/job" deepjob 4)
check "deepjob (a 292-character path) is ready" alive "${deep:-0}"
check "its path is longer than 255 characters" \
	[ "$(readlink "/proc/$deep/exe" | wc -c)" -gt 256 ]
check "exe:*/job matches cruncher" [ "$(score_with prefer 'exe:*/job' "$job")" = 2000 ]
check "exe:*/job does not match deepjob's long path" [ "$(oom_score "$deep")" -lt 2000 ]
kill "$deep" "$gone"

check "prefer=exe:/opt/batch/bin/job" sh -c "echo exe:/opt/batch/bin/job >$params/prefer"
kills=$(oom_kills)
trigger_oom
check "OOM: cruncher was killed" wait_for_pid_exit "$job" 10
check "OOM: the larger database survived" alive "$db"
check "OOM: exactly one OOM kill" [ $(($(oom_kills) - kills)) -eq 1 ]
check "OOM: the kill log names the pattern" \
	policy_killed namelist "$job" cruncher "prefer 'exe:/opt/batch/bin/job'"

check "modprobe -r oom_namelist" unload_mod oom_namelist
