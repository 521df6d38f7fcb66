#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the modules against each reference kernel and run every test
# file in its own QEMU guest, once per kernel.  All results come out as
# one KTAP stream; the last line is "N passed, N failed" and the exit
# status is non-zero if anything failed.
#
#   selftests/run.sh [TEST...]
#
# TEST is a test name or glob ("001", "001-stock-oom", '*oom*'), of a
# guest test (selftests/tests/) or of a host test (selftests/host/: lint,
# dkms), which runs on this machine after the guests.
# Environment:
#   KERNELS="ver ..."   kernels to use (default: "6.1 6.12", the newest
#                       installed generic -amd64 kernel of each series
#                       that has headers); a word is a release
#                       (6.1.0-57-amd64), a series (6.12) or a series
#                       and a Debian flavour (6.12-rt-amd64, 6.12-rt);
#                       a path is a built kernel tree, such as the debug
#                       kernel of selftests/debug/build-kernel.sh: its
#                       bzImage boots with at least 512 MB, and the
#                       modules are built against the tree
#   TESTS="TEST ..."    same as the arguments
#   TESTDIR=DIR         where the test files are (default: selftests/tests)
#   TIMEOUT_FACTOR=N    multiply every test's timeout (slow kernels)
#
# A test file may declare, in "# key: value" header lines:
#   qemu-mem: MB    qemu-smp: N    timeout: SECONDS
#   append: ARGS         extra kernel command line
#   expect: panic [ERE]  the guest must end in a kernel panic (whose
#                        line matches ERE, if given) instead of finishing
#   console: ERE         some kernel line must match ERE (repeatable): for
#                        what a guest cannot check itself, e.g. the lines
#                        printed just before a panic
#   needs-modules: no    run even when the module build failed
#   sysctl: KEY=VALUE    set in the guest before the test (repeatable)
#   swap-mb: MB          attach an empty virtio disk of MB megabytes
#                        (/dev/vda; swap_on in guest/lib.sh makes it swap)
#   swap-mbps: MB        limit that disk to MB megabytes a second, reads
#                        and writes together, as a real disk is limited
#                        (unlimited, the disk lives in the host's page
#                        cache and swap I/O costs the guest almost no time)
#
# Everything lands in build/: build/<ver>/src is the copy of the source
# the modules are built in, build/check/<ver>/ holds the build log and,
# per test, the initramfs, the QEMU command line and the console log.

set -eu

# Where this file is, also when it is sourced from elsewhere.
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SELFTESTS=$TOP/selftests
OUT=$TOP/build
SERIES="6.1 6.12"

DEFAULT_MEM=256
DEFAULT_SMP=1
DEFAULT_TIMEOUT=180
# KASAN's shadow, lockdep and kmemleak need room of their own.
TREE_MEM=512

# Kernel trees given as paths in KERNELS, by their release.
declare -A KERNEL_TREES=()
# The kernels chosen (pick_kernels).
KERNEL_LIST=()

# The global KTAP stream: results so far, and their outcomes.
NUM=0
PASSED=0
FAILED=0
SKIPPED=0
# The current guest: results seen and results planned (guest_results).
COUNT=0
PLANNED=

# =====================================================================
# Reporting
# =====================================================================

# result ok|"not ok" DESC: one line of the global KTAP stream.
result()
{
	NUM=$((NUM + 1))
	echo "$1 $NUM - $2"
	if [ "$1" = ok ]; then
		PASSED=$((PASSED + 1))
		case $2 in *"# SKIP"*) SKIPPED=$((SKIPPED + 1)) ;; esac
	else
		FAILED=$((FAILED + 1))
	fi
}

# join STRING...: "a; b; c"
join()
{
	local out=$1 s

	shift
	for s in "$@"; do
		out="$out; $s"
	done
	echo "$out"
}

# show_tail FILE: the end of a log, as KTAP comments.
show_tail()
{
	echo "# --- last lines of $1"
	tail -n 40 "$1" | tr -d '\r' | sed 's/^/# /'
}

# =====================================================================
# Kernels and tests
# =====================================================================

