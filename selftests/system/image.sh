#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The Debian 12 disk image of make check-system, built once and cached:
#
#   selftests/system/image.sh      prints the path of the image file
#
# debootstrap (minbase, from the mirror this machine's apt uses) into a
# directory, then apt-get in a chroot: systemd, apt, dkms, Debian's 6.1
# kernel and its headers, with an initramfs that update-initramfs makes;
# the 6.12 kernel and headers are downloaded into apt's cache but not
# installed (the guest installs them offline, as an upgrade). mke2fs -d
# turns the directory into a raw ext4 image: no loop device, no
# partition table (root=/dev/vda). The guest boots it with its own
# kernel and initramfs, copied out of its /boot by the host.
#
# Inside, oom-system-step.service runs at the end of every boot: if a
# second disk labelled OOMSTEP is attached, it mounts it and runs its
# step.sh, then powers the machine off. Without it the machine just
# boots.
#
# The cache is build/system/image-<hash>/, the hash of this file: a
# change here builds a new image. The first build downloads about 300 MB
# of packages.

set -eu

# shellcheck source=selftests/run.sh
. "$(dirname "${BASH_SOURCE[0]}")/../run.sh"

SYSTEM=$OUT/system

# apt_sources: "URI SUITE" of every enabled deb source of this machine
# that is in Debian 12's own suites (bookworm, -updates, -security), in
# both the one-line and the deb822 format.
apt_sources()
{
	local codename f

	codename=$(. /etc/os-release && echo "$VERSION_CODENAME")
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
		 /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		case $f in
		*.sources)
			awk 'BEGIN { RS = ""; FS = "\n" }
			{
				types = uris = suites = ""; enabled = 1
				for (i = 1; i <= NF; i++) {
					if ($i ~ /^#/) continue
					k = $i; sub(/:.*/, "", k)
					v = $i; sub(/^[^:]*: */, "", v)
					if (k == "Types") types = v
					if (k == "URIs") uris = v
					if (k == "Suites") suites = v
					if (k == "Enabled" && v ~ /^no/) enabled = 0
				}
				if (!enabled || types !~ /(^| )deb( |$)/) next
				nu = split(uris, u, " ")
				ns = split(suites, s, " ")
				for (a = 1; a <= nu; a++)
					for (b = 1; b <= ns; b++)
						print u[a], s[b]
			}' "$f"
			;;
		*)
			sed -e 's/#.*//' -e 's/\[[^]]*\]//' "$f" |
				awk '$1 == "deb" { print $2, $3 }'
			;;
		esac
	done | awk -v c="$codename" \
		'$2 == c || $2 == c "-updates" || $2 == c "-security"' |
		awk '!seen[$0]++'
}

# in_chroot DIR CMD...: run CMD in DIR with /proc, /sys and /dev, and no
# service started by a package's scripts.
in_chroot()
{
	local dir=$1 rc=0

	shift
	mount -t proc proc "$dir/proc"
	mount -t sysfs sysfs "$dir/sys"
	mount --bind /dev "$dir/dev"
	mount --bind /dev/pts "$dir/dev/pts"
	DEBIAN_FRONTEND=noninteractive LC_ALL=C chroot "$dir" "$@" || rc=$?
	umount "$dir/dev/pts" "$dir/dev" "$dir/sys" "$dir/proc"
	return $rc
}

# The runner, inside the image: /usr/local/sbin/oom-system-step.
write_runner()
{
	local root=$1

	cat >"$root/usr/local/sbin/oom-system-step" <<'EOF'
#!/bin/sh
# Run the step on the disk labelled OOMSTEP, if there is one, and power
# off. Its KTAP goes to the disk's result.tap (the host reads it) and to
# the serial console.
dev=/dev/disk/by-label/OOMSTEP
[ -e "$dev" ] || exit 0
mkdir -p /mnt/step
mount "$dev" /mnt/step || exit 0
cd /mnt/step || exit 0
rc=0
sh ./step.sh >step.log 2>&1 || rc=$?
journalctl -b -o short-monotonic --no-pager >journal.txt 2>&1
echo "GUEST-DONE rc=$rc" >>result.tap
echo "GUEST-DONE rc=$rc" >/dev/ttyS0
cd /
umount /mnt/step
sync
systemctl poweroff
EOF
	chmod 755 "$root/usr/local/sbin/oom-system-step"
	cat >"$root/etc/systemd/system/oom-system-step.service" <<'EOF'
[Unit]
Description=oom_policy system test step
After=multi-user.target

[Service]
Type=oneshot
ExecStart=/usr/local/sbin/oom-system-step
TimeoutStartSec=infinity

[Install]
WantedBy=multi-user.target
EOF
	ln -sf /etc/systemd/system/oom-system-step.service \
		"$root/etc/systemd/system/multi-user.target.wants/oom-system-step.service"
}

