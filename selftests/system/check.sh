#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check-system: the package on a real Debian 12 system, under QEMU.
#
#   selftests/system/check.sh [STEP...]
#
# The disk image of selftests/system/image.sh (systemd, apt, dkms, the 6.1
# kernel and headers; cached in build/system/) is copied, then booted once
# per step of selftests/system/steps/, in order, each time with the
# newest kernel in its /boot and that kernel's own initramfs, as a
# machine with a boot loader would:
#
#   10-install         apt install ./oom-policy-dkms_*.deb (make deb's),
#                      examples copied to /etc/modprobe.d, modules-load.d
#   20-boot            the policy loaded at boot with its options; the
#                      crisis: systemd-run services, one grows, the kernel
#                      kills the one oom_namelist prefers
#   30-upgrade         the 6.12 kernel installed, DKMS builds for it
#   40-boot-upgraded   6.12: the same configuration loads, the crisis
#                      again; apt purge
#   50-stock           the next boot is stock, with no error
#
# Each step's script comes on a second disk, with the package, the
# examples of the tree and the hog (selftests/progs/hog.c); it writes its
# KTAP lines there. A step that fails stops the steps after it. Results
# are one KTAP stream ending with "N passed, N failed"; consoles and
# logs are in build/system/run/, with the guest's journal of each step
# that failed (STEP.journal). STEP arguments run only the steps named (a
# prefix of the name), on the image as the previous run left it.
#
# The VMs take turns through /tmp/oom-sysvm.lock and run under nice.

set -eu

# shellcheck source=selftests/run.sh
. "$(dirname "${BASH_SOURCE[0]}")/../run.sh"

SYSTEM=$OUT/system
RUN=$SYSTEM/run
STEPS=$SELFTESTS/system/steps
GUEST=$SELFTESTS/system/guest
SYS_MEM=${SYS_MEM:-1024}
SYS_SMP=${SYS_SMP:-2}
SYS_LOCK=/tmp/oom-sysvm.lock

SYS_PKGS="debootstrap e2fsprogs debian-archive-keyring qemu-system-x86
	  gcc libc6-dev util-linux"

# sys_deps: what this script needs besides make deb's (selftests/deps.sh).
sys_deps()
{
	local p missing=

	for p in $SYS_PKGS; do
		[ "$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null)" = installed ] ||
			missing="$missing $p"
	done
	[ -n "$missing" ] || return 0
	if [ "$(id -u)" != 0 ]; then
		echo "check.sh: missing packages, and not root to install them:$missing" >&2
		return 1
	fi
	echo "# installing$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q >&2
	# shellcheck disable=SC2086 # one word per package
	apt-get install -y -q --no-install-recommends $missing >&2
}

# image_kernel IMAGE: the newest kernel release in the image's /boot.
image_kernel()
{
	debugfs -R 'ls -p /boot' "$1" 2>/dev/null |
		awk -F/ '$6 ~ /^vmlinuz-/ { sub(/^vmlinuz-/, "", $6); print $6 }' |
		sort -V | tail -n 1
}

# step_disk STEP DIR IMG: the second disk of a step.
step_disk()
{
	local t=$1 dir=$2

	rm -rf "$dir"
	mkdir -p "$dir"
	cp "$t" "$dir/step.sh"
	cp "$GUEST/lib.sh" "$dir/lib.sh"
	cp "$DEB_FILE" "$dir/"
	cp -r "$TOP/examples" "$dir/examples"
	cp "$SYSTEM/hog" "$dir/hog"
	echo "EXPECT_SERIES=$(header "$t" kernel)" >"$dir/step.env"
	rm -f "$3"
	mke2fs -q -t ext4 -L OOMSTEP -d "$dir" "$3" 256M >/dev/null
}

# boot_step NAME KERNEL TIMEOUT: one boot of the machine with the step
# disk; returns timeout's status. The soft-lockup detector waits 120 s
# (watchdog_thresh=60), not 20: under TCG, on a host shared with other
# VMs, a vCPU of the guest can go without the host's CPU that long while
# kcompactd clears pages during the crisis (clear_page_erms, seen on
# 6.1.0-57).
boot_step()
{
	local name=$1 k=$2 cmd

	debugfs -R "dump /boot/vmlinuz-$k $RUN/vmlinuz" "$RUN/root.img" 2>/dev/null
	debugfs -R "dump /boot/initrd.img-$k $RUN/initrd.img" "$RUN/root.img" 2>/dev/null
	cmd=(flock "$SYS_LOCK" nice -n 10
	     timeout -k 10 "$3"
	     qemu-system-x86_64 -accel tcg -cpu max -m "$SYS_MEM" -smp "$SYS_SMP"
	     -nodefaults -no-user-config -display none -monitor none
	     -serial "file:$RUN/$name.console" -no-reboot
	     -drive "file=$RUN/root.img,format=raw,if=virtio"
	     -drive "file=$RUN/$name.img,format=raw,if=virtio"
	     -kernel "$RUN/vmlinuz" -initrd "$RUN/initrd.img"
	     -append "root=/dev/vda ro console=ttyS0 panic=-1 systemd.show_status=false watchdog_thresh=60")
	printf '%q ' "${cmd[@]}" >"$RUN/$name.cmd"
	echo >>"$RUN/$name.cmd"
	"${cmd[@]}" </dev/null >"$RUN/$name.qemu" 2>&1
}

