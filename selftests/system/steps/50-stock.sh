# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# The boot after the purge: a stock machine, without errors.
# timeout: 600
# kernel: 6.12
# shellcheck source=selftests/system/guest/lib.sh
. ./lib.sh

check_kernel
expect "no module of ours is loaded" "$(grep -o '^oom_[a-z]*' /proc/modules | paste -sd ' ')" ""
check "no /sys/kernel/oom_policy" test ! -e /sys/kernel/oom_policy
expect "the kernel is not tainted" "$(cat /proc/sys/kernel/tainted)" 0
check "systemd-modules-load.service succeeded" \
	systemctl is-active systemd-modules-load.service
expect "no failed unit" "$(systemctl --failed --no-legend --plain | awk '{ print $1 }' | paste -sd ' ')" ""
journalctl -b -p err --no-pager -q >"$OUT" 2>&1
diag_file "$OUT"
expect "no error in this boot's journal (journalctl -p err)" "$(wc -l <"$OUT")" 0
expect "journalctl -k has no line of ours" "$(journalctl -k -b --no-pager | grep -c oom_policy)" 0
exit "$STEP_FAILED"
