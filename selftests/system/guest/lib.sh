# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# Helpers of the steps of make check-system, in the Debian guest (sh).
# A step runs in the mounted step disk, where it finds step.env, the
# package, the examples of the tree and the hog; its KTAP lines go to
# result.tap there and to the serial console, each with a "TAP: "
# prefix (selftests/run.sh reads them with tap_lines).

# shellcheck disable=SC1091 # written by the host for each step
. ./step.env

N=0
# The step's exit status.
export STEP_FAILED=0
OUT=/tmp/step-check.out
# Every module the package builds (dkms.conf), and the policies of them.
MODULES="oom_policy oom_classic oom_namelist oom_panic oom_forkblame oom_pressure"
POLICIES="oom_classic oom_namelist oom_panic oom_forkblame"

tap()
{
	echo "TAP: $*" >>result.tap
	echo "TAP: $*" >/dev/ttyS0
	sync result.tap 2>/dev/null || sync
}

diag()
{
	tap "# $*"
}

# diag_file FILE [LINES]: the end of a file, as comments.
diag_file()
{
	tail -n "${2:-20}" "$1" | while IFS= read -r l; do diag "$l"; done
}

ok()
{
	N=$((N + 1))
	tap "ok $N - $*"
}

not_ok()
{
	N=$((N + 1))
	STEP_FAILED=1
	tap "not ok $N - $*"
}

# check DESC CMD...: ok if CMD succeeds; otherwise its output, as comments.
check()
{
	desc=$1
	shift
	if "$@" >"$OUT" 2>&1; then
		ok "$desc"
	else
		not_ok "$desc"
		diag_file "$OUT"
	fi
}

# expect DESC GOT WANT
expect()
{
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1"
		diag "got '$2', expected '$3'"
	fi
}

# elapsed START: seconds since START (date +%s).
elapsed()
{
	echo $(($(date +%s) - $1))
}

# wait_for SECONDS CMD...: until CMD succeeds; false on timeout.
wait_for()
{
	t=$1
	shift
	while ! "$@" >/dev/null 2>&1; do
		t=$((t - 1))
		[ $t -gt 0 ] || return 1
		sleep 1
	done
}

# =====================================================================
# Checks shared by the steps
# =====================================================================

check_kernel()
{
	k=$(uname -r)
	case $k in
	"$EXPECT_SERIES".*) ok "booted $k ($EXPECT_SERIES), systemd as PID 1: $(readlink /proc/1/exe)" ;;
	*) not_ok "booted $k, expected a $EXPECT_SERIES kernel" ;;
	esac
	# initramfs-tools leaves /run/initramfs behind; the kernel says it
	# unpacked and freed an initrd.
	if [ -d /run/initramfs ] &&
	   journalctl -k -b | grep -q 'Freeing initrd memory'; then
		ok "booted through its own initramfs (/boot/initrd.img-$k)"
	else
		not_ok "booted through its own initramfs"
	fi
	expect "the root file system is /dev/vda, read-write" \
		"$(findmnt -n -o SOURCE,OPTIONS / | sed 's/ \(r[ow]\),.*/ \1/')" "/dev/vda rw"
}

# option MODULE PARAM: its value in /etc/modprobe.d/MODULE.conf.
option()
{
	sed -n "s/^options $1 .*\<$2=\([^ ]*\).*/\1/p" "/etc/modprobe.d/$1.conf"
}

# check_loaded: the configuration of the examples is loaded and active.
check_loaded()
{
	k=$(uname -r)
	policy=$(grep -v '^#' /etc/modules-load.d/oom-policy.conf | grep . | tail -n 1)
	check "systemd-modules-load.service succeeded" \
		systemctl is-active systemd-modules-load.service
	for m in oom_policy "$policy"; do
		check "$m is loaded at boot, from updates/dkms of $k" \
			sh -c "grep -q '^$m ' /proc/modules &&
			       modinfo -n $m | grep -q '^/lib/modules/$k/updates/dkms/'"
	done
	for m in $POLICIES; do
		[ "$m" != "$policy" ] || continue
		if grep -q "^$m " /proc/modules; then
			not_ok "$m is not loaded (only $policy is named)"
		fi
	done
	expect "the active policy is ${policy#oom_}" \
		"$(cat /sys/kernel/oom_policy/active)" "${policy#oom_}"
	expect "oom_namelist prefer is the configured one" \
		"$(cat /sys/module/oom_namelist/parameters/prefer)" "$(option oom_namelist prefer)"
	expect "oom_namelist avoid is the configured one" \
		"$(cat /sys/module/oom_namelist/parameters/avoid)" "$(option oom_namelist avoid)"
	hook=$(cat /sys/kernel/oom_policy/hook)
	want=$(option oom_policy hook)
	case $want:$hook in
	auto:redirect | auto:kretprobe | redirect:redirect | kretprobe:kretprobe)
		ok "the core's hook is $hook (hook=$want)" ;;
	*) not_ok "the core's hook is $hook (hook=$want)" ;;
	esac
	journalctl -k -b --no-pager | grep 'oom_policy' >/tmp/ours.log
	diag_file /tmp/ours.log 10
	check "journalctl -k shows the policy registered at boot" \
		grep -q "oom_policy: policy ${policy#oom_} registered and active" /tmp/ours.log
}

