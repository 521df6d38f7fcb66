# SPDX-License-Identifier: GPL-2.0
#
# The demo's memory crisis, run once per policy in one guest. The same
# four processes meet every time:
#
#   postgres     root, the database, the largest
#   cc1plus      uid 1000, a build job
#   firefox-bin  uid 1000, a browser
#   backup       root, grows until the kernel must kill someone
#
# and one line per policy says who died. Then a supervisor that respawns
# a runaway worker meets the stock kernel and oom_forkblame.

. /lib.sh

# The 2.6 heuristic adds half of each child's size to its parent: keep
# this shell out of every ranking (the hogs set their own oom_score_adj).
echo -1000 >/proc/$$/oom_score_adj

AVAIL=$(($(sed -n 's/^MemAvailable: *\([0-9]*\).*/\1/p' /proc/meminfo) / 1024))
PG_MB=$((AVAIL * 40 / 100))
CC_MB=$((AVAIL * 15 / 100))
FF_MB=$((AVAIL * 10 / 100))

# crisis LABEL: the four processes, one OOM, and who survived.
crisis()
{
	local pg cc ff victim survivors="" pid name mb

	pg=$(start_hog postgres $PG_MB)
	cc=$(start_hog cc1plus $CC_MB 0 1000)
	ff=$(start_hog firefox-bin $FF_MB 0 1000)
	trigger_oom backup 0
	sleep 1
	victim=$(last_kill)
	for pid in $pg $cc $ff; do
		alive "$pid" && survivors="$survivors $(cat /proc/$pid/comm)"
	done
	name=${victim#* }
	case $name in
	postgres) mb=$PG_MB ;;
	cc1plus) mb=$CC_MB ;;
	firefox-bin) mb=$FF_MB ;;
	*) mb="~$((AVAIL - PG_MB - CC_MB - FF_MB))" ;;
	esac
	demo_row "crisis|$1|${victim% *}|$name|$mb MB|${survivors# }"
	kill -9 $pg $cc $ff 2>/dev/null
	sleep 1
}

crisis "stock kernel"

modprobe oom_classic mode=modern
crisis "classic mode=modern"
echo legacy >/sys/module/oom_classic/parameters/mode
crisis "classic mode=legacy"
rmmod oom_classic

modprobe oom_namelist prefer='firefox*' avoid='postgres*'
crisis "namelist prefer=firefox* avoid=postgres*"
rmmod oom_namelist

# A supervisor that respawns a worker growing until it is OOM-killed.
# spawn LABEL: six OOMs, or fewer if the supervisor dies first, then
# who the kernel killed.
spawn()
{
	local sup before workers killed_sup=no

	# Killable, unlike this shell: oom_score_adj is inherited. In a
	# session of its own, so that its process group holds every worker
	# it forked, renamed yet or not.
	(echo 0 >/proc/self/oom_score_adj &&
		exec setsid spawner -n supervisor -c 16 -d 200 -m 8) \
		</dev/null >/dev/null 2>&1 &
	sup=$!
	before=$(oom_kills)
	while [ $(($(oom_kills) - before)) -lt 6 ] && alive $sup; do
		sleep 0.5
	done
	alive $sup || killed_sup=yes
	# The whole group, until none is left for the next row to meet.
	while kill -9 -- -$sup 2>/dev/null; do
		sleep 0.2
	done
	# This supervisor's workers killed while it lived: pids after its
	# own (the guest's pids do not wrap); an orphan still growing after
	# the supervisor died may be killed too, and is not counted.
	workers=$(dmesg | awk -v sup=$sup '
		/Killed process [0-9]+ \(supervisor\)/ { exit }
		/Killed process [0-9]+ \(supervisor-chi/ {
			pid = $0
			sub(/.*Killed process /, "", pid)
			if (pid + 0 > sup)
				n++
		}
		END { print n + 0 }')
	demo_row "spawn|$1|$workers|$killed_sup"
	dmesg -c >/dev/null
}

dmesg -c >/dev/null
spawn "stock kernel"
modprobe oom_forkblame threshold=3 && spawn "forkblame threshold=3"
rmmod oom_forkblame 2>/dev/null
