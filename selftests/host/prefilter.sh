#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The pattern prefilter (patterns/prefilter.h) against the kernel's
# glob_match(), on this machine: selftests/host/prefilter/prefilter.c
# includes the prefilter as the module does, and is linked with lib/glob.c
# of Debian's linux-source-6.12 (as scripts/lint.sh, installed if missing
# and we are root). Also checks that the pattern code has no timer or
# work item: label: matching needs none, so nothing of it runs on an idle
# machine.
#
# Prints "ok DESC" / "not ok DESC" lines (see run_host in run.sh).

set -u

TOP=$(cd "$(dirname "$0")/../.." && pwd)
OUT=$TOP/build/prefilter
SOURCE_PKG=linux-source-6.12
SOURCE_TAR=/usr/src/linux-source-6.12.tar.xz
SRC=$TOP/selftests/host/prefilter

rm -rf "$OUT"
mkdir -p "$OUT"

if [ ! -e "$SOURCE_TAR" ] && [ "$(id -u)" = 0 ]; then
	echo "# installing $SOURCE_PKG for lib/glob.c"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends "$SOURCE_PKG" >"$OUT/apt.log" 2>&1 || true
fi
if ! tar -xJf "$SOURCE_TAR" -C "$OUT" --strip-components=1 \
	"linux-source-6.12/lib/glob.c" \
	"linux-source-6.12/include/linux/glob.h" 2>"$OUT/tar.log"; then
	echo "not ok prefilter: no lib/glob.c from $SOURCE_TAR (install $SOURCE_PKG)"
	exit 1
fi

# What prefilter.h and lib/glob.c need of the kernel's headers, from the
# C library; first in the path: the kernel's glob.h includes
# <linux/types.h> and <linux/compiler.h>.
mkdir -p "$OUT/shim/linux"
cat >"$OUT/shim/linux/types.h" <<'SHIM'
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#define u8 uint8_t
#define u64 uint64_t
SHIM
echo '#include <string.h>' >"$OUT/shim/linux/string.h"
cat >"$OUT/shim/linux/compiler.h" <<'SHIM'
#define __pure __attribute__((__pure__))
#define fallthrough __attribute__((__fallthrough__))
SHIM
cat >"$OUT/shim/linux/module.h" <<'SHIM'
#include <linux/compiler.h>
#include <linux/types.h>
#define EXPORT_SYMBOL(sym)
#define MODULE_DESCRIPTION(desc)
#define MODULE_LICENSE(license)
SHIM

# The kernel builds lib/glob.c with -Wno-maybe-uninitialized too.
if ! gcc -O2 -Wall -Wextra -Werror -Wno-sign-compare -Wno-maybe-uninitialized \
	-I "$OUT/shim" -I "$OUT/include" -I "$TOP/patterns" \
	-o "$OUT/prefilter" "$SRC/prefilter.c" "$OUT/lib/glob.c" \
	>"$OUT/build.log" 2>&1; then
	echo "not ok prefilter: the test program does not build"
	sed 's/^/# /' "$OUT/build.log"
	exit 1
fi
echo "ok prefilter: built with the kernel's lib/glob.c"

"$OUT/prefilter"
rc=$?

# No periodic work in the pattern code: label: matching needs none.
if grep -nE '\b(delayed_work|work_struct|timer_list|hrtimer|schedule_work|queue_work|kthread_run|mod_timer)\b' \
	"$TOP"/patterns/*.[ch] "$TOP"/include/oom_patterns.h >"$OUT/work.log"; then
	echo "not ok patterns: no timer or work item"
	sed 's/^/# /' "$OUT/work.log"
	rc=1
else
	echo "ok patterns: no timer or work item"
fi
exit $rc
