#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make deb: build the oom-policy-dkms package from a clean copy of the
# tree in build/deb/src (dpkg-buildpackage writes next to its source
# directory) and print the path of the .deb.  Needs dpkg-dev, debhelper
# and dh-dkms, which selftests/deps.sh installs when run as root.

set -eu

# shellcheck source=selftests/run.sh
. "$(dirname "$0")/../selftests/run.sh"

DEB=$OUT/deb

deb_main()
{
	local log=$DEB/build.log deb

	"$SELFTESTS/deps.sh" >&2
	rm -rf "$DEB"
	mkdir -p "$DEB"
	copy_source "$DEB/src"
	if ! (cd "$DEB/src" && dpkg-buildpackage -us -uc -b) >"$log" 2>&1; then
		tail -n 30 "$log" >&2
		echo "deb.sh: dpkg-buildpackage failed; see $log" >&2
		return 1
	fi
	deb=$(ls "$DEB"/oom-policy-dkms_*_amd64.deb)
	echo "$deb"
}

deb_main "$@"
