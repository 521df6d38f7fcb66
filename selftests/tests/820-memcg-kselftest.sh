# SPDX-License-Identifier: GPL-2.0
#
# The kernel's own memory cgroup OOM selftests (test_memcontrol.c from
# the linux-source package, built static as memcg_oom): the oom_events
# test and the three memory.oom.group tests.  They must give the same
# results with each policy active as with none: a policy changes which
# task dies, never the kernel's memcg OOM semantics (events, group kills,
# oom_score_adj -1000 spared).  oom_panic runs with its defaults, so a
# memcg OOM must not count (scope global); oom_namelist prefers the test
# processes themselves, so that its lists are consulted at every scan;
# by the last tests oom_forkblame blames the test program, whose children
# keep dying.
#
# timeout: 600

. /lib.sh

TESTS="test_memcg_oom_events test_memcg_oom_group_leaf_events
       test_memcg_oom_group_parent_events test_memcg_oom_group_score_events"
# A policy and its parameters, joined by '+'.
CONFIGS="none classic classic+mode=legacy namelist+prefer=memcg_oom+avoid=sh
	 panic forkblame"
P=/sys/kernel/oom_policy

plan $((3 + 5 * 2))

# results FILE: the KTAP result lines of a run, without their numbers.
results()
{
	sed -n 's/^\(not ok\|ok\) [0-9]* /\1 /p' "$1"
}

# run CONFIG OUT: unload the policies, load CONFIG's and run the tests
# into OUT.
run()
{
	local name=${1%%+*} params='' m

	case $1 in *+*) params=$(echo "${1#*+}" | tr + ' ') ;; esac
	for m in oom_classic oom_namelist oom_panic oom_forkblame; do
		! grep -q "^$m " /proc/modules || rmmod $m
	done
	modprobe oom_policy || return
	if [ "$name" != none ]; then
		# shellcheck disable=SC2086 # one word per parameter
		modprobe "oom_$name" $params || return
	fi
	[ "$(cat $P/active)" = "$name" ] || return
	# shellcheck disable=SC2086 # one word per test
	memcg_oom $TESTS >"$2" 2>&1
	return 0
}

for config in $CONFIGS; do
	out=/tmp/$config.out
	check "$config: the tests ran" run "$config" "$out"
	results "$out" >/tmp/$config.results
	if [ "$config" = none ]; then
		grep -v '# SKIP' /tmp/none.results | while read -r line; do
			diag "none: $line"
		done
		check "none: all four tests ran" \
			[ "$(grep -vc '# SKIP' /tmp/none.results)" = 4 ]
		check "none: test_memcg_oom_events passes" \
			grep -qx 'ok test_memcg_oom_events' /tmp/none.results
		continue
	fi
	if ! cmp -s /tmp/$config.results /tmp/none.results; then
		while read -r line; do
			diag "$config: $line"
		done </tmp/$config.results
	fi
	check "$config: the same results as with no policy" \
		cmp -s /tmp/$config.results /tmp/none.results
done
