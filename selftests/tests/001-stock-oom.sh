# SPDX-License-Identifier: GPL-2.0
#
# The stock OOM killer, none of our modules loaded: with no swap, the
# kernel kills the clearly largest process and nothing else.  This is
# the harness's own proof: hogs, OOM on demand, the console filter that
# accepts the Call Trace of an OOM report, and result parsing.
#
# needs-modules: no

. /lib.sh

plan 8

avail_mb()
{
	echo $(($(sed -n 's/^MemAvailable: *\([0-9]*\).*/\1/p' /proc/meminfo) / 1024))
}

small=$(start_hog small 8)
check "small is ready" alive "${small:-0}"

# Sizes follow what this kernel leaves free.  big takes 60% and then the
# trigger asks for 50%: that cannot fit, so the trigger's allocation
# invokes the OOM killer while the trigger holds at most 40%, clearly
# less than big.  Once big is gone, trigger and small fit easily.
avail=$(avail_mb)
big_mb=$((avail * 60 / 100))
trigger_mb=$((avail * 50 / 100))
diag "MemAvailable $avail MB: big $big_mb MB, trigger $trigger_mb MB, small 8 MB"

big=$(start_hog big "$big_mb")
check "big is ready" alive "${big:-0}"
check "big outranks small in oom_score" \
	[ "$(oom_score "${big:-0}")" -gt "$(oom_score "${small:-0}")" ]

kills=$(oom_kills)
trigger=$(start_hog trigger "$trigger_mb")
check "trigger finished its allocation" alive "${trigger:-0}"
check "big was killed" wait_for_pid_exit "${big:-0}" 10
check "small survived" alive "${small:-0}"
check "exactly one OOM kill" [ $(($(oom_kills) - kills)) -eq 1 ]
check "the kernel logged the kill of big" \
	dmesg_grep "Out of memory: Killed process ${big:-0} \(big\)"
