#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench: what each OOM policy costs the kernel, against the stock
# kernel in the same VM run.  Boots each reference kernel once under QEMU
# with selftests/bench/guest.sh as its test (which measures), and prints
# the tables of BENCHMARKS.md.  The last line is
#
#   worst selection ratio: X.XX
#
# the highest policy/stock ratio of median selection latency at the
# largest process count, across kernels and policies.  Timings are
# reported, never judged: the exit status says only whether every guest
# ran to its end.
#
# Environment (defaults in parentheses):
#   KERNELS="ver ..."     kernels (the newest installed 6.1 and 6.12)
#   BENCH_COUNTS          process counts ("1000 10000")
#   BENCH_ROUNDS          rounds through every configuration (2)
#   BENCH_OOMS            OOMs per configuration and round (10)
#   BENCH_PASSES          oom_score passes per configuration and round (2)
#   BENCH_CONFIGS         configurations to measure (all; see guest.sh)
#   BENCH_ICOUNT          QEMU -icount setting ("shift=3,sleep=off"; "" for
#                         the host's clock)
#
# Everything lands in build/bench/: the module builds, per kernel the
# initramfs, the QEMU command line and the console log, and tables.md.

set -eu

# shellcheck source=selftests/run.sh
. "$(dirname "$0")/run.sh"

OUT=$TOP/build/bench
BENCH=$SELFTESTS/bench
CONFIGS="stock kretprobe none classic legacy namelist listed forkblame panic"
POLICIES="classic legacy namelist listed forkblame panic"
MODULES="oom_policy oom_classic oom_namelist oom_forkblame oom_panic"

COUNTS=${BENCH_COUNTS:-1000 10000}
ROUNDS=${BENCH_ROUNDS:-2}
OOMS=${BENCH_OOMS:-10}
PASSES=${BENCH_PASSES:-2}

# The guest's clock: with -icount, virtual time advances by 2^shift ns per
# guest instruction, whatever the host does; "" for the host's clock.
ICOUNT=${BENCH_ICOUNT-shift=3,sleep=off}

# run.sh reports builds as KTAP results; here they are only shown (a
# build with warnings is still measured, a failed one is not).
result()
{
	echo "# $1 - $2" >&2
}

