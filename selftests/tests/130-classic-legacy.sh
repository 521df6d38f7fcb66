# SPDX-License-Identifier: GPL-2.0
#
# mode=legacy and mode=modern choose different victims: the 2.6 badness
# divides a root process's score by 16 (CAP_SYS_ADMIN, CAP_SYS_RAWIO),
# the modern heuristic does not. Root's larger process dies under modern,
# the smaller unprivileged one under legacy.

. /lib.sh

# The 2.6 heuristic adds half of each child's size to its parent, so this
# shell, parent of the hogs, would be a candidate: keep it out.
echo -1000 >/proc/$$/oom_score_adj
# Hogs that drop to uid 1000 write their ready file here too.
chmod 1777 /tmp

plan 11

avail()
{
	echo $(($(sed -n 's/^MemAvailable: *\([0-9]*\).*/\1/p' /proc/meminfo) / 1024))
}

load_mod oom_classic mode=legacy || fail "modprobe oom_classic mode=legacy"
check "mode reads legacy" \
	[ "$(cat /sys/module/oom_classic/parameters/mode)" = legacy ]

a=$(avail)
root_mb=$((a * 35 / 100))
user_mb=$((a * 25 / 100))
diag "MemAvailable $a MB: rootdb $root_mb MB, userjob $user_mb MB"

rootdb=$(start_hog rootdb "$root_mb")
userjob=$(start_hog userjob "$user_mb" 0 1000)
# The trigger is never the victim: oom_score_adj -999 puts it last under
# both heuristics (legacy shifts its score right by 16).
trigger_oom trigger -999
check "legacy: the unprivileged userjob was killed" \
	wait_for_pid_exit "${userjob:-0}" 10
check "legacy: root's larger rootdb survived" alive "${rootdb:-0}"
check "legacy: the kill log names the policy and the mode" \
	dmesg_grep "oom_policy: classic: chose pid ${userjob:-0} \(userjob\),.*: legacy heuristic"

echo modern >/sys/module/oom_classic/parameters/mode
check "mode reads modern" \
	[ "$(cat /sys/module/oom_classic/parameters/mode)" = modern ]
userjob=$(start_hog userjob "$user_mb" 0 1000)
trigger_oom trigger -999
check "modern: root's larger rootdb was killed" \
	wait_for_pid_exit "${rootdb:-0}" 10
check "modern: the unprivileged userjob survived" alive "${userjob:-0}"
check "modern: the kill log names the mode" \
	dmesg_grep "oom_policy: classic: chose pid ${rootdb:-0} \(rootdb\),.*: modern heuristic"

check "classic counted two victims" \
	grep -qx "classic 2" /sys/kernel/oom_policy/victims
check "two OOM kills happened" [ "$(oom_kills)" -eq 2 ]
check "no hook call was missed" [ "$(cat /sys/kernel/oom_policy/missed)" = 0 ]
