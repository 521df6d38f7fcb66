#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the debug kernel that "make check-debug" runs the tests on: the
# 6.12 source of the linux-source-6.12 package, tinyconfig plus
# kernel.config (next to this script), with lockdep, the atomic-sleep
# check, KASAN and kmemleak.  Prints the path of the built tree, which is
# both the KDIR to build the modules against and the home of
# arch/x86/boot/bzImage.
#
# The build is cached in $DEBUG_KERNEL_CACHE (default build/debug-kernel)
# under a key made of the fragment's hash and the source package's
# version: a second run with the same fragment prints the path at once.
#
#   selftests/debug/build-kernel.sh        build if needed, print the tree
#   JOBS=N                                 parallel jobs (default: nproc)

set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
FRAGMENT=$HERE/kernel.config
CACHE=${DEBUG_KERNEL_CACHE:-$TOP/build/debug-kernel}
TARBALL=/usr/src/linux-source-6.12.tar.xz
PKGS="linux-source-6.12 flex bison bc libelf-dev libssl-dev make gcc xz-utils"

log()
{
	echo "build-kernel: $*" >&2
}

install_deps()
{
	local p missing=

	for p in $PKGS; do
		[ "$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null)" = installed ] ||
			missing="$missing $p"
	done
	[ -n "$missing" ] || return 0
	if [ "$(id -u)" != 0 ]; then
		log "missing packages, and not root to install them:$missing"
		return 1
	fi
	log "installing$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q >&2
	# shellcheck disable=SC2086 # one word per package
	apt-get install -y -q --no-install-recommends $missing >&2
}

# check_config CONFIG: every line of the fragment made it into CONFIG.
# Kconfig drops what a dependency forbids without a word; a debug kernel
# that silently lost KASAN would pass every test and prove nothing.
check_config()
{
	local line opt bad=0

	while IFS= read -r line; do
		case $line in
		CONFIG_*=*)
			grep -qxF -- "$line" "$1" && continue
			;;
		"# CONFIG_"*" is not set")
			opt=${line#\# }
			opt=${opt%% *}
			! grep -q "^$opt=" "$1" && continue
			;;
		*) continue ;;
		esac
		log "the kernel config lacks: $line"
		bad=1
	done <"$FRAGMENT"
	return $bad
}

build()
{
	local dir=$1 tree=$1/linux-source-6.12 jobs=${JOBS:-$(nproc)}

	rm -rf "$dir"
	mkdir -p "$dir"
	log "extracting $TARBALL into $dir"
	tar -C "$dir" -xJf "$TARBALL"
	cp "$FRAGMENT" "$dir/kernel.config"
	(
		cd "$tree"
		make -s tinyconfig
		scripts/kconfig/merge_config.sh -m .config "$dir/kernel.config" >/dev/null
		make -s olddefconfig
		check_config .config
		log "building in $tree with $jobs jobs (a few minutes)"
		# modules writes the Module.symvers out-of-tree builds need.
		nice make -j"$jobs" bzImage vmlinux modules >"$dir/build.log" 2>&1 || {
			tail -n 30 "$dir/build.log" >&2
			exit 1
		}
	) >&2
	touch "$dir/built"
}

main()
{
	local key dir

	install_deps
	key=$( (cat "$FRAGMENT"; dpkg-query -W -f='${Version}' linux-source-6.12) |
		sha256sum | cut -c1-16)
	dir=$CACHE/6.12-$key
	mkdir -p "$CACHE"
	# One build at a time per cache; the others wait and reuse it.
	exec 9>"$CACHE/.lock"
	flock 9
	if [ ! -e "$dir/built" ]; then
		build "$dir"
		log "built $dir"
	fi
	echo "$dir/linux-source-6.12"
}

main "$@"
