# SPDX-License-Identifier: GPL-2.0
#
# oom_pressure dry_run=1 under the thrash of 701: the trigger fires, the
# log names the task the stock choice would kill and why, and nothing is
# killed.
#
# swap-mb: 600
# timeout: 200

. /lib.sh

plan 8

echo -1000 >/proc/self/oom_score_adj
P=/sys/kernel/oom_policy/pressure

check "swap on the virtio disk" swap_on
ws=$(($(meminfo_mb MemTotal) * 3 / 2))
check "modprobe oom_pressure dry_run=1 mem_min_pct=0 swap_min_pct=0" \
	load_mod oom_pressure dry_run=1 mem_min_pct=0 swap_min_pct=0
innocent=$(start_hog innocent 8)
kills=$(oom_kills)
thrash -n thrash -a 0 -m "$ws" </dev/null >/dev/console 2>&1 &
th=$!
check "a dry-run decision within 150 s" \
	wait_until 150 [ "$(cat $P/dry_runs)" -ge 1 ]
sleep 2
check "nothing was killed" [ "$(oom_kills)" = "$kills" ]
check "the thrasher lives" alive "$th"
check "the innocent task lives" alive "$innocent"
check "the log names the trigger and the stock victim" \
	dmesg_grep "oom_pressure: dry run: psi full 30% over 10 s \(full avg10 [0-9.]+%\): would kill pid $th \(thrash\), policy none: stock$"
check "kills reads 0" [ "$(cat $P/kills)" = 0 ]
kill -9 "$th"
rmmod oom_pressure
