# SPDX-License-Identifier: GPL-2.0
#
# oom_forkblame's parameters, no OOM needed: a bad value at load fails
# the load with one error line naming the parameter and its range; a bad
# write at run time is refused and the old value stays; table_size is
# fixed at load. The defaults read back, the counters are there and read
# only, and while nothing is blamed every oom_score is the stock one.

. /lib.sh

plan 56

echo -1000 >/proc/self/oom_score_adj

params=/sys/module/oom_forkblame/parameters
fb=/sys/kernel/oom_policy/forkblame

# load_refused DESC PARAM=VALUE ERE: the load fails, the module is not
# left loaded, and the kernel log has a line matching ERE.
load_refused()
{
	if load_mod oom_forkblame "$2" 2>/dev/null; then
		fail "load with $2 is refused"
		unload_mod oom_forkblame
	elif loaded oom_forkblame; then
		fail "load with $2 is refused (module left loaded)"
	elif ! dmesg_grep "$3" >/dev/null; then
		fail "load with $2 is refused (no error line /$3/)"
	else
		pass "load with $2 is refused: $1"
	fi
}

# write_refused PARAM VALUE: the write fails and PARAM keeps its value.
write_refused()
{
	local before

	before=$(cat "$params/$1")
	if echo "$2" >"$params/$1" 2>/dev/null; then
		fail "writing '$2' to $1 is refused"
	else
		check "writing '$2' to $1 is refused, $1 stays '$before'" \
			[ "$(cat "$params/$1")" = "$before" ]
	fi
}

write_ok()
{
	check "writing '$2' to $1 is accepted" sh -c "echo '$2' >$params/$1"
	check "$1 reads back '$2'" [ "$(cat "$params/$1")" = "$2" ]
}

range_ere()
{
	echo "oom_forkblame: $1: '$2' is out of range; accepted: an integer from $3 to $4\$"
}

# -- At load ---------------------------------------------------------------

load_refused "below the range" threshold=0 "$(range_ere threshold 0 1 1000)"
load_refused "above the range" threshold=1001 "$(range_ere threshold 1001 1 1000)"
load_refused "not a number" threshold=three "$(range_ere threshold three 1 1000)"
load_refused "hexadecimal" threshold=0x10 "$(range_ere threshold 0x10 1 1000)"
load_refused "below the range" window_s=0 "$(range_ere window_s 0 1 86400)"
load_refused "above the range" window_s=86401 "$(range_ere window_s 86401 1 86400)"
load_refused "below the range" table_size=7 "$(range_ere table_size 7 8 4096)"
load_refused "above the range" table_size=4097 "$(range_ere table_size 4097 8 4096)"
long=$(printf '%070d' 0)
load_refused "a pattern too long" "protect=$long" \
	"oom_forkblame\.protect: pattern 1 has 70 characters"

# -- Defaults --------------------------------------------------------------

hog=$(start_hog plain 16)
check "a hog is ready" alive "${hog:-0}"
stock_score=$(oom_score "${hog:-0}")

check "modprobe oom_forkblame" load_mod oom_forkblame
check "forkblame is the active policy" \
	[ "$(cat /sys/kernel/oom_policy/active)" = forkblame ]
check "threshold defaults to 3" [ "$(cat $params/threshold)" = 3 ]
check "window_s defaults to 60" [ "$(cat $params/window_s)" = 60 ]
check "table_size defaults to 64" [ "$(cat $params/table_size)" = 64 ]
protect=$(cat $params/protect)
diag "default protect=$protect"
for name in init 'systemd*' sshd dropbear; do
	check "the default protect list has $name" \
		sh -c "echo ',$protect,' | grep -qF ',$name,'"
done
check "nothing blamed: the hog's oom_score is the stock one" \
	[ "$(oom_score "${hog:-0}")" = "$stock_score" ]
check "the preview shows the hog as not blamed" \
	sh -c "grep -E '^ *${hog:-0} ' /sys/kernel/debug/oom_policy/preview | grep -q 'not blamed\$'"

for c in child_victims blames parent_kills evictions tracked blamed; do
	check "counter $c reads 0" [ "$(cat "$fb/$c")" = 0 ]
done
check "the counters are read-only" sh -c "! echo 1 >$fb/blames 2>/dev/null"

# -- At run time -----------------------------------------------------------

write_refused threshold 0
write_refused threshold 1001
write_refused threshold -1
write_ok threshold 1000
write_ok threshold 1
# Decimal, exactly as oom_panic reads its numbers (500-panic-params).
check "writing '010' to threshold is accepted" \
	sh -c "echo 010 >$params/threshold"
check "threshold '010' reads back 10: decimal, not octal" \
	[ "$(cat $params/threshold)" = 10 ]
write_refused threshold 0x10
check "'0x10' is refused with the range" \
	dmesg_grep "$(range_ere threshold 0x10 1 1000)"
write_ok threshold 1
write_refused window_s 0
write_refused window_s 86401
write_ok window_s 86400
write_refused table_size 128
write_refused protect "$long"
write_ok protect 'spawner,sh*'
write_ok protect ''
check "a refused run-time write logs the range" \
	dmesg_grep "$(range_ere window_s 86401 1 86400)"

check "modprobe -r oom_forkblame" unload_mod oom_forkblame
check "an explicitly empty protect= at load is kept empty" \
	load_mod oom_forkblame protect=
check "protect reads back empty" [ -z "$(cat $params/protect)" ]
check "modprobe -r oom_forkblame again" unload_mod oom_forkblame
