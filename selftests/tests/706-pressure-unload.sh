# SPDX-License-Identifier: GPL-2.0
#
# Unloading oom_pressure at any moment: while the kernel reports stalls
# and the module checks availability, and right after it asked for a
# kill. Nothing breaks (the harness fails the test on any kernel splat),
# the kill asked for still happens, and exactly one task dies.
#
# With swap there is always something to reclaim, and reclaim drains
# the per-CPU lists: the kernel's default lists, as on any machine.
# sysctl: vm.percpu_pagelist_high_fraction=0
# swap-mb: 600
# swap-mbps: 4
# timeout: 420

. /lib.sh

plan 9

P=/sys/kernel/oom_policy/pressure

thrash_guest
innocent=$(start_hog innocent 8)
kills=$(oom_kills)
thrash -n thrash -a 0 -m "$WS" </dev/null >/dev/console 2>&1 &
th=$!

# The loop needs the stall under way: the kernel's some avg10 at the
# watch trigger's share (5%) or more. On a debug kernel filling RAM
# takes a while.
stalling()
{
	awk '/^some/ { split($2, a, "="); exit !(a[2] >= 5) }' /proc/pressure/memory
}
check "the thrash stalls: some avg10 at 5% or more" wait_until 120 stalling
diag "$(head -1 /proc/pressure/memory)"

# psi off, dry run: watching and checking, never a kill. Each round
# unloads once the module has checked, or after 20 s without.
checked()
{
	[ "$(cat $P/checks)" -gt 0 ]
}
watched=0
i=0
while [ $i -lt 4 ]; do
	load_mod oom_pressure psi= dry_run=1 || break
	wait_until 20 checked && watched=$((watched + 1))
	rmmod oom_pressure || break
	i=$((i + 1))
done
check "4 loads and unloads under pressure" [ $i = 4 ]
check "it checked availability before most of them ($watched)" [ $watched -ge 3 ]

# Unload as soon as it acts.
check "modprobe oom_pressure psi='some 100000 1000000' cooldown_s=60" \
	load_mod oom_pressure psi="some 100000 1000000" cooldown_s=60
wait_until 120 pressure_acting
diag "unloading in state $(cat $P/state)"
check "rmmod oom_pressure right after it acted" rmmod oom_pressure
check "the kill it asked for happened" wait_for_pid_exit "$th" 20
sleep 2
check "exactly one OOM kill" [ $(($(oom_kills) - kills)) -eq 1 ]
check "the innocent task lives" alive "$innocent"
