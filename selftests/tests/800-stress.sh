# SPDX-License-Identifier: GPL-2.0
#
# OOM storms: code in the OOM path must never be what takes a machine
# down.  For the stock behaviour and for each policy, stress-ooms memory
# cgroup OOMs in a row on one vCPU while global OOMs keep happening on
# the other; then stress-switches policy switches (writes to
# /sys/kernel/oom_policy/active, rmmod and modprobe) on one vCPU while
# both kinds of OOM keep happening on the other; then the core itself is
# unloaded and reloaded under the same storm, hooking oom_badness() by
# the redirect and by the kretprobe in turn.  The harness fails the test
# on any kernel splat and on a hang; here we check that every hog died by
# an OOM kill and nothing else did, that init lives, and that the core's
# counters add up: every call of out_of_memory() is one oom_event and
# every victim one count in victims, of the policy that was active, with
# at most one kill-log line (the log is rate-limited).  The kernel's own
# tracing is the reference: a kprobe event on out_of_memory() and the
# oom:mark_victim event.
#
# selftests/stress.sh runs this file with the numbers of "make stress".
#
# qemu-smp: 2
# timeout: 900
# append: log_buf_len=8M
# stress-ooms: 50
# stress-switches: 20

. /lib.sh

# Nothing but the hogs may be chosen: this shell, the loops and every
# command they run inherit -1000; each hog sets its own 0 (-a 0).
echo -1000 >/proc/self/oom_score_adj

OOMS=$(sed -n 's/^# stress-ooms: *//p' /test.sh)
SWITCHES=$(sed -n 's/^# stress-switches: *//p' /test.sh)
# Core reloads under the storm; each one is also a switch to and from
# "no hook at all".
RELOADS=$((SWITCHES / 10 + 1))

P=/sys/kernel/oom_policy
T=/sys/kernel/tracing
CG=stress

plan $((2 + 5 * 10 + 11 + 5))

# Parameters that keep each policy from ending the storm: oom_panic needs
# 1000 OOMs in one second (scope all, so that it looks at every OOM);
# oom_namelist prefers the global hog and avoids the memcg one, so both
# lists are consulted at every scan.
params_of()
{
	case $1 in
	classic) echo "" ;;
	namelist) echo "prefer=glob avoid=mcg" ;;
	panic) echo "threshold=1000 window_s=1 scope=all dump_tasks=0" ;;
	forkblame) echo "" ;;
	esac
}

POLICIES="classic namelist panic forkblame"

# load NAME [PARAMS...]: modprobe oom_NAME with its storm parameters.
load()
{
	local name=$1

	shift
	# shellcheck disable=SC2046 # one word per parameter
	modprobe "oom_$name" $(params_of "$name") "$@"
}

unload_policies()
{
	local name

	for name in $POLICIES; do
		! grep -q "^oom_$name " /proc/modules || rmmod "oom_$name" || return
	done
}

# -- The storm -------------------------------------------------------------

# hog_loop NAME N [MEMCG]: N hogs called NAME in a row, in MEMCG if given,
# each grown until the OOM killer kills it (N=0: until /tmp/stop).  Writes
# how many ran and how many did not die by SIGKILL to /tmp/NAME.result.
hog_loop()
{
	local n=0 bad=0 st

	while { [ "$2" = 0 ] || [ $n -lt "$2" ]; } && [ ! -e /tmp/stop ]; do
		st=0
		hog -n "$1" -a 0 ${3:+-c "$3"} -g </dev/null >/dev/null \
			2>>/tmp/hog.err || st=$?
		# 128 + SIGKILL
		[ $st = 137 ] || bad=$((bad + 1))
		n=$((n + 1))
	done
	echo "$n $bad" >"/tmp/$1.result"
}

# mcg_loop N: memcg OOMs, N in a row (0: until /tmp/stop); /tmp/mcg.result.
mcg_loop()
{
	hog_loop mcg "$1" "$CG"
}

# glob_loop: global OOMs until /tmp/stop; /tmp/glob.result.
glob_loop()
{
	hog_loop glob 0
}

# start_bg CPU FUNCTION [ARGS...]: run a loop in the background, pinned
# to CPU; its pid goes to BG.
start_bg()
{
	local cpu=$1

	shift
	"$@" &
	BG=$!
	taskset -p -c "$cpu" $BG >/dev/null
}

