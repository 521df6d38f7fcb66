# SPDX-License-Identifier: GPL-2.0
#
# oom_panic's parameters: a bad value at load time fails the load with a
# message naming the parameter and what it accepts; at run time a bad
# write fails and the old value stays; every good value is taken.

. /lib.sh

plan 52

P=/sys/module/oom_panic/parameters

# bad_load PARAM VALUE MESSAGE: the load fails and says why.
bad_load()
{
	check "$1=$2 fails the load" sh -c "! modprobe oom_panic $1=$2"
	check "$1=$2: the message names $1 and its range" \
		dmesg_grep "oom_panic: $1: '$2' $3"
	check "$1=$2: oom_panic is not loaded" [ ! -d /sys/module/oom_panic ]
}

range="is out of range; accepted: an integer from"
bad_load threshold 0 "$range 1 to 1000"
bad_load threshold 1001 "$range 1 to 1000"
bad_load threshold two "$range 1 to 1000"
bad_load threshold 0x10 "$range 1 to 1000"
bad_load window_s 0 "$range 1 to 86400"
bad_load window_s 86401 "$range 1 to 86400"
bad_load dump_tasks 101 "$range 0 to 100"
bad_load dump_tasks -1 "$range 0 to 100"
bad_load scope memcg "is not a scope; accepted: global, all"

load_mod oom_panic || fail "modprobe oom_panic"
check "loading oom_panic makes it the active policy" \
	[ "$(cat /sys/kernel/oom_policy/active)" = panic ]
check "defaults: threshold 1, window_s 60, scope global, dump_tasks 10" \
	[ "$(cat $P/threshold $P/window_s $P/scope $P/dump_tasks | tr '\n' ' ')" = "1 60 global 10 " ]

# bad_write PARAM VALUE: the write fails and PARAM keeps its value.
bad_write()
{
	local old

	old=$(cat "$P/$1")
	if printf '%s\n' "$2" >"$P/$1" 2>/dev/null; then
		fail "run-time $1='$2' is refused"
	else
		check "run-time $1='$2' is refused, $1 stays $old" \
			[ "$(cat "$P/$1")" = "$old" ]
	fi
}

# good_write PARAM VALUE: the write is taken.
good_write()
{
	echo "$2" >"$P/$1" 2>/dev/null
	check "run-time $1=$2 is taken" [ "$(cat "$P/$1")" = "$2" ]
}

bad_write threshold 0
bad_write threshold 1001
bad_write threshold ""
bad_write window_s 0
bad_write window_s 86401
bad_write dump_tasks 101
bad_write scope memcg
bad_write scope "global all"
check "a run-time refusal is logged with the range" \
	dmesg_grep "oom_panic: threshold: '1001' is out of range; accepted: an integer from 1 to 1000"

# Decimal, exactly as oom_forkblame reads its numbers (400-forkblame-params).
echo 010 >"$P/threshold" 2>/dev/null
check "run-time threshold=010 is taken as 10: decimal, not octal" \
	[ "$(cat "$P/threshold")" = 10 ]
bad_write threshold 0x10
check "run-time threshold=0x10 is logged with the range" \
	dmesg_grep "oom_panic: threshold: '0x10' is out of range; accepted: an integer from 1 to 1000"

good_write threshold 1000
good_write threshold 1
good_write window_s 86400
good_write window_s 1
good_write dump_tasks 0
good_write dump_tasks 100
good_write scope all
good_write scope global

check "the policy lists oom_panic's settings as its reason" \
	grep -q "panic at 1 OOMs (scope global) in 1 s" /sys/kernel/debug/oom_policy/preview
# rmmod, not modprobe -r, which would take the unused core along.
check "rmmod oom_panic" rmmod oom_panic
check "unloading oom_panic restores the stock behaviour" \
	[ "$(cat /sys/kernel/oom_policy/active)" = none ]
