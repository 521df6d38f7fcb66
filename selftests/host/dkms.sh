#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Installing on this machine, as an administrator would, for each
# reference kernel whose headers are installed (not the running kernel:
# nothing is loaded here):
#
#   dkms      dkms add, build and install; modinfo finds every module in
#             updates/dkms, with every parameter and its default, signed
#             if dkms has a machine owner key; dkms remove --all leaves
#             nothing in the dkms tree or under /lib/modules
#   install   make install puts the modules in extra/oom-policy where
#             modprobe finds them; make uninstall takes them away
#   deb       dpkg-buildpackage builds oom-policy-dkms; installing it
#             builds the modules for every kernel with headers that
#             dkms.conf allows (not PREEMPT_RT); purging
#             it leaves nothing behind
#
# Needs root; skipped otherwise. Whatever happens, the machine is left as
# it was found: a trap removes everything the test installed, and the
# machine owner key if dkms made one for us. Runs that overlap (several
# checkouts) take turns. If oom-policy is installed here already, the
# test does not touch it and is skipped.
#
# Prints "ok DESC" / "not ok DESC" lines and "# " comments (see
# selftests/host/lint.sh); exits non-zero if something failed.

set -u

# shellcheck source=selftests/run.sh
. "$(dirname "$0")/../run.sh"
set +e

NAME=oom-policy
PKG=oom-policy-dkms
WORK=$OUT/host/dkms
MOK_KEY=/var/lib/dkms/mok.key
MOK_CERT=/var/lib/dkms/mok.pub
LOCK=/run/lock/oom-policy-host-tests.lock
HOST_FAILED=0
MOK_OURS=
VER=
KVERS=()

res()
{
	echo "$1 $2"
	[ "$1" = ok ] || HOST_FAILED=1
}

# check DESC CMD...: ok if CMD succeeds; its output is kept in $WORK/log
# and its tail shown on failure.
check()
{
	local desc=$1

	shift
	if "$@" >"$WORK/last.log" 2>&1; then
		res ok "$desc"
		cat "$WORK/last.log" >>"$WORK/log"
		return 0
	fi
	res "not ok" "$desc"
	tail -n 25 "$WORK/last.log" | sed 's/^/# /'
	cat "$WORK/last.log" >>"$WORK/log"
	return 1
}

# expect DESC TEXT: ok if TEXT (what is wrong) is empty; else show it.
expect()
{
	if [ -z "$2" ]; then
		res ok "$1"
	else
		res "not ok" "$1"
		echo "$2" | sed 's/^/# /'
	fi
}

modules()
{
	sed -n 's/^BUILT_MODULE_NAME\[[0-9]*\]="\(.*\)"/\1/p' "$TOP/dkms.conf"
}

# params MODULE: parameter names, from the module's sources.
params()
{
	cat "$TOP/$1"/*.c | tr -d '\n' |
		grep -oE 'module_param(_cb|_named)?\( *[a-z_0-9]+' |
		sed 's/.*( *//' | sort -u
}

# pkg_status: installed, config-files, ..., or nothing if dpkg forgot it.
pkg_status()
{
	dpkg-query -W -f='${db:Status-Status}' "$PKG" 2>/dev/null
}

# Everything of ours that may be on the machine, one per line.
leftovers()
{
	local f

	[ ! -e "/var/lib/dkms/$NAME" ] || echo "/var/lib/dkms/$NAME"
	for f in /usr/src/"$NAME"-* /lib/modules/*/updates/dkms/oom_*.ko* \
		 /lib/modules/*/extra/oom-policy "/usr/share/doc/$PKG"; do
		[ ! -e "$f" ] || echo "$f"
	done
	case $(pkg_status) in
	"" | not-installed) ;;
	*) echo "package $PKG ($(pkg_status))" ;;
	esac
}