# add_tree DIR: a built kernel tree, known from now on by its release,
# which goes to TREE_VER.
add_tree()
{
	local rel

	rel=$(cat "$1/include/config/kernel.release" 2>/dev/null) || return
	KERNEL_TREES[$rel]=$(cd "$1" && pwd)
	TREE_VER=$rel
}

# headers_of VER: print the kernel build tree of VER, if installed.
headers_of()
{
	local d

	for d in "${KERNEL_TREES[$1]:-/nonexistent}" \
		 "/usr/src/linux-headers-$1" "/lib/modules/$1/build"; do
		if [ -e "$d/Makefile" ]; then
			echo "$d"
			return
		fi
	done
}

# kernel_image VER: the kernel QEMU boots for VER.
kernel_image()
{
	if [ -n "${KERNEL_TREES[$1]:-}" ]; then
		echo "${KERNEL_TREES[$1]}/arch/x86/boot/bzImage"
	else
		echo "/boot/vmlinuz-$1"
	fi
}

usable_kernel()
{
	[ -e "$(kernel_image "$1")" ] && [ -n "$(headers_of "$1")" ]
}

# The flavour of Debian's kernel packages that runs by default: the generic
# one, not rt-amd64 or cloud-amd64.
FLAVOUR=amd64

# newest_kernel SERIES [FLAVOUR]: the newest installed kernel of SERIES
# and FLAVOUR (default $FLAVOUR) that has headers, e.g. 6.1 ->
# 6.1.0-57-amd64, 6.12 rt-amd64 -> 6.12.117+deb12-rt-amd64. Between SERIES
# and the flavour only the point release, the ABI number and Debian's
# "+debN" may stand, so that the generic flavour never picks an rt or
# cloud kernel (sort -V puts "-rt-amd64" after "-amd64"). No ABI number
# is assumed: Debian's point releases move it.
newest_kernel()
{
	local series=$1 flavour=${2:-$FLAVOUR} f ver rest

	for f in /boot/vmlinuz-"$series".*-"$flavour"; do
		ver=${f#/boot/vmlinuz-}
		rest=${ver#"$series".}
		rest=${rest%-"$flavour"}
		[[ $rest =~ ^[0-9]+(\.[0-9]+)*(-[0-9]+)?(\+deb[0-9]+)?$ ]] ||
			continue
		if usable_kernel "$ver"; then
			echo "$ver"
		fi
	done | sort -V | tail -n 1
}

# resolve_kernel WORD: the release WORD names, if it is installed with
# headers. WORD is a release ("6.1.0-57-amd64"), a series ("6.12": its
# newest generic kernel) or a series and a flavour ("6.12-rt-amd64", or
# "6.12-rt" for short).
resolve_kernel()
{
	local flavour

	if [[ $1 =~ ^([0-9]+\.[0-9]+)(-([a-z][a-z0-9-]*))?$ ]]; then
		flavour=${BASH_REMATCH[3]:-$FLAVOUR}
		case $flavour in *amd64) ;; *) flavour=$flavour-amd64 ;; esac
		newest_kernel "${BASH_REMATCH[1]}" "$flavour"
	elif usable_kernel "$1"; then
		echo "$1"
	fi
}

# pick_kernels [released]: set KERNEL_LIST to the kernels to use:
# $KERNELS (default: the series of $SERIES), each word resolved by
# resolve_kernel; a word that names no usable kernel stays as it is, for
# the caller to report. A kernel tree given as a path stays a path, or
# is left out with "released". Says which kernels were chosen, as a
# KTAP comment.
pick_kernels()
{
	local w ver

	KERNEL_LIST=()
	for w in ${KERNELS:-$SERIES}; do
		if [ -d "$w" ]; then
			[ "${1:-}" = released ] || KERNEL_LIST+=("$w")
			continue
		fi
		ver=$(resolve_kernel "$w")
		KERNEL_LIST+=("${ver:-$w}")
	done
	echo "# kernels: ${KERNEL_LIST[*]:-none}"
}

