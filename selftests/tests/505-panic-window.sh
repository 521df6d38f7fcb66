# SPDX-License-Identifier: GPL-2.0
#
# What counts, and for how long.  Several tasks filling one cgroup at
# once on two CPUs make the kernel re-enter the OOM killer while the last
# victim is still exiting; it then waits for that victim and kills no one,
# and oom_panic must not count those calls.  Then the window: with
# window_s=1, OOMs more than a second apart are each the first of their
# window and threshold=2 is never reached; widening the window at run
# time brings the earlier OOMs back into it, and the next OOM panics.
#
# qemu-smp: 2
# timeout: 240
# append: log_buf_len=1M
# expect: panic oom_panic: memcg OOM in /job #2 within 3600 s \(threshold 2\), triggered by pid [0-9]+ \(last\), order 0, gfp_mask=0x[0-9a-f]+\([A-Za-z_|]+\), highest badness: pid [0-9]+ \(last\)$

. /lib.sh

plan 7

P=/sys/module/oom_panic/parameters

# counted: the OOMs oom_panic has counted so far, one log line each.
counted()
{
	dmesg | grep -v 'TAP: ' | grep -c 'oom_panic: memcg OOM in /job #'
}

memcg_create job 96M || fail "cannot create the memory cgroup"
load_mod oom_panic threshold=1000 window_s=3600 scope=all ||
	fail "modprobe oom_panic"

for _ in 1 2 3; do
	for i in 1 2 3 4; do
		hog -n "grower$i" -c job -g </dev/null >/dev/null 2>&1 &
	done
	wait
done
kills=$(memcg_oom_kills job)
n=$(counted)
diag "$kills OOM kills in job, $n OOMs counted"
check "the growers were OOM-killed" [ "$kills" -ge 4 ]
check "no OOM was counted without a kill" [ "$n" -ge 1 -a "$n" -le "$kills" ]
numbers=$(dmesg | sed -n 's/.*oom_panic: memcg OOM in \/job #\([0-9]*\) within 3600 s (threshold 1000).*/\1/p' |
	tr '\n' ' ')
check "they are numbered 1 to $n" [ "$numbers" = "$(seq -s ' ' 1 "$n") " ]

# Every OOM is now the only one in its one-second window.
echo 1 >$P/window_s
sleep 2
echo 2 >$P/threshold
trigger_oom first 0 job
sleep 2
trigger_oom second 0 job
check "two OOMs more than window_s apart did not panic" \
	[ "$(dmesg | grep -c 'oom_panic: memcg OOM in /job #1 within 1 s (threshold 2)')" = 2 ]
check "each got the stock kill" [ "$(memcg_oom_kills job)" = $((kills + 2)) ]

# Within an hour, the last OOM and the next one make two.
echo 3600 >$P/window_s
check "window_s is 3600 again" [ "$(cat $P/window_s)" = 3600 ]
check "threshold is 2" [ "$(cat $P/threshold)" = 2 ]
diag "the next OOM in job panics the guest"
trigger_oom last 0 job
fail "the guest is still running after the OOM"
