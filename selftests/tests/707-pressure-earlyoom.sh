# SPDX-License-Identifier: GPL-2.0
#
# oom_pressure beside earlyoom (Debian's package, its binary and C
# library copied into the guest), on earlyoom's own rule at the same
# thresholds: MemAvailable and free swap both below 10%.
#
#  1. A minute of idle with both running: oom_pressure's work item never
#     runs (wakeups and checks stay 0); earlyoom's CPU time and wake-ups
#     are reported.
#  2. A working set that grows at 10 MB/s towards more than RAM and swap
#     together, met by earlyoom alone, then by oom_pressure alone
#     (psi=""): the grower dies each time, an innocent task lives.
#     earlyoom's victim gets a signal from user space: SIGTERM below
#     its thresholds, SIGKILL below half of them, and a grower can pass
#     both between two of earlyoom's polls (6.12.117 once did).
#     oom_pressure's is killed by the kernel's OOM killer (the oom_kill
#     counter says so).
#
# The "BENCH:" lines are the table of BENCHMARKS.md.
#
# With swap there is always something to reclaim, and reclaim drains
# the per-CPU lists: the kernel's default lists, as on any machine.
# sysctl: vm.percpu_pagelist_high_fraction=0
# swap-mb: 64
# timeout: 420

. /lib.sh

plan 14

echo -1000 >/proc/self/oom_score_adj
P=/sys/kernel/oom_policy/pressure

# ticks PID: user and system CPU time of PID, in clock ticks (1/100 s).
ticks()
{
	awk '{ print $14 + $15 }' "/proc/$1/stat"
}

# switches PID: how often PID went to sleep and was woken again.
switches()
{
	sed -n 's/^voluntary_ctxt_switches:[[:space:]]*//p' "/proc/$1/status"
}

# grow LABEL: the grower against whatever is running; prints
# "MS KILLS" (ms from its start to its death, kernel OOM kills).
grow()
{
	local g t0 t1 kills

	kills=$(oom_kills)
	t0=$(uptime_ms)
	thrash -n grower -a 0 -g 10 -m "$WS" </dev/null >/dev/null 2>&1 &
	g=$!
	if ! wait_for_pid_exit "$g" 150; then
		kill -9 "$g"
		wait "$g" 2>/dev/null
		echo "none 0"
		return
	fi
	t1=$(uptime_ms)
	wait "$g" 2>/dev/null
	echo "$((t1 - t0)) $(($(oom_kills) - kills))"
}

check "swap on the virtio disk" swap_on
check "earlyoom is in the guest" [ -x /usr/bin/earlyoom ]
WS=$(($(meminfo_mb MemTotal) + $(meminfo_mb SwapTotal) + 32))
diag "MemTotal $(meminfo_mb MemTotal) MB, SwapTotal $(meminfo_mb SwapTotal) MB: growing to $WS MB"
innocent=$(start_hog innocent 8)

earlyoom -m 10 -s 10 -r 0 >/tmp/earlyoom.log 2>&1 &
eo=$!
check "modprobe oom_pressure (defaults: psi and the 10/10 rule)" \
	load_mod oom_pressure
sleep 2
w0=$(cat $P/wakeups) c0=$(cat $P/checks) t0=$(ticks "$eo") s0=$(switches "$eo")
sleep 60
w1=$(cat $P/wakeups) c1=$(cat $P/checks) t1=$(ticks "$eo") s1=$(switches "$eo")
diag "BENCH: idle 60 s: oom_pressure work runs $((w1 - w0)), availability checks $((c1 - c0)); earlyoom CPU $(((t1 - t0) * 10)) ms, wake-ups $((s1 - s0))"
check "idle: oom_pressure's work never ran" [ "$((w1 - w0))" = 0 ]
check "idle: oom_pressure checked nothing" [ "$((c1 - c0))" = 0 ]
check "rmmod oom_pressure" rmmod oom_pressure

set -- $(grow earlyoom)
diag "BENCH: grower, earlyoom -m 10 -s 10: killed after $1 ms, kernel OOM kills $2"
check "earlyoom: the grower died" [ "$1" != none ]
check "earlyoom: the innocent task lives" alive "$innocent"
kill "$eo"
wait "$eo" 2>/dev/null
diag "$(grep -m 1 "to process" /tmp/earlyoom.log)"
check "earlyoom: it signalled the grower" \
	grep -Eq 'SIG(TERM|KILL) to process [0-9]+ .*"grower"' /tmp/earlyoom.log

check "modprobe oom_pressure psi=" load_mod oom_pressure psi=
set -- $(grow oom_pressure)
diag "BENCH: grower, oom_pressure psi= mem_min_pct=10 swap_min_pct=10: killed after $1 ms, kernel OOM kills $2"
diag "$(dmesg_grep 'oom_pressure: MemAvailable')"
check "oom_pressure: the grower was its victim" \
	dmesg_grep "oom_pressure: MemAvailable [0-9]+% swap [0-9]+%, by SysRq-f: killed pid [0-9]+ \(grower\)"
check "oom_pressure: by the kernel's OOM killer, once" [ "$2" = 1 ]
check "oom_pressure: the innocent task lives" alive "$innocent"
check "rmmod oom_pressure" rmmod oom_pressure