# fetch NAME FILE: a file of the step disk, to $RUN/NAME.FILE.
fetch()
{
	debugfs -R "dump /$2 $RUN/$1.$2" "$RUN/$1.img" 2>/dev/null
	[ -s "$RUN/$1.$2" ]
}

# run_step STEPFILE: boot once for it; false if the step failed.
run_step()
{
	local t=$1 name k status=0 start why=() splat f

	name=$(basename "$t" .sh)
	k=$(image_kernel "$RUN/root.img")
	step_disk "$t" "$RUN/$name.d" "$RUN/$name.img"
	start=$(date +%s)
	boot_step "$name" "$k" "$(header "$t" timeout 600)" || status=$?
	echo "# system $name: $k booted, the VM ran $(($(date +%s) - start)) s"
	for f in result.tap step.log journal.txt apt-install.log apt-upgrade.log apt-purge.log; do
		rm -f "$RUN/$name.$f"
		fetch "$name" "$f" || rm -f "$RUN/$name.$f"
	done
	[ -e "$RUN/$name.result.tap" ] || : >"$RUN/$name.result.tap"
	guest_results system "$name" "$RUN/$name.result.tap"
	[ "$status" != 124 ] || why+=("timed out after $(header "$t" timeout 600) s")
	[ "$status" = 124 ] || mapfile -t -O ${#why[@]} why < <(end_problem "$RUN/$name.result.tap")
	[ "$COUNT" != 0 ] || why+=("no test results")
	splat=$(splats "$RUN/$name.console" "" | head -n 1)
	[ -z "$splat" ] || why+=("kernel splat: ${splat#\[*\] }")
	if [ ${#why[@]} = 0 ] && ! grep -q '^TAP: not ok' "$RUN/$name.result.tap"; then
		rm -f "$RUN/$name.journal.txt"
		return 0
	fi
	if [ ${#why[@]} != 0 ]; then
		result "not ok" "system $name: $(join "${why[@]}")"
		show_tail "$RUN/$name.console"
	fi
	if [ -e "$RUN/$name.journal.txt" ]; then
		mv "$RUN/$name.journal.txt" "$RUN/$name.journal"
		echo "# system $name: the guest's journal is $RUN/$name.journal"
	else
		# No journal from the step itself: take it from the disk,
		# whose bitmaps are not to be trusted after a timeout (-c).
		rm -rf "$RUN/$name.journal.d"
		mkdir -p "$RUN/$name.journal.d"
		debugfs -c -R "rdump /var/log/journal $RUN/$name.journal.d" \
			"$RUN/root.img" >/dev/null 2>&1 &&
			journalctl -D "$RUN/$name.journal.d/journal" -o short-monotonic \
				--no-pager >"$RUN/$name.journal" 2>&1 &&
			echo "# system $name: the guest's journal is $RUN/$name.journal"
	fi
	return 1
}

main()
{
	local steps=() t start failed='' patterns=("$@")

	sys_deps
	"$SELFTESTS/deps.sh" >&2
	# A full run starts from nothing; some steps reuse what is there.
	[ $# != 0 ] || rm -rf "$RUN"
	mkdir -p "$RUN"
	echo "TAP version 13"

	start=$(date +%s)
	if ! DEB_FILE=$("$TOP/scripts/deb.sh"); then
		result "not ok" "system: make deb"
	else
		result ok "system: make deb: ${DEB_FILE##*/}"
	fi
	if ! gcc -static -O2 -Wall -Werror -o "$SYSTEM/hog" \
		"$SELFTESTS/progs/hog.c" >"$RUN/hog.log" 2>&1; then
		result "not ok" "system: build the hog"
		show_tail "$RUN/hog.log"
	fi
	start=$(date +%s)
	if ! IMAGE=$("$SELFTESTS/system/image.sh"); then
		result "not ok" "system: the Debian 12 image"
	else
		result ok "system: the Debian 12 image (${IMAGE#"$TOP"/}, ready in $(($(date +%s) - start)) s)"
	fi

	for t in "$STEPS"/*.sh; do
		selected "$(basename "$t" .sh)" "${patterns[@]}" && steps+=("$t")
	done
	if [ $FAILED = 0 ]; then
		# A fresh copy of the image, unless only some steps are asked for.
		if [ ${#patterns[@]} = 0 ] || [ ! -e "$RUN/root.img" ]; then
			cp --sparse=always "$IMAGE" "$RUN/root.img"
		fi
		for t in "${steps[@]}"; do
			if [ -n "$failed" ]; then
				result "not ok" "system $(basename "$t" .sh): not run, $failed failed"
				continue
			fi
			run_step "$t" || failed=$(basename "$t" .sh)
		done
	fi
	echo "1..$NUM"
	echo "$PASSED passed, $FAILED failed"
	[ $FAILED = 0 ]
}

main "$@"
