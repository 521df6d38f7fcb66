# SPDX-License-Identifier: GPL-2.0
#
# oom_pressure with oom_namelist active: the thrash of 701 ends with the
# policy's victim, a small task named "victim", not the thrasher, the
# stock choice. Exactly one task dies; the thrasher and an innocent task
# live. With kernel.sysrq=1 the kill goes through handle_sysrq('f'). The
# module then waits (cooldown_s=3600) and is unloaded in the middle of
# that wait.
#
# With swap there is always something to reclaim, and reclaim drains
# the per-CPU lists: the kernel's default lists, as on any machine.
# sysctl: vm.percpu_pagelist_high_fraction=0
# swap-mb: 600
# swap-mbps: 4
# timeout: 420
# sysctl: kernel.sysrq=1

. /lib.sh

plan 14

P=/sys/kernel/oom_policy/pressure

thrash_guest
check "modprobe oom_namelist prefer=victim" load_mod oom_namelist prefer=victim
check "modprobe oom_pressure mem_min_pct=0 swap_min_pct=0 cooldown_s=3600" \
	load_mod oom_pressure mem_min_pct=0 swap_min_pct=0 cooldown_s=3600

victim=$(start_hog victim 8)
innocent=$(start_hog innocent 8)
kills=$(oom_kills)
t0=$(uptime_ms)
thrash -n thrash -a 0 -m "$WS" </dev/null >/dev/console 2>&1 &
th=$!
check "the policy's victim was killed" wait_for_pid_exit "$victim" 150
t1=$(uptime_ms)
diag "from the start of the thrash to the kill: $((t1 - t0)) ms"
sleep 3
check "exactly one OOM kill" [ $(($(oom_kills) - kills)) -eq 1 ]
check "the thrasher (the stock choice) lives" alive "$th"
check "the innocent task lives" alive "$innocent"
check "the log names the trigger, SysRq-f and the victim" \
	dmesg_grep "oom_pressure: psi full 30% over 10 s \(full avg10 [0-9.]+%\), by SysRq-f: killed pid $victim \(victim\), policy namelist$"
check "the core's kill log gives the policy's reason" \
	policy_killed namelist "$victim" victim "prefer 'victim'"
check "kills reads 1" [ "$(cat $P/kills)" = 1 ]
check "it waits out its cooldown" [ "$(cat $P/state)" = cooldown ]
check "rmmod oom_pressure during the cooldown, under pressure" rmmod oom_pressure
check "kernel.sysrq is still 1" [ "$(cat /proc/sys/kernel/sysrq)" = 1 ]
kill -9 "$th"
check "the thrasher lived until we killed it" wait_for_pid_exit "$th" 20
