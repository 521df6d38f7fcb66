# SPDX-License-Identifier: GPL-2.0
#
# Helpers for the guest test scripts, sourced as /lib.sh (busybox sh).
#
# Results are TAP lines ("ok 1 - description") prefixed with "TAP: "
# and written to /dev/kmsg: the kernel prints every record whole, so an
# OOM report printed at the same moment cannot tear a result apart, and
# the host finds them by the prefix.  They go at KERN_EMERG, the one
# level no console loglevel hides, so a test may quiet the console
# ("append: quiet", dmesg -n 1), e.g. to time the OOM killer without
# the serial console in the way.
#
#   plan N                    optional; the host checks the count
#   pass DESC | fail DESC     report one result
#   check DESC CMD [ARG...]   run CMD, pass if it succeeds
#   skip DESC REASON          report a skipped check
#   diag MSG                  a comment the host repeats in its output

_tap_count=0

_tap()
{
	echo "<0>TAP: $*" >/dev/kmsg 2>/dev/null || echo "TAP: $*"
}

plan()
{
	_tap "1..$1"
}

diag()
{
	_tap "# $*"
}

_result()
{
	_tap_count=$((_tap_count + 1))
	_tap "$1 $_tap_count - $2"
}

pass()
{
	_result ok "$*"
}

fail()
{
	_result "not ok" "$*"
}

skip()
{
	_result ok "$1 # SKIP $2"
}

check()
{
	local desc=$1

	shift
	if "$@"; then
		pass "$desc"
	else
		fail "$desc"
	fi
}

# ---------------------------------------------------------------------
# Modules and processes
# ---------------------------------------------------------------------

# load_mod NAME [PARAM=VALUE...]: modprobe, so dependencies load too.
load_mod()
{
	modprobe "$@"
}

unload_mod()
{
	modprobe -r "$1"
}

# check_kretprobe_core: two results: modprobe oom_policy hook=kretprobe
# (the tests that want the kretprobe rather than the default hook load
# the core first), and the core then hooks oom_badness() by kretprobe.
check_kretprobe_core()
{
	check "modprobe oom_policy hook=kretprobe" load_mod oom_policy hook=kretprobe
	check "the core hooks oom_badness() by kretprobe" \
		[ "$(cat /sys/kernel/oom_policy/hook)" = kretprobe ]
}

# alive PID: true while PID exists and is not a zombie.  An OOM victim
# whose parent has not reaped it yet is a zombie: it counts as dead.
alive()
{
	local state

	state=$(sed -n 's/^State:[[:space:]]*\(.\).*/\1/p' \
		"/proc/$1/status" 2>/dev/null)
	[ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]
}

# alive_all PID...: true while every PID is alive.
alive_all()
{
	local p

	for p in "$@"; do
		alive "$p" || return
	done
}

# wait_for_pid_exit PID SECONDS: true once PID is gone, false on timeout.
wait_for_pid_exit()
{
	local tenths=$(($2 * 10))

	while alive "$1"; do
		[ "$tenths" -gt 0 ] || return 1
		tenths=$((tenths - 1))
		sleep 0.1
	done
}

# wait_until SECONDS CMD [ARG...]: run CMD every tenth of a second until
# it succeeds; false if it has not within SECONDS.
wait_until()
{
	local tenths=$(($1 * 10))

	shift
	until "$@"; do
		[ "$tenths" -gt 0 ] || return 1
		tenths=$((tenths - 1))
		sleep 0.1
	done
}

# swap_on: the test's virtio disk (its "# swap-mb: MB" header) as swap.
swap_on()
{
	modprobe virtio_pci 2>/dev/null
	modprobe virtio_blk 2>/dev/null
	wait_until 10 [ -b /dev/vda ] || return
	mkswap /dev/vda >/dev/null && swapon /dev/vda
}

# meminfo_mb KEY: a /proc/meminfo value (MemTotal, SwapFree...), in MB.
meminfo_mb()
{
	echo $(($(sed -n "s/^$1: *\([0-9]*\).*/\1/p" /proc/meminfo) / 1024))
}