# selected NAME PATTERN...: true if NAME matches a pattern, or if there
# are no patterns.  "001" is short for "001-*".
selected()
{
	local name=$1 p

	shift
	[ $# -gt 0 ] || return 0
	for p in "$@"; do
		p=${p##*/}
		p=${p%.sh}
		# shellcheck disable=SC2254 # the patterns are globs on purpose
		case $name in $p | $p-*) return 0 ;; esac
	done
	return 1
}

# header FILE KEY [DEFAULT]: the value of a "# KEY: value" line.
header()
{
	local v

	v=$(sed -n "s/^# $2: *//p" "$1" | head -n 1)
	echo "${v:-${3:-}}"
}

# =====================================================================
# Building
# =====================================================================

# source_files: NUL-separated paths of the project, relative to $TOP:
# what git tracks plus new files not yet added (never ignored ones), or
# every file outside a git checkout.  selftests/ and build/ stay out.
source_files()
{
	if git -C "$TOP" rev-parse --git-dir >/dev/null 2>&1; then
		git -C "$TOP" ls-files -z --cached --others --exclude-standard
	else
		(cd "$TOP" && find . -name .git -prune -o -type f -printf '%P\0')
	fi | grep -zv -e '^build/' -e '^selftests/' |
	while IFS= read -r -d '' f; do
		# Tracked but deleted in the work tree.
		[ ! -e "$TOP/$f" ] || printf '%s\0' "$f"
	done
}

# Kbuild builds external modules inside their source tree (M=), so each
# kernel gets its own copy to build in.
copy_source()
{
	rm -rf "$1"
	mkdir -p "$1"
	source_files | tar -C "$TOP" --null -T - -cf - | tar -C "$1" -xf -
}

# build_modules VER: build in build/VER/src, and the modules only the
# tests load (selftests/kmod) in build/VER/kmod.  Returns 0 when the modules
# built, even with warnings (they still fail the "build" test but the VM
# tests run with them); 1 when make failed.
build_modules()
{
	local ver=$1 kdir src=$OUT/$1/src log=$OUT/check/$1/build.log

	kdir=$(headers_of "$ver")
	copy_source "$src"
	rm -rf "$OUT/$ver/kmod"
	cp -r "$SELFTESTS/kmod" "$OUT/$ver/kmod"
	if ! make -C "$src" -j"$(nproc)" KDIR="$kdir" >"$log" 2>&1; then
		result "not ok" "build $ver: make failed"
		show_tail "$log"
		return 1
	fi
	# The modules only tests load (selftests/kmod), against the copy.
	if ! make -C "$kdir" M="$OUT/$ver/kmod" modules >>"$log" 2>&1; then
		result "not ok" "build $ver: the test modules (selftests/kmod) failed"
		show_tail "$log"
		return 1
	fi
	# modpost says "WARNING:", the compiler "warning:".
	if grep -qi 'warning:' "$log"; then
		result "not ok" "build $ver: warnings"
		grep -i 'warning:' "$log" | sed 's/^/# /'
	else
		result ok "build $ver"
	fi
}

# build_progs: the static guest programs, once for all kernels.
build_progs()
{
	local c log=$OUT/check/progs.log ok=1

	rm -rf "$OUT/progs"
	mkdir -p "$OUT/progs"
	: >"$log"
	for c in "$SELFTESTS"/progs/*.c; do
		gcc -static -O2 -Wall -Werror -o "$OUT/progs/$(basename "$c" .c)" \
			"$c" >>"$log" 2>&1 || ok=
	done
	# Programs a script builds, e.g. from the kernel's own sources.
	for c in "$SELFTESTS"/progs/*.sh; do
		"$c" "$OUT/progs" >>"$log" 2>&1 || ok=
	done
	if [ -n "$ok" ]; then
		result ok "build progs"
	else
		result "not ok" "build progs"
		show_tail "$log"
		return 1
	fi
}

# =====================================================================
# The guest
# =====================================================================

# make_root VER DIR WITH_MODULES: the guest file system, without the
# test script: busybox and its applet links, our programs, the helper
# library, /init and, if built, the modules with a depmod index so that
# modprobe resolves their dependencies.
make_root()
{
	local ver=$1 root=$2 mods=$2/lib/modules/$1 applet f kmods

	rm -rf "$root"
	mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,dev,proc,sys,tmp}
	mkdir -p "$mods/extra"
	cp /bin/busybox "$root/bin/busybox"
	for applet in $(/bin/busybox --list-full); do
		[ -e "$root/$applet" ] || ln -s /bin/busybox "$root/$applet"
	done
	cp "$OUT"/progs/* "$root/bin/"
	cp "$SELFTESTS/guest/lib.sh" "$root/lib.sh"
	# Configuration examples, for the tests that install them (600).
	[ ! -d "$TOP/examples" ] || cp -r "$TOP/examples" "$root/examples"
	cp "$SELFTESTS/guest/init" "$root/init"
	chmod 755 "$root/init"

	if [ "$3" = yes ]; then
		find "$OUT/$ver/src" "$OUT/$ver/kmod" -name '*.ko' \
			-exec cp -t "$mods/extra" {} +
	fi
	copy_virtio_modules "$ver" "$mods"
	copy_earlyoom "$root"
	# depmod and modprobe want to know what is built in; a kernel tree
	# has these files at its top.
	kmods=${KERNEL_TREES[$ver]:-/lib/modules/$ver}
	for f in modules.order modules.builtin modules.builtin.modinfo; do
		[ ! -e "$kmods/$f" ] || cp "$kmods/$f" "$mods/"
	done
	depmod -b "$root" "$ver"
}

# copy_virtio_modules VER MODDIR: what a virtio disk needs (the swap-mb
# header), where the kernel has it as modules: virtio_blk, the PCI
# transport and their dependencies, in modprobe's order, unpacked for
# busybox's modprobe. Nothing for a kernel tree, whose modules are not
# installed.
copy_virtio_modules()
{
	local ver=$1 mods=$2 f dest

	[ -z "${KERNEL_TREES[$ver]:-}" ] || return 0
	for f in $(for m in virtio_pci virtio_blk; do
			modprobe --show-depends -S "$ver" "$m" 2>/dev/null
		   done | sed -n 's/^insmod \([^ ]*\).*/\1/p' | awk '!seen[$0]++'); do
		dest=$mods/kernel/${f#/lib/modules/"$ver"/kernel/}
		mkdir -p "${dest%/*}"
		case $f in
		*.xz) xz -dc "$f" >"${dest%.xz}" ;;
		*.zst) zstd -qdc "$f" >"${dest%.zst}" ;;
		*) cp "$f" "$dest" ;;
		esac
	done
}

