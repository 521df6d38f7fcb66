# SPDX-License-Identifier: GPL-2.0
#
# The demo's panic run: oom_panic turns the first OOM into a kernel
# panic that names the trigger and the largest task.

. /lib.sh

modprobe oom_panic dump_tasks=3
AVAIL=$(($(sed -n 's/^MemAvailable: *\([0-9]*\).*/\1/p' /proc/meminfo) / 1024))
start_hog postgres $((AVAIL * 60 / 100)) >/dev/null
trigger_oom backup 0