# hogs_ok RESULTFILE [N [KILLED]]: every hog of a loop was killed by
# SIGKILL (and there were N of them, and KILLED OOM kills in the memcg).
hogs_ok()
{
	local n bad

	read -r n bad <"$1"
	[ "$bad" = 0 ] && [ "${2:-$n}" = "$n" ] && [ "${3:-$n}" = "$n" ]
}

# -- The reference counts --------------------------------------------------

# A kprobe event counts the calls of out_of_memory() (its hits in
# kprobe_profile); the mark_victim event logs every victim.
tracing_setup()
{
	[ -d $T/events/oom/mark_victim ] || return
	# Room for every event of the longest stretch.
	echo 4096 >$T/buffer_size_kb &&
	echo 'p:oom_stress/oom_call out_of_memory' >>$T/kprobe_events &&
	echo 1 >$T/events/oom_stress/oom_call/enable &&
	echo 1 >$T/events/oom/mark_victim/enable
}

oom_calls()
{
	awk '$1 == "oom_call" { print $2 }' $T/kprobe_profile
}

oom_call_misses()
{
	awk '$1 == "oom_call" { print $3 }' $T/kprobe_profile
}

# victims_sum [FILE]: all victims the core has counted, whatever the
# policy.
victims_sum()
{
	awk '{ n += $2 } END { print n + 0 }' "${1:-$P/victims}"
}

# victims_of NAME [FILE]
victims_of()
{
	awk -v n="$1" '$1 == n { v = $2 } END { print v + 0 }' \
		"${2:-$P/victims}"
}

# The start of a measured stretch: counters noted, logs emptied.
begin()
{
	rm -f /tmp/stop /tmp/mcg.result /tmp/glob.result /tmp/hog.err
	dmesg -c >/dev/null
	echo >$T/trace
	B_EVENTS=$(cat $P/oom_events)
	B_CALLS=$(oom_calls)
	B_KILLS=$(oom_kills)
	B_MCG=$(memcg_oom_kills $CG)
	cp $P/victims /tmp/victims.before
}

# stop_storm PID...: ask the loops to stop and wait for them; their last
# hog is grown until it is killed, as all the others.
stop_storm()
{
	touch /tmp/stop
	wait "$@"
}

# The end of a stretch: the kernel log and the trace of the stretch.
finish()
{
	dmesg -c | grep -v 'TAP: ' >/tmp/log
	# A full trace buffer drops events: then the count proves nothing.
	if grep -q 'overrun: [1-9]' $T/per_cpu/cpu*/stats; then
		echo overrun >/tmp/marks
	else
		grep -c 'mark_victim:' $T/trace >/tmp/marks || true
	fi
	E_EVENTS=$(($(cat $P/oom_events) - B_EVENTS))
	E_CALLS=$(($(oom_calls) - B_CALLS))
	E_KILLS=$(($(oom_kills) - B_KILLS))
	E_MCG=$(($(memcg_oom_kills $CG) - B_MCG))
	E_MARKS=$(cat /tmp/marks)
	E_VICTIMS=$(($(victims_sum) - $(victims_sum /tmp/victims.before)))
	TOTAL_OOMS=$((TOTAL_OOMS + E_CALLS))
	diag "$1: $E_CALLS OOMs, $E_KILLS kills ($E_MCG in the memcg), $E_MARKS victims marked"
	# The shell reports each hog's death as "Killed"; anything else is news.
	! grep -qvx Killed /tmp/hog.err 2>/dev/null ||
		diag "$1: hogs said: $(grep -vx Killed /tmp/hog.err | sort -u | head -n 3 | tr '\n' ' ')"
}

victims_delta()
{
	echo $(($(victims_of "$1") - $(victims_of "$1" /tmp/victims.before)))
}

# kill_log_lines NAME: the core's kill-log lines for policy NAME.
kill_log_lines()
{
	grep -cE "oom_policy: $1: (chose|kernel chose) pid [0-9]+ " /tmp/log
}