# unit_prop UNIT PROP
unit_prop()
{
	systemctl show -p "$2" --value "$1"
}

oom_kills()
{
	sed -n 's/^oom_kill //p' /proc/vmstat
}

# crisis: services of different sizes in system.slice, one more grows
# until the kernel must kill; oom_namelist prefers the batch job and
# avoids the database, the largest.
crisis()
{
	p=/sys/module/oom_namelist/parameters
	old_prefer=$(cat $p/prefer)
	old_avoid=$(cat $p/avoid)
	cp hog /usr/local/bin/hog
	rm -f /run/*.ready
	for s in database:400 web:150 batch-report:32; do
		name=${s%%:*}
		systemd-run -q --unit="$name" -p Type=exec \
			/usr/local/bin/hog -n "$name" -m "${s#*:}" -r "/run/$name.ready"
	done
	if ! wait_for 120 sh -c 'ls /run/database.ready /run/web.ready /run/batch-report.ready'; then
		not_ok "crisis: the services did not start"
		systemctl status database web batch-report >"$OUT" 2>&1
		diag_file "$OUT"
		return
	fi
	ok "crisis: database (400 MB), web (150 MB), batch-report (32 MB) running in system.slice"
	check "crisis: oom_namelist prefer=cgroup:/system.slice/batch-* avoid=cgroup:/system.slice/database.service" \
		sh -c "echo 'cgroup:/system.slice/batch-*' >$p/prefer &&
		       echo 'cgroup:/system.slice/database.service' >$p/avoid"
	echo none >/sys/kernel/oom_policy/active
	stock=$(awk 'NR == 3 { print $2 }' /sys/kernel/debug/oom_policy/preview)
	echo namelist >/sys/kernel/oom_policy/active
	diag "the stock choice now: $stock"
	head -n 6 /sys/kernel/debug/oom_policy/preview >"$OUT"
	diag_file "$OUT"
	before=$(oom_kills)
	start=$(date +%s)
	# It grows until some process is OOM-killed, then exits.
	systemd-run -q --unit=leak -p Type=exec /usr/local/bin/hog -n leak -g -o
	wait_for 300 sh -c '[ "$(systemctl show -p SubState --value leak)" = dead ] ||
			    [ "$(systemctl show -p ActiveState --value leak)" = failed ]'
	diag "crisis: the OOM came after $(elapsed "$start") s"
	sleep 2
	expect "crisis: one OOM kill" "$(($(oom_kills) - before))" 1
	expect "crisis: batch-report.service failed with result oom-kill" \
		"$(unit_prop batch-report ActiveState) $(unit_prop batch-report Result)" "failed oom-kill"
	expect "crisis: database.service stays active" "$(unit_prop database ActiveState)" active
	expect "crisis: web.service stays active" "$(unit_prop web ActiveState)" active
	expect "crisis: leak.service (the grower) ended by itself after the kill" \
		"$(unit_prop leak Result)" success
	kills=/tmp/kills.log
	journalctl -k -b --no-pager | grep -e 'oom_policy: namelist: chose' -e 'Out of memory: Killed' >$kills
	diag_file $kills 4
	check "crisis: the kill log names batch-report and the prefer pattern" \
		grep -q "oom_policy: namelist: chose pid [0-9]* (batch-report), .*prefer 'cgroup:/system.slice/batch-\*'" $kills
	check "crisis: systemd logs the unit's oom-kill" \
		sh -c "journalctl -b -u batch-report --no-pager | grep -q \"Failed with result 'oom-kill'\""
	systemctl --failed --no-legend --plain >"$OUT"
	expect "crisis: no other unit failed" "$(awk '{ print $1 }' "$OUT" | paste -sd ' ')" batch-report.service
	systemctl stop database web leak 2>/dev/null
	systemctl reset-failed
	echo "$old_prefer" >$p/prefer
	echo "$old_avoid" >$p/avoid
}
