# SPDX-License-Identifier: GPL-2.0
#
# The redirect shares oom_badness()'s ftrace site with other ftrace users:
# a kprobe event on oom_badness() (perf probe and tracing tools place
# such probes) sends the site through ftrace's own trampoline, which
# must still hand over to the direct call.  In both orders - the probe
# first, then the core; the core first, then the probe - the policy keeps
# scoring, the probe counts the calls, an OOM kills the policy's victim,
# and every oom_score is stock again once the core is gone.

. /lib.sh

plan 19

echo -1000 >/proc/self/oom_score_adj

T=/sys/kernel/tracing
[ -d $T/events ] || mount -t tracefs nodev $T

probe_add()
{
	echo 'p:oom_coexist/badness oom_badness' >>$T/kprobe_events &&
		echo 1 >$T/events/oom_coexist/badness/enable
}

probe_del()
{
	echo 0 >$T/events/oom_coexist/badness/enable &&
		echo '-:oom_coexist/badness' >>$T/kprobe_events
}

# probe_hits: the calls of oom_badness() the kprobe event has seen.
probe_hits()
{
	awk '$1 == "badness" { print $2 }' $T/kprobe_profile
}

big=$(start_hog big 48)
small=$(start_hog small 8)
check "both hogs are ready" alive_all "${big:-0}" "${small:-0}"
stock_big=$(oom_score "$big")

n=0
for order in probe-first core-first; do
	n=$((n + 1))
	if [ $order = probe-first ]; then
		check "$order: a kprobe event on oom_badness()" probe_add
		check "$order: modprobe oom_namelist prefer=small" \
			load_mod oom_namelist prefer=small
	else
		check "$order: modprobe oom_namelist prefer=small" \
			load_mod oom_namelist prefer=small
		check "$order: a kprobe event on oom_badness()" probe_add
	fi
	check "$order: the core redirects oom_badness()" \
		[ "$(cat /sys/kernel/oom_policy/hook)" = redirect ]
	check "$order: the preferred small hog outranks the big one" \
		[ "$(oom_score "$small")" -gt "$(oom_score "$big")" ]
	check "$order: the kprobe event counts the oom_score reads" \
		[ "$(probe_hits)" -gt 0 ]

	# The OOM: the policy's victim is the small hog, not the stock one.
	kills=$(oom_kills)
	trigger_oom
	check "$order: the OOM killed the preferred small hog" \
		wait_for_pid_exit "$small" 10
	check "$order: the big hog survived" alive "$big"
	check "$order: exactly one OOM kill" [ $(($(oom_kills) - kills)) -eq 1 ]

	probe_del
	unload_mod oom_namelist
	rmmod oom_policy
	[ $n = 2 ] && break
	small=$(start_hog small 8)
done

check "the core is unloaded" [ ! -d /sys/module/oom_policy ]
check "the big hog's oom_score is stock again" \
	[ "$(oom_score "$big")" = "$stock_big" ]
