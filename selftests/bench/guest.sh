# SPDX-License-Identifier: GPL-2.0
#
# The guest side of selftests/bench.sh, run as /test.sh: what the OOM
# killer costs with each policy, against the stock kernel, in one VM.
# /bench.conf (written by bench.sh) sets COUNTS, ROUNDS, OOMS, PASSES,
# VICTIM_MB and SLACK_MB.
#
# Results are lines "BENCH <what> <processes> <config> <value>" on the
# console; bench.sh turns them into the table.  Configurations:
#   stock      no module loaded
#   kretprobe  the core alone, hook=kretprobe, no policy active
#   none       the core loaded (default hook), no policy active
#   classic    oom_classic mode=modern
#   legacy     oom_classic mode=legacy
#   namelist   oom_namelist with patterns that match none of the tasks
#   listed     oom_namelist with one avoid pattern more, which 1 in 100
#              of the sleepers match ("sleeper-listed"): the scan looks
#              each task up, and matches the listed ones (avoided, so
#              that the victim is still the one killed)
#   forkblame  oom_forkblame with its defaults
#   panic      oom_panic threshold=1000 window_s=1, so it never panics
#
# Each round runs every configuration once, the order reversed every
# other round, so that drifts and the noise of a shared machine hit all
# of them alike.  The console stays quiet (loglevel=1): printing the OOM
# report on a serial line would cost more than the OOM killer itself.
#
# qemu-mem: 3072
# qemu-smp: 1
# timeout: 1500
# append: loglevel=1
# sysctl: vm.oom_dump_tasks=0
# sysctl: vm.percpu_pagelist_high_fraction=1000
#
# vm.percpu_pagelist_high_fraction: by default these kernels let each CPU
# keep up to the zone's low watermark in freed pages on its own lists,
# which the watermark check does not count.  The victim's memory then
# lands there, the allocating task still sees too little free memory,
# and the kernel goes on to kill one small process after another, dozens
# per OOM.  Short per-CPU lists make one OOM one kill, as it should be.

. /lib.sh
. /bench.conf

T=/sys/kernel/tracing
CONFIGS=${CONFIGS:-stock kretprobe none classic legacy namelist listed forkblame panic}
MODULES="oom_policy oom_classic oom_namelist oom_forkblame oom_panic"

# Eight patterns that match no task here, so every task is matched
# against all of them (comm and executable) and falls through: the
# worst case for oom_namelist.
# Busybox modprobe quotes a value with spaces for the kernel itself.
NAMELIST_AVOID="postgres*,mysqld,sshd,Xorg"
NAMELIST_ARGS="'prefer=firefox*,chrom*,Web Content,java' 'avoid=$NAMELIST_AVOID'"
# One sleeper in LISTED_EVERY is called sleeper-listed (forker -l).
LISTED_EVERY=100
PANIC_ARGS="threshold=1000 window_s=1"

say()
{
	echo "BENCH $*"
}

die()
{
	say "error $*"
	fail "$*"
	exit 1
}

# Only the sleepers and the victims may be killed: this shell, the filler
# and the task that causes the OOMs inherit -1000.
echo -1000 >/proc/self/oom_score_adj

# ---------------------------------------------------------------------
# Modules
# ---------------------------------------------------------------------

# What is loaded: nothing, "kretprobe" (the core alone with that hook),
# or "all" (every module, the default hook).
LOADED=

# load_command MODULE: the modprobe command line for MODULE.
load_command()
{
	case $1 in
	oom_namelist) echo "modprobe oom_namelist $NAMELIST_ARGS" ;;
	oom_panic) echo "modprobe oom_panic $PANIC_ARGS" ;;
	*) echo "modprobe $1" ;;
	esac
}

unload_all()
{
	local m rev=

	for m in $MODULES; do
		rev="$m $rev"
	done
	for m in $rev; do
		! grep -q "^$m " /proc/modules || rmmod $m || die "cannot unload $m"
	done
	LOADED=
}

# load_set SET: make SET (see LOADED) the loaded modules.
load_set()
{
	local m

	[ "$LOADED" != "$1" ] || return 0
	unload_all
	case $1 in
	kretprobe) modprobe oom_policy hook=kretprobe || die "cannot load the core" ;;
	all)
		for m in $MODULES; do
			eval "$(load_command $m)" || die "cannot load $m"
		done
		;;
	esac
	LOADED=$1
}