build_bench_progs()
{
	local c

	for c in "$BENCH"/*.c; do
		gcc -static -O2 -Wall -Werror -o "$OUT/progs/$(basename "$c" .c)" \
			"$c" || return
	done
}

# bench_boot VER INITRD CONSOLE: boot() of run.sh, with the guest's clock
# counting instructions (see ICOUNT).
bench_boot()
{
	local t=$BENCH/guest.sh cmd

	cmd=(timeout -k 10 "$(header "$t" timeout "$DEFAULT_TIMEOUT")"
	     qemu-system-x86_64 -accel tcg -cpu max
	     -m "$(header "$t" qemu-mem "$DEFAULT_MEM")"
	     -smp "$(header "$t" qemu-smp "$DEFAULT_SMP")"
	     ${ICOUNT:+-icount "$ICOUNT"}
	     -nodefaults -no-user-config -display none -monitor none
	     -serial stdio -no-reboot
	     -kernel "/boot/vmlinuz-$1" -initrd "$2"
	     -append "console=ttyS0 panic=-1 printk.devkmsg=on $(header "$t" append)")
	printf '%q ' "${cmd[@]}" >"${3%/*}/qemu.cmd"
	echo >>"${3%/*}/qemu.cmd"
	"${cmd[@]}" </dev/null >"$3" 2>&1
}

# bench_kernel VER: build, boot, and keep the guest's BENCH lines in
# $OUT/VER.data.
bench_kernel()
{
	local ver=$1 dir=$OUT/$1 root=$OUT/$1/root status=0 start

	mkdir -p "$dir" "$OUT/check/$ver"
	usable_kernel "$ver" || { echo "bench: no kernel or headers for $ver" >&2; return 1; }
	build_modules "$ver" >&2 || return 1
	make_root "$ver" "$root" yes >/dev/null
	cp "$BENCH/guest.sh" "$root/test.sh"
	cat >"$root/bench.conf" <<-END
		COUNTS="$COUNTS"
		ROUNDS=$ROUNDS
		OOMS=$OOMS
		PASSES=$PASSES
		VICTIM_MB=8
		SLACK_MB=24
		${BENCH_CONFIGS:+CONFIGS=\"$BENCH_CONFIGS\"}
	END
	pack "$root" "$dir/initrd.gz"
	echo "# $ver: booting (console in $dir/console)" >&2
	start=$(date +%s)
	bench_boot "$ver" "$dir/initrd.gz" "$dir/console" || status=$?
	echo "# $ver: VM ran $(($(date +%s) - start)) s" >&2
	tr -d '\r' <"$dir/console" | sed -n 's/^.*BENCH //p' >"$OUT/$ver.data"
	if [ "$status" != 0 ] || ! grep -q 'GUEST-DONE rc=0' "$dir/console"; then
		echo "bench: the $ver guest failed (status $status):" >&2
		grep 'error\|not ok' "$OUT/$ver.data" "$dir/console" >&2 || true
		tail -n 20 "$dir/console" >&2
		return 1
	fi
}

# stats DATAFILE KIND: "count config n median p90" for each count and
# config, from the values of lines "KIND count config value".
stats()
{
	awk -v kind="$2" '$1 == kind { print $2, $3, $4 }' "$1" |
	sort -k1,1n -k2,2 -k3,3n |
	awk '
		function flush(	m, p) {
			if (!n)
				return
			m = n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
			p = v[int((9 * n + 9) / 10)]
			print key, n, m, p
			n = 0
		}
		$1 " " $2 != key { flush(); key = $1 " " $2 }
		{ v[++n] = $3 }
		END { flush() }'
}

# table KERNEL... : the Markdown tables, from $OUT/<kernel>.data.
tables()
{
	local ver f

	for ver in "$@"; do
		f=$OUT/$ver.data
		stats "$f" sel | sed "s/^/sel $ver /"
		stats "$f" stall | sed "s/^/stall $ver /"
		stats "$f" score | sed "s/^/score $ver /"
		stats "$f" spawn | sed "s/^/spawn $ver /"
		awk -v v="$ver" '$1 == "size" || $1 == "alloc" { print $1, v, $3, $4, $5 }' "$f"
	done | awk -v configs="$CONFIGS" -v policies="$POLICIES" -v modules="$MODULES" '
		$1 == "size" { size[$2, $3] = $4; vers[$2] = 1; next }
		$1 == "alloc" { alloc[$2, $3] = $4; nalloc[$2, $3] = $5; next }
		{
			# kind ver count config n median p90
			n[$1, $2, $3, $4] = $5
			med[$1, $2, $3, $4] = $6
			p90[$1, $2, $3, $4] = $7
			if (!(($2, $3) in seen)) {
				seen[$2, $3] = 1
				rows[++nrows] = $2 SUBSEP $3
			}
			if ($3 > maxcount)
				maxcount = $3
		}
		function header(title, what,	i, c) {
			printf "\n### %s\n\n%s\n\n", title, what
			printf "| kernel | processes |"
			for (i = 1; i <= nc; i++)
				printf " %s |", cfg[i]
			printf "\n|---|---:|"
			for (i = 1; i <= nc; i++)
				printf "---:|"
			printf "\n"
		}
		function body(kind, scale, showp90,	r, i, k, s, base, x) {
			for (r = 1; r <= nrows; r++) {
				split(rows[r], k, SUBSEP)
				printf "| %s | %d |", k[1], k[2]
				base = med[kind, k[1], k[2], "stock"]
				for (i = 1; i <= nc; i++) {
					s = kind SUBSEP k[1] SUBSEP k[2] SUBSEP cfg[i]
					if (!(s in med)) {
						printf " - |"
						continue
					}
					x = sprintf("%.2f", med[s] / scale)
					if (showp90)
						x = x sprintf(" / %.2f", p90[s] / scale)
					if (cfg[i] != "stock" && base > 0)
						x = x sprintf(" (%.2fx)", med[s] / base)
					printf " %s |", x
				}
				printf "\n"
			}
		}
		END {
			nc = split(configs, cfg, " ")
			header("Victim selection: time inside out_of_memory()",
			       "Per OOM that killed, in ms: median / p90 (median as a ratio to stock). OOMs per cell: " n["sel", k1(), k2(), "stock"] ".")
			body("sel", 1000, 1)
			header("Reading /proc/<pid>/oom_score of every process",
			       "One pass over all processes, in ms: median (ratio to stock).")
			body("score", 1000, 0)
			header("Starting a process: fork, exec and exit of /bin/true",
			       "The path the task events take (oom_namelist matches a process at its fork, exec and rename), in us per process: median of the batches (ratio to stock).")
			body("spawn", 1000, 0)
			header("The whole OOM as the allocating task sees it",
			       "The longest single page fault of the task that ran into the OOM, until memory was back, in ms: median / p90 (ratio to stock).")
			body("stall", 1000, 1)

			printf "\n### Module memory\n\nSize of the loaded module (/proc/modules) and what it has allocated once loaded with the benchmark'"'"'s parameters (kmalloc/kmem_cache objects still live after modprobe, made by its init function, for its parameters or by our code), in bytes.\n\n"
			printf "| kernel | module | size | allocated (objects) |\n|---|---|---:|---:|\n"
			nm = split(modules, mod, " ")
			for (v in vers)
				for (i = 1; i <= nm; i++)
					printf "| %s | %s | %d | %d (%d) |\n", v, mod[i],
						size[v, mod[i]], alloc[v, mod[i]],
						nalloc[v, mod[i]]

			np = split(policies, pol, " ")
			worst = 0
			for (r = 1; r <= nrows; r++) {
				split(rows[r], k, SUBSEP)
				if (k[2] != maxcount)
					continue
				base = med["sel", k[1], k[2], "stock"]
				for (i = 1; i <= np; i++) {
					s = "sel" SUBSEP k[1] SUBSEP k[2] SUBSEP pol[i]
					if (base > 0 && (s in med) && med[s] / base > worst) {
						worst = med[s] / base
						wname = pol[i] " on " k[1]
					}
				}
			}
			printf "\nworst: %s\n", wname
			printf "worst selection ratio: %.2f\n", worst
		}
		function k1(	k) { split(rows[1], k, SUBSEP); return k[1] }
		function k2(	k) { split(rows[1], k, SUBSEP); return k[2] }'
}

bench_main()
{
	local ver ok=() failed=

	"$SELFTESTS/deps.sh"
	rm -rf "$OUT"
	mkdir -p "$OUT/check"
	pick_kernels >&2
	build_progs >&2 && build_bench_progs || {
		echo "bench: the guest programs did not build" >&2
		exit 1
	}
	for ver in "${KERNEL_LIST[@]}"; do
		if bench_kernel "$ver"; then
			ok+=("$ver")
		else
			failed=1
		fi
	done
	[ ${#ok[@]} -gt 0 ] || exit 1
	tables "${ok[@]}" | tee "$OUT/tables.md"
	[ -z "$failed" ]
}

bench_main "$@"