# configure ROOT: what a real machine has that debootstrap does not set.
configure()
{
	local root=$1

	echo oomsys >"$root/etc/hostname"
	printf '127.0.0.1 localhost\n127.0.1.1 oomsys\n' >"$root/etc/hosts"
	echo '/dev/vda / ext4 errors=remount-ro 0 1' >"$root/etc/fstab"
	# The journal on disk, so that every boot's is there.
	mkdir -p "$root/var/log/journal"
	# No login prompt on the console the results share.
	ln -sf /dev/null "$root/etc/systemd/system/serial-getty@ttyS0.service"
	# The machine has no network.
	ln -sf /dev/null "$root/etc/systemd/system/systemd-networkd-wait-online.service"
	# The initramfs holds what this machine boots from and no more: the
	# default, MODULES=most, took update-initramfs past 20 minutes under
	# emulation in step 30. A hook, not /etc/initramfs-tools/modules,
	# which is a conffile of initramfs-tools.
	mkdir -p "$root/etc/initramfs-tools/conf.d" "$root/etc/initramfs-tools/hooks"
	echo MODULES=list >"$root/etc/initramfs-tools/conf.d/oom-system.conf"
	cat >"$root/etc/initramfs-tools/hooks/oom-system" <<'HOOK'
#!/bin/sh
# The root file system's disk and file system (QEMU's virtio, ext4).
[ "$1" = prereqs ] && exit 0
. /usr/share/initramfs-tools/hook-functions
manual_add_modules virtio_pci virtio_blk ext4 crc32c
HOOK
	chmod 755 "$root/etc/initramfs-tools/hooks/oom-system"
	# Keep what apt downloads: the 6.12 kernel waits there.
	echo 'Binary::apt::APT::Keep-Downloaded-Packages "true";' \
		>"$root/etc/apt/apt.conf.d/01keep-debs"
	write_runner "$root"
}

build_image()
{
	local dir=$1 root=$1/root log=$1/build.log mirror start sources

	rm -rf "$dir"
	mkdir -p "$dir"
	mapfile -t sources < <(apt_sources)
	if [ ${#sources[@]} = 0 ]; then
		echo "image.sh: no Debian 12 source in /etc/apt/sources.list*" >&2
		return 1
	fi
	mirror=$(printf '%s\n' "${sources[@]}" | awk '$2 !~ /-/ { print $1; exit }')
	start=$(date +%s)
	echo "image.sh: debootstrap from $mirror" >&2
	if ! debootstrap --variant=minbase --include=systemd-sysv,apt \
		bookworm "$root" "$mirror" >"$log" 2>&1; then
		tail -n 20 "$log" >&2
		return 1
	fi
	printf 'deb %s main\n' "${sources[@]}" >"$root/etc/apt/sources.list"
	configure "$root"
	# shellcheck disable=SC2016 # expanded in the chroot
	if ! in_chroot "$root" sh -ec '
		printf "#!/bin/sh\nexit 101\n" >/usr/sbin/policy-rc.d
		chmod 755 /usr/sbin/policy-rc.d
		apt-get update -q
		apt-get install -y -q --no-install-recommends \
			systemd udev kmod procps initramfs-tools e2fsprogs \
			dkms linux-image-amd64 linux-headers-amd64
		apt-get install -y -q --no-install-recommends --download-only \
			linux-image-6.12-amd64 linux-headers-6.12-amd64
		rm -f /usr/sbin/policy-rc.d
		ls /boot
	' >>"$log" 2>&1; then
		tail -n 30 "$log" >&2
		return 1
	fi
	echo "image.sh: packages installed in $(($(date +%s) - start)) s" >&2
	# 6 GB, sparse: room for the second kernel and its headers.
	if ! mke2fs -q -t ext4 -L oomsys -d "$root" "$dir/root.img" 6G \
		>>"$log" 2>&1; then
		tail -n 20 "$log" >&2
		return 1
	fi
	rm -rf "$root"
	echo "image.sh: image built in $(($(date +%s) - start)) s" >&2
	touch "$dir/complete"
}

image_main()
{
	local key dir

	key=$(sha256sum "${BASH_SOURCE[0]}" | cut -c1-16)
	dir=$SYSTEM/image-$key
	if [ ! -e "$dir/complete" ]; then
		mkdir -p "$SYSTEM"
		exec 9>"$SYSTEM/image.lock"
		flock 9
		[ -e "$dir/complete" ] || build_image "$dir" || return 1
	fi
	echo "$dir/root.img"
}

[ "${BASH_SOURCE[0]}" != "$0" ] || image_main "$@"