# modinfo_problems KVER DIR: what is wrong with the installed modules of
# KVER, which must be in /lib/modules/KVER/DIR.
modinfo_problems()
{
	local k=$1 dir=$2 m p file desc signer want

	for m in $(modules); do
		file=$(modinfo -k "$k" -F filename "$m" 2>/dev/null)
		case $file in
		/lib/modules/"$k"/"$dir"/*) ;;
		*) echo "$m: modinfo -k $k finds '$file', not in $dir"; continue ;;
		esac
		[ "$(modinfo -k "$k" -F vermagic "$m" | cut -d' ' -f1)" = "$k" ] ||
			echo "$m: vermagic is not $k"
		for p in $(params "$m"); do
			desc=$(modinfo -k "$k" -F parm "$m" | sed -n "s/^$p:/&/p")
			case $desc in
			"") echo "$m: modinfo shows no parameter $p" ;;
			*"default"*) ;;
			*) echo "$m: parameter $p has no default: $desc" ;;
			esac
		done
		# dkms signs with its machine owner key (made on first use).
		if [ "$dir" = updates/dkms ]; then
			want=$(openssl x509 -inform DER -in "$MOK_CERT" -noout \
				-subject -nameopt multiline 2>/dev/null |
				sed -n 's/^ *commonName *= *//p')
			signer=$(modinfo -k "$k" -F signer "$m")
			[ -n "$want" ] && [ "$signer" = "$want" ] ||
				echo "$m: signed by '$signer', not by the MOK in $MOK_CERT ('$want')"
		fi
	done
	# depmod knows the core is needed.
	modprobe -S "$k" --show-depends oom_classic 2>&1 |
		grep -q "/$dir/.*oom_policy\.ko" ||
		echo "modprobe -S $k --show-depends oom_classic does not load the core from $dir"
}

# The state the test found: nothing of ours (else it is skipped) and
# whether dkms already had a machine owner key.
preflight()
{
	local left

	left=$(leftovers)
	if [ -n "$left" ]; then
		res ok "dkms # SKIP $NAME is installed on this machine, not touching it: $(echo "$left" | paste -sd ' ')"
		exit 0
	fi
	[ -e "$MOK_KEY" ] || [ -e "$MOK_CERT" ] || MOK_OURS=1
}

# Runs on every exit: take away whatever the test installed.
cleanup()
{
	local k

	if [ -n "$VER" ]; then
		case $(pkg_status) in
		"" | not-installed) ;;
		*) dpkg --purge "$PKG" >>"$WORK/log" 2>&1 ;;
		esac
		[ ! -e "/var/lib/dkms/$NAME" ] ||
			dkms remove "$NAME/$VER" --all >>"$WORK/log" 2>&1
		rm -rf "/var/lib/dkms/$NAME" "/usr/src/$NAME-$VER"
		for k in "${KVERS[@]}"; do
			if [ -e "/lib/modules/$k/extra/oom-policy" ]; then
				rm -rf "/lib/modules/$k/extra/oom-policy"
				depmod "$k"
			fi
		done
	fi
	[ -z "$MOK_OURS" ] || rm -f "$MOK_KEY" "$MOK_CERT"
}

test_dkms()
{
	local k src=$WORK/$NAME-$VER

	copy_source "$src"
	check "dkms: add $NAME $VER" dkms add "$src" || return
	for k in "${KVERS[@]}"; do
		check "dkms: build for $k" dkms build "$NAME/$VER" -k "$k" &&
			check "dkms: install for $k" dkms install "$NAME/$VER" -k "$k" &&
			expect "dkms: modinfo $k: every module in updates/dkms, signed, every parameter with its default" \
				"$(modinfo_problems "$k" updates/dkms)"
	done
	check "dkms: remove --all" dkms remove "$NAME/$VER" --all
	# dkms leaves the source it was added from, by design; an
	# administrator deletes it (docs/admin-guide.md).
	rm -rf "/usr/src/$NAME-$VER"
	expect "dkms: nothing left after remove --all" "$(leftovers)"
}

test_install()
{
	local k kdir src=$WORK/install

	copy_source "$src"
	for k in "${KVERS[@]}"; do
		kdir=$(headers_of "$k")
		make -C "$src" KDIR="$kdir" clean >/dev/null 2>&1
		check "install: make install for $k" make -C "$src" KDIR="$kdir" install &&
			expect "install: modinfo $k: every module in extra/oom-policy" \
				"$(modinfo_problems "$k" extra/oom-policy)"
		check "install: make uninstall for $k" make -C "$src" KDIR="$kdir" uninstall
		expect "install: no module left for $k" \
			"$(modinfo -k "$k" -F filename oom_policy 2>/dev/null; leftovers)"
	done
}

