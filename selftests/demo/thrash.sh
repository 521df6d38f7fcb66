# SPDX-License-Identifier: GPL-2.0
#
# The demo's thrash: a guest with swap, a working set half again as large
# as RAM touched in a loop, and an 8 MB editor that should live. First
# the stock kernel for 60 s, then with oom_pressure's defaults (no
# policy: the stock choice). One row each: how long the machine thrashed
# before a kill, who died, and how stalled it was.
#
# With swap there is always something to reclaim, and reclaim drains
# the per-CPU lists: the kernel's default lists, as on any machine.
# sysctl: vm.percpu_pagelist_high_fraction=0
# swap-mb: 600
# swap-mbps: 4
# timeout: 420

. /lib.sh

# full_avg10: the share of time every task waited for memory, last 10 s.
full_avg10()
{
	sed -n 's/^full avg10=\([0-9.]*\).*/\1%/p' /proc/pressure/memory
}

# thrash_row LABEL LIMIT: thrash for at most LIMIT seconds, print the row.
thrash_row()
{
	local kills t0 t1 th died stall

	kills=$(oom_kills)
	t0=$(uptime_ms)
	thrash -n thrash -a 0 -m "$WS" </dev/null >/dev/null 2>&1 &
	th=$!
	if wait_for_pid_exit "$th" "$2"; then
		t1=$(uptime_ms)
		stall=$(full_avg10)
		died=$(last_kill)
		died=${died#* }
		demo_row "thrash|$1|after $(((t1 - t0) / 1000)) s|$died|$(($(oom_kills) - kills))|$stall|$(state "$editor")"
	else
		stall=$(full_avg10)
		kill -9 "$th"
		wait "$th" 2>/dev/null
		demo_row "thrash|$1|none in $2 s|-|$(($(oom_kills) - kills))|$stall|$(state "$editor")"
	fi
	wait "$th" 2>/dev/null
}

state()
{
	if alive "$1"; then
		echo alive
	else
		echo killed
	fi
}

thrash_guest
editor=$(start_hog editor 8)
thrash_row stock 60
# Let the kernel settle, so that the second run starts alike.
sleep 5
modprobe oom_pressure mem_min_pct=0 swap_min_pct=0
thrash_row "oom_pressure (psi '$(cat /sys/module/oom_pressure/parameters/psi)')" 150
rmmod oom_pressure
