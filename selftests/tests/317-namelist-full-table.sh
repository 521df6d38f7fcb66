# SPDX-License-Identifier: GPL-2.0
#
# oom_namelist's table of listed processes holds 2048.  With more listed
# processes than that, the table cannot say who is listed, and every
# task is matched at every OOM until the next reclassification: a
# listed task started after the table filled up is still preferred, and
# dies before a much larger unlisted database.  Once the listed
# processes are gone and the list is written again, the table tracks
# tasks again, and a new listed task is found through it.
#
# 2100 sleeping children of one spawner, forked without exec, cost the
# kernel about 60 kB each (stack, task, page tables).
#
# qemu-mem: 512
# timeout: 420

. /lib.sh

plan 20

echo -1000 >/proc/self/oom_score_adj

params=/sys/module/oom_namelist/parameters
nl=/sys/kernel/oom_policy/namelist
sleepers=2100

check "modprobe oom_namelist prefer=sleeper*,batch*" \
	load_mod oom_namelist 'prefer=sleeper*,batch*'
check "the table is empty, it never overflowed" \
	[ "$(cat $nl/tracked) $(cat $nl/overflows)" = "0 0" ]

run_spawner /tmp/sleepers.log -n sleeper -c 0 -s -p $sleepers -k $sleepers -w
sp=$!
# The pids of the sleepers (busybox has no pgrep).
sleeper_pids()
{
	grep -lx sleeper-child /proc/[0-9]*/comm 2>/dev/null |
		sed 's|^/proc/\([0-9]*\)/comm$|\1|'
}
count_sleepers()
{
	sleeper_pids | wc -l
}
sleepers_are()
{
	[ "$(count_sleepers)" "$1" "$2" ]
}
check "$sleepers listed sleepers are running" \
	wait_until 200 sleepers_are -ge $sleepers
diag "$(count_sleepers) sleepers, $(grep -c started /tmp/sleepers.log) started, $(tail -n 2 /tmp/sleepers.log | tr '\n' ';') tracked $(cat $nl/tracked), overflows $(cat $nl/overflows)"
check "the table is full: it holds 2048" [ "$(cat $nl/tracked)" = 2048 ]
check "overflows counts it" [ "$(cat $nl/overflows)" -ge 1 ]

avail=$(avail_mb)
db_mb=$((avail * 55 / 100))
diag "MemAvailable $avail MB: database $db_mb MB, batch 8 MB"
db=$(start_hog database "$db_mb")
check "database (unlisted) is ready" alive "${db:-0}"
batch=$(start_hog batch 8)
check "batch (listed, started after the table filled up) is ready" alive "${batch:-0}"
check "batch reads oom_score 2000: matched without the table" \
	[ "$(oom_score "$batch")" = 2000 ]
check "database reads a stock oom_score" [ "$(oom_score "$db")" -lt 2000 ]

kills=$(oom_kills)
trigger_oom
check "OOM 1: batch was killed" wait_for_pid_exit "$batch" 30
check "OOM 1: the database survived" alive "$db"
check "OOM 1: exactly one OOM kill" [ $(($(oom_kills) - kills)) -eq 1 ]

kill -KILL "$sp"
# shellcheck disable=SC2046 # one word per pid
kill -KILL $(sleeper_pids) 2>/dev/null
check "the sleepers are gone" wait_until 120 sleepers_are -eq 0
check "prefer written again" sh -c "echo 'sleeper*,batch*' >$params/prefer"
check "the table tracks again: it holds no process" [ "$(cat $nl/tracked)" = 0 ]

batch=$(start_hog batch 8)
check "a new batch is in the table" [ "$(cat $nl/tracked)" = 1 ]
check "it reads oom_score 2000" [ "$(oom_score "$batch")" = 2000 ]
kills=$(oom_kills)
trigger_oom
check "OOM 2: batch was killed" wait_for_pid_exit "$batch" 30
check "OOM 2: the database survived" alive "$db"
check "OOM 2: exactly one OOM kill" [ $(($(oom_kills) - kills)) -eq 1 ]