# Kernels with headers, as dkms sees them.
kernels_with_headers()
{
	local b k

	for b in /lib/modules/*/build; do
		[ -e "$b/Makefile" ] || continue
		k=${b#/lib/modules/}
		echo "${k%/build}"
	done
}

# excluded K: true if dkms.conf's BUILD_EXCLUSIVE_CONFIG refuses kernel K
# (PREEMPT_RT, or a probe facility missing), read from its .config as
# dkms reads it.
excluded()
{
	local cfg=/lib/modules/$1/build/.config

	[ -r "$cfg" ] || return 1
	grep -qx 'CONFIG_PREEMPT_RT=y' "$cfg" && return 0
	! grep -qx 'CONFIG_KPROBES=y' "$cfg" ||
		! grep -qx 'CONFIG_KRETPROBES=y' "$cfg" ||
		! grep -qx 'CONFIG_TRACEPOINTS=y' "$cfg"
}

# Kernels with headers that the package must build for, and those it
# must skip.
kernels_supported()
{
	local k

	for k in $(kernels_with_headers); do
		excluded "$k" || echo "$k"
	done
}

kernels_excluded()
{
	local k

	for k in $(kernels_with_headers); do
		! excluded "$k" || echo "$k"
	done
}

test_deb()
{
	local deb k missing=

	if ! deb=$("$TOP/scripts/deb.sh" 2>"$WORK/deb.err"); then
		res "not ok" "deb: dpkg-buildpackage -us -uc -b"
		sed 's/^/# /' "$WORK/deb.err"
		return
	fi
	res ok "deb: dpkg-buildpackage -us -uc -b: ${deb##*/}"
	dpkg-deb -c "$deb" | sed 's/.* \.\///' >"$WORK/deb.list"
	for f in "usr/src/$NAME-$VER/dkms.conf" "usr/src/$NAME-$VER/Kbuild" \
		 usr/share/doc/$PKG/admin-guide.md.gz \
		 usr/share/doc/$PKG/examples/modprobe.d/oom_policy.conf \
		 usr/share/doc/$PKG/examples/modules-load.d/oom-policy.conf \
		 $(modules | sed "s|.*|usr/src/$NAME-$VER/&/Kbuild|"); do
		grep -qxF "$f" "$WORK/deb.list" || missing="$missing $f"
	done
	expect "deb: the package holds the source, dkms.conf, docs and examples" \
		"${missing:+missing:$missing}"

	check "deb: dpkg -i" dpkg -i "$deb" || return
	missing=
	for k in $(kernels_supported); do
		dkms status "$NAME/$VER" -k "$k" 2>/dev/null | grep -q ': installed' ||
			missing="$missing $k"
	done
	expect "deb: built and installed for every supported kernel with headers ($(kernels_supported | paste -sd ' '))" \
		"${missing:+not for:$missing}"
	for k in $(kernels_excluded); do
		expect "deb: skipped for $k (BUILD_EXCLUSIVE_CONFIG)" \
			"$(dkms status "$NAME/$VER" -k "$k" 2>/dev/null | grep ': installed')"
	done
	for k in "${KVERS[@]}"; do
		expect "deb: modinfo $k: every module in updates/dkms" \
			"$(modinfo_problems "$k" updates/dkms)"
	done
	check "deb: dpkg --purge" dpkg --purge "$PKG"
	expect "deb: nothing left after the purge" "$(leftovers)"
}

main()
{
	local s k tool missing=

	if [ "$(id -u)" != 0 ]; then
		res ok "dkms # SKIP not root"
		return 0
	fi
	for tool in dkms dpkg-buildpackage dh_dkms dh openssl; do
		command -v "$tool" >/dev/null || missing="$missing $tool"
	done
	if [ -n "$missing" ]; then
		res "not ok" "dkms: missing tools:$missing (selftests/deps.sh installs them)"
		return 1
	fi
	VER=$(make -s -C "$TOP" version)
	# Released kernels only: a kernel tree in KERNELS is run.sh's.
	pick_kernels released
	for k in "${KERNEL_LIST[@]}"; do
		usable_kernel "$k" && KVERS+=("$k")
	done
	if [ ${#KVERS[@]} = 0 ]; then
		res "not ok" "dkms: no reference kernel with headers"
		return 1
	fi

	mkdir -p "$WORK"
	: >"$WORK/log"
	exec 9>"$LOCK"
	if ! flock -w 1800 9; then
		res "not ok" "dkms: another run held $LOCK for 30 minutes"
		return 1
	fi
	preflight
	trap cleanup EXIT

	test_dkms
	test_install
	test_deb
	echo "# log: $WORK/log"
	return $HOST_FAILED
}

main "$@"
