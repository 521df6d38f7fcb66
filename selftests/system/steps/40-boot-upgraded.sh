# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# The reboot into 6.12: the same configuration loads; the crisis again;
# then apt purge.
# timeout: 1200
# kernel: 6.12
# shellcheck source=selftests/system/guest/lib.sh
. ./lib.sh

check_kernel
check_loaded
crisis
start=$(date +%s)
if apt-get purge -y oom-policy-dkms >apt-purge.log 2>&1; then
	ok "apt purge oom-policy-dkms ($(elapsed "$start") s)"
else
	not_ok "apt purge oom-policy-dkms"
	diag_file apt-purge.log
fi
left=$(ls -d /usr/src/oom-policy-* /var/lib/dkms/oom-policy \
	/usr/share/doc/oom-policy-dkms /lib/modules/*/updates/dkms/oom_*.ko 2>/dev/null)
expect "nothing of the package is left (/usr/src, /var/lib/dkms, /lib/modules, /usr/share/doc)" \
	"$(echo $left)" ""
check "dpkg knows no oom-policy-dkms any more" \
	sh -c '! dpkg -s oom-policy-dkms >/dev/null 2>&1'
check "modprobe no longer finds oom_namelist" sh -c '! modprobe -n oom_namelist'
# The files the administrator copied are not the package's: apt purge
# leaves them, and systemd-modules-load would fail on the policy it no
# longer finds. The administrator removes them too.
for f in /etc/modules-load.d/oom-policy.conf /etc/modprobe.d/oom_*.conf; do
	[ -e "$f" ] && diag "left by apt purge (not the package's): $f"
done
# What the next boot would make of them:
if systemctl restart systemd-modules-load.service >/dev/null 2>&1; then
	diag "with them, systemd-modules-load still succeeds"
else
	diag "with them, systemd-modules-load fails: $(journalctl -b -u systemd-modules-load -n 3 --no-pager -o cat | paste -sd ' ')"
fi
rm -f /etc/modules-load.d/oom-policy.conf /etc/modprobe.d/oom_*.conf
systemctl reset-failed
check "without them, systemd-modules-load succeeds" \
	systemctl restart systemd-modules-load.service
exit "$STEP_FAILED"
