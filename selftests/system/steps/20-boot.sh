# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# The reboot after the install: the configured policy is loaded at boot;
# then a crisis among systemd services.
# timeout: 900
# kernel: 6.1
# shellcheck source=selftests/system/guest/lib.sh
. ./lib.sh

check_kernel
check_loaded
crisis
exit "$STEP_FAILED"
