# SPDX-License-Identifier: GPL-2.0
#
# Configuration as an administrator writes it: the example files of
# examples/modprobe.d, installed in /etc/modprobe.d, give each module its
# options when modprobe loads it by name, the core's too when a policy
# pulls it in; examples/modules-load.d names a policy that loads and
# becomes active; a bad value in /etc/modprobe.d fails the load.
#
# Every value an example sets must read back from
# /sys/module/<module>/parameters, and for each policy at least one of
# them must differ from what the module reads without the file (or the
# file could be ignored unnoticed).

. /lib.sh

EX=/examples
CONF=/etc/modprobe.d

# Option values are globs (prefer=firefox*): never expand them here.
set -f

# options MODULE: the "name=value" words of MODULE's example.
options()
{
	sed -n "s/^options $1 //p" "$EX/modprobe.d/$1.conf"
}

# param MODULE NAME: the value as the module reports it.
param()
{
	cat "/sys/module/$1/parameters/$2"
}

clear_conf()
{
	rm -rf "$CONF"
	mkdir -p "$CONF"
}

unload_all()
{
	local m

	for m in oom_classic oom_namelist oom_panic oom_forkblame oom_policy; do
		[ ! -d "/sys/module/$m" ] || rmmod "$m"
	done
}

# policy MODULE NAME: load MODULE bare, then with its example installed.
policy()
{
	local m=$1 opt differs= bad=

	clear_conf
	if ! modprobe "$m"; then
		fail "modprobe $m without configuration"
		return
	fi
	for opt in $(options "$m"); do
		[ "$(param "$m" "${opt%%=*}")" = "${opt#*=}" ] || differs=1
	done
	unload_all

	cp "$EX/modprobe.d/$m.conf" "$CONF/"
	check "modprobe $m with $CONF/$m.conf" modprobe "$m" || return
	for opt in $(options "$m"); do
		[ "$(param "$m" "${opt%%=*}")" = "${opt#*=}" ] ||
			bad="$bad ${opt%%=*}=$(param "$m" "${opt%%=*}")"
	done
	if [ -z "$bad" ]; then
		pass "$m has the options of its example: $(echo $(options "$m"))"
	else
		fail "$m ignored its example:$bad"
	fi
	check "the example changes something in $m" [ -n "$differs" ]
	check "$2 is the active policy" \
		[ "$(cat /sys/kernel/oom_policy/active)" = "$2" ]
	unload_all
}

plan 24

check "the examples are in the guest" [ -d "$EX/modprobe.d" ]
clear_conf

# The core's example (hook=auto, the default) loads as it is; options of
# the core apply when a policy pulls the core in.
cp "$EX/modprobe.d/oom_policy.conf" "$CONF/"
check "modprobe oom_policy with its example" modprobe oom_policy
check "hook reads auto" [ "$(param oom_policy hook)" = auto ]
unload_all
echo "options oom_policy hook=kretprobe" >"$CONF/oom_policy.conf"
load_mod oom_classic || fail "modprobe oom_classic"
check "modprobe oom_classic loads the core with hook=kretprobe" \
	[ "$(cat /sys/kernel/oom_policy/hook)" = kretprobe ]
unload_all

policy oom_classic classic
policy oom_namelist namelist
policy oom_panic panic
policy oom_forkblame forkblame

# /etc/modules-load.d: one policy, loaded with its options at boot the
# way systemd-modules-load does it: modprobe for each name.
clear_conf
for m in oom_policy oom_classic oom_namelist oom_panic oom_forkblame; do
	cp "$EX/modprobe.d/$m.conf" "$CONF/"
done
names=$(grep -v '^#' "$EX/modules-load.d/oom-policy.conf" | grep .)
check "modules-load.d names one module" [ "$(echo "$names" | wc -l)" = 1 ]
for m in $names; do
	modprobe "$m" || fail "modprobe $m from modules-load.d"
done
check "the policy of modules-load.d is active: $names" \
	[ "$(cat /sys/kernel/oom_policy/active)" = "${names#oom_}" ]
unload_all

# A typo in /etc/modprobe.d fails the load, naming the parameter.
echo "options oom_classic mode=legacyy" >"$CONF/oom_classic.conf"
check "modprobe fails on a bad value from $CONF" \
	sh -c '! modprobe oom_classic'
check "the log names the parameter" \
	dmesg_grep "oom_classic: mode: 'legacyy' is not a mode"
