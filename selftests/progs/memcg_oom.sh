#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build memcg_oom (kselftest/memcg_oom.c) into DIR: the kernel's own
# memory cgroup selftests, static for the busybox guest.  Their source
# comes unchanged from the linux-source-6.12 package; the few files it
# needs are extracted once into CACHE (default: DIR/../kselftest), keyed
# by the package's version.
#
#   selftests/progs/memcg_oom.sh DIR [CACHE]

set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
DIR=$1
TARBALL=/usr/src/linux-source-6.12.tar.xz
SRC=linux-source-6.12/tools/testing/selftests

if [ ! -r "$TARBALL" ]; then
	echo "memcg_oom.sh: $TARBALL is missing (package linux-source-6.12)" >&2
	exit 1
fi
version=$(dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null ||
	stat -c %Y "$TARBALL")
cache=${2:-$DIR/../kselftest}/$version

if [ ! -e "$cache/extracted" ]; then
	rm -rf "$cache"
	mkdir -p "$cache"
	# test_memcontrol.c includes ../kselftest.h, and cgroup_util.c the
	# clone3 helpers.
	tar -C "$cache" -xJf "$TARBALL" \
		"$SRC/kselftest.h" \
		"$SRC/clone3/clone3_selftests.h" \
		"$SRC/cgroup/cgroup_util.c" \
		"$SRC/cgroup/cgroup_util.h" \
		"$SRC/cgroup/test_memcontrol.c"
	touch "$cache/extracted"
fi

cg=$cache/$SRC/cgroup
# No -O2: the upstream Makefile does not optimise, and the allocators of
# the tests (malloc, touch every page, free) are dead code to an
# optimising compiler.
gcc -static -Wall -I"$cg" -o "$DIR/memcg_oom" \
	"$HERE/kselftest/memcg_oom.c" "$cg/cgroup_util.c"
