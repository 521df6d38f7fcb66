# SPDX-License-Identifier: GPL-2.0
#
# oom_pressure dry_run=1 under the thrash of 701: the trigger fires, the
# log names the task the stock choice would kill and why, and nothing is
# killed: the thrasher ends by itself after 40 s, with status 0.
#
# With swap there is always something to reclaim, and reclaim drains
# the per-CPU lists: the kernel's default lists, as on any machine.
# sysctl: vm.percpu_pagelist_high_fraction=0
# swap-mb: 600
# swap-mbps: 4
# timeout: 420

. /lib.sh

plan 8

P=/sys/kernel/oom_policy/pressure

thrash_guest
check "modprobe oom_pressure dry_run=1 mem_min_pct=0 swap_min_pct=0" \
	load_mod oom_pressure dry_run=1 mem_min_pct=0 swap_min_pct=0
innocent=$(start_hog innocent 8)
kills=$(oom_kills)
thrash -n thrash -a 0 -t 40 -m "$WS" </dev/null >/dev/console 2>&1 &
th=$!
rc=0
wait "$th" || rc=$?
check "the thrasher ended by itself (status $rc)" [ "$rc" = 0 ]
check "a dry-run decision was made" [ "$(cat $P/dry_runs)" -ge 1 ]
check "nothing was killed" [ "$(oom_kills)" = "$kills" ]
check "the innocent task lives" alive "$innocent"
check "the log names the trigger and the stock victim" \
	dmesg_grep "oom_pressure: dry run: psi full 30% over 10 s \(full avg10 [0-9.]+%\): would kill pid $th \(thrash\), policy none: stock$"
check "kills reads 0" [ "$(cat $P/kills)" = 0 ]
rmmod oom_pressure
