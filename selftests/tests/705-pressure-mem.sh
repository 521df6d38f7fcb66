# SPDX-License-Identifier: GPL-2.0
#
# earlyoom's rule alone (psi=""): a working set that grows at 10 MB/s
# towards more than RAM and swap together. Once MemAvailable and free
# swap are both below 10%, checked only while the kernel reports memory
# stalls, the module has the kernel kill the grower, before the kernel
# itself runs out of memory. Exactly one task dies. With kernel.sysrq=0
# handle_sysrq() does nothing at all, so the module's last resort asks:
# a usermode helper that writes /proc/sysrq-trigger (this pressure is
# light enough for it to start in time).
#
# With swap there is always something to reclaim, and reclaim drains
# the per-CPU lists: the kernel's default lists, as on any machine.
# sysctl: vm.percpu_pagelist_high_fraction=0
# swap-mb: 64
# timeout: 420
# sysctl: kernel.sysrq=0

. /lib.sh

plan 10

echo -1000 >/proc/self/oom_score_adj
P=/sys/kernel/oom_policy/pressure

check "swap on the virtio disk" swap_on
total=$(meminfo_mb MemTotal)
ws=$((total + $(meminfo_mb SwapTotal) + 32))
diag "MemTotal $total MB, SwapTotal $(meminfo_mb SwapTotal) MB: growing to $ws MB"
check "modprobe oom_pressure psi=" load_mod oom_pressure psi=
innocent=$(start_hog innocent 8)
kills=$(oom_kills)
thrash -n grower -a 0 -g 10 -m "$ws" </dev/null >/dev/console 2>&1 &
g=$!
check "the grower was killed" wait_for_pid_exit "$g" 150
sleep 2
check "exactly one OOM kill" [ $(($(oom_kills) - kills)) -eq 1 ]
check "the innocent task lives" alive "$innocent"
check "mem_fired reads 1" [ "$(cat $P/mem_fired)" = 1 ]
check "availability checks ran" [ "$(cat $P/checks)" -gt 0 ]
check "the log names both numbers and the victim" \
	dmesg_grep "oom_pressure: MemAvailable [0-9]% swap [0-9]%, by /proc/sysrq-trigger: killed pid $g \(grower\), policy none$"
diag "$(dmesg_grep 'oom_pressure: Mem')"
check "the kill was the module's request (SysRq-f), not the kernel's own OOM" \
	dmesg_grep "sysrq: Manual OOM execution"
check "rmmod oom_pressure" rmmod oom_pressure