# copy_earlyoom ROOT: Debian's earlyoom (selftests/deps.sh unpacks it)
# and the C library it needs, for test 707.
copy_earlyoom()
{
	local root=$1 bin=$OUT/earlyoom/usr/bin/earlyoom lib

	[ -x "$bin" ] || return 0
	cp "$bin" "$root/usr/bin/earlyoom"
	for lib in $(ldd "$bin" | grep -o '/[^ ]*'); do
		mkdir -p "$root${lib%/*}"
		cp -L "$lib" "$root$lib"
	done
}

# pack ROOT INITRD: a gzip'ed newc cpio, owned by root in the guest.
pack()
{
	(cd "$1" && find . | cpio -o -H newc -R 0:0 --quiet) | gzip -1 >"$2"
}

# timeout_of TESTFILE: its time limit in seconds.
timeout_of()
{
	echo $(($(header "$1" timeout $DEFAULT_TIMEOUT) * ${TIMEOUT_FACTOR:-1}))
}

# mem_of VER TESTFILE: the guest's memory in MB.
mem_of()
{
	local mem

	mem=$(header "$2" qemu-mem $DEFAULT_MEM)
	if [ -n "${KERNEL_TREES[$1]:-}" ] && [ "$mem" -lt $TREE_MEM ]; then
		mem=$TREE_MEM
	fi
	echo "$mem"
}

