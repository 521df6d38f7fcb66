#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# "make stress": the OOM storm of tests/800-stress.sh at full size, on
# each reference kernel: for the stock behaviour and each policy, 500
# memcg OOMs in a row with global OOMs on the other vCPU; 200 policy
# switches during OOMs; core reloads during OOMs.  make check runs the
# same file with small numbers.  The run's KTAP stream comes first; the
# last line is
#
#   stress: N OOMs, M switches, K splats
#
# N counts the calls of out_of_memory(), M the switches, K the kernel's
# complaints on every console (what fails a test in run.sh).
#
# Environment: KERNELS and TIMEOUT_FACTOR as for run.sh;
# STRESS_OOMS (default 500) and STRESS_SWITCHES (default 200).

set -eu

SELFTESTS=$(cd "$(dirname "$0")" && pwd)
TOP=$(dirname "$SELFTESTS")
OOMS=${STRESS_OOMS:-500}
SWITCHES=${STRESS_SWITCHES:-200}
# About 0.15 s per memcg OOM under TCG, a few times more on the debug
# kernel (TIMEOUT_FACTOR); generous, the limit only catches hangs.
TIMEOUT=$((600 + OOMS * 5 * 2 + SWITCHES * 6))

# run.sh's functions: splats() tells the kernel's complaints from the
# stack dumps of an OOM report.
# shellcheck source=selftests/run.sh
. "$SELFTESTS/run.sh"

main()
{
	local dir=$TOP/build/stress/tests log=$TOP/build/stress/run.log
	local status ooms switches splat_count c

	rm -rf "$dir"
	mkdir -p "$dir"
	sed -e "s/^# stress-ooms: .*/# stress-ooms: $OOMS/" \
	    -e "s/^# stress-switches: .*/# stress-switches: $SWITCHES/" \
	    -e "s/^# timeout: .*/# timeout: $TIMEOUT/" \
	    "$SELFTESTS/tests/800-stress.sh" >"$dir/800-stress.sh"

	TESTDIR=$dir "$SELFTESTS/run.sh" 800-stress 2>&1 | tee "$log"
	status=${PIPESTATUS[0]}

	ooms=$(sed -n 's/.*stress-total: ooms=\([0-9]*\) .*/\1/p' "$log" |
		awk '{ n += $1 } END { print n + 0 }')
	switches=$(sed -n 's/.*stress-total: .* switches=\([0-9]*\).*/\1/p' "$log" |
		awk '{ n += $1 } END { print n + 0 }')
	splat_count=0
	for c in "$OUT"/check/*/800-stress.console; do
		[ -e "$c" ] || continue
		splat_count=$((splat_count + $(splats "$c" "" | wc -l)))
	done
	echo "stress: $ooms OOMs, $switches switches, $splat_count splats"
	[ "$status" = 0 ] && [ "$splat_count" = 0 ]
}

main "$@"
