# SPDX-License-Identifier: GPL-2.0
#
# oom_namelist cgroup: patterns, in a global OOM and in a memcg OOM.
# Two groups share the parent /jobs: /jobs/web holds a large web server,
# /jobs/batch1 and later /jobs/batch2 small batch jobs; an editor runs in
# the root cgroup.  With prefer=cgroup:/jobs/batch* the batch job dies
# first in a global OOM, then again when /jobs, the common parent, hits
# its own memory.max; the larger web server and the editor survive both.
# The pattern is matched against the task's own cgroup (/jobs/batch2)
# even though the memory controller, and the OOM, are /jobs'.  A cgroup
# path longer than 255 characters is never matched, not even by '*'.

. /lib.sh

plan 35

echo -1000 >/proc/self/oom_score_adj

params=/sys/module/oom_namelist/parameters
cg=/sys/fs/cgroup

# oom_report PID CONSTRAINT: the kernel's OOM report says it killed PID
# under CONSTRAINT (CONSTRAINT_NONE for a global OOM, CONSTRAINT_MEMCG,
# with the memcg, for a memory cgroup's).
oom_report()
{
	dmesg_grep "oom-kill:constraint=$2,.*,task=[^,]*,pid=$1," >/dev/null
}

# /jobs has no limit yet; its children get no memory controller of
# their own, so their pages are charged to /jobs.
check "cgroups /jobs, /jobs/web, /jobs/batch1, /jobs/batch2" sh -c \
	"mkdir -p $cg/jobs/web $cg/jobs/batch1 $cg/jobs/batch2"
check "memory controller for /jobs" memcg_create jobs max

check "modprobe oom_namelist prefer=cgroup:/jobs/batch*" \
	load_mod oom_namelist 'prefer=cgroup:/jobs/batch*'

avail=$(avail_mb)
web_mb=$((avail * 55 / 100))
diag "MemAvailable $avail MB: web $web_mb MB in /jobs/web, batch 8 MB in /jobs/batch1, editor 16 MB in /"
web=$(start_hog web "$web_mb" 0 "" jobs/web)
check "web (in /jobs/web) is ready" alive "${web:-0}"
batch=$(start_hog batch 8 0 "" jobs/batch1)
check "batch (in /jobs/batch1) is ready" alive "${batch:-0}"
ed=$(start_hog editor 16)
check "editor (in /) is ready" alive "${ed:-0}"
check "batch's cgroup is /jobs/batch1" grep -qx '0::/jobs/batch1' "/proc/$batch/cgroup"

diag "oom_score: web $(oom_score "$web"), batch $(oom_score "$batch"), editor $(oom_score "$ed")"
check "batch reads oom_score 2000, the top" [ "$(oom_score "$batch")" = 2000 ]
check "web reads a stock oom_score (below 2000)" [ "$(oom_score "$web")" -lt 2000 ]
check "the preview names the pattern for batch" \
	preview_has "$batch" "prefer 'cgroup:/jobs/batch*'"

# What a path pattern covers: the whole path, '*' crossing '/'.
check "cgroup:*/batch1 matches /jobs/batch1" \
	[ "$(score_with prefer 'cgroup:*/batch1' "$batch")" = 2000 ]
check "cgroup:/jobs does not match /jobs/batch1" \
	[ "$(score_with prefer 'cgroup:/jobs' "$batch")" -lt 2000 ]
check "cgroup:/jobs/* matches /jobs/batch1" \
	[ "$(score_with prefer 'cgroup:/jobs/*' "$batch")" = 2000 ]
check "cgroup:/ matches a task of the root cgroup" \
	[ "$(score_with prefer 'cgroup:/' "$ed")" = 2000 ]
check "cgroup:/ does not match /jobs/batch1" \
	[ "$(oom_score "$batch")" -lt 2000 ]

# A cgroup path of more than 255 characters is never matched.
seg=$(printf 'c%.0s' $(seq 70))
mkdir -p "$cg/jobs/$seg/$seg/$seg/$seg"
deep=$(start_hog deep 4 0 "" jobs)
check "deep moves to a cgroup of a 293-character path" \
	sh -c "echo ${deep:-0} >$cg/jobs/$seg/$seg/$seg/$seg/cgroup.procs"
check "deep's cgroup path is longer than 255 characters" \
	[ "$(sed -n 's/^0:://p' "/proc/$deep/cgroup" | wc -c)" -gt 256 ]
check "cgroup:* matches batch's short path" \
	[ "$(score_with prefer 'cgroup:*' "$batch")" = 2000 ]
check "cgroup:* does not match deep's long path" [ "$(oom_score "$deep")" -lt 2000 ]
kill "$deep"
wait_for_pid_exit "$deep" 10

check "prefer=cgroup:/jobs/batch* again" \
	sh -c "echo 'cgroup:/jobs/batch*' >$params/prefer"

# -- Global OOM ---------------------------------------------------------
kills=$(oom_kills)
trigger_oom
check "global OOM: batch was killed" wait_for_pid_exit "$batch" 10
check "global OOM: the larger web and the editor survived" alive_all "$web" "$ed"
check "global OOM: exactly one OOM kill" [ $(($(oom_kills) - kills)) -eq 1 ]
check "global OOM: the kernel reports a global OOM" \
	oom_report "$batch" "CONSTRAINT_NONE"
check "global OOM: the kill log names the pattern" \
	policy_killed namelist "$batch" batch "prefer 'cgroup:/jobs/batch\*'"

# -- Memcg OOM of /jobs, the common parent ------------------------------
batch2=$(start_hog batch 8 0 "" jobs/batch2)
check "a second batch (in /jobs/batch2) is ready" alive "${batch2:-0}"
limit=$(($(cat $cg/jobs/memory.current) + 24 * 1024 * 1024))
check "memory.max of /jobs: 24 MB above its use" \
	sh -c "echo $limit >$cg/jobs/memory.max"
kills=$(oom_kills)
status=0
trigger_oom trigger -500 jobs/web || status=$?
check "memcg OOM: the batch in /jobs/batch2 was killed" \
	wait_for_pid_exit "${batch2:-0}" 10
check "memcg OOM: the larger web survived" alive "$web"
check "memcg OOM: the editor outside /jobs survived" alive "$ed"
check "memcg OOM: the kernel reports a memcg OOM of /jobs" \
	oom_report "$batch2" "CONSTRAINT_MEMCG,.*oom_memcg=/jobs"
check "memcg OOM: exactly one OOM kill" [ $(($(oom_kills) - kills)) -eq 1 ]
check "memcg OOM: the kill log names the pattern" \
	policy_killed namelist "$batch2" batch "prefer 'cgroup:/jobs/batch\*'"
check "the trigger (in /jobs/web, oom_score_adj -500) survived" [ $status -eq 0 ]

check "modprobe -r oom_namelist" unload_mod oom_namelist
