# SPDX-License-Identifier: GPL-2.0
#
# 160 with oom_namelist listing the growers by name: its tasks are
# classified at events, so the redirect's trampoline tests each task's
# bit in the policy's bitmap itself during a scan, and unloading the
# policy must wait for a trampoline that holds it. Nothing breaks (the
# harness fails the test on any kernel splat), every OOM ends in a kill.
#
# qemu-smp: 2
# timeout: 300

. /lib.sh

plan 6

switch_storm namelist oom_namelist prefer=grower
