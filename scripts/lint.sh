#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make lint: the kernel's own style and static checkers on our C code.
#
#   checkpatch.pl --strict   every .c and .h of the project; gate
#   sparse (make C=2)        every module, against each reference kernel;
#                            gate: any warning fails
#   clang-format             the kernel's .clang-format; advisory, see
#                            docs/design.md ("Lint")
#   consistency              dkms.conf, Kbuild, debian/changelog, the
#                            admin guide and the modprobe.d examples agree
#
# checkpatch.pl, its data files and .clang-format come from Debian's
# linux-source-6.12 package (installed if missing and we are root), and
# are extracted once into build/lint/kernel.
#
# Prints one "ok DESC" or "not ok DESC" line per check, "# " comments,
# and exits non-zero if a check failed; selftests/run.sh shows them in
# its results (selftests/host/lint.sh).
#
# Environment: KERNELS="ver ..." as for selftests/run.sh (kernel trees
# given as paths are left out).

set -eu

# shellcheck source=selftests/run.sh
. "$(dirname "$0")/../selftests/run.sh"

LINT=$OUT/lint
KSRC=$LINT/kernel
SOURCE_PKG=linux-source-6.12
SOURCE_TAR=/usr/src/linux-source-6.12.tar.xz
LINT_FAILED=0

LINT_COUNT=0

lint_result()
{
	echo "$1 $2"
	LINT_COUNT=$((LINT_COUNT + 1))
	[ "$1" = ok ] || LINT_FAILED=$((LINT_FAILED + 1))
}

# The project's C files, relative to $TOP (see source_files in run.sh).
c_files()
{
	{
		source_files
		# run.sh leaves selftests/ out of the module build; not here.
		if git -C "$TOP" rev-parse --git-dir >/dev/null 2>&1; then
			git -C "$TOP" ls-files -z --cached --others \
				--exclude-standard selftests
		else
			(cd "$TOP" && find selftests -type f -print0)
		fi
	} | tr '\0' '\n' | grep -E '\.[ch]$' | sort -u |
	while IFS= read -r f; do
		[ ! -e "$TOP/$f" ] || echo "$f"
	done
}

# kernel_files: checkpatch.pl and .clang-format from the kernel source.
kernel_files()
{
	local files=(scripts/checkpatch.pl scripts/spelling.txt
		     scripts/const_structs.checkpatch .clang-format)
	local stamp f

	if [ ! -e "$SOURCE_TAR" ] && [ "$(id -u)" = 0 ]; then
		echo "# installing $SOURCE_PKG for checkpatch.pl and .clang-format"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
			--no-install-recommends "$SOURCE_PKG" >"$LINT/apt.log" 2>&1 ||
			{ apt-get update -q && DEBIAN_FRONTEND=noninteractive \
				apt-get install -y -q --no-install-recommends \
				"$SOURCE_PKG"; } >>"$LINT/apt.log" 2>&1 || true
	fi
	if [ ! -e "$SOURCE_TAR" ]; then
		echo "# no $SOURCE_TAR: install $SOURCE_PKG"
		return 1
	fi
	stamp=$(stat -c '%n %s %Y' "$SOURCE_TAR")
	if [ "$(cat "$KSRC/.stamp" 2>/dev/null)" = "$stamp" ]; then
		return 0
	fi
	rm -rf "$KSRC"
	mkdir -p "$KSRC"
	# One pass over the tarball: xz cannot seek, each member costs a read.
	tar -C "$KSRC" -xJf "$SOURCE_TAR" --strip-components=1 \
		"${files[@]/#/linux-source-6.12/}" || return 1
	for f in "${files[@]}"; do
		[ -e "$KSRC/$f" ] || return 1
	done
	echo "$stamp" >"$KSRC/.stamp"
}

# checkpatch FILE: --strict, with the types and no tree. The compat
# header is the one place where code depends on LINUX_VERSION_CODE (the
# project's rule): that warning, and only there, is expected.
lint_checkpatch()
{
	local f=$1 ignore=() out

	[ "$f" != include/oom_compat.h ] || ignore=(--ignore LINUX_VERSION_CODE)
	out=$(cd "$TOP" && perl "$KSRC/scripts/checkpatch.pl" --strict \
		--no-tree --terse --show-types --no-summary "${ignore[@]}" \
		-f "$f" 2>&1) || true
	if echo "$out" | grep -qE ': (ERROR|WARNING|CHECK):|^(ERROR|WARNING|CHECK):'; then
		lint_result "not ok" "lint: checkpatch $f"
		echo "$out" | sed 's/^/# /'
	elif [ -n "$out" ]; then
		# Anything else (a perl error) is a failure too.
		lint_result "not ok" "lint: checkpatch $f: unexpected output"
		echo "$out" | sed 's/^/# /'
	else
		lint_result ok "lint: checkpatch $f"
	fi
}