# use CONFIG: make CONFIG the one the kernel runs with.
use()
{
	local active=$1 mode= avoid=

	case $1 in
	stock) load_set ""; return ;;
	kretprobe) load_set kretprobe; return ;;
	classic) active=classic mode=modern ;;
	legacy) active=classic mode=legacy ;;
	namelist) avoid=$NAMELIST_AVOID ;;
	listed) active=namelist avoid="$NAMELIST_AVOID,sleeper-listed" ;;
	esac
	load_set all
	[ -z "${mode:-}" ] || echo $mode >/sys/module/oom_classic/parameters/mode
	[ -z "${avoid:-}" ] ||
		echo "$avoid" >/sys/module/oom_namelist/parameters/avoid
	echo $active >/sys/kernel/oom_policy/active
}

# ---------------------------------------------------------------------
# What the modules weigh
# ---------------------------------------------------------------------

# Allocations still live after loading MODULE that it asked for: made in
# its init function (a stack through do_one_initcall()), while setting
# its parameters (parse_args()), or by a function of ours (the call site
# is in an oom_* module), from the kmem trace events of the modprobe
# process; the frees of every task are traced.  Stack frames name no
# module, and the loader's own records (do_init_module() without
# do_one_initcall()) are not the module's.
module_memory()
{
	local m=$1 e

	echo 0 >$T/tracing_on
	echo >$T/trace
	echo 8192 >$T/buffer_size_kb
	# The filter names the pid of the shell that then becomes modprobe.
	cat >/tmp/load.sh <<-END
		for e in kmalloc kmem_cache_alloc; do
			echo "stacktrace if common_pid == \$\$" >$T/events/kmem/\$e/trigger
			echo "common_pid == \$\$" >$T/events/kmem/\$e/filter
		done
		for e in kmalloc kmem_cache_alloc kfree kmem_cache_free; do
			echo 1 >$T/events/kmem/\$e/enable
		done
		echo 1 >$T/tracing_on
		exec $(load_command $m)
	END
	sh /tmp/load.sh || die "cannot load $m"
	# Objects freed by RCU callbacks go a little later.
	sleep 2
	echo 0 >$T/tracing_on
	for e in kmalloc kmem_cache_alloc kfree kmem_cache_free; do
		echo 0 >$T/events/kmem/$e/enable
	done
	for e in kmalloc kmem_cache_alloc; do
		echo '!stacktrace' >$T/events/kmem/$e/trigger
		echo 0 >$T/events/kmem/$e/filter
	done
	awk -v m=$m '
		function field(name,	i) {
			for (i = 1; i <= NF; i++)
				if (index($i, name "=") == 1)
					return substr($i, length(name) + 2)
			return ""
		}
		/ (kmalloc|kmem_cache_alloc): / {
			cur = field("ptr")
			size[cur] = field("bytes_alloc")
			own[cur] = $0 ~ /call_site=[^ ]* \[oom_/
			next
		}
		/<stack trace>/ { next }
		/^ *=> / {
			if (cur != "" && ($2 == "do_one_initcall" || $2 == "parse_args"))
				own[cur] = 1
			next
		}
		/ (kfree|kmem_cache_free): / {
			p = field("ptr")
			delete size[p]
			delete own[p]
		}
		{ cur = "" }
		END {
			for (p in size)
				if (own[p]) {
					bytes += size[p]
					n++
				}
			printf "BENCH alloc 0 %s %d %d\n", m, bytes, n
		}' $T/trace
	echo >$T/trace
	echo 1408 >$T/buffer_size_kb
	echo 1 >$T/tracing_on
}

measure_modules()
{
	local m

	for m in $MODULES; do
		module_memory $m
	done
	LOADED=all
	awk '/^oom_/ { print "BENCH size 0 " $1 " " $2 }' /proc/modules
	say info 0 hook "$(cat /sys/kernel/oom_policy/hook)"
	say info 0 namelist_prefer "$(cat /sys/module/oom_namelist/parameters/prefer)"
	say info 0 namelist_avoid "$(cat /sys/module/oom_namelist/parameters/avoid)"
	unload_all
}

# ---------------------------------------------------------------------
# Processes
# ---------------------------------------------------------------------

SLEEPERS=0
FILLER=

# add_sleepers N: N more small sleeping processes, killable (adj 0).  Their
# parent gets -1000 once they exist: it is not a candidate, only they are.
add_sleepers()
{
	local pid ready=/tmp/sleepers.$SLEEPERS

	sh -c "echo 0 >/proc/self/oom_score_adj; exec forker -n sleeper -l $LISTED_EVERY -r $ready $1" \
		</dev/null >/dev/console 2>&1 &
	pid=$!
	while [ ! -s $ready ]; do
		alive $pid || die "forker $1 died"
		sleep 0.5
	done
	echo -1000 >/proc/$pid/oom_score_adj
	SLEEPERS=$((SLEEPERS + $1))
}

# unfill: give the filler's memory back.
unfill()
{
	[ -n "$FILLER" ] || return 0
	kill -9 $FILLER
	wait_for_pid_exit $FILLER 60 || die "the filler does not go"
	FILLER=
}

# fill: hold all memory but what a victim and the slack need, so that
# each OOM needs only a short allocation.
fill()
{
	local avail mb

	avail=$(sed -n 's/^MemAvailable: *\([0-9]*\) kB/\1/p' /proc/meminfo)
	mb=$((avail / 1024 - VICTIM_MB - SLACK_MB))
	FILLER=$(start_hog filler $mb -1000) || die "filler of $mb MB"
	say info $SLEEPERS memavailable_kb_before_fill $avail
	say info $SLEEPERS filler_mb $mb
}

# ---------------------------------------------------------------------
# One measurement
# ---------------------------------------------------------------------

# measure CONFIG: OOMS OOMs, then PASSES reads of every oom_score, then
# 5 batches of 40 starts of /bin/true.
measure()
{
	local c=$1 n=$SLEEPERS

	use $c
	echo >$T/trace
	oomloop -k "$OOMS" -v "$VICTIM_MB" >/tmp/oomloop.out ||
		die "oomloop failed with $c and $n processes"
	# Time inside out_of_memory() for each call that marked a victim:
	# an entry, one mark_victim, the return.
	awk -v n=$n -v c=$c '
		{
			for (i = 1; i <= NF; i++)
				if ($i ~ /^[0-9]+\.[0-9]+:$/) {
					ts = substr($i, 1, length($i) - 1)
					break
				}
		}
		/ oomin: / { start = ts; inside = 1; victims = 0; next }
		/ mark_victim: / { victims++; next }
		/ oomout: / {
			if (inside && victims == 1)
				printf "BENCH sel %d %s %d\n", n, c, (ts - start) * 1000000
			else
				other++
			inside = 0
		}
		END { printf "BENCH othercalls %d %s %d\n", n, c, other }' $T/trace
	awk -v n=$n -v c=$c '
		{ printf "BENCH stall %d %s %s\n", n, c, $4
		  if ($8 != 1) printf "BENCH kills %d %s %s\n", n, c, $8 }' \
		/tmp/oomloop.out
	scoreread -p "$PASSES" | awk -v n=$n -v c=$c '
		{ printf "BENCH score %d %s %s\n", n, c, $4
		  printf "BENCH files %d %s %s\n", n, c, $6 }'
	spawnloop -b 5 -n 40 /bin/true | awk -v n=$n -v c=$c '
		{ printf "BENCH spawn %d %s %s\n", n, c, $4 }'
}

# ---------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------

[ -e $T/kprobe_events ] || die "no tracefs kprobe events"
echo 'p:oomin out_of_memory' >>$T/kprobe_events || die "kprobe event"
echo 'r:oomout out_of_memory' >>$T/kprobe_events || die "kretprobe event"
echo 1 >$T/events/kprobes/oomin/enable
echo 1 >$T/events/kprobes/oomout/enable
echo 1 >$T/events/oom/mark_victim/enable

say info 0 kernel "$(uname -r)"
measure_modules

for count in $COUNTS; do
	unfill
	add_sleepers $((count - SLEEPERS))
	fill
	say info $SLEEPERS processes "$(ls -d /proc/[0-9]* | wc -l)"
	r=1
	while [ $r -le "$ROUNDS" ]; do
		order=$CONFIGS
		if [ $((r % 2)) = 0 ]; then
			order=
			for c in $CONFIGS; do
				order="$c $order"
			done
		fi
		for c in $order; do
			measure $c
		done
		say info $SLEEPERS round_done $r
		r=$((r + 1))
	done
	load_set all
	say info $SLEEPERS missed "$(cat /sys/kernel/oom_policy/missed)"
	say info $SLEEPERS memavailable_kb "$(sed -n 's/^MemAvailable: *\([0-9]*\) kB/\1/p' /proc/meminfo)"
done

unload_all
pass "benchmark ran"