# boot VER INITRD CONSOLE TESTFILE: run one VM; returns timeout's status
# (124 when the VM ran out of time).  -nodefaults leaves out every device
# we do not use; the serial port is the console.  Standard input is
# /dev/null because QEMU refuses a closed one, as in CI.
boot()
{
	local ver=$1 initrd=$2 console=$3 t=$4 cmd swap mbps disk=()

	swap=$(header "$t" swap-mb)
	mbps=$(header "$t" swap-mbps)
	if [ -n "$swap" ]; then
		truncate -s 0 "${console%.console}.swap.img"
		truncate -s "${swap}M" "${console%.console}.swap.img"
		disk=(-drive "file=${console%.console}.swap.img,if=virtio,format=raw,cache=unsafe${mbps:+,throttling.bps-total=$((mbps * 1048576))}")
	fi
	# thread=single: the vCPUs take turns on one host thread.  With a
	# thread each, a vCPU may still run an int3 that another vCPU's
	# text_poke_bp() (static keys, kprobes) has already taken out
	# again, and the guest dies of it: "Oops: int3" in
	# sched_clock_cpu() on CPU 1 during boot, before any module of
	# ours (6.12.117, 505-panic-window, once).  One vCPU: no change.
	cmd=(timeout -k 10 "$(timeout_of "$t")"
	     qemu-system-x86_64 -accel tcg,thread=single -cpu max
	     -m "$(mem_of "$ver" "$t")"
	     -smp "$(header "$t" qemu-smp $DEFAULT_SMP)"
	     -nodefaults -no-user-config -display none -monitor none
	     -serial stdio -no-reboot
	     "${disk[@]}"
	     -kernel "$(kernel_image "$ver")" -initrd "$initrd"
	     -append "console=ttyS0 panic=-1 printk.devkmsg=on $(header "$t" append)")
	# Kept next to the console, to rerun one guest by hand.
	printf '%q ' "${cmd[@]}" >"${console%.console}.cmd"
	echo >>"${console%.console}.cmd"
	"${cmd[@]}" </dev/null >"$console" 2>&1
}

# =====================================================================
# Reading the console
# =====================================================================

# tap_lines CONSOLE: the guest's results, one per line, as
# "ok<TAB>desc", "not ok<TAB>desc", "plan<TAB>N" or "diag<TAB>text".
tap_lines()
{
	tr -d '\r' <"$1" | awk '
		!/TAP: / { next }
		{ sub(/.*TAP: /, "") }
		/^1\.\.[0-9]+/ { print "plan\t" substr($0, 4); next }
		/^#/ { sub(/^# ?/, ""); print "diag\t" $0; next }
		match($0, /^(not )?ok [0-9]+( - | -|-| )?/) {
			st = /^not/ ? "not ok" : "ok"
			print st "\t" substr($0, RLENGTH + 1)
		}'
}

# splats CONSOLE EXPECT_PANIC: print the kernel's complaints.  Some
# stack dumps are the kernel's normal reporting, not bugs; their Call
# Trace is expected when their header is the closest one, a few lines up:
#  - the OOM report ("X invoked oom-killer:", CPU, Hardware name, Call
#    Trace) dumps the stack of the allocating task;
#  - an OOM victim that has used up the memory reserves fails its last
#    allocation with "X: page allocation failure:" and a stack dump; this
#    is expected only for a task already reported as "Killed process";
#  - a panic prints its stack, expected when the test expects the panic.
splats()
{
	tr -d '\r' <"$1" | awk -v panic_ok="$2" '
		# The number after "Killed process " or "PID: ".
		function pid_after(word,	s) {
			s = $0
			sub(".*" word, "", s)
			return s + 0
		}
		/TAP: / { next }
		/invoked oom-killer:/ { expected = NR; next }
		/Killed process [0-9]+/ { killed[pid_after("Killed process ")] = 1 }
		/page allocation failure:/ { allocfail = NR; next }
		/CPU: .*PID: [0-9]+/ && allocfail && NR - allocfail <= 2 {
			if (pid_after("PID: ") in killed)
				expected = NR
			allocfail = 0
		}
		/Kernel panic - not syncing/ { if (panic_ok) panicked = 1 }
		/Call Trace/ {
			if ((expected && NR - expected <= 15) || panicked)
				next
			print
			next
		}
		# The debug kernel adds lockdep, the atomic-sleep check,
		# KASAN and kmemleak (whose report guest/init prints).
		/BUG:|WARNING:|Oops|general protection fault|possible circular locking|possible recursive locking|inconsistent lock state|sleeping function called from invalid context|INFO: task .* blocked|rcu.* stall|kmemleak:.*new suspected|unreferenced object|KASAN|UBSAN/ {
			expected = 0
			print
		}'
}