# sparse VER: C=2 checks every file; sparse and the compiler both say
# "warning:" or "error:".
lint_sparse()
{
	local ver=$1 kdir src=$LINT/$1/src log=$LINT/$1/sparse.log

	kdir=$(headers_of "$ver")
	mkdir -p "$LINT/$ver"
	copy_source "$src"
	if ! make -C "$src" -j"$(nproc)" KDIR="$kdir" C=2 >"$log" 2>&1; then
		lint_result "not ok" "lint: sparse $ver: make failed"
		tail -n 20 "$log" | sed 's/^/# /'
	elif grep -qE '(warning|error):' "$log"; then
		lint_result "not ok" "lint: sparse $ver"
		grep -E '(warning|error):' "$log" | sed "s|$src/||; s/^/# /"
	elif ! grep -q '^ *CHECK ' "$log"; then
		lint_result "not ok" "lint: sparse $ver: sparse did not run"
	else
		lint_result ok "lint: sparse $ver"
	fi
}

# The checkers must be able to fail: a module with a planted style fault
# and a planted sparse fault (a global symbol without a declaration).
lint_canary()
{
	local ver=$1 dir=$LINT/canary kdir out

	kdir=$(headers_of "$ver")
	rm -rf "$dir"
	mkdir -p "$dir"
	echo 'obj-m := canary.o' >"$dir/Kbuild"
	cat >"$dir/canary.c" <<-'EOF'
	// SPDX-License-Identifier: GPL-2.0
	#include <linux/module.h>

	int canary_undeclared;
	static int __init canary_init(void)
	{
	        return canary_undeclared;
	}
	module_init(canary_init);
	MODULE_LICENSE("GPL");
	EOF
	out=$(perl "$KSRC/scripts/checkpatch.pl" --strict --no-tree --terse \
		-f "$dir/canary.c" 2>&1) || true
	if echo "$out" | grep -q 'ERROR: code indent should use tabs'; then
		lint_result ok "lint: checkpatch catches a planted fault"
	else
		lint_result "not ok" "lint: checkpatch misses a planted fault"
		echo "$out" | sed 's/^/# /'
	fi
	make -C "$kdir" M="$dir" C=2 modules >"$dir/sparse.log" 2>&1 || true
	if grep -q "symbol 'canary_undeclared' was not declared" "$dir/sparse.log"; then
		lint_result ok "lint: sparse catches a planted fault"
	else
		lint_result "not ok" "lint: sparse misses a planted fault"
		tail -n 20 "$dir/sparse.log" | sed 's/^/# /'
	fi
}

# clang-format, advisory: the kernel's .clang-format disagrees with
# checkpatch-clean kernel style in ways that are not ours to settle
# (docs/design.md, "Lint"). It fails only if it cannot run; what it would
# change is counted and kept in build/lint/clang-format.diff.
lint_clang_format()
{
	local diff=$LINT/clang-format.diff f n=0 differ=0 broken=

	if ! command -v clang-format >/dev/null; then
		lint_result "not ok" "lint: clang-format is not installed"
		return
	fi
	: >"$diff"
	while IFS= read -r f; do
		n=$((n + 1))
		if ! (cd "$TOP" && clang-format --style="file:$KSRC/.clang-format" "$f") \
			>"$LINT/clang-format.out" 2>"$LINT/clang-format.err"; then
			broken="$broken $f"
			continue
		fi
		if ! (cd "$TOP" && diff -u "$f" -) <"$LINT/clang-format.out" \
			>>"$diff"; then
			differ=$((differ + 1))
		fi
	done < <(c_files)
	if [ -n "$broken" ]; then
		lint_result "not ok" "lint: clang-format failed on:$broken"
		sed 's/^/# /' "$LINT/clang-format.err"
	else
		lint_result ok "lint: clang-format ran on $n files (advisory: $differ would change, see build/lint/clang-format.diff)"
	fi
}

# dkms.conf_modules: the BUILT_MODULE_NAMEs; kbuild_modules: obj-m dirs.
dkms_modules()
{
	sed -n 's/^BUILT_MODULE_NAME\[[0-9]*\]="\(.*\)"/\1/p' "$TOP/dkms.conf" | sort
}

