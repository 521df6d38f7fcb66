# SPDX-License-Identifier: GPL-2.0
#
# mode=legacy counts children and saturates. The 2.6 badness is total_vm,
# address space rather than memory, plus half of each child's, shifted
# left by 15 for oom_score_adj 1000: a family that maps almost all of a
# 47-bit address space, PROT_NONE, passes what the kernel's arithmetic
# can take (proc_oom_score() multiplies a badness by 1000). Its scan
# score must be legacy mode's maximum, its oom_score must stay in
# [0, 2000], and the parent must be the one that dies. Before that, a
# small family checks the children's share in oom_score exactly.

. /lib.sh

# The 2.6 heuristic adds half of each child's size to its parent, so this
# shell, parent of the hogs, would be a candidate: keep it out.
echo -1000 >/proc/$$/oom_score_adj
# Hogs that drop to uid 1000 write their ready file here too.
chmod 1777 /tmp

plan 12

# The highest legacy score: (LONG_MAX / 2 - 1000) / 1000, 64-bit.
MAX=4611686018427386

# totalpages as proc_oom_score() has it: RAM and swap, in pages.
T=$((($(sed -n 's/^MemTotal: *\([0-9]*\).*/\1/p' /proc/meminfo) + \
	$(sed -n 's/^SwapTotal: *\([0-9]*\).*/\1/p' /proc/meminfo)) / 4))

# vm_pages PID: total_vm, in pages.
vm_pages()
{
	echo $(($(sed -n 's/^VmSize:[[:space:]]*\([0-9]*\).*/\1/p' "/proc/$1/status") / 4))
}

# expect_score PID POINTS: oom_score of PID is what the kernel makes of a
# badness of POINTS.
expect_score()
{
	local want=$(((1000 + $2 * 1000 / T) * 2 / 3)) got

	got=$(oom_score "$1")
	[ "$got" = "$want" ] || {
		diag "oom_score of $1: $got, expected $want"
		return 1
	}
}

# in_range: every process's oom_score is in [0, 2000]. By its digits
# first: an unsigned long beyond the shell's numbers must fail too.
in_range()
{
	local f s rc=0

	for f in /proc/[0-9]*/oom_score; do
		s=$(cat "$f" 2>/dev/null) || continue
		case $s in
		[0-9] | [0-9][0-9] | [0-9][0-9][0-9] | [0-9][0-9][0-9][0-9])
			[ "$s" -le 2000 ] && continue ;;
		esac
		diag "$f: $s"
		rc=1
	done
	return $rc
}

# start_hog_vm NAME ADJ UID VMMB KIDS [MB]: start_hog NAME MB ADJ UID,
# with VMMB megabytes of address space reserved ("all": as much as there
# is) and KIDS children forked after that (see hog.c, -V and -k).
start_hog_vm()
{
	HOG_ARGS="-V $4 -k $5" start_hog "$1" "${6:-0}" "$2" "$3"
}

kids_of()
{
	cat "/proc/$1/task/$1/children"
}

load_mod oom_classic mode=legacy || fail "modprobe oom_classic mode=legacy"

# A parent with 64 MB of address space and two children that inherit it,
# young, idle and unprivileged: 2.6 divides nothing, so the parent's
# badness is its total_vm plus total_vm / 2 + 1 of each child.
fam=$(start_hog_vm fam 0 1000 64 2)
set -- $(kids_of "${fam:-0}")
diag "T $T pages; fam ${fam:-?} $(vm_pages "${fam:-0}") pages, kids $*"
check "legacy: a parent's oom_score counts its children" \
	expect_score "${fam:-0}" $(($(vm_pages "${fam:-0}") + \
		$(vm_pages "${1:-0}") / 2 + 1 + $(vm_pages "${2:-0}") / 2 + 1))
check "legacy: a child's oom_score is its own" \
	expect_score "${1:-0}" "$(vm_pages "${1:-0}")"
kill "${fam:-0}"
check "the small family is gone" wait_for_pid_exit "${fam:-0}" 10

# 8 children each add about 64 TB: (1 + 8 / 2) * 2^35 pages, shifted by
# 15, is 5.6e15, above the maximum. Each child alone, 1.1e15, is not.
big=$(start_hog_vm big 1000 1000 all 8 24)
plain=$(start_hog plain 40 0 1000)
set -- $(kids_of "${big:-0}")
diag "big ${big:-?}: $(vm_pages "${big:-0}") pages, $# children"
check "big has 8 children" [ $# -eq 8 ]
check "oom_score of big reads 2000" [ "$(oom_score "${big:-0}")" = 2000 ]
check "oom_score of big's child reads 2000" \
	[ "$(oom_score "${1:-0}")" = 2000 ]
check "every oom_score is in [0, 2000]" in_range

trigger_oom trigger -999
check "big, the saturated parent, was killed" wait_for_pid_exit "${big:-0}" 10
check "the kill log gives big the maximum score" \
	dmesg_grep "oom_policy: classic: chose pid ${big:-0} \(big\), score $MAX, stock -?[0-9]+: legacy heuristic"
check "plain survived" alive "${plain:-0}"
check "one OOM kill happened" [ "$(oom_kills)" -eq 1 ]
check "no child was left uncounted" \
	[ "$(cat /sys/kernel/oom_policy/classic/children_uncounted)" = 0 ]
