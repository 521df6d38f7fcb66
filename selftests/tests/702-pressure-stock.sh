# SPDX-License-Identifier: GPL-2.0
#
# The problem oom_pressure answers, measured: the thrash of 701 (a
# working set half again as large as RAM, swap to spare) without
# oom_pressure. The kernel's own OOM killer kills nothing within 60 s:
# reclaim keeps "succeeding" as long as swap has room.
#
# With swap there is always something to reclaim, and reclaim drains
# the per-CPU lists: the kernel's default lists, as on any machine.
# sysctl: vm.percpu_pagelist_high_fraction=0
# swap-mb: 600
# swap-mbps: 4
# timeout: 420

. /lib.sh

plan 5


thrash_guest
innocent=$(start_ticker innocent /tmp/innocent)
kills=$(oom_kills)
thrash -n thrash -a 0 -m "$WS" </dev/null >/dev/console 2>&1 &
th=$!
sleep 20
diag "after 20 s: $(grep -E '^(pswpin|pswpout) ' /proc/vmstat | tr '\n' ' ')$(head -2 /proc/pressure/memory | tr '\n' ' ')"
if wait_for_pid_exit "$th" 40; then
	diag "the kernel killed the thrasher within 60 s"
	fail "the kernel's OOM killer waits while the machine thrashes"
else
	diag "after 60 s: $(head -2 /proc/pressure/memory | tr '\n' ' ')"
	diag "BENCH: the innocent task in 60 s of thrash: $(cat /tmp/innocent)"
	diag "BENCH: after 60 s: MemAvailable $(meminfo_mb MemAvailable) MB of $(meminfo_mb MemTotal), SwapFree $(meminfo_mb SwapFree) MB of $(meminfo_mb SwapTotal)"
	pass "the kernel's OOM killer waits while the machine thrashes (60 s, no kill)"
fi
check "no OOM kill in 60 s" [ "$(oom_kills)" = "$kills" ]
check "the machine was stalled on memory (full avg60 above 10%)" \
	awk '/^full/ { split($3, a, "="); exit !(a[2] > 10) }' /proc/pressure/memory
check "the innocent task lives" alive "$innocent"
kill -9 "$th"