kbuild_modules()
{
	sed -n 's|^obj-m += \(.*\)/$|\1|p' "$TOP/Kbuild" | sort
}

# params MODULE: the module's parameter names, from its sources.
params()
{
	cat "$TOP/$1"/*.c | tr -d '\n' |
		grep -oE 'module_param(_cb|_named)?\( *[a-z_0-9]+' |
		sed 's/.*( *//' | sort -u
}

lint_consistency()
{
	local m p f ver changelog guide=$TOP/docs/admin-guide.md missing=

	# Every module of the Kbuild, built and installed by DKMS, and the
	# right directory for each.
	if [ "$(dkms_modules)" = "$(kbuild_modules)" ]; then
		lint_result ok "lint: dkms.conf builds every module of the Kbuild"
	else
		lint_result "not ok" "lint: dkms.conf and the Kbuild list different modules"
		diff <(dkms_modules) <(kbuild_modules) | sed 's/^/# /'
	fi
	for m in $(dkms_modules); do
		grep -qx "BUILT_MODULE_LOCATION\[[0-9]*\]=\"$m/\"" "$TOP/dkms.conf" ||
			missing="$missing $m"
	done
	if [ -z "$missing" ]; then
		lint_result ok "lint: dkms.conf has the location of every module"
	else
		lint_result "not ok" "lint: dkms.conf lacks BUILT_MODULE_LOCATION for:$missing"
	fi

	# One version: dkms.conf's, which debian/changelog must repeat.
	ver=$(make -s -C "$TOP" version)
	changelog=$(sed -n '1s/^[^ ]* (\([^)]*\)).*/\1/p' \
		"$TOP/debian/changelog" 2>/dev/null) || true
	if [ -n "$ver" ] && [ "$ver" = "$changelog" ]; then
		lint_result ok "lint: version $ver in dkms.conf and debian/changelog"
	else
		lint_result "not ok" "lint: dkms.conf says '$ver', debian/changelog '$changelog'"
	fi

	# The admin guide has a row for every parameter of every module.
	missing=
	for m in $(kbuild_modules); do
		for p in $(params "$m"); do
			grep -q "^| \`$m\` | \`$p\` |" "$guide" || missing="$missing $m.$p"
		done
	done
	if [ -z "$missing" ]; then
		lint_result ok "lint: the admin guide documents every parameter"
	else
		lint_result "not ok" "lint: the admin guide lacks:$missing"
	fi

	# The modprobe.d examples name only modules and parameters that exist.
	missing=
	for f in "$TOP"/examples/modprobe.d/*.conf; do
		while read -r _ m rest; do
			[ -d "$TOP/$m" ] || { missing="$missing $m"; continue; }
			for p in $rest; do
				params "$m" | grep -qx "${p%%=*}" ||
					missing="$missing $m.${p%%=*}"
			done
		done < <(grep '^options ' "$f")
	done
	if [ -z "$missing" ]; then
		lint_result ok "lint: the modprobe.d examples set existing parameters"
	else
		lint_result "not ok" "lint: the modprobe.d examples name unknown:$missing"
	fi
}

lint_main()
{
	local f kernels=() ver

	# Standing alone (make lint), it may be the first to need them.
	"$SELFTESTS/deps.sh"
	mkdir -p "$LINT"
	if kernel_files; then
		while IFS= read -r f; do
			lint_checkpatch "$f"
		done < <(c_files)
		lint_clang_format
	else
		lint_result "not ok" "lint: no checkpatch.pl: $SOURCE_PKG is missing"
	fi

	if ! command -v sparse >/dev/null; then
		lint_result "not ok" "lint: sparse is not installed"
	else
		# Released kernels only: a kernel tree in KERNELS is run.sh's.
		pick_kernels released
		kernels=()
		for ver in "${KERNEL_LIST[@]}"; do
			usable_kernel "$ver" && kernels+=("$ver")
		done
		[ ${#kernels[@]} -gt 0 ] ||
			lint_result "not ok" "lint: sparse: no reference kernel has headers"
		for ver in "${kernels[@]}"; do
			lint_sparse "$ver"
		done
		if [ -e "$KSRC/.stamp" ] && [ ${#kernels[@]} -gt 0 ]; then
			lint_canary "${kernels[0]}"
		fi
	fi

	lint_consistency
	echo "# lint: $LINT_COUNT checks, $LINT_FAILED failed"
	[ $LINT_FAILED = 0 ]
}

lint_main "$@"