# kill_log_ok NAME VICTIMS: NAME's kill log for VICTIMS victims. It is
# rate-limited (10 lines every 5 s, so that a storm cannot keep the
# serial console busy under oom_lock): at most one line per victim, one
# for each when there were at most 10, and some when there were more.
kill_log_ok()
{
	local l

	l=$(kill_log_lines "$1")
	[ "$l" -le "$2" ] || return
	[ "$2" -gt 10 ] || [ "$l" = "$2" ] || return
	[ "$2" = 0 ] || [ "$l" -ge 1 ]
}

# Every task the kernel killed was a hog.
only_hogs_killed()
{
	local others

	others=$(sed -n 's/.*Killed process [0-9]* (\([^)]*\)).*/\1/p' /tmp/log |
		grep -vxE 'mcg|glob' | sort -u | tr '\n' ' ')
	[ -z "$others" ] || diag "also killed: $others"
	[ -z "$others" ]
}

# The checks every stretch ends with.
check_counts()
{
	local what=$1

	check "$what: every out_of_memory() call is one oom_event ($E_CALLS)" \
		[ "$E_EVENTS" = "$E_CALLS" ]
	check "$what: every victim is counted once ($E_MARKS)" \
		[ "$E_VICTIMS" = "$E_MARKS" ]
	check "$what: every OOM kill's victim was marked" \
		[ "$E_KILLS" -le "$E_MARKS" ]
	check "$what: only hogs were killed" only_hogs_killed
	check "$what: init is alive" alive 1
}

# -- Setup -----------------------------------------------------------------

check "tracing: a kprobe event on out_of_memory() and oom:mark_victim" \
	tracing_setup
memcg_create $CG 4M || fail "cannot create the memory cgroup"
check "modprobe oom_policy" modprobe oom_policy
TOTAL_OOMS=0
diag "hook: $(cat $P/hook); $OOMS memcg OOMs per policy, $SWITCHES switches"

# -- One policy at a time --------------------------------------------------

for pol in none $POLICIES; do
	unload_policies
	[ $pol = none ] || load $pol || fail "modprobe oom_$pol"
	[ "$(cat $P/active)" = $pol ] || fail "$pol is not active"

	begin
	start_bg 1 glob_loop
	taskset -p -c 0 $$ >/dev/null
	mcg_loop "$OOMS"
	stop_storm $BG
	finish "$pol"

	[ "$E_MCG" = "$OOMS" ] ||
		diag "$pol: memcg hogs (run, not SIGKILLed): $(cat /tmp/mcg.result); memory.events oom_kill +$E_MCG"
	check "$pol: $OOMS memcg hogs, each killed by the OOM killer" \
		hogs_ok /tmp/mcg.result "$OOMS" "$E_MCG"
	check "$pol: $(cut -d' ' -f1 /tmp/glob.result) global hogs, each killed by the OOM killer" \
		hogs_ok /tmp/glob.result
	check_counts "$pol"
	check "$pol: all victims counted for $pol" \
		[ "$(victims_delta $pol)" = "$E_MARKS" ]
	if [ $pol = none ]; then
		check "none: no kill-log line" [ "$(kill_log_lines '[a-z0-9_]+')" = 0 ]
	else
		check "$pol: at most one kill-log line per victim, rate-limited" \
			kill_log_ok $pol "$E_MARKS"
	fi
	check "$pol: no hook call missed" [ "$(cat $P/missed)" = 0 ]
done

# -- Switching policies during the storm ----------------------------------

# One switch: STEP is "active NAME", "rmmod NAME" or "load NAME", and
# afterwards EXPECT must be the active policy.
switch()
{
	case $1 in
	active) echo "$2" >$P/active ;;
	rmmod) rmmod "oom_$2" ;;
	load) shift; load "$@" ;;
	esac
}

# The cycle visits every kind of switch: to and from each policy and
# none, unloading the active policy and an inactive one, loading with
# other parameters.  Each entry: the switch, then the policy then active.
STEPS="active:classic:classic active:namelist:namelist active:none:none
       active:panic:panic rmmod:panic:none load:panic:panic
       active:forkblame:forkblame rmmod:classic:forkblame
       load:classic:mode=legacy:classic active:namelist:namelist
       rmmod:namelist:none load:namelist:namelist active:forkblame:forkblame
       rmmod:forkblame:none load:forkblame:forkblame"