# guest_results VER TEST CONSOLE: re-print the guest's results in the
# global stream.  Sets COUNT (results seen) and PLANNED (the guest's
# plan, if it printed one).
guest_results()
{
	local kind text

	COUNT=0
	PLANNED=
	while IFS=$'\t' read -r kind text; do
		case $kind in
		plan) PLANNED=$text ;;
		diag) echo "# $1 $2: $text" ;;
		*)
			COUNT=$((COUNT + 1))
			result "$kind" "$1 $2: $text"
			;;
		esac
	done < <(tap_lines "$3")
}

# panic_problem CONSOLE ERE: for a test that expects a kernel panic.
panic_problem()
{
	local panic

	panic=$(grep -m 1 'Kernel panic - not syncing' "$1" | tr -d '\r')
	if [ -z "$panic" ]; then
		echo "no kernel panic, one was expected"
	elif ! echo "$panic" | grep -Eq -- "${2:-.}"; then
		echo "the kernel panic does not match /$2/"
	fi
}

# end_problem CONSOLE: for a test that must reach GUEST-DONE.
end_problem()
{
	local rc

	rc=$(sed -n 's/.*GUEST-DONE rc=\([0-9]*\).*/\1/p' "$1" | head -n 1)
	if [ -n "$rc" ]; then
		[ "$rc" = 0 ] || echo "test script exited with status $rc"
	elif grep -q 'Kernel panic - not syncing' "$1"; then
		echo "kernel panic"
	else
		echo "no GUEST-DONE"
	fi
}

# vm_problems CONSOLE VMSTATUS TESTFILE: what went wrong with the VM
# itself, one reason per line; nothing if all is well.  Uses COUNT and
# PLANNED from guest_results.
vm_problems()
{
	local console=$1 t=$3 expect re splat

	expect=$(header "$t" expect)
	if [ "$2" = 124 ]; then
		echo "timed out after $(timeout_of "$t") s"
	elif [ "${expect%% *}" = panic ]; then
		read -r _ re <<<"$expect"
		panic_problem "$console" "$re"
	else
		end_problem "$console"
	fi
	[ "$COUNT" != 0 ] || echo "no test results"
	[ -z "$PLANNED" ] || [ "$PLANNED" = "$COUNT" ] ||
		echo "planned $PLANNED results, got $COUNT"
	sed -n 's/^# console: *//p' "$t" | while IFS= read -r re; do
		tr -d '\r' <"$console" | grep -v 'TAP: ' | grep -Eq -- "$re" ||
			echo "no console line matches /$re/"
	done
	splat=$(splats "$console" "${expect:+1}" | head -n 1)
	[ -z "$splat" ] || echo "kernel splat: ${splat#\[*\] }"
}

