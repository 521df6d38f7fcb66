# SPDX-License-Identifier: GPL-2.0
#
# oom_pressure's PSI trigger with the stock choice: a working set half
# again as large as RAM, touched in a loop with swap to spare, thrashes;
# the kernel's own OOM killer would wait (702 measures how long). With
# the default trigger ("full 3000000 10000000") the module has the kernel
# kill the thrasher, the stock victim, within seconds. Exactly one task
# dies, an innocent task lives, and kernel.sysrq is not changed. The
# mask here (502: Debian's 438 and the signal bit) lets the module ask
# with handle_sysrq('f'), in the kernel: under Debian's 438 it starts a
# usermode helper to write /proc/sysrq-trigger instead, which a thrash
# this heavy starved for minutes on 6.1 (705 and 706 take that route).
#
# swap-mb: 600
# timeout: 420
# sysctl: kernel.sysrq=502

. /lib.sh

plan 13

echo -1000 >/proc/self/oom_score_adj
P=/sys/kernel/oom_policy/pressure

check "swap on the virtio disk" swap_on
total=$(meminfo_mb MemTotal)
ws=$((total * 3 / 2))
diag "MemTotal $total MB, SwapTotal $(meminfo_mb SwapTotal) MB: working set $ws MB"

check "modprobe oom_pressure mem_min_pct=0 swap_min_pct=0" \
	load_mod oom_pressure mem_min_pct=0 swap_min_pct=0
check "it is armed" [ "$(cat $P/state)" = armed ]

innocent=$(start_hog innocent 8)
kills=$(oom_kills)
t0=$(uptime_ms)
thrash -n thrash -a 0 -m "$ws" </dev/null >/dev/console 2>&1 &
th=$!
check "the thrasher was killed" wait_for_pid_exit "$th" 150
t1=$(uptime_ms)
diag "from the start of the thrash to the kill: $((t1 - t0)) ms"
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
check "kernel.sysrq is still 502" [ "$(cat /proc/sys/kernel/sysrq)" = 502 ]
check "rmmod oom_pressure" rmmod oom_pressure
