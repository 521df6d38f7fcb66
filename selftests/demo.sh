#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: one memory crisis, met by the stock kernel and by each
# policy in turn, in one QEMU guest; then oom_panic in a guest of its own.
# Prints who died and who survived, side by side.
#
#   selftests/demo.sh            (DEMO_KERNEL=<ver> to pick the kernel)
#
# The consoles are kept in build/demo/.

set -eu

. "$(dirname "$0")/run.sh"

DEMO=$OUT/demo

# demo_boot NAME SCRIPT: boot the guest with SCRIPT as its test.
demo_boot()
{
	local root=$DEMO/root

	cp "$2" "$root/test.sh"
	pack "$root" "$DEMO/$1.initrd.gz"
	boot "$VER" "$DEMO/$1.initrd.gz" "$DEMO/$1.console" "$2" || true
}

# table: '|'-separated rows as aligned columns.
table()
{
	awk -F'|' '
		{
			for (i = 1; i <= NF; i++) {
				cell[NR, i] = $i
				if (length($i) > width[i])
					width[i] = length($i)
			}
			if (NF > cols)
				cols = NF
		}
		END {
			for (r = 1; r <= NR; r++) {
				line = ""
				for (i = 1; i <= cols; i++)
					line = line sprintf("%-" width[i] "s  ", cell[r, i])
				sub(/ +$/, "", line)
				print line
			}
		}'
}

# demo_rows KIND CONSOLE: the guest's table rows of that kind.
demo_rows()
{
	tr -d '\r' <"$2" | sed -n "s/.*DEMO: $1|//p"
}

demo_main()
{
	local crisis spawn thrash panic

	# First: on a new machine the kernels come with the packages.
	"$SELFTESTS/deps.sh"
	VER=$(resolve_kernel "${DEMO_KERNEL:-6.12}")
	[ -n "$VER" ] || [ -n "${DEMO_KERNEL:-}" ] || VER=$(newest_kernel 6.1)
	if [ -z "$VER" ]; then
		echo "demo: no kernel ${DEMO_KERNEL:-6.12 or 6.1} installed with headers" >&2
		exit 1
	fi
	echo "# kernel: $VER"
	rm -rf "$DEMO" "$OUT/check"
	mkdir -p "$DEMO" "$OUT/check/$VER"
	echo "Building the modules for $VER and booting it under QEMU..."
	if ! { build_progs && build_modules "$VER"; } >"$DEMO/build.log" 2>&1 ||
	    grep -q '^not ok' "$DEMO/build.log"; then
		cat "$DEMO/build.log" >&2
		exit 1
	fi
	make_root "$VER" "$DEMO/root" yes

	demo_boot crisis "$SELFTESTS/demo/crisis.sh"
	echo
	echo "One crisis on $VER: postgres (root, 40% of memory), cc1plus and"
	echo "firefox-bin (uid 1000, 15% and 10%); then 'backup' grows until the"
	echo "kernel must kill someone."
	echo
	crisis=$(demo_rows crisis "$DEMO/crisis.console")
	{
		echo "POLICY|VICTIM PID|VICTIM|SIZE|SURVIVORS"
		echo "$crisis"
	} | table

	echo
	echo "A supervisor respawns a worker that grows until it is OOM-killed:"
	echo
	spawn=$(demo_rows spawn "$DEMO/crisis.console")
	{
		echo "POLICY|WORKERS KILLED|SUPERVISOR KILLED"
		echo "$spawn"
	} | table

	demo_boot thrash "$SELFTESTS/demo/thrash.sh"
	echo
	echo "A thrash, in a guest with swap: a working set half again as large as"
	echo "RAM, touched in a loop; an 8 MB editor beside it. The kernel's own OOM"
	echo "killer waits while swap has room; oom_pressure has it kill now:"
	echo
	thrash=$(demo_rows thrash "$DEMO/thrash.console")
	{
		echo "WHEN|KILL|VICTIM|KILLS|FULL STALL (avg10)|EDITOR"
		echo "$thrash"
	} | table

	demo_boot panic "$SELFTESTS/demo/panic.sh"
	echo
	echo "oom_panic, in a guest of its own:"
	echo
	panic=$(tr -d '\r' <"$DEMO/panic.console" |
		grep -E 'oom_panic: |Kernel panic - not syncing' |
		sed 's/^\[ *[0-9.]*\] /  /')
	echo "$panic"
	echo
	echo "Consoles: $DEMO/"
	demo_complete "$crisis" "$spawn" "$thrash" "$panic"
}

# demo_complete CRISIS SPAWN THRASH PANIC: fail unless every table has
# all its rows, each naming a victim (the thrash: the stock row, and
# oom_pressure's with a kill): a demo that shows nothing is broken.
demo_complete()
{
	local missing=()

	[ "$(echo "$1" | grep -c '^[^|]*|[0-9][0-9]*|')" = 4 ] ||
		missing+=("the crisis table (4 rows with a victim)")
	[ "$(echo "$2" | grep -c '^[^|]*|[0-9][0-9]*|\(yes\|no\)$')" = 2 ] ||
		missing+=("the supervisor table (2 rows)")
	if ! echo "$3" | grep -q '^stock|' ||
	   ! echo "$3" | grep -q '^oom_pressure.*|after [0-9]* s|'; then
		missing+=("the thrash table (stock, and oom_pressure with a kill)")
	fi
	echo "$4" | grep -q 'Kernel panic - not syncing' ||
		missing+=("oom_panic's panic")
	if [ ${#missing[@]} != 0 ]; then
		echo "demo: FAILED, missing: $(join "${missing[@]}")" >&2
		exit 1
	fi
	echo "demo: complete"
}

demo_main
