# SPDX-License-Identifier: GPL-2.0
#
# oom_namelist classifies a process when what its patterns see changes,
# and the OOM killer's scan only looks the class up: after each change
# the next OOM must follow the new class.  A large unlisted database
# survives every OOM; each time, one small task whose class has just
# changed is the victim:
#   - renamed through /proc/self/comm after the list was written;
#   - named with prctl(PR_SET_NAME) after the list was written, while a
#     larger task renamed away from the list survives;
#   - a shell that execs an executable a pattern lists;
#   - moved into a listed cgroup, while a task moved out of it survives;
#   - a forked child of a preferred shell, which neither execs nor
#     renames itself (its parent exits first);
#   - a task that setuid()s to a listed uid after its exec;
#   - a list written at run time that lists a task started before.
# AppArmor labels are matched at every OOM (313 enters a profile by exec
# right before an OOM).

. /lib.sh

plan 57

echo -1000 >/proc/self/oom_score_adj

params=/sys/module/oom_namelist/parameters
cg=/sys/fs/cgroup

not_preferred()
{
	[ "$(oom_score "$1")" -lt 2000 ]
}

preferred()
{
	[ "$(oom_score "$1")" = 2000 ]
}

# sh_hog NAME CMD [MB]: a busybox shell (oom_score_adj 0) that holds MB
# (8) megabytes in a variable, then waits on a fifo, runs CMD and waits
# again; its pid in SH_HOG.  Start CMD with sh_hog_go NAME.
sh_hog()
{
	local fifo=/tmp/nl-$1 ready=/tmp/nl-$1.ready

	rm -f "$fifo" "$fifo.2" "$ready"
	mkfifo "$fifo" "$fifo.2"
	sh -c 'echo 0 >/proc/self/oom_score_adj
		x=$(yes aaaaaaaaaaaaaaa | head -c $(($1 * 1048576)))
		echo ${#x} >$2.ready
		read y <$2
		eval "$3"
		read y <$2.2' sh "${3:-8}" "$fifo" "$2" \
		</dev/null >/dev/console 2>&1 &
	SH_HOG=$!
	wait_until 30 test -s "$ready"
}

sh_hog_go()
{
	echo go >"/tmp/nl-$1"
}

# oom_kills_only WHAT PID: the next OOM kills PID and no other task, and
# the database survives.
oom_kills_only()
{
	local what=$1 pid=$2 kills

	kills=$(oom_kills)
	trigger_oom
	check "$what: pid $pid was killed" wait_for_pid_exit "$pid" 10
	check "$what: the database survived" alive "$db"
	check "$what: exactly one OOM kill" [ $(($(oom_kills) - kills)) -eq 1 ]
}

check "modprobe oom_namelist prefer=renamed*" load_mod oom_namelist 'prefer=renamed*'

avail=$(avail_mb)
db_mb=$((avail * 55 / 100))
diag "MemAvailable $avail MB: database $db_mb MB, small tasks of 8 and 16 MB"
db=$(start_hog database "$db_mb")
check "database is ready" alive "${db:-0}"

# -- A rename through /proc/self/comm ----------------------------------
# Only a task itself may write its /proc/<pid>/comm: a shell that holds
# 8 MB in a variable renames itself when told to.
sh_hog "rename-a" "echo renamed-a >/proc/self/comm"
a=$SH_HOG
check "the shell is ready, not preferred" not_preferred "${a:-0}"
sh_hog_go rename-a
check "it renamed itself renamed-a" \
	wait_until 10 grep -qx renamed-a "/proc/$a/comm"
check "renamed-a is preferred at once" preferred "$a"
oom_kills_only "/proc rename" "$a"

# -- prctl(PR_SET_NAME), and a rename away from the list ----------------
check "prefer=renamed*,sh" set_param prefer 'renamed*,sh'
sh_hog "rename-c" "echo plain-c >/proc/self/comm" 16
c=$SH_HOG
check "a 16 MB shell is ready, preferred as sh" preferred "${c:-0}"
b=$(start_hog renamed-b 8)
check "renamed-b (named by prctl after its exec) is preferred" preferred "${b:-0}"
sh_hog_go rename-c
check "the shell renamed itself plain-c" \
	wait_until 10 grep -qx plain-c "/proc/$c/comm"
check "plain-c is not preferred any more" not_preferred "$c"
oom_kills_only "prctl rename" "$b"
check "prctl rename: plain-c, larger but renamed away, survived" alive "$c"
kill "$c"
wait_for_pid_exit "$c" 10

# -- exec into a listed executable --------------------------------------
check "prefer=exe:/tmp/nl-exe/*" set_param prefer 'exe:/tmp/nl-exe/*'
mkdir -p /tmp/nl-exe && ln -f /bin/hog /tmp/nl-exe/hog
rm -f /tmp/nl-go /tmp/nl-exe.ready
mkfifo /tmp/nl-go
sh -c 'echo 0 >/proc/self/oom_score_adj; read x </tmp/nl-go;
	exec /tmp/nl-exe/hog -n job-e -m 8 -r /tmp/nl-exe.ready' \
	</dev/null >/dev/console 2>&1 &
e=$!
sleep 0.5
check "the shell that will exec is not preferred" not_preferred "$e"
echo go >/tmp/nl-go
check "job-e (exec of /tmp/nl-exe/hog) is ready" \
	wait_until 10 test -s /tmp/nl-exe.ready
check "job-e is preferred after its exec" preferred "$e"
oom_kills_only "exec" "$e"

# -- cgroup migration ---------------------------------------------------
check "cgroups /nl/a and /nl/batch" mkdir -p $cg/nl/a $cg/nl/batch
check "prefer=cgroup:/nl/batch*" set_param prefer 'cgroup:/nl/batch*'
d=$(start_hog job-d 8 0 "" nl/a)
check "job-d (in /nl/a) is ready, not preferred" not_preferred "${d:-0}"
f=$(start_hog job-f 16 0 "" nl/batch)
check "job-f (in /nl/batch) is preferred" preferred "${f:-0}"
check "move job-d to /nl/batch" sh -c "echo $d >$cg/nl/batch/cgroup.procs"
check "move job-f to /nl/a" sh -c "echo $f >$cg/nl/a/cgroup.procs"
check "job-d is preferred" preferred "$d"
check "job-f is not preferred" not_preferred "$f"
oom_kills_only "cgroup move" "$d"
check "cgroup move: job-f, larger but moved out, survived" alive "$f"
kill "$f"
wait_for_pid_exit "$f" 10

# -- fork ---------------------------------------------------------------
check "prefer=exe:/tmp/nl-fork/*" set_param prefer 'exe:/tmp/nl-fork/*'
mkdir -p /tmp/nl-fork && ln -f /bin/busybox /tmp/nl-fork/sh
rm -f /tmp/nl-kid /tmp/nl-kid.ready /tmp/nl-hold
mkfifo /tmp/nl-hold
# The child is a subshell that holds 8 MB: no exec, no rename; its
# parent exits.
/tmp/nl-fork/sh -c 'echo 0 >/proc/self/oom_score_adj
	(x=$(yes aaaaaaaaaaaaaaa | head -c 8388608)
	 echo ${#x} >/tmp/nl-kid.ready
	 read y </tmp/nl-hold) &
	echo $! >/tmp/nl-kid' </dev/null >/dev/console 2>&1
kid=$(cat /tmp/nl-kid)
check "the forked child is ready, its parent gone" \
	wait_until 30 test -s /tmp/nl-kid.ready
g=$(start_hog job-g 16)
check "an unlisted job-g (16 MB) is ready" alive "${g:-0}"
check "the forked child is preferred" preferred "$kid"
oom_kills_only "fork" "$kid"
check "fork: the larger unlisted job-g survived" alive "$g"
kill "$g"
wait_for_pid_exit "$g" 10

# -- setuid() after exec ------------------------------------------------
check "prefer=uid:1234" set_param prefer 'uid:1234'
u=$(start_hog job-u 8 0 1234)
check "job-u (setuid to 1234 after its exec) is preferred" preferred "${u:-0}"
oom_kills_only "setuid" "$u"

# -- a list written at run time -----------------------------------------
check "prefer is emptied" set_param prefer ''
l=$(start_hog late-l 8)
check "late-l is ready, not preferred" not_preferred "${l:-0}"
check "prefer=late* at run time" set_param prefer 'late*'
check "late-l is preferred" preferred "$l"
oom_kills_only "list written" "$l"

check "modprobe -r oom_namelist" unload_mod oom_namelist