# report VER TEST CONSOLE VMSTATUS TESTFILE: the guest's results, then
# one failure if the VM itself went wrong.
report()
{
	local why=()

	guest_results "$1" "$2" "$3"
	mapfile -t why < <(vm_problems "$3" "$4" "$5")
	[ ${#why[@]} != 0 ] || return 0
	result "not ok" "$1 $2: $(join "${why[@]}")"
	echo "# console: $3"
	show_tail "$3"
}

# =====================================================================
# Driver
# =====================================================================

# run_test VER ROOT TESTFILE: one VM for one test file.
run_test()
{
	local ver=$1 root=$2 t=$3 name dir status=0 start

	name=$(basename "$t" .sh)
	dir=$OUT/check/$ver
	cp "$t" "$root/test.sh"
	pack "$root" "$dir/$name.initrd.gz"
	start=$(date +%s)
	boot "$ver" "$dir/$name.initrd.gz" "$dir/$name.console" "$t" ||
		status=$?
	rm -f "$dir/$name.swap.img"
	echo "# $ver $name: VM ran $(($(date +%s) - start)) s"
	report "$ver" "$name" "$dir/$name.console" "$status" "$t"
}

# run_host TESTFILE: a host test, run on this machine.  Its "ok DESC"
# and "not ok DESC" lines are results; other lines are comments.  A
# script that fails without a "not ok" line, or prints no result at all,
# fails once more.
run_host()
{
	local t=$1 name line bad= n=0 start

	name=$(basename "$t" .sh)
	start=$(date +%s)
	while IFS= read -r line; do
		case $line in
		"ok "*) result ok "${line#ok }"; n=$((n + 1)) ;;
		"not ok "*) result "not ok" "${line#not ok }"; bad=1 ;;
		"HOST-EXIT 0")
			[ -n "$bad" ] || [ $n != 0 ] ||
				result "not ok" "host $name: no results"
			;;
		"HOST-EXIT "*)
			[ -n "$bad" ] ||
				result "not ok" "host $name: exit status ${line#HOST-EXIT }"
			;;
		"#"*) echo "$line" ;;
		*) echo "# $line" ;;
		esac
	done < <("$t" 2>&1; echo "HOST-EXIT $?")
	echo "# host $name: ran $(($(date +%s) - start)) s"
}

# run_kernel VER PROGS_OK TESTFILE...: build, then one VM per test.
run_kernel()
{
	local ver=$1 progs_ok=$2 built=yes t root=$OUT/check/$1/root

	shift 2
	mkdir -p "$OUT/check/$ver"
	if ! usable_kernel "$ver"; then
		result "not ok" "kernel $ver: not installed with headers"
		for t in "$@"; do
			result "not ok" "$ver $(basename "$t" .sh): not run"
		done
		return
	fi
	build_modules "$ver" || built=no
	make_root "$ver" "$root" "$built"

	for t in "$@"; do
		if [ -z "$progs_ok" ]; then
			result "not ok" "$ver $(basename "$t" .sh): not run, guest programs did not build"
		elif [ $built = no ] && [ "$(header "$t" needs-modules yes)" != no ]; then
			result "not ok" "$ver $(basename "$t" .sh): not run, module build failed"
		else
			run_test "$ver" "$root" "$t"
		fi
	done
}

main()
{
	local tests=() patterns=("$@") t ver progs_ok=1
	local hosts=()

	"$SELFTESTS/deps.sh"

	# Split TESTS into words without expanding the globs in it.
	[ $# -gt 0 ] || read -r -a patterns <<<"${TESTS:-}"
	for t in "${TESTDIR:-$SELFTESTS/tests}"/*.sh; do
		if selected "$(basename "$t" .sh)" "${patterns[@]}"; then
			tests+=("$t")
		fi
	done
	for t in "$SELFTESTS"/host/*.sh; do
		if selected "$(basename "$t" .sh)" "${patterns[@]}"; then
			hosts+=("$t")
		fi
	done
	if [ ${#tests[@]} = 0 ] && [ ${#hosts[@]} = 0 ]; then
		echo "run.sh: no test matches: ${patterns[*]}" >&2
		exit 1
	fi

	rm -rf "$OUT/check"
	mkdir -p "$OUT/check"

	echo "TAP version 13"
	pick_kernels
	build_progs || progs_ok=
	for ver in "${KERNEL_LIST[@]}"; do
		if [ -d "$ver" ]; then
			if ! add_tree "$ver"; then
				result "not ok" "kernel $ver: not a built kernel tree"
				continue
			fi
			ver=$TREE_VER
		fi
		run_kernel "$ver" "$progs_ok" "${tests[@]}"
	done
	for t in "${hosts[@]}"; do
		run_host "$t"
	done
	echo "1..$NUM"
	[ $SKIPPED = 0 ] || echo "# $SKIPPED of the passed tests were skipped"
	echo "$PASSED passed, $FAILED failed"
	[ $FAILED = 0 ]
}

# Sourced (by demo.sh, bench.sh), only the functions are wanted.
[ "${BASH_SOURCE[0]}" != "$0" ] || main "$@"
