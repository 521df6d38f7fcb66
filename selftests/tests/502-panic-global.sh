# SPDX-License-Identifier: GPL-2.0
#
# oom_panic with its defaults: the first global OOM panics the guest
# instead of killing anyone.  The panic message names the policy, the
# kind of OOM, the allocating task and the order, and the task with the
# highest badness (the hog); the task dump before it lists the hog first.
# Booted with panic=-1, the guest reboots at once and the VM exits.
#
# Self-contained: a demo can boot this file as it is.
#
# console: oom_panic: [0-9]+ tasks with the highest OOM badness \(memory in pages\):$
# console: oom_panic: \[ *[0-9]+\] +0 +[0-9]+ +[0-9]+ +0 +[0-9]+ +0 +[0-9]+ bighog$
# console: oom_panic: \[ *[0-9]+\] +0 +[0-9]+ +[0-9]+ +0 +[0-9]+ +0 +[0-9]+ trigger$
# expect: panic oom_panic: global OOM #1 within 60 s \(threshold 1\), triggered by pid [0-9]+ \(trigger\), order 0, gfp_mask=0x[0-9a-f]+\([A-Za-z_|]+\), highest badness: pid [0-9]+ \(bighog\)$

. /lib.sh

plan 3

load_mod oom_panic || fail "modprobe oom_panic"
check "oom_panic is the active policy" \
	[ "$(cat /sys/kernel/oom_policy/active)" = panic ]

avail=$(($(sed -n 's/^MemAvailable: *\([0-9]*\).*/\1/p' /proc/meminfo) / 1024))
small=$(start_hog small 8)
bighog=$(start_hog bighog $((avail * 60 / 100)))
check "bighog holds 60% of the available memory" alive "${bighog:-0}"
check "bighog has the highest oom_score" \
	[ "$(oom_score "${bighog:-0}")" -gt "$(oom_score "${small:-0}")" ]

diag "an OOM now panics the guest"
trigger_oom trigger
fail "the guest is still running after the OOM"
