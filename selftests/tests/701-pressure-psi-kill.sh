# SPDX-License-Identifier: GPL-2.0
#
# oom_pressure's PSI trigger with the stock choice: a working set half
# again as large as RAM, touched in a loop with swap to spare on a disk
# as fast as a real one (4 MB/s: QEMU's disk in the host's page cache
# costs the guest almost nothing, and a thrash on it stalls at 10-20%
# full on 6.1, not the 80-90% a real disk gives), thrashes;
# the kernel's own OOM killer would wait (702 measures how long). With
# the default trigger ("full 3000000 10000000") the module has the kernel
# kill the thrasher, the stock victim, within seconds. Exactly one task
# dies, an innocent task lives. Debian's kernel.sysrq (438, without the
# signal bit) stays as it is and does not stop the kill: the module asks
# in the kernel, as /proc/sysrq-trigger does, with no process to start
# (a usermode helper that has to be paged in was starved for minutes by
# this thrash on 6.1). A psi written during the action is stored at once
# and armed at the end of the cooldown.
#
# With swap there is always something to reclaim, and reclaim drains
# the per-CPU lists: the kernel's default lists, as on any machine.
# sysctl: vm.percpu_pagelist_high_fraction=0
# swap-mb: 600
# swap-mbps: 4
# timeout: 420
# sysctl: kernel.sysrq=438

. /lib.sh

plan 16

P=/sys/kernel/oom_policy/pressure

thrash_guest

check "modprobe oom_pressure mem_min_pct=0 swap_min_pct=0" \
	load_mod oom_pressure mem_min_pct=0 swap_min_pct=0
check "it is armed" [ "$(cat $P/state)" = armed ]

innocent=$(start_ticker innocent /tmp/innocent)
kills=$(oom_kills)
t0=$(uptime_ms)
thrash -n thrash -a 0 -m "$WS" </dev/null >/dev/console 2>&1 &
th=$!
# As soon as it acts, a new psi, strict enough never to fire here.
NEW='full 9000000 10000000'
wait_until 150 pressure_acting
state=$(cat $P/state)
echo "$NEW" >/sys/module/oom_pressure/parameters/psi
diag "psi written in state $state"
check "a psi written during the action is stored at once" \
	[ "$state" != armed -a "$(cat /sys/module/oom_pressure/parameters/psi)" = "$NEW" ]
check "the thrasher was killed" wait_for_pid_exit "$th" 150
t1=$(uptime_ms)
diag "BENCH: from the start of the thrash to the kill: $((t1 - t0)) ms"
diag "BENCH: the innocent task until then: $(cat /tmp/innocent)"
sleep 3
check "exactly one OOM kill" [ $(($(oom_kills) - kills)) -eq 1 ]
check "the innocent task lives" alive "$innocent"
check "kills reads 1" [ "$(cat $P/kills)" = 1 ]
check "psi_fired reads 1" [ "$(cat $P/psi_fired)" = 1 ]
check "no availability check ran (the rule is off)" [ "$(cat $P/checks)" = 0 ]
check "the log names the trigger, the route and the victim" \
	dmesg_grep "oom_pressure: psi full 30% over 10 s \(full avg10 [0-9.]+%\), by SysRq-f: killed pid $th \(thrash\), policy none$"
diag "$(dmesg_grep 'oom_pressure: psi')"
check "last_trigger repeats it" grep -q "killed pid $th (thrash)" $P/last_trigger
refused=$(dmesg_grep "sysrq: This sysrq operation is disabled")
check "the mask did not refuse it" [ -z "$refused" ]
check "kernel.sysrq is still 438" [ "$(cat /proc/sys/kernel/sysrq)" = 438 ]
armed_new()
{
	[ "$(cat $P/state)" = armed ] &&
		dmesg_grep "oom_pressure: armed: psi '$NEW', mem_min_pct 0, swap_min_pct 0, cooldown_s 10$" >/dev/null
}
check "the end of the cooldown arms it" wait_until 70 armed_new
check "rmmod oom_pressure" rmmod oom_pressure
