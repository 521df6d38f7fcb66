# SPDX-License-Identifier: GPL-2.0
#
# A livepatch of oom_badness() and the core's redirect share the
# function, in either order of loading: the livepatch is not refused
# (-EBUSY), the core keeps the redirect, and the score the core starts
# from is the livepatch's (selftests/kmod/lp_oom_badness.c: a task called
# lp-victim scores the most a stock score can). Both unload cleanly.

. /lib.sh

echo -1000 >/proc/$$/oom_score_adj

plan 20

lp=/sys/kernel/livepatch/lp_oom_badness

# lp_settled: the livepatch's transition is over (every task switched).
lp_settled()
{
	local i

	for i in $(seq 100); do
		[ "$(cat $lp/transition 2>/dev/null)" = 0 ] && return 0
		sleep 0.1
	done
	return 1
}

# lp_remove: disable the livepatch, wait until the kernel has freed it
# (its sysfs directory goes once the unpatching transition is over), and
# unload its module.
lp_remove()
{
	local i

	echo 0 >$lp/enabled || return
	for i in $(seq 100); do
		[ -d $lp ] || break
		sleep 0.1
	done
	[ ! -d $lp ] && rmmod lp_oom_badness
}

check "modprobe oom_policy" load_mod oom_policy
check "the core redirects oom_badness()" \
	[ "$(cat /sys/kernel/oom_policy/hook)" = redirect ]
big=$(start_hog big 40)
lpv=$(start_hog lp-victim 4)
check "the hogs are ready" alive_all "${big:-0}" "${lpv:-0}"
check "before the livepatch, big outranks lp-victim" \
	[ "$(oom_score "$big")" -gt "$(oom_score "$lpv")" ]

check "the livepatch loads beside the redirect" load_mod lp_oom_badness
check "the livepatch is enabled and settles" lp_settled
check "lp-victim reads the livepatch's oom_score, 2000" \
	[ "$(oom_score "$lpv")" = 2000 ]
check "big reads a stock oom_score" [ "$(oom_score "$big")" -lt 2000 ]

check "modprobe oom_classic" load_mod oom_classic
trigger_oom trigger -999
check "the livepatch's choice, lp-victim, was killed" \
	wait_for_pid_exit "${lpv:-0}" 10
check "big survived" alive "${big:-0}"
check "the kill log names classic's choice" \
	dmesg_grep "oom_policy: classic: chose pid ${lpv:-0} \(lp-victim\)"

check "the livepatch is disabled and unloaded" lp_remove
lpv=$(start_hog lp-victim 4)
check "without it, big outranks a new lp-victim again" \
	[ "$(oom_score "$big")" -gt "$(oom_score "$lpv")" ]
rmmod oom_classic
check "rmmod oom_policy" rmmod oom_policy

# The other order: the livepatch first, then the core.
check "the livepatch loads first" load_mod lp_oom_badness
check "and settles" lp_settled
check "the core then loads with the redirect" \
	sh -c 'modprobe oom_policy && [ "$(cat /sys/kernel/oom_policy/hook)" = redirect ]'
check "lp-victim reads the livepatch's oom_score through the core" \
	[ "$(oom_score "$lpv")" = 2000 ]
check "the core unloads first, the livepatch after it" \
	sh -c 'rmmod oom_policy && [ "$(cat /proc/'"${lpv:-0}"'/oom_score)" = 2000 ]'
lp_remove
kill -9 "$big" "$lpv" 2>/dev/null
