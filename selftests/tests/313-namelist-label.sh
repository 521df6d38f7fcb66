# SPDX-License-Identifier: GPL-2.0
#
# oom_namelist label: patterns, with AppArmor (built into the Debian
# kernels and enabled by default).  The host compiles two profiles
# (progs/apparmor_profiles.sh) and the guest loads them into the kernel:
# webworker, attached to /tmp/webworker, and batchjob, attached to
# /tmp/batchjob.  A small task confined as webworker dies ahead of a much
# larger unconfined database.  A label: pattern is turned into the
# label's secid when the list is written, and matching compares secids:
# a task that enters a listed profile right before the OOM is matched at
# once (the label cache this replaced saw a label no task had had only
# after up to 5 s) and is the next victim; globs are refused; a label
# that did not exist when the list was written, or was replaced since (a
# new label, with a new secid), is matched once the list is written
# again, not before.
# Without AppArmor or the compiled profiles the test skips.

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

plan 40

# aa_load FILE [replace]: load (or replace) a compiled profile; the
# kernel wants the whole policy in one write.
aa_load()
{
	dd if="$1" of="$aa/.${2:-load}" bs=1M 2>/dev/null
}

glob_refused="is a glob; accepted: label:LABEL, a whole label, without '\\*', '\\?', '\\[' or '\\\\'\$"

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

check "label:web* is refused, the list kept" \
	rejected prefer 'label:web*' "oom_namelist\\.prefer: pattern 1 'label:web\\*' $glob_refused"
check "php-worker is still preferred" [ "$(oom_score "$worker")" = 2000 ]
check "label:worker does not match webworker (the whole label)" \
	[ "$(score_with prefer 'label:worker' "$worker")" -lt 2000 ]
check "label:unconfined matches the unconfined database" \
	[ "$(score_with prefer 'label:unconfined' "$db")" = 2000 ]
check "label:unconfined does not match php-worker" \
	[ "$(oom_score "$worker")" -lt 2000 ]

# A label that does not exist yet: accepted, with a warning, matches
# nothing until the list is written again.
dmesg -c >/dev/null
check "prefer=label:webworker,label:batchjob before batchjob is loaded" \
	set_param prefer 'label:webworker,label:batchjob'
check "the kernel log says label:batchjob matches no task" \
	dmesg_grep "oom_namelist\\.prefer: pattern 2 'label:batchjob' matches no task: no such label now"
check "load the batchjob profile" aa_load /bin/aa-batchjob.bin
early=$(start_exe_hog /tmp/batchjob early 4)
check "early (/tmp/batchjob) is ready, confined as batchjob" \
	grep -qx 'batchjob (enforce)' "/proc/${early:-0}/attr/current"
check "early is not preferred: the list predates its label" \
	[ "$(oom_score "$early")" -lt 2000 ]
kill "$early"
check "early is gone" wait_for_pid_exit "$early" 10

kills=$(oom_kills)
trigger_oom
check "OOM 1: php-worker (webworker) was killed" wait_for_pid_exit "$worker" 10
check "OOM 1: the larger database survived" alive "$db"
check "OOM 1: exactly one OOM kill" [ $(($(oom_kills) - kills)) -eq 1 ]
check "OOM 1: the kill log names the pattern" \
	policy_killed namelist "$worker" php-worker "prefer 'label:webworker'"

# The list written again once batchjob exists, while no task has that
# label; then a task enters it (exec of /tmp/batchjob) right before the
# OOM, with no wait of any kind between its exec and the OOM.  The label
# cache this replaced had no text for a secid no task had when it was
# last rebuilt (when the list was written, then every 5 s).
check "write the list again" set_param prefer 'label:webworker,label:batchjob'
nightly=$(start_exe_hog /tmp/batchjob nightly 8)
score=$(oom_score "${nightly:-0}")
label=$(cat "/proc/${nightly:-0}/attr/current")
kills=$(oom_kills)
trigger_oom
check "nightly (/tmp/batchjob) was confined as batchjob" \
	[ "$label" = 'batchjob (enforce)' ]
diag "nightly's oom_score right after its exec: $score"
check "nightly was preferred right after its exec" [ "${score:-0}" = 2000 ]
check "OOM 2: nightly (batchjob, just started) was killed" \
	wait_for_pid_exit "$nightly" 10
check "OOM 2: the database survived" alive "$db"
check "OOM 2: exactly one OOM kill" [ $(($(oom_kills) - kills)) -eq 1 ]
check "OOM 2: the kill log names the pattern" \
	policy_killed namelist "$nightly" nightly "prefer 'label:batchjob'"

# Replacing a profile gives its tasks a new label, with a new secid.
check "replace the webworker profile" aa_load /bin/aa-webworker-v2.bin replace
worker2=$(start_exe_hog /tmp/webworker php-worker2 8)
check "php-worker2 is confined as webworker" \
	grep -qx 'webworker (enforce)' "/proc/${worker2:-0}/attr/current"
check "php-worker2 is not preferred: the list predates the replacement" \
	[ "$(oom_score "$worker2")" -lt 2000 ]
check "write the list again" \
	sh -c "cat $params/prefer >$params/prefer"
check "php-worker2 is preferred at once" [ "$(oom_score "$worker2")" = 2000 ]

kills=$(oom_kills)
trigger_oom
check "OOM 3: php-worker2 (the replaced webworker) was killed" \
	wait_for_pid_exit "$worker2" 10
check "OOM 3: the database survived" alive "$db"
check "OOM 3: the kill log names the pattern" \
	policy_killed namelist "$worker2" php-worker2 "prefer 'label:webworker'"

check "modprobe -r oom_namelist" unload_mod oom_namelist
