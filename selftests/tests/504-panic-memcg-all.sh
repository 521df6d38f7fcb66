# SPDX-License-Identifier: GPL-2.0
#
# scope=all (like vm.panic_on_oom=2): a memcg OOM panics.  The message
# names the cgroup, and the task with the highest badness is the cgroup's
# jobhog, not the larger task outside the cgroup: the dump covers the
# tasks the memcg OOM concerns.  The core hooks by kretprobe here, so the
# panic comes from a probe handler.
#
# console: oom_panic: 2 tasks with the highest OOM badness \(memory in pages\):$
# console: oom_panic: \[ *[0-9]+\] +0 +[0-9]+ +[0-9]+ +0 +[0-9]+ +0 +[0-9]+ jobhog$
# console: oom_panic: \[ *[0-9]+\] +0 +[0-9]+ +[0-9]+ +0 +[0-9]+ +0 +[0-9]+ trigger$
# expect: panic oom_panic: memcg OOM in /job #1 within 60 s \(threshold 1\), triggered by pid [0-9]+ \(trigger\), order 0, gfp_mask=0x[0-9a-f]+\([A-Za-z_|]+\), highest badness: pid [0-9]+ \(jobhog\)$

. /lib.sh

plan 4

memcg_create job 48M || fail "cannot create the memory cgroup"
load_mod oom_policy hook=kretprobe || fail "modprobe oom_policy hook=kretprobe"
check "the core hooks oom_badness() by kretprobe" \
	[ "$(cat /sys/kernel/oom_policy/hook)" = kretprobe ]
load_mod oom_panic scope=all || fail "modprobe oom_panic scope=all"
check "oom_panic is active with scope all" \
	[ "$(cat /sys/module/oom_panic/parameters/scope)" = all ]

outside=$(start_hog outside 40)
jobhog=$(start_hog jobhog 28 0 "" job)
check "outside outranks jobhog machine-wide" \
	[ "$(oom_score "${outside:-0}")" -gt "$(oom_score "${jobhog:-0}")" ]
check "jobhog is in job" grep -qx "${jobhog:-0}" /sys/fs/cgroup/job/cgroup.procs

diag "a memcg OOM now panics the guest"
trigger_oom trigger 0 job
fail "the guest is still running after the memcg OOM"
