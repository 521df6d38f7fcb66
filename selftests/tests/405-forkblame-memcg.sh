# SPDX-License-Identifier: GPL-2.0
#
# oom_forkblame counts and applies blame per OOM domain: a child victim
# of a memcg's OOM counts against its parent only in OOMs of that memcg.
#
# A shim outside any limit (a container runtime's, a CI runner) holds
# 24 MB and starts three children in the 32 MB cgroup tenant, each of
# which grows until tenant's OOM kills it.  With threshold=2 the shim
# reaches the threshold in tenant, but tenant's OOMs never see it, and
# the next global OOM must not kill it either: the tenant's crash loop
# is not the host's.  Then a spawner inside the 32 MB cgroup box, whose
# children die there too, is blamed in box and killed by box's next OOM,
# as 401 shows for global OOMs.
#
# timeout: 300

. /lib.sh

plan 24

echo -1000 >/proc/self/oom_score_adj

check "modprobe oom_forkblame threshold=2 window_s=600" \
	load_mod oom_forkblame threshold=2 window_s=600
check "memcg tenant with memory.max 32M, no swap" memcg_create tenant 32M
check "memcg box with memory.max 32M, no swap" memcg_create box 32M

# -- A parent outside the memcg is not blamed for global OOMs -------------

run_spawner /tmp/shim.log -n shim -c 4 -k 3 -m 24 -g tenant -w
shim=$!
check "the shim's 3 children were OOM-killed" \
	wait_until 120 at_least_killed /tmp/shim.log 3
diag "shim: $(tr '\n' ';' </tmp/shim.log)"
check "all 3 were tenant's memcg OOM kills" \
	[ "$(memcg_oom_kills tenant)" = 3 ]
check "the shim is alive and idle" alive "$shim"
check "3 child victims recorded" [ "$(forkblame_counter child_victims)" = 3 ]
check "the shim reached the threshold in tenant" \
	[ "$(forkblame_counter blames)" = 1 ]
check "it is blamed there: blamed reads 1" [ "$(forkblame_counter blamed)" = 1 ]
check "the preview (a global OOM's view) shows the shim as not blamed" \
	preview_ends "$shim" "not blamed"
check "the shim's oom_score is in the stock range" \
	[ "$(oom_score "$shim")" -lt 2000 ]

avail=$(avail_mb)
big_mb=$((avail * 50 / 100))
diag "MemAvailable $avail MB: big $big_mb MB, shim 24 MB"
big=$(start_hog big "$big_mb")
check "big is ready" alive "${big:-0}"

kills=$(oom_kills)
trigger_oom || diag "the trigger was the victim"
check "global OOM: exactly one OOM kill" [ $(($(oom_kills) - kills)) -eq 1 ]
check "global OOM: the shim survived" alive "$shim"
check "global OOM: the kill log does not name the shim" \
	sh -c "! dmesg | grep -v 'TAP: ' | grep -q 'forkblame: chose pid $shim '"
check "global OOM: no blamed parent was killed" \
	[ "$(forkblame_counter parent_kills)" = 0 ]
kill -KILL "$shim" "${big:-0}" 2>/dev/null
wait "$shim"

# -- A parent inside the memcg is blamed there ----------------------------

sh -c 'echo $$ >/sys/fs/cgroup/box/cgroup.procs &&
	echo 0 >/proc/self/oom_score_adj && exec spawner "$@"' \
	spawner -n boxed -c 4 -m 4 </dev/null >/tmp/boxed.log 2>&1 &
boxed=$!
status=0
wait "$boxed" || status=$?
diag "boxed: $(tr '\n' ';' </tmp/boxed.log)"
check "box: the spawner was killed by SIGKILL (status $status)" \
	[ "$status" = 137 ]
check "box: exactly 2 children were killed before it" \
	[ "$(killed_children /tmp/boxed.log)" = 2 ]
check "box: it started 3 children and no more" \
	[ "$(grep -c started /tmp/boxed.log)" = 3 ]
check "box: the kill log gives the reason" \
	policy_killed forkblame "$boxed" boxed "2 children OOM-killed in (under 1|[0-9]+) s"
check "box: one blamed parent killed" [ "$(forkblame_counter parent_kills)" = 1 ]
check "box: the orphaned third child died in box too" \
	wait_until 60 [ -z "$(cat /sys/fs/cgroup/box/cgroup.procs)" ]
check "box: all of it in box's memcg OOMs" [ "$(memcg_oom_kills box)" -ge 3 ]
check "2 blames in all: the shim in tenant, the spawner in box" \
	[ "$(forkblame_counter blames)" = 2 ]
