# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# The first boot: install the package built from this tree with apt, and
# configure the machine with the examples, as an administrator would.
# timeout: 1500
# kernel: 6.1
# shellcheck source=selftests/system/guest/lib.sh
. ./lib.sh

check_kernel
check "no failed unit at the first boot" \
	sh -c '[ -z "$(systemctl --failed --no-legend --plain)" ] || { systemctl --failed; false; }'
deb=$(ls oom-policy-dkms_*.deb)
start=$(date +%s)
if apt-get install -y ./"$deb" >apt-install.log 2>&1; then
	ok "apt install ./$deb ($(elapsed "$start") s)"
else
	not_ok "apt install ./$deb"
fi
grep -i -e dkms -e 'oom-policy' -e 'Building' apt-install.log >"$OUT"
diag_file "$OUT" 15
k=$(uname -r)
check "dkms built and installed oom-policy for $k" \
	sh -c "dkms status -m oom-policy -k $k | grep -q ': installed'"
for m in $MODULES; do
	check "modinfo $m: /lib/modules/$k/updates/dkms" \
		sh -c "modinfo -n $m | grep -q '^/lib/modules/$k/updates/dkms/$m.ko'"
done
check "installing loads nothing" sh -c '! grep -q "^oom_" /proc/modules'
ex=/usr/share/doc/oom-policy-dkms/examples
check "the package's examples are the tree's" diff -r examples "$ex"
cp "$ex"/modprobe.d/*.conf /etc/modprobe.d/
cp "$ex"/modules-load.d/*.conf /etc/modules-load.d/
ok "examples copied to /etc/modprobe.d and /etc/modules-load.d: $(cd "$ex" && echo modprobe.d/*.conf modules-load.d/*.conf)"
exit "$STEP_FAILED"
