# SPDX-License-Identifier: GPL-2.0
#
# Switching and unloading the active policy while OOMs keep happening:
# nothing breaks (the harness fails the test on any kernel splat), every
# OOM ends in a kill, and the kernel is back to stock afterwards.
#
# qemu-smp: 2
# timeout: 300

. /lib.sh

plan 6

switch_storm classic oom_classic mode=legacy
