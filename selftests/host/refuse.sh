#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Kernels the modules must refuse to build for, with one sentence that
# says why, because what they would build could crash them; and that
# dkms.conf skips, so that DKMS does not even try:
#
#   pid-mark-victim  a 6.1 whose mark_victim tracepoint passes a pid (its
#                    point releases before the backport of the (task,
#                    uid) form): the probe would read the pid as a task
#   rt               PREEMPT_RT: Debian's rt flavour of 6.12, whose
#                    spinlocks sleep
#   not-x86-64       a kernel without CONFIG_X86_64
#
# The 6.1 and 6.12 trees are copies of the reference kernels' headers,
# made of links but for the files changed, in build/host/refuse. The rt
# tree is Debian's own linux-headers-6.12-rt-amd64 (selftests/deps.sh
# installs it). DKMS runs on a tree of its own there (--dkmstree,
# --sourcetree, --installtree): nothing on the machine changes.
#
# Prints "ok DESC" / "not ok DESC" lines (see selftests/host/lint.sh).

set -u

# shellcheck source=selftests/run.sh
. "$(dirname "$0")/../run.sh"
set +e

WORK=$OUT/host/refuse
FAILED=0

res()
{
	echo "$1 $2"
	[ "$1" = ok ] || FAILED=1
}

# overlay VER DIR: a copy of VER's headers in DIR (DIR/common for the
# source, DIR/kernel for the flavour's tree, the KDIR), made of links to
# the installed files, but for those the build reads its location from.
# Changed files must be replaced with real ones (unlink_copy).
overlay()
{
	local hdr common e

	hdr=$(cd "$(headers_of "$1")" && pwd -P) || return
	common=$(sed -n 's/^include \(.*\)\/Makefile$/\1/p' "$hdr/Makefile")
	[ -d "$common" ] || return
	rm -rf "$2"
	mkdir -p "$2/kernel"
	cp -as "$common" "$2/common" || return
	unlink_copy "$2/common/Makefile"
	# The flavour's tree: its top-level links point elsewhere (scripts,
	# tools), so each entry links to what it resolves to.
	for e in "$hdr"/* "$hdr"/.config "$hdr"/.kernelvariables; do
		[ -e "$e" ] || continue
		if [ -d "$e" ] && [ ! -L "$e" ]; then
			cp -as "$e" "$2/kernel/"
		else
			ln -s "$(readlink -f "$e")" "$2/kernel/${e##*/}"
		fi
	done
	rm "$2/kernel/Makefile"
	echo "include $2/common/Makefile" >"$2/kernel/Makefile"
	unlink_copy "$2/kernel/.config"
	unlink_copy "$2/kernel/include/config/auto.conf"
}

# unlink_copy FILE: FILE, a link, becomes a copy of what it points to.
unlink_copy()
{
	local target

	target=$(readlink -f "$1") || return
	rm "$1" && cp "$target" "$1"
}

# refused NAME KDIR ERE: the build against KDIR fails and its output
# matches ERE.
refused()
{
	local log=$WORK/$1.log src=$WORK/src

	copy_source "$src"
	if make -C "$src" KDIR="$2" >"$log" 2>&1; then
		res "not ok" "refuse $1: the modules built"
	elif grep -Eq -- "$3" "$log"; then
		res ok "refuse $1: the build stops and says why"
		grep -Em 1 -- "$3" "$log" | sed 's/^/# /'
	else
		res "not ok" "refuse $1: the build failed, but not with /$3/"
		tail -n 15 "$log" | sed 's/^/# /'
	fi
}

# dkms_skips NAME KDIR RELEASE [DKMS_OPTION...]: dkms.conf keeps DKMS from
# building for it.
dkms_skips()
{
	local tree=$WORK/dkms ver log=$WORK/$1.dkms.log status

	command -v dkms >/dev/null || {
		res "not ok" "refuse $1: dkms is not installed"
		return
	}
	ver=$(make -s -C "$TOP" version)
	rm -rf "$tree"
	mkdir -p "$tree"/{dkms,install}
	copy_source "$tree/source/oom-policy-$ver"
	dkms --dkmstree "$tree/dkms" --sourcetree "$tree/source" \
		--installtree "$tree/install" add -m oom-policy -v "$ver" \
		>"$log" 2>&1
	dkms --dkmstree "$tree/dkms" --sourcetree "$tree/source" \
		--installtree "$tree/install" build -m oom-policy -v "$ver" \
		-k "$3" --kernelsourcedir "$2" "${@:4}" >>"$log" 2>&1
	status=$?
	# 77: dkms' "skipped", for a kernel BUILD_EXCLUSIVE_* leaves out.
	if [ $status = 77 ] && grep -q BUILD_EXCLUSIVE "$log"; then
		res ok "refuse $1: dkms skips the kernel (BUILD_EXCLUSIVE)"
	else
		res "not ok" "refuse $1: dkms build exited $status, not 77 (skipped)"
		tail -n 15 "$log" | sed 's/^/# /'
	fi
}

main()
{
	local v61 v612 rt

	rm -rf "$WORK"
	mkdir -p "$WORK"
	v61=$(resolve_kernel 6.1)
	v612=$(resolve_kernel 6.12)
	rt=$(ls -d /usr/src/linux-headers-6.12.*-rt-amd64 2>/dev/null | sort -V | tail -n 1)

	if [ -n "$v61" ] && overlay "$v61" "$WORK/pid"; then
		unlink_copy "$WORK/pid/common/include/trace/events/oom.h"
		sed -i -e '/^TRACE_EVENT(mark_victim,/,/^);/ {
				s/TP_PROTO(struct task_struct \*task, uid_t uid)/TP_PROTO(int pid)/
				s/TP_ARGS(task, uid)/TP_ARGS(pid)/
			}' "$WORK/pid/common/include/trace/events/oom.h"
		if grep -q 'TP_PROTO(int pid)' "$WORK/pid/common/include/trace/events/oom.h"; then
			refused pid-mark-victim "$WORK/pid/kernel" \
				"needs the mark_victim tracepoint of Linux 6.8 and later"
		else
			res "not ok" "refuse pid-mark-victim: $v61 has no (task, uid) mark_victim to change"
		fi
	else
		res "not ok" "refuse pid-mark-victim: no 6.1 headers to copy"
	fi

	if [ -n "$rt" ]; then
		refused rt "$rt" "does not support PREEMPT_RT kernels"
		dkms_skips rt "$rt" "${rt#/usr/src/linux-headers-}"
	else
		res "not ok" "refuse rt: linux-headers-6.12-rt-amd64 is not installed"
	fi

	if [ -n "$v612" ] && overlay "$v612" "$WORK/noarch"; then
		sed -i '/^CONFIG_X86_64=/d' "$WORK/noarch/kernel/include/config/auto.conf" \
			"$WORK/noarch/kernel/.config"
		refused not-x86-64 "$WORK/noarch/kernel" "supports x86-64 kernels only"
		dkms_skips not-x86-64 "$WORK/noarch/kernel" "$v612" -a aarch64
	else
		res "not ok" "refuse not-x86-64: no 6.12 headers to copy"
	fi
	[ $FAILED = 0 ]
}

main "$@"
