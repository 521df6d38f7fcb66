# SPDX-License-Identifier: GPL-2.0
#
# oom_namelist exe: patterns see the same path whoever asks: the path
# from the root of the mount namespace, not from the root of the task
# that ran out of memory or reads oom_score.  A copy of the guest root
# in /tmp/jail (make_jail) runs a small "cruncher" from the jail's
# /opt/batch/bin/job, which is /tmp/jail/opt/batch/bin/job from the real
# root; prefer=exe:/tmp/jail/opt/batch/bin/* must pick it out when
# oom_score is read, the list written and the OOM triggered from inside
# the jail, where its path reads /opt/batch/bin/job.  A "decoy" run from
# the real root's /opt/batch/bin/job, whose path reads the same inside
# the jail, must never match, and a large unlisted database must
# survive.

. /lib.sh

plan 22

echo -1000 >/proc/self/oom_score_adj

jail=/tmp/jail
params=/sys/module/oom_namelist/parameters

# in_jail CMD: run the shell command CMD chrooted into the jail.
in_jail()
{
	chroot "$jail" /bin/sh -c ". /lib.sh; $1"
}

check "make the jail" make_jail "$jail"
check "modprobe oom_namelist prefer=exe:$jail/opt/batch/bin/*" \
	load_mod oom_namelist "prefer=exe:$jail/opt/batch/bin/*"

avail=$(avail_mb)
db_mb=$((avail * 55 / 100))
diag "MemAvailable $avail MB: database $db_mb MB, cruncher 8 MB in the jail, decoy 8 MB"
db=$(start_hog database "$db_mb")
check "database (/bin/hog) is ready" alive "${db:-0}"
decoy=$(start_exe_hog /opt/batch/bin/job decoy 8)
check "decoy (/opt/batch/bin/job of the real root) is ready" alive "${decoy:-0}"
job=$(in_jail 'start_exe_hog /opt/batch/bin/job cruncher 8')
check "cruncher (/opt/batch/bin/job of the jail) is ready" alive "${job:-0}"

inside=$(in_jail "readlink /proc/$job/exe")
diag "cruncher's exe: $(readlink "/proc/$job/exe") from the real root, $inside from the jail"
check "from the real root, cruncher runs $jail/opt/batch/bin/job" \
	[ "$(readlink "/proc/$job/exe")" = "$jail/opt/batch/bin/job" ]
check "from the jail, it runs /opt/batch/bin/job" [ "$inside" = /opt/batch/bin/job ]

check "cruncher reads oom_score 2000 (the top) from the real root" \
	[ "$(oom_score "$job")" = 2000 ]
score=$(in_jail "oom_score $job")
diag "cruncher's oom_score read in the jail: $score"
check "cruncher reads oom_score 2000 (the top) from the jail" [ "${score:-0}" = 2000 ]
score=$(in_jail "oom_score $decoy")
check "decoy reads a stock oom_score (below 2000) from the jail" \
	[ "${score:-9999}" -lt 2000 ]
check "database reads a stock oom_score from the jail" \
	[ "$(in_jail "oom_score $db")" -lt 2000 ]

# The list written from the jail, whose root is not init's: the path is
# still the one from the real root.
check "prefer=exe:$jail/opt/batch/bin/job, written from the jail" \
	in_jail "echo exe:$jail/opt/batch/bin/job >$params/prefer"
check "prefer reads back" [ "$(cat $params/prefer)" = "exe:$jail/opt/batch/bin/job" ]
check "exe:/opt/batch/bin/job, read from the jail, does not match cruncher" \
	[ "$(in_jail "score_with prefer exe:/opt/batch/bin/job $job")" -lt 2000 ]
check "and matches the decoy" [ "$(oom_score "$decoy")" = 2000 ]
check "prefer=exe:$jail/opt/batch/bin/job again" \
	sh -c "echo exe:$jail/opt/batch/bin/job >$params/prefer"

kills=$(oom_kills)
in_jail 'trigger_oom jailtrigger'
check "OOM from the jail: cruncher was killed" wait_for_pid_exit "$job" 10
check "OOM from the jail: the decoy survived" alive "$decoy"
check "OOM from the jail: the larger database survived" alive "$db"
check "OOM from the jail: exactly one OOM kill" [ $(($(oom_kills) - kills)) -eq 1 ]
check "OOM from the jail: the kill log names the pattern" \
	policy_killed namelist "$job" cruncher "prefer 'exe:$jail/opt/batch/bin/job'"

kill "$decoy" "$db"
check "modprobe -r oom_namelist" unload_mod oom_namelist
