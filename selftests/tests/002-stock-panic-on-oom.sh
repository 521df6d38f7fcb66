# SPDX-License-Identifier: GPL-2.0
#
# The stock vm.panic_on_oom=1, none of our modules loaded: the first
# global OOM panics the kernel instead of killing a task.  The baseline
# for oom_panic, and the harness's check of "expect: panic" and of the
# "sysctl:" header.
#
# needs-modules: no
# sysctl: vm.panic_on_oom=1
# expect: panic Out of memory: system-wide panic_on_oom is enabled

. /lib.sh

plan 2

check "vm.panic_on_oom is set" [ "$(cat /proc/sys/vm/panic_on_oom)" = 1 ]
small=$(start_hog small 8)
check "small is ready" alive "${small:-0}"
trigger_oom
diag "still running after an OOM with panic_on_oom=1"
