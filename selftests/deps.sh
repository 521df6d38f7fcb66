#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install the host packages the selftests need: both reference kernels
# with their headers, the headers of Debian's rt flavour of 6.12 (which
# the build must refuse: selftests/host/refuse.sh), QEMU, a static
# busybox for the guest, the tools to build modules, guest programs and
# initramfs images, and the kernel
# source whose memcg selftests run in the guest (progs/memcg_oom.sh),
# and apparmor_parser, which compiles the AppArmor profiles the label:
# tests load in the guest (progs/apparmor_profiles.sh).
#
# The host tests (selftests/host/) need DKMS and the Debian packaging
# tools; lint needs the kernel source (checkpatch.pl, .clang-format),
# sparse and clang-format.
#
# earlyoom, which test 707 runs in the guest beside oom_pressure, is
# Debian's package unpacked under build/earlyoom, never installed here:
# its service would start on this machine.
#
# Cheap when everything is present: dpkg-query only, no apt-get at all.

set -eu

PKGS="linux-image-amd64 linux-headers-amd64
      linux-image-6.12-amd64 linux-headers-6.12-amd64
      linux-headers-6.12-rt-amd64
      qemu-system-x86 busybox-static cpio kmod gcc make libc6-dev
      dkms dh-dkms debhelper dpkg-dev build-essential openssl xz-utils
      sparse clang-format
      linux-source-6.12
      apparmor"

# Print the packages from $PKGS that are not fully installed.
missing_pkgs()
{
	local p status

	for p in $PKGS; do
		status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null) ||
			status=
		[ "$status" = installed ] || echo "$p"
	done
}

EARLYOOM=$(cd "$(dirname "$0")/.." && pwd)/build/earlyoom

download_earlyoom()
{
	(cd "$EARLYOOM/deb" && apt-get download -q earlyoom) >/dev/null 2>&1
}

# fetch_earlyoom: Debian's earlyoom package, unpacked in $EARLYOOM.
fetch_earlyoom()
{
	local deb

	[ ! -x "$EARLYOOM/usr/bin/earlyoom" ] || return 0
	rm -rf "$EARLYOOM"
	mkdir -p "$EARLYOOM/deb"
	# The package lists may be empty on a machine that installed nothing.
	if ! download_earlyoom &&
	   ! { apt-get update -q >/dev/null && download_earlyoom; }; then
		echo "deps.sh: cannot download Debian's earlyoom package" >&2
		return 1
	fi
	deb=$(ls "$EARLYOOM"/deb/earlyoom_*.deb)
	dpkg-deb -x "$deb" "$EARLYOOM"
	echo "deps.sh: unpacked ${deb##*/} in $EARLYOOM"
}

main()
{
	local missing

	missing=$(missing_pkgs | paste -sd ' ')
	[ -n "$missing" ] || { fetch_earlyoom; return; }

	if [ "$(id -u)" != 0 ]; then
		echo "deps.sh: missing packages, and not root to install them: $missing" >&2
		return 1
	fi

	echo "deps.sh: installing $missing"
	export DEBIAN_FRONTEND=noninteractive
	# Only refresh the package lists when we actually need something.
	apt-get update -q
	# shellcheck disable=SC2086 # one word per package
	apt-get install -y -q --no-install-recommends $missing
	fetch_earlyoom
}

main "$@"
