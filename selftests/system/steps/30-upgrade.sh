# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# A kernel upgrade: the 6.12 kernel and its headers, from apt's cache of
# the image (the machine has no network). DKMS builds our modules for it
# during the install.
# timeout: 2400
# kernel: 6.1
# shellcheck source=selftests/system/guest/lib.sh
. ./lib.sh

check_kernel
start=$(date +%s)
# Without the recommended packages, which the image did not download.
if apt-get install -y --no-download --no-install-recommends \
	linux-image-6.12-amd64 linux-headers-6.12-amd64 \
	>apt-upgrade.log 2>&1; then
	ok "apt-get install linux-image-6.12-amd64 linux-headers-6.12-amd64 ($(elapsed "$start") s)"
else
	not_ok "apt-get install linux-image-6.12-amd64 linux-headers-6.12-amd64"
	diag_file apt-upgrade.log
fi
grep -i -e dkms -e 'oom-policy' -e 'autoinstall' -e 'Installing to' -e 'update-initramfs' apt-upgrade.log >"$OUT"
diag_file "$OUT" 15
k12=$(ls /lib/modules | grep '^6\.12\.' | sort -V | tail -n 1)
if [ -z "$k12" ]; then
	not_ok "a 6.12 kernel is in /lib/modules"
	exit 1
fi
check "apt's output shows DKMS installing the modules for $k12" \
	grep -q "Installing to /lib/modules/$k12/updates/dkms" apt-upgrade.log
check "dkms status: oom-policy installed for $k12" \
	sh -c "dkms status -m oom-policy -k $k12 | grep -q ': installed'"
for m in $MODULES; do
	check "modinfo -k $k12 $m: updates/dkms" \
		sh -c "modinfo -k $k12 -n $m | grep -q '^/lib/modules/$k12/updates/dkms/$m.ko'"
done
check "/boot has vmlinuz-$k12 and initrd.img-$k12" \
	test -s "/boot/vmlinuz-$k12" -a -s "/boot/initrd.img-$k12"
exit "$STEP_FAILED"
