# SPDX-License-Identifier: GPL-2.0
#
# threshold=2: a SysRq-f OOM does not count, the first real OOM gets the
# stock kill (and the guest goes on), the second one panics.  The window
# is an hour, so no step depends on how fast the emulated guest runs.
# dump_tasks=2 limits the dump to big2 and trigger2 (small and the shell
# are left out).
#
# console: oom_panic: 2 tasks with the highest OOM badness \(memory in pages\):$
# console: oom_panic: \[ *[0-9]+\] +0 +[0-9]+ +[0-9]+ +0 +[0-9]+ +0 +[0-9]+ big2$
# console: oom_panic: \[ *[0-9]+\] +0 +[0-9]+ +[0-9]+ +0 +[0-9]+ +0 +[0-9]+ trigger2$
# expect: panic oom_panic: global OOM #2 within 3600 s \(threshold 2\), triggered by pid [0-9]+ \(trigger2\), order 0, gfp_mask=0x[0-9a-f]+\([A-Za-z_|]+\), highest badness: pid [0-9]+ \(big2\)$

. /lib.sh

plan 9

avail_mb()
{
	echo $(($(sed -n 's/^MemAvailable: *\([0-9]*\).*/\1/p' /proc/meminfo) / 1024))
}

load_mod oom_panic threshold=2 window_s=3600 dump_tasks=2 || fail "modprobe oom_panic"
small=$(start_hog small 8)

# As in 001-stock-oom: big takes 60% of what is free, the trigger then
# asks for 50% and invokes the OOM killer, which kills big.  Measured
# before sysrqhog exists: its memory may not all be back when big starts.
avail=$(avail_mb)
diag "MemAvailable $avail MB"

sysrqhog=$(start_hog sysrqhog 40)
echo f >/proc/sysrq-trigger
check "SysRq-f killed sysrqhog" wait_for_pid_exit "${sysrqhog:-0}" 20

big=$(start_hog big $((avail * 60 / 100)))
trigger=$(start_hog trigger $((avail * 50 / 100)))
check "the first OOM let the trigger finish" alive "${trigger:-0}"
check "the first OOM killed big" wait_for_pid_exit "${big:-0}" 10
check "small survived" alive "${small:-0}"
check "oom_panic counted it as OOM #1 of 2, after the SysRq-f one" \
	dmesg_grep "oom_panic: global OOM #1 within 3600 s \(threshold 2\): the kernel chooses a victim"
check "the kill was the stock choice, logged under the panic policy" \
	dmesg_grep "oom_policy: panic: chose pid ${big:-0} \(big\), .*panic at 2 OOMs \(scope global\) in 3600 s"
check "no OOM was counted twice" \
	[ "$(dmesg | grep -v 'TAP: ' | grep -c 'oom_panic: .*OOM #')" = 1 ]
kill "${trigger:-0}"
check "the trigger is gone" wait_for_pid_exit "${trigger:-0}" 10

big2=$(start_hog big2 $(($(avail_mb) * 60 / 100)))
check "big2 is ready" alive "${big2:-0}"
diag "the second OOM now panics the guest"
trigger_oom trigger2
fail "the guest is still running after the second OOM"
