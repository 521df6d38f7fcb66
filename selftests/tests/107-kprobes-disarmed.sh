# SPDX-License-Identifier: GPL-2.0
#
# With every kprobe disarmed (/sys/kernel/debug/kprobes/enabled = 0) the
# core's out_of_memory() kretprobe does not fire: the core cannot tell
# an OOM has begun, and the policies (oom_panic's count among them) miss
# it. That must not pass silently: the victim, which the kernel still
# reports through the mark_victim tracepoint, is counted in missed and
# the core warns once; with the probes armed again, OOMs are seen again.

. /lib.sh

echo -1000 >/proc/$$/oom_score_adj

plan 11

enabled=/sys/kernel/debug/kprobes/enabled

check "modprobe oom_classic" load_mod oom_classic
check "missed reads 0" [ "$(cat /sys/kernel/oom_policy/missed)" = 0 ]
check "disarm every kprobe" sh -c "echo 0 >$enabled"
check "kprobes read disarmed" [ "$(cat $enabled)" = 0 ]

victim=$(start_hog victim 24)
trigger_oom trigger -999
check "the victim was killed" wait_for_pid_exit "${victim:-0}" 10
check "the core did not see the OOM: oom_events reads 0" \
	[ "$(cat /sys/kernel/oom_policy/oom_events)" = 0 ]
check "missed counts it" [ "$(cat /sys/kernel/oom_policy/missed)" = 1 ]
check "the core warns, naming the victim and the cause" \
	dmesg_grep "oom_policy: the kernel killed pid ${victim:-0} \(victim\) in an OOM the core did not see: is the out_of_memory\(\) kprobe disarmed"

check "arm the kprobes again" sh -c "echo 1 >$enabled"
victim=$(start_hog victim 24)
trigger_oom trigger -999
check "the next OOM is seen: oom_events reads 1" \
	[ "$(cat /sys/kernel/oom_policy/oom_events)" = 1 ]
check "and the kill log names the policy" \
	dmesg_grep "oom_policy: classic: chose pid ${victim:-0} \(victim\)"
