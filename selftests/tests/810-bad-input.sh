# SPDX-License-Identifier: GPL-2.0
#
# Bad input, as a table: every module parameter of every module and every
# file of /sys/kernel/oom_policy gets its invalid values (empty, too
# long, out of range, of the wrong type, non-printable, lists too long,
# unknown keys, unknown policy names, writes by a user who is not root).
# Each one must fail with the error in the table and leave things as
# they were: at load time the module stays out, at run time the file
# reads as before; and for a value the module itself refuses, one kernel
# log line names the parameter and what it accepts.
#
# A row is: how (load or write), the user (0 or 1000), the file (a
# parameter as MODULE.PARAM, or a file of /sys/kernel/oom_policy), the
# value and the error.  Values are written with echo, as an administrator
# does; busybox's echo reports a failed write, its printf does not.  A
# value longer than a page reaches the module cut to a page (sysfs), and
# is refused as invalid like any other.  In a
# value, \NNN is an octal byte, @empty the empty value, and
#   @repeat:N:S    S repeated N times
#   @list:N:S      N comma-separated patterns S1,S2,...,SN

. /lib.sh

TABLE=$(cat <<'EOF'
load  0    oom_policy.hook          bogus                 EINVAL
load  0    oom_policy.hook          @empty                EINVAL
load  1000 oom_policy.hook          auto                  EPERM
load  0    oom_classic.mode         @empty                EINVAL
load  0    oom_classic.mode         Modern                EINVAL
load  0    oom_classic.mode         1                     EINVAL
load  0    oom_namelist.prefer      @list:33:p            EINVAL
load  0    oom_namelist.avoid       @repeat:64:a          EINVAL
load  0    oom_namelist.avoid       a,,b                  EINVAL
load  0    oom_namelist.prefer      pid:1                 EINVAL
load  0    oom_panic.threshold      0                     EINVAL
load  0    oom_panic.threshold      @empty                EINVAL
load  0    oom_panic.window_s       86401                 EINVAL
load  0    oom_panic.scope          memcg                 EINVAL
load  0    oom_panic.dump_tasks     -1                    EINVAL
load  0    oom_forkblame.threshold  1001                  EINVAL
load  0    oom_forkblame.window_s   0                     EINVAL
load  0    oom_forkblame.table_size 7                     EINVAL
load  0    oom_forkblame.table_size 4097                  EINVAL
load  0    oom_forkblame.protect    @list:33:p            EINVAL
write 0    active                   @empty                EINVAL
write 0    active                   bogus                 EINVAL
write 0    active                   CLASSIC               EINVAL
write 0    active                   classic,panic         EINVAL
write 0    active                   "classic panic"       EINVAL
write 0    active                   class\001ic           EINVAL
write 0    active                   @repeat:16:a          EINVAL
write 0    active                   @repeat:4097:a        EINVAL
write 1000 active                   none                  EACCES
write 0    available                classic               EACCES
write 0    oom_events               0                     EACCES
write 0    victims                  0                     EACCES
write 0    missed                   0                     EACCES
write 0    hook                     kretprobe             EACCES
write 0    forkblame/blames         0                     EACCES
write 0    oom_policy.hook          kretprobe             EACCES
write 0    oom_classic.mode         @empty                EINVAL
write 0    oom_classic.mode         bogus                 EINVAL
write 0    oom_classic.mode         "modern legacy"       EINVAL
write 0    oom_classic.mode         mod\001ern            EINVAL
write 0    oom_classic.mode         @repeat:5000:m        EINVAL
write 1000 oom_classic.mode         modern                EACCES
write 0    oom_namelist.prefer      @list:33:p            EINVAL
write 0    oom_namelist.prefer      @list:400:p           EINVAL
write 0    oom_namelist.prefer      @repeat:64:a          EINVAL
write 0    oom_namelist.prefer      @repeat:4097:a        EINVAL
write 0    oom_namelist.prefer      a,,b                  EINVAL
write 0    oom_namelist.prefer      a,                    EINVAL
write 0    oom_namelist.prefer      "a, ,b"               EINVAL
write 0    oom_namelist.prefer      a\tb                  EINVAL
write 0    oom_namelist.prefer      caf\303\251           EINVAL
write 0    oom_namelist.avoid       user:root             EINVAL
write 0    oom_namelist.avoid       uid:abc               EINVAL
write 0    oom_namelist.avoid       uid:9-3               EINVAL
write 0    oom_namelist.avoid       uid:4294967295        EINVAL
write 0    oom_namelist.avoid       cgroup:batch*         EINVAL
write 0    oom_namelist.avoid       exe:firefox           EINVAL
write 0    oom_namelist.avoid       name:                 EINVAL
write 1000 oom_namelist.avoid       sshd                  EACCES
write 0    oom_panic.threshold      @empty                EINVAL
write 0    oom_panic.threshold      0                     EINVAL
write 0    oom_panic.threshold      1001                  EINVAL
write 0    oom_panic.threshold      -1                    EINVAL
write 0    oom_panic.threshold      4294967297            EINVAL
write 0    oom_panic.threshold      two                   EINVAL
write 0    oom_panic.threshold      1.5                   EINVAL
write 0    oom_panic.threshold      5abc                  EINVAL
write 0    oom_panic.threshold      0x10                  EINVAL
write 0    oom_panic.window_s       0                     EINVAL
write 0    oom_panic.window_s       86401                 EINVAL
write 0    oom_panic.dump_tasks     101                   EINVAL
write 0    oom_panic.scope          @empty                EINVAL
write 0    oom_panic.scope          ALL                   EINVAL
write 0    oom_panic.scope          "global all"          EINVAL
write 0    oom_panic.scope          glob\001al            EINVAL
write 1000 oom_panic.threshold      1000                  EACCES
write 0    oom_forkblame.threshold  @empty                EINVAL
write 0    oom_forkblame.threshold  0                     EINVAL
write 0    oom_forkblame.threshold  1001                  EINVAL
write 0    oom_forkblame.threshold  -1                    EINVAL
write 0    oom_forkblame.threshold  three                 EINVAL
write 0    oom_forkblame.threshold  0x10                  EINVAL
write 0    oom_forkblame.window_s   0                     EINVAL
write 0    oom_forkblame.window_s   86401                 EINVAL
write 0    oom_forkblame.window_s   99999999999           EINVAL
write 0    oom_forkblame.table_size 128                   EACCES
write 0    oom_forkblame.protect    @list:33:p            EINVAL
write 0    oom_forkblame.protect    @repeat:64:a          EINVAL
write 0    oom_forkblame.protect    a\001                 EINVAL
write 1000 oom_forkblame.window_s   10                    EACCES
write 1000 oom_forkblame.protect    @empty                EACCES
write 0    oom_namelist.prefer      uid:2000-1000         EINVAL
write 0    oom_namelist.prefer      uid:-1                EINVAL
write 0    oom_namelist.prefer      uid:+5                EINVAL
write 0    oom_namelist.prefer      uid:0x10              EINVAL
write 0    oom_namelist.prefer      "uid:1 000"           EINVAL
write 0    oom_namelist.prefer      uid:                  EINVAL
write 0    oom_namelist.prefer      label:                EINVAL
write 0    oom_namelist.prefer      cgroup:jobs/*         EINVAL
write 0    oom_namelist.avoid       uid:1000,uid:10-1     EINVAL
write 0    oom_forkblame.protect    uid:5-3               EINVAL
EOF
)

MODULES="oom_classic oom_namelist oom_panic oom_forkblame"

# The error each errno gives in a message of busybox.
strerror()
{
	case $1 in
	EINVAL) echo "Invalid argument" ;;
	EACCES) echo "Permission denied" ;;
	EPERM) echo "Operation not permitted" ;;
	*) echo "unknown errno '$1' in the table" >&2; return 1 ;;
	esac
}

# failed_with ERRNO WHAT: /tmp/err, what WHAT printed, names ERRNO.
failed_with()
{
	local msg

	msg=$(strerror "$1") || return
	grep -qF "$msg" /tmp/err && return
	diag "$2 said: $(cat /tmp/err)"
	return 1
}

# value SPEC: the bytes a table value stands for.
value()
{
	local spec=$1 n s

	case $spec in
	@empty) ;;
	@repeat:*)
		n=${spec#@repeat:}
		s=${n#*:}
		n=${n%%:*}
		printf "%${n}s" "" | sed "s/ /$s/g"
		;;
	@list:*)
		n=${spec#@list:}
		s=${n#*:}
		n=${n%%:*}
		seq 1 "$n" | sed "s/^/$s/" | paste -sd,
		;;
	*) printf '%b' "$spec" ;;
	esac
}

# shown SPEC: the table value, short enough for a result line.
shown()
{
	case $1 in
	@*) echo "$1" ;;
	*) echo "'$1'" | cut -c1-40 ;;
	esac
}

# path FILE: where a table file is.
path()
{
	case $1 in
	*.*) echo "/sys/module/${1%%.*}/parameters/${1#*.}" ;;
	*) echo "/sys/kernel/oom_policy/$1" ;;
	esac
}

loaded()
{
	grep -q "^$1 " /proc/modules
}

# as USER CMD...: run CMD as USER (0: as we are).
as()
{
	local user=$1

	shift
	if [ "$user" = 0 ]; then
		"$@"
	else
		runas "$user" "$@"
	fi
}

# logged PARAM: one kernel log line names PARAM and says what it accepts
# ("accepted: ...", "write 'cgroup:/...'").  One line: a refused value
# must not split the message, nor push its end out of the log line.
logged()
{
	dmesg_grep "(: |\.)$1: .*(accept|write ')" >/dev/null
}

# load_row USER MODULE.PARAM SPEC ERRNO: the load fails with ERRNO, the
# module stays out, and for a refused value the log names the parameter.
load_row()
{
	local mod=${2%%.*} param=${2#*.}

	! loaded "$mod" || rmmod "$mod" || return
	# oom_policy is loaded as a dependency by the others; not here.
	[ "$mod" != oom_policy ] || ! loaded oom_policy || rmmod oom_policy
	dmesg -c >/dev/null
	if as "$1" modprobe "$mod" "$param=$(value "$3")" 2>/tmp/err; then
		diag "the load succeeded"
		return 1
	fi
	failed_with "$4" modprobe || return
	if loaded "$mod"; then
		diag "$mod is loaded"
		return 1
	fi
	if [ "$4" = EINVAL ] && ! logged "$param"; then
		diag "no kernel log line names $param and what it accepts"
		return 1
	fi
}

# write_row USER FILE SPEC ERRNO: the write fails with ERRNO, the file
# reads as before, and for a value the module refuses the log names the
# parameter.
write_row()
{
	local file before after

	file=$(path "$2")
	before=$(cat "$file")
	dmesg -c >/dev/null
	value "$3" >/tmp/value
	if as "$1" sh -c 'echo "$(cat /tmp/value)" >"$1"' sh "$file" \
		2>/tmp/err; then
		diag "the write succeeded"
		return 1
	fi
	failed_with "$4" "the write" || return
	after=$(cat "$file")
	if [ "$after" != "$before" ]; then
		diag "it read '$before', now '$after'"
		return 1
	fi
	case $2 in
	*.*)
		if [ "$4" = EINVAL ] && ! logged "${2#*.}"; then
			diag "no kernel log line names ${2#*.} and what it accepts"
			return 1
		fi
		;;
	esac
}

rows=$(echo "$TABLE" | grep -c .)
plan $((rows + 3))

n=0
started=
echo "$TABLE" | grep . >/tmp/table
# The table on fd 3: modprobe and the rest keep standard input.
while read -r how user file spec errno <&3; do
	# A quoted value with a space: the shell's word splitting undone.
	case $spec in
	\"*)
		rest="$spec $errno"
		spec=${rest#\"}
		spec=${spec%%\"*}
		errno=${rest##* }
		;;
	esac
	if [ "$how" = write ] && [ -z "$started" ]; then
		# Everything loaded, with values that differ from the defaults
		# so that "kept" means kept.
		for mod in $MODULES; do
			! loaded "$mod" || rmmod "$mod"
		done
		modprobe oom_classic mode=legacy &&
		modprobe oom_namelist prefer=editor avoid='db*' &&
		modprobe oom_panic threshold=7 window_s=30 scope=all dump_tasks=3 &&
		modprobe oom_forkblame threshold=5 window_s=120 table_size=16 \
			protect=sshd ||
			fail "loading every module for the write rows"
		echo classic >/sys/kernel/oom_policy/active
		started=yes
	fi
	n=$((n + 1))
	check "$n: $how $file=$(shown "$spec") as uid $user: $errno, nothing changed" \
		"${how}_row" "$user" "$file" "$spec" "$errno"
done 3</tmp/table

check "the active policy is still classic" \
	[ "$(cat /sys/kernel/oom_policy/active)" = classic ]
check "oom_classic's mode is still legacy" \
	[ "$(cat /sys/module/oom_classic/parameters/mode)" = legacy ]
check "every module unloads" sh -c \
	"rmmod oom_forkblame oom_panic oom_namelist oom_classic && rmmod oom_policy"