# wait_for_oom EVENTS: until oom_events has moved past EVENTS, so that
# OOMs really happen between the switches.
wait_for_oom()
{
	while [ "$(cat $P/oom_events)" = "$1" ]; do
		sleep 0.05
	done
}

unload_policies
for pol in $POLICIES; do
	load $pol || fail "modprobe oom_$pol"
done
begin
start_bg 1 mcg_loop 0
mcg=$BG
start_bg 1 glob_loop
glob=$BG
taskset -p -c 0 $$ >/dev/null
n=0
bad=0
while [ $n -lt "$SWITCHES" ]; do
	for step in $STEPS; do
		[ $n -lt "$SWITCHES" ] || break
		expect=${step##*:}
		step=${step%:*}
		events=$(cat $P/oom_events)
		# shellcheck disable=SC2046 # the step's fields, one word each
		if ! switch $(echo "$step" | tr : ' ') ||
		   [ "$(cat $P/active)" != "$expect" ]; then
			diag "switch '$step' failed or left $(cat $P/active) active"
			bad=$((bad + 1))
		fi
		n=$((n + 1))
		wait_for_oom "$events"
	done
done
stop_storm "$mcg" "$glob"
finish switches
TOTAL_SWITCHES=$n

check "switches: $n, each done and leaving the expected policy" [ "$bad" = 0 ]
check "switches: $(cut -d' ' -f1 /tmp/mcg.result) memcg hogs, each OOM-killed" \
	hogs_ok /tmp/mcg.result "" "$E_MCG"
check "switches: $(cut -d' ' -f1 /tmp/glob.result) global hogs, each OOM-killed" \
	hogs_ok /tmp/glob.result
check_counts switches
named=0
lines_ok=yes
for pol in $POLICIES; do
	d=$(victims_delta $pol)
	l=$(kill_log_lines $pol)
	diag "switches: $pol: $d victims, $l kill-log lines"
	[ "$l" -le "$d" ] || lines_ok=no
	named=$((named + d))
done
check "switches: no policy has more kill-log lines than victims" \
	[ $lines_ok = yes ]
check "switches: the other victims are counted for none" \
	[ "$(victims_delta none)" = $((E_MARKS - named)) ]
check "switches: no hook call missed" [ "$(cat $P/missed)" = 0 ]

# -- Reloading the core during the storm ---------------------------------

# The core's counters go with it; what is checked is that it comes and
# goes cleanly (the harness watches for splats) while OOMs happen, with
# either hook.
begin
start_bg 1 mcg_loop 0
mcg=$BG
start_bg 1 glob_loop
glob=$BG
taskset -p -c 0 $$ >/dev/null
r=0
bad=0
while [ $r -lt $RELOADS ]; do
	unload_policies && rmmod oom_policy || bad=$((bad + 1))
	calls=$(oom_calls)
	while [ "$(oom_calls)" = "$calls" ]; do
		sleep 0.05
	done
	# Every other time with the kretprobe, whose handlers call the
	# policies in probe context.
	hook=redirect
	[ $((r % 2)) = 0 ] || hook=kretprobe
	modprobe oom_policy hook=$hook && load classic && load forkblame ||
		bad=$((bad + 1))
	[ "$(cat $P/hook)" = $hook ] || bad=$((bad + 1))
	wait_for_oom 0
	r=$((r + 1))
done
stop_storm "$mcg" "$glob"
finish reloads
TOTAL_SWITCHES=$((TOTAL_SWITCHES + 2 * r))
check "reloads: $r unloads and reloads of the core during OOMs" [ "$bad" = 0 ]
check "reloads: every memcg hog was OOM-killed" hogs_ok /tmp/mcg.result
check "reloads: every global hog was OOM-killed" hogs_ok /tmp/glob.result
check "reloads: only hogs were killed" only_hogs_killed
check "reloads: kprobe event hits without a miss" [ "$(oom_call_misses)" = 0 ]

unload_policies
rmmod oom_policy
echo 0 >$T/events/oom_stress/oom_call/enable
echo 0 >$T/events/oom/mark_victim/enable
echo -:oom_stress/oom_call >>$T/kprobe_events
diag "stress-total: ooms=$TOTAL_OOMS switches=$TOTAL_SWITCHES"
