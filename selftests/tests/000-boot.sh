# SPDX-License-Identifier: GPL-2.0
#
# The guest environment every other test relies on: pseudo file systems,
# the memory controller, our programs, and a module tree that modprobe
# can resolve (checked only for the modules that exist yet).
#
# needs-modules: no

. /lib.sh

mounted()
{
	grep -q " $1 $2 " /proc/mounts
}

# has_mod NAME: the module was built and copied into the guest.
has_mod()
{
	[ -e "/lib/modules/$(uname -r)/extra/$1.ko" ]
}

check "proc is mounted" mounted /proc proc
check "sysfs is mounted" mounted /sys sysfs
check "debugfs is mounted" mounted /sys/kernel/debug debugfs
check "cgroup2 is mounted" mounted /sys/fs/cgroup cgroup2
check "the memory controller is available" \
	grep -qw memory /sys/fs/cgroup/cgroup.controllers
check "no swap" [ "$(sed -n 's/^SwapTotal: *\([0-9]*\).*/\1/p' /proc/meminfo)" = 0 ]
for prog in hog spawner forker; do
	check "$prog is installed" [ -x "/bin/$prog" ]
done
diag "$(grep -E 'MemTotal|MemAvailable' /proc/meminfo | tr -s ' ' | tr '\n' ' ')"

if has_mod oom_policy; then
	check "modprobe resolves oom_policy" modprobe -D oom_policy
else
	skip "modprobe resolves oom_policy" "oom_policy.ko not built yet"
fi

# oom_classic uses oom_policy's symbols: modprobe must load both.
if has_mod oom_classic; then
	check "modprobe oom_classic" load_mod oom_classic
	check "oom_policy came along as a dependency" grep -q '^oom_policy ' /proc/modules
	check "modprobe -r oom_classic" unload_mod oom_classic
else
	skip "modprobe oom_classic pulls in oom_policy" "oom_classic.ko not built yet"
fi