# uptime_ms: milliseconds since boot.
uptime_ms()
{
	local up

	up=$(cut -d' ' -f1 /proc/uptime)
	echo $((${up%.*} * 1000 + 10#${up#*.} * 10))
}

oom_score()
{
	cat "/proc/$1/oom_score"
}

# oom_kills: OOM kills since boot, global and memcg alike.
oom_kills()
{
	sed -n 's/^oom_kill //p' /proc/vmstat
}

# avail_mb: MemAvailable, in megabytes.
avail_mb()
{
	echo $(($(sed -n 's/^MemAvailable: *\([0-9]*\).*/\1/p' /proc/meminfo) / 1024))
}

# victim_floor_kb: how much an OOM victim must free before the task that
# is out of memory can allocate again, by the kernel's own numbers in
# /proc/zoneinfo.  A victim's pages go to the per-CPU lists first, up to
# each list's "high:", and NR_FREE_PAGES, which the watermark check
# reads, does not count them; direct reclaim drains the lists only once
# it has reclaimed something, and with nothing to reclaim (no swap, the
# initramfs) it never does.  The OOM path's last try wants the high
# watermark.  So: every list's high, plus each zone's gap from the min
# to the high watermark, plus the 1 MB a hog touches at a time.  A
# victim smaller than this lets the kernel kill a second task, whatever
# the policy.
victim_floor_kb()
{
	awk '$1 == "min" { min = $2 }
	     $1 == "high" && NF == 2 && !zone_done { gap += $2 - min; zone_done = 1 }
	     $1 == "Node" { zone_done = 0 }
	     $1 == "high:" { lists += $2 }
	     END { print int((lists + gap) * 4 + 1024) }' /proc/zoneinfo
}

# dmesg_grep ERE: print matching kernel log lines, true if any.  Our own
# TAP lines are in the log too and are left out.
dmesg_grep()
{
	dmesg | grep -v 'TAP: ' | grep -E -- "$1"
}

# _hog_from EXE NAME MB ADJ UID MEMCG: start_hog, with the hog program
# run as EXE.
_hog_from()
{
	local exe=$1 name=$2 mb=$3 adj=$4 uid=$5 memcg=$6
	local ready=/tmp/hog.$2.ready pid

	rm -f "$ready"
	# Not our stdout: under $(...) that pipe would stay open for the
	# hog's whole life and the caller would never get the pid.
	# shellcheck disable=SC2086 # HOG_ARGS: more options, one word each
	"$exe" -n "$name" -m "$mb" -a "$adj" ${uid:+-u "$uid"} \
		${memcg:+-c "$memcg"} -r "$ready" ${HOG_ARGS:-} \
		</dev/null >/dev/console 2>&1 &
	pid=$!
	while [ ! -s "$ready" ]; do
		if ! alive "$pid"; then
			diag "hog $name (pid $pid) died before it was ready"
			return 1
		fi
		sleep 0.1
	done
	rm -f "$ready"
	echo "$pid"
}

# start_hog NAME MB [ADJ] [UID] [MEMCG]: start a hog that holds MB
# megabytes, with that oom_score_adj, user id and memory cgroup, and print
# its pid once all of it is resident.  Fails if the hog dies first.
# HOG_ARGS adds options of hog's own, e.g. HOG_ARGS="-t 4" for 4 threads
# more.
start_hog()
{
	_hog_from hog "$1" "$2" "${3:-0}" "${4:-}" "${5:-}"
}

# thrash_guest: the start of a thrash test: this shell out of every
# ranking, the swap disk on (one result), and WS, a working set half
# again as large as RAM, whose pages a loop touches faster than RAM and a
# swap disk of swap-mbps can serve.
thrash_guest()
{
	echo -1000 >/proc/$$/oom_score_adj
	check "swap on the virtio disk" swap_on
	WS=$(($(meminfo_mb MemTotal) * 3 / 2))
	diag "MemTotal $(meminfo_mb MemTotal) MB, SwapTotal $(meminfo_mb SwapTotal) MB: working set $WS MB"
}

# pressure_acting: oom_pressure has acted, its state is past armed and
# watching (killing, exiting, cooldown).
pressure_acting()
{
	! grep -qE '^(armed|watching)$' /sys/kernel/oom_policy/pressure/state
}

# start_ticker NAME FILE: the ticker program (an 8 MB task that wakes
# every 100 ms and writes its worst delay to FILE), killable like any
# task (oom_score_adj 0, whatever the caller's); prints its pid.
start_ticker()
{
	sh -c 'echo 0 >/proc/self/oom_score_adj && exec ticker -n "$1" -o "$2"' \
		ticker "$1" "$2" </dev/null >/dev/null 2>&1 &
	echo $!
}

# start_exe_hog PATH NAME MB: start_hog NAME MB, run from PATH, a hard
# link to /bin/hog made here (with its directory): the task's executable
# is PATH whatever it calls itself.
start_exe_hog()
{
	mkdir -p "${1%/*}" && ln -f /bin/hog "$1" || return
	_hog_from "$1" "$2" "$3" 0 "" ""
}

# make_jail DIR: a copy of the guest root in DIR to chroot into, with
# /proc, /sys and /dev mounted: the programs are hard links (the guest
# root is one file system), so the copy costs no memory.  Run a command
# there with: chroot DIR sh -c '. /lib.sh; ...'
make_jail()
{
	local d

	mkdir -p "$1/tmp" "$1/proc" "$1/sys" "$1/dev" || return
	for d in bin sbin usr; do
		cp -al "/$d" "$1/" || return
	done
	cp /lib.sh "$1/lib.sh" &&
		mount -t proc proc "$1/proc" &&
		mount -t sysfs sysfs "$1/sys" &&
		mount -o bind /dev "$1/dev"
}

# trigger_oom [NAME] [ADJ] [MEMCG]: grow a hog one megabyte at a time
# until an OOM kill happens, whoever the victim is.  Returns 0 if the hog
# survived (and then exits, freeing its memory), non-zero if it was the
# victim.  It grows as SCHED_IDLE, so that a victim finishes exiting
# before the next shortage is seen (see hog.c).
trigger_oom()
{
	hog -n "${1:-trigger}" -a "${2:-0}" ${3:+-c "$3"} -g -o \
		</dev/null >/dev/console 2>&1
}

# ---------------------------------------------------------------------
# Memory cgroups (cgroup2 is mounted at /sys/fs/cgroup)
# ---------------------------------------------------------------------

# memcg_create NAME MAXBYTES: a child of the root cgroup with a hard
# limit and, like the upstream memcg OOM tests, no swap.
memcg_create()
{
	local root=/sys/fs/cgroup cg=/sys/fs/cgroup/$1

	# Children only get memory.* files once the root delegates memory.
	grep -qw memory "$root/cgroup.subtree_control" ||
		echo +memory >"$root/cgroup.subtree_control" || return
	mkdir -p "$cg" && echo "$2" >"$cg/memory.max" || return
	[ ! -e "$cg/memory.swap.max" ] || echo 0 >"$cg/memory.swap.max"
}

# memcg_enter NAME PID: pages PID already has stay charged where they
# are (cgroup2 does not move charges); start hogs with their MEMCG
# argument to charge them here from the first page.
memcg_enter()
{
	echo "$2" >"/sys/fs/cgroup/$1/cgroup.procs"
}

memcg_oom_kills()
{
	sed -n 's/^oom_kill //p' "/sys/fs/cgroup/$1/memory.events"
}

# ---------------------------------------------------------------------
# Policies
# ---------------------------------------------------------------------

# policy_killed POLICY PID COMM REASON_ERE: the kernel log has POLICY's
# line for choosing PID, called COMM, as the victim, for a reason that
# matches REASON_ERE to the end of the line.
policy_killed()
{
	dmesg_grep "oom_policy: $1: chose pid $2 \($3\), score -?[0-9]+, stock -?[0-9]+: $4\$"
}

# preview_has PID TEXT: the reason the preview gives for PID starts with
# TEXT, a fixed string.
preview_has()
{
	grep -E "^ *$1 " /sys/kernel/debug/oom_policy/preview | grep -qF -- "  $2"
}

# preview_ends PID ERE: the reason the preview gives for PID matches ERE
# to the end of the line.
preview_ends()
{
	grep -E "^ *$1 " /sys/kernel/debug/oom_policy/preview | grep -Eq -- "  $2\$"
}

# loaded MODULE: MODULE is in /proc/modules.
loaded()
{
	grep -q "^$1 " /proc/modules
}

# ---------------------------------------------------------------------
# oom_namelist's lists (/sys/module/oom_namelist/parameters)
# ---------------------------------------------------------------------

# set_param LIST PATTERNS: write PATTERNS to LIST (prefer or avoid) as
# "echo PATTERNS > file" does; fails as the write does.
set_param()
{
	sh -c 'echo "$1" >"$2"' sh "$2" "/sys/module/oom_namelist/parameters/$1"
}

# score_with LIST PATTERNS PID: PID's oom_score once LIST is PATTERNS.
score_with()
{
	echo "$2" >"/sys/module/oom_namelist/parameters/$1" && oom_score "$3"
}

# load_rejected PARAM=VALUE ERE: modprobe oom_namelist fails with EINVAL,
# the module stays out, and the kernel log says why (ERE).
load_rejected()
{
	dmesg -c >/dev/null
	if load_mod oom_namelist "$1" 2>/tmp/modprobe.err; then
		diag "modprobe oom_namelist '$1' succeeded"
		unload_mod oom_namelist
		return 1
	fi
	grep -q 'Invalid argument' /tmp/modprobe.err || {
		diag "modprobe said: $(cat /tmp/modprobe.err)"
		return 1
	}
	! loaded oom_namelist && dmesg_grep "$2" >/dev/null
}

# rejected LIST PATTERNS ERE: the write fails with EINVAL, LIST reads as
# before, and the kernel log says why (ERE).
rejected()
{
	local file=/sys/module/oom_namelist/parameters/$1 before

	before=$(cat "$file")
	dmesg -c >/dev/null
	if set_param "$1" "$2" 2>/tmp/write.err; then
		diag "$1='$2' was accepted"
		return 1
	fi
	grep -q 'Invalid argument' /tmp/write.err || {
		diag "the write said: $(cat /tmp/write.err)"
		return 1
	}
	[ "$(cat "$file")" = "$before" ] && dmesg_grep "$3" >/dev/null
}

# accepted LIST PATTERNS [READBACK]: the write succeeds and LIST reads
# back READBACK (by default PATTERNS).
accepted()
{
	set_param "$1" "$2" &&
		[ "$(cat "/sys/module/oom_namelist/parameters/$1")" = "${3-$2}" ]
}

# ---------------------------------------------------------------------
# oom_forkblame and the spawner
# ---------------------------------------------------------------------

# forkblame_counter NAME: one of oom_forkblame's counters.
forkblame_counter()
{
	cat "/sys/kernel/oom_policy/forkblame/$1"
}

# run_spawner LOG ARG...: start the spawner in the background with
# oom_score_adj 0 (its children inherit it) and its output in LOG.  Its
# pid is $!, a child of this shell, so that "wait" gives its status.
run_spawner()
{
	local log=$1

	shift
	sh -c 'echo 0 >/proc/self/oom_score_adj && exec spawner "$@"' \
		spawner "$@" </dev/null >"$log" 2>&1 &
}

# spawner_run LOG WHAT ARG...: run_spawner LOG ARG... and wait for the
# spawner to end; its pid stays in $!, its output is repeated on one
# diag line "WHAT: ...", and its exit status is returned.
spawner_run()
{
	local log=$1 what=$2 rc=0

	shift 2
	run_spawner "$log" "$@"
	wait "$!" || rc=$?
	diag "$what: $(tr '\n' ';' <"$log")"
	return $rc
}

# killed_children LOG: how many of the spawner's children LOG says were
# killed by SIGKILL.
killed_children()
{
	grep -c 'killed by signal 9' "$1"
}

# at_least_killed LOG N: at least N children in LOG were killed by SIGKILL.
at_least_killed()
{
	[ "$(killed_children "$1")" -ge "$2" ]
}

# switch_storm POLICY MODULE LOAD...: MODULE loaded without parameters,
# then a series of 8 OOMs (each grower is killed when it fills memory)
# while POLICY is switched off, on, unloaded and loaded again with LOAD,
# every 0.2 s; then the checks that every OOM ended in a kill, counted
# once. 6 results.
switch_storm()
{
	local pol=$1 mod=$2 switches=0 victims

	shift 2
	load_mod "$mod" || fail "modprobe $mod"
	rm -f /tmp/storm-done
	(
		i=0
		while [ $i -lt 8 ]; do
			hog -n grower -g </dev/null >/dev/null 2>&1
			i=$((i + 1))
		done
		touch /tmp/storm-done
	) &
	while [ ! -e /tmp/storm-done ]; do
		case $((switches % 4)) in
		0) echo none >/sys/kernel/oom_policy/active ;;
		1) echo "$pol" >/sys/kernel/oom_policy/active ;;
		2) rmmod "$mod" ;;
		3) modprobe "$mod" "$@" ;;
		esac
		switches=$((switches + 1))
		sleep 0.2
	done
	diag "$switches switches during the OOMs"

	check "the OOMs happened" [ "$(oom_kills)" -ge 8 ]
	check "policy switches happened during them" [ "$switches" -ge 8 ]
	check "init survived" alive 1
	modprobe "$mod" "$@" 2>/dev/null
	check "oom_events counted every OOM kill" \
		[ "$(cat /sys/kernel/oom_policy/oom_events)" -ge "$(oom_kills)" ]
	victims=$(awk '{ n += $2 } END { print n }' /sys/kernel/oom_policy/victims)
	check "every kill was counted as a victim once" [ "$victims" = "$(oom_kills)" ]
	check "no hook call was missed" [ "$(cat /sys/kernel/oom_policy/missed)" = 0 ]
}

# demo_row CELLS: one '|'-separated line of a make demo table, for the
# host to print (selftests/demo.sh).
demo_row()
{
	echo "<0>DEMO: $*" >/dev/kmsg
}

# last_kill: "pid name" of the newest OOM kill in the kernel log.
last_kill()
{
	dmesg | sed -n 's/.*Killed process \([0-9]*\) (\([^)]*\)).*/\1 \2/p' |
		tail -n 1
}
