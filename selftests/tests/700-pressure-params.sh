# SPDX-License-Identifier: GPL-2.0
#
# oom_pressure without memory pressure: modprobe pulls in the core, the
# module loads with no policy and next to each policy, arms, and then
# does nothing at all while memory is plentiful (no availability check,
# no action). Bad values are refused at load time (EINVAL, one line
# naming the parameter, the module stays out) and at run time (EINVAL,
# the old value stays). kernel.sysrq is left alone. Finally, why the
# module does not mount cgroup2 itself: any mount of it re-applies its
# options to the whole hierarchy.
#
# sysctl: kernel.sysrq=438

. /lib.sh

plan 39

P=/sys/kernel/oom_policy/pressure
M=/sys/module/oom_pressure/parameters

check "modprobe oom_pressure" load_mod oom_pressure
check "the core came with it" loaded oom_policy
check "the core holds it" [ -e /sys/module/oom_policy/holders/oom_pressure ]
check "no policy is active" [ "$(cat /sys/kernel/oom_policy/active)" = none ]
check "it is armed" [ "$(cat $P/state)" = armed ]
check "psi reads its default" [ "$(cat $M/psi)" = "full 3000000 10000000" ]
check "mem_min_pct reads 10" [ "$(cat $M/mem_min_pct)" = 10 ]
check "swap_min_pct reads 10" [ "$(cat $M/swap_min_pct)" = 10 ]
check "cooldown_s reads 10" [ "$(cat $M/cooldown_s)" = 10 ]
check "dry_run reads N" [ "$(cat $M/dry_run)" = N ]
check "the load is logged" dmesg_grep "oom_pressure: armed: psi 'full 3000000 10000000', mem_min_pct 10, swap_min_pct 10, cooldown_s 10$"

sleep 5
check "idle for 5 s: no availability check ran" [ "$(cat $P/checks)" = 0 ]
check "idle for 5 s: its work never ran" [ "$(cat $P/wakeups)" = 0 ]
check "its kprobe on __handle_sysrq is armed" \
	grep -q ' __handle_sysrq+0x' /sys/kernel/debug/kprobes/list
check "idle for 5 s: no action" \
	[ "$(cat $P/psi_fired)$(cat $P/mem_fired)$(cat $P/kills)$(cat $P/dry_runs)" = 0000 ]
check "last_trigger reads none" [ "$(cat $P/last_trigger)" = none ]

# Run time: refused, and the old value stays.
rt_rejected()
{
	local before

	before=$(cat "$M/$1")
	dmesg -c >/dev/null
	if sh -c 'printf "%s\n" "$1" >"$2"' sh "$2" "$M/$1" 2>/dev/null; then
		diag "$1='$2' was accepted"
		return 1
	fi
	[ "$(cat "$M/$1")" = "$before" ] && dmesg_grep "oom_pressure: $1: '" >/dev/null
}
for bad in "full" "full 100 100" "full 0 1000000" "full 2000000 1000000" \
	   "cpu 100000 1000000" "full 100000 20000000" "full -1 1000000" \
	   "full 100000 1000000 x" "full 1e5 1000000"; do
	check "psi '$bad' is refused at run time, the old value stays" rt_rejected psi "$bad"
done
check "mem_min_pct 101 is refused" rt_rejected mem_min_pct 101
check "swap_min_pct -1 is refused" rt_rejected swap_min_pct -1
check "cooldown_s 3601 is refused" rt_rejected cooldown_s 3601
check "dry_run maybe is refused" rt_rejected dry_run maybe

# A good value is stored at once and armed by the module's work item,
# which logs what it armed.
rearmed()
{
	dmesg_grep "oom_pressure: armed: psi '$1', mem_min_pct 10, swap_min_pct 10, cooldown_s 10$" >/dev/null
}
accepted()
{
	dmesg -c >/dev/null
	echo "$1" >$M/psi && [ "$(cat $M/psi)" = "$2" ] &&
		wait_until 10 rearmed "${2:-off}" && [ "$(cat $P/state)" = armed ]
}
check "psi 'some 150000 1000000' is accepted and re-armed" \
	accepted 'some  150000 1000000' 'some 150000 1000000'
check "psi '' turns the trigger off" accepted '' ''
check "rmmod oom_pressure" rmmod oom_pressure

# Load time: refused with one line naming the parameter, the same line
# for each attempt: busybox's modprobe and insmod try init_module()
# again when finit_module() fails.
load_refused()
{
	dmesg -c >/dev/null
	if load_mod oom_pressure "$1" 2>/tmp/modprobe.err; then
		rmmod oom_pressure
		return 1
	fi
	grep -qiE 'invalid (argument|param)' /tmp/modprobe.err || {
		diag "modprobe said: $(cat /tmp/modprobe.err)"
		return 1
	}
	! loaded oom_pressure &&
		[ "$(dmesg_grep "oom_pressure: ${1%%=*}: '" | sed 's/^\[[^]]*\] //' | sort -u | wc -l)" = 1 ]
}
check "psi=full at load: EINVAL, one line per attempt" load_refused "psi=full"
check "mem_min_pct=200 at load: EINVAL, one line per attempt" load_refused "mem_min_pct=200"
check "cooldown_s=x at load: EINVAL, one line per attempt" load_refused "cooldown_s=x"

# With each policy: the policy stays active, oom_pressure only watches.
ok=1
for pol in classic namelist panic forkblame; do
	load_mod "oom_$pol" && load_mod oom_pressure dry_run=1 &&
		[ "$(cat /sys/kernel/oom_policy/active)" = "$pol" ] &&
		[ "$(cat $P/state)" = armed ] && rmmod oom_pressure &&
		rmmod "oom_$pol" || { ok=; diag "with oom_$pol: failed"; }
done
check "loads and unloads next to each policy" [ -n "$ok" ]
check "kernel.sysrq is still 438" [ "$(cat /proc/sys/kernel/sysrq)" = 438 ]
check "no kprobe left on __handle_sysrq" \
	sh -c "! grep -q __handle_sysrq /sys/kernel/debug/kprobes/list"

# Any cgroup2 mount applies its options to the one hierarchy.
mount -o remount,nsdelegate /sys/fs/cgroup
before=$(grep ' /sys/fs/cgroup ' /proc/mounts)
mkdir -p /mnt/cg && mount -t cgroup2 none /mnt/cg
after=$(grep ' /sys/fs/cgroup ' /proc/mounts)
umount /mnt/cg
diag "before a second mount: $before; after: $after"
check "a plain cgroup2 mount drops nsdelegate from the system's mount" \
	sh -c "echo '$before' | grep -q nsdelegate && ! echo '$after' | grep -q nsdelegate"
