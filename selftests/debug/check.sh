#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# "make check-debug": the whole test suite, then the full OOM storm of
# "make stress", on the debug kernel (selftests/debug/build-kernel.sh:
# lockdep, the atomic-sleep check, KASAN, kmemleak; built once and
# cached).  Any report of these fails the test it happens in, and after
# every test all modules are unloaded and kmemleak scans twice.  The
# suite's logs are kept in build/check-debug, the storm's in build/check.
#
# Environment: TIMEOUT_FACTOR (default 4: the debug kernel is slow),
# TESTS, STRESS_OOMS and STRESS_SWITCHES as for run.sh and stress.sh.

set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
SELFTESTS=$(dirname "$HERE")
OUT=$(dirname "$SELFTESTS")/build
export TIMEOUT_FACTOR=${TIMEOUT_FACTOR:-4}
suite=0
stress=0

tree=$("$HERE/build-kernel.sh")
echo "# debug kernel: $tree"
KERNELS=$tree "$SELFTESTS/run.sh" || suite=$?
rm -rf "$OUT/check-debug"
cp -a "$OUT/check" "$OUT/check-debug"
KERNELS=$tree "$SELFTESTS/stress.sh" || stress=$?
echo "check-debug: suite $([ $suite = 0 ] && echo passed || echo FAILED), stress $([ $stress = 0 ] && echo passed || echo FAILED)"
[ $suite = 0 ] && [ $stress = 0 ]
