# SPDX-License-Identifier: GPL-2.0
#
# oom_namelist label: patterns, with AppArmor (built into the Debian
# kernels and enabled by default).  The host compiles two profiles
# (progs/apparmor_profiles.sh) and the guest loads them into the kernel:
# webworker, attached to /tmp/webworker, and batchjob, attached to
# /tmp/batchjob.  A small task confined as webworker dies ahead of a much
# larger unconfined database.  Also checked: globs on labels; a label
# first used after the list was written is found by the periodic refresh
# of the label cache; a replaced profile (a new label with a new secid)
# still matches after a refresh.  Without AppArmor or the compiled
# profiles the test skips.
#
# The second victim is small: with the default per-CPU page lists, 6.12
# may keep its freed pages where the allocator's watermark check does not
# count them and kill again (seen once, the database); the lists are kept
# short as in make bench.
#
# sysctl: vm.percpu_pagelist_high_fraction=1000

. /lib.sh

echo -1000 >/proc/self/oom_score_adj

params=/sys/module/oom_namelist/parameters
aa=/sys/kernel/security/apparmor

mkdir -p /sys/kernel/security
mount -t securityfs securityfs /sys/kernel/security 2>/dev/null
if [ ! -e $aa/.load ] || [ ! -e /bin/aa-webworker.bin ]; then
	plan 1
	skip "label: patterns with AppArmor" \
		"no AppArmor in this kernel, or apparmor_parser was missing on the host"
	exit 0
fi

plan 29

# aa_load FILE [replace]: load (or replace) a compiled profile; the
# kernel wants the whole policy in one write.
aa_load()
{
	dd if="$1" of="$aa/.${2:-load}" bs=1M 2>/dev/null
}

# preferred_within PID SECONDS: wait until PID reads oom_score above
# 2000 (preferred); false if it does not within SECONDS.  The label cache
# is refreshed every 5 s; the bound leaves room for a slow emulator.
preferred_within()
{
	local tenths=$(($2 * 10)) start

	start=$tenths

	until [ "$(oom_score "$1")" = 2000 ]; do
		[ "$tenths" -gt 0 ] || return 1
		tenths=$((tenths - 1))
		sleep 0.1
	done
	diag "pid $1 was preferred after $(((start - tenths) / 10)) s"
}

check "load the webworker profile" aa_load /bin/aa-webworker.bin
check "webworker is loaded, enforcing" grep -qx 'webworker (enforce)' $aa/profiles

avail=$(avail_mb)
db_mb=$((avail * 55 / 100))
diag "MemAvailable $avail MB: database $db_mb MB unconfined, php-worker 16 MB as webworker"
db=$(start_hog database "$db_mb")
check "database (unconfined) is ready" alive "${db:-0}"
worker=$(start_exe_hog /tmp/webworker php-worker 16)
check "php-worker (/tmp/webworker) is ready" alive "${worker:-0}"
check "php-worker is confined as webworker" \
	grep -qx 'webworker (enforce)' "/proc/$worker/attr/current"

check "modprobe oom_namelist prefer=label:webworker" \
	load_mod oom_namelist 'prefer=label:webworker'
check "php-worker reads oom_score 2000, the top" [ "$(oom_score "$worker")" = 2000 ]
check "database reads a stock oom_score (below 2000)" \
	[ "$(oom_score "$db")" -lt 2000 ]
check "the preview names the pattern for php-worker" \
	preview_has "$worker" "prefer 'label:webworker'"

check "label:web* matches webworker" \
	[ "$(score_with prefer 'label:web*' "$worker")" = 2000 ]
check "label:worker does not match webworker (the whole label)" \
	[ "$(score_with prefer 'label:worker' "$worker")" -lt 2000 ]
check "label:unconfined matches the unconfined database" \
	[ "$(score_with prefer 'label:unconfined' "$db")" = 2000 ]
check "label:unconfined does not match php-worker" \
	[ "$(oom_score "$worker")" -lt 2000 ]

# A label nobody used when the list was written: the periodic refresh.
check "prefer=label:web*,label:batch*" \
	sh -c "echo 'label:web*,label:batch*' >$params/prefer"
check "load the batchjob profile after the list was written" \
	aa_load /bin/aa-batchjob.bin
nightly=$(start_exe_hog /tmp/batchjob nightly 8)
check "nightly (/tmp/batchjob) is ready" alive "${nightly:-0}"
check "nightly is confined as batchjob" \
	grep -qx 'batchjob (enforce)' "/proc/$nightly/attr/current"
check "nightly is preferred within 15 s (label cache refreshed)" \
	preferred_within "$nightly" 15

# Replacing a profile gives its tasks a new label, with a new secid.
check "replace the webworker profile" aa_load /bin/aa-webworker-v2.bin replace
diag "php-worker right after the replacement: oom_score $(oom_score "$worker")"
check "php-worker is preferred within 15 s of the replacement" \
	preferred_within "$worker" 15

kills=$(oom_kills)
trigger_oom
check "OOM 1: php-worker (webworker, the larger preferred) was killed" \
	wait_for_pid_exit "$worker" 10
check "OOM 1: the larger database survived" alive "$db"
check "OOM 1: nightly survived" alive "$nightly"
check "OOM 1: exactly one OOM kill" [ $(($(oom_kills) - kills)) -eq 1 ]
check "OOM 1: the kill log names the pattern" \
	policy_killed namelist "$worker" php-worker "prefer 'label:web\*'"

kills=$(oom_kills)
trigger_oom
check "OOM 2: nightly (batchjob) was killed" wait_for_pid_exit "$nightly" 10
check "OOM 2: the database survived" alive "$db"
check "OOM 2: the kill log names the pattern" \
	policy_killed namelist "$nightly" nightly "prefer 'label:batch\*'"

check "modprobe -r oom_namelist" unload_mod oom_namelist
