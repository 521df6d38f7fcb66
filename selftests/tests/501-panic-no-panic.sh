# SPDX-License-Identifier: GPL-2.0
#
# OOMs that oom_panic must not panic on, with threshold 1: a memcg OOM
# under scope=global (like vm.panic_on_oom=1), and a SysRq-f OOM under
# any scope.  Each gets the stock kill and the guest goes on.

. /lib.sh

plan 10

memcg_create job 48M || fail "cannot create the memory cgroup"
load_mod oom_panic || fail "modprobe oom_panic"
check "oom_panic is active with scope global, threshold 1" [ \
	"$(cat /sys/kernel/oom_policy/active /sys/module/oom_panic/parameters/scope \
	/sys/module/oom_panic/parameters/threshold | tr '\n' ' ')" = "panic global 1 " ]

outside=$(start_hog outside 16)
# The trigger grows inside job until the cgroup's OOM kills someone:
# jobhog, the larger of the two once job is full.
jobhog=$(start_hog jobhog 28 0 "" job)
trigger_oom trigger 0 job
check "the memcg OOM killed jobhog" wait_for_pid_exit "${jobhog:-0}" 10
check "the task outside the cgroup survived" alive "${outside:-0}"
check "the OOM was the cgroup's" [ "$(memcg_oom_kills job)" = 1 ]
check "oom_panic saw the memcg OOM and did not count it" \
	dmesg_grep "oom_panic: memcg OOM in /job not counted \(scope global\)"
check "the kill was the stock choice, logged under the panic policy" \
	dmesg_grep "oom_policy: panic: chose pid ${jobhog:-0} \(jobhog\)"

# Now every real OOM would panic; SysRq-f must still only kill.
echo all >/sys/module/oom_panic/parameters/scope
sysrqhog=$(start_hog sysrqhog 40)
kills=$(oom_kills)
echo f >/proc/sysrq-trigger
check "SysRq-f killed the largest task, sysrqhog" \
	wait_for_pid_exit "${sysrqhog:-0}" 20
check "SysRq-f made one kill" [ $(($(oom_kills) - kills)) -eq 1 ]
check "oom_panic counted no OOM" sh -c '! dmesg | grep -v "TAP: " | grep -q "oom_panic: .*OOM #"'
check "the task outside the cgroup still lives" alive "${outside:-0}"
