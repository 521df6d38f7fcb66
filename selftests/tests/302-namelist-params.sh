# SPDX-License-Identifier: GPL-2.0
#
# oom_namelist's parameters as an administrator uses them: bad values
# fail the load with a message naming the parameter; modprobe.d options
# are honoured; empty lists give exactly the stock oom_score; run-time
# writes are checked, a bad one fails with EINVAL and keeps the old list;
# and a list changed at run time decides the very next OOM.

. /lib.sh

plan 64

echo -1000 >/proc/self/oom_score_adj

params=/sys/module/oom_namelist/parameters
accepted='accepted: at most 32 comma-separated patterns of 1 to 63 printable ASCII characters'

avail=$(avail_mb)
db_mb=$((avail * 55 / 100))
diag "MemAvailable $avail MB: database $db_mb MB, editor 16 MB, build 8 MB"
db=$(start_hog database "$db_mb")
check "database is ready" alive "${db:-0}"
ed=$(start_hog editor 16)
check "editor is ready" alive "${ed:-0}"
build=$(start_hog build 8)
check "build is ready" alive "${build:-0}"
stock_db=$(oom_score "$db")
stock_ed=$(oom_score "$ed")
stock_build=$(oom_score "$build")
diag "stock oom_score: database $stock_db, editor $stock_ed, build $stock_build"

# -- Load time ---------------------------------------------------------
p33=$(seq -s, 1 33)
long64=$(printf '%064d' 0)
check "load refused: 33 patterns" \
	load_rejected "prefer=$p33" "oom_namelist\.prefer: 33 patterns; $accepted"
check "load refused: a 64-character pattern" \
	load_rejected "prefer=$long64" "oom_namelist\.prefer: pattern 1 has 64 characters; $accepted"
check "load refused: an empty element" \
	load_rejected "avoid=sshd,,database" "oom_namelist\.avoid: pattern 2 is empty; $accepted"
check "load refused: a non-printable character" \
	load_rejected "prefer=$(printf 'fire\001fox')" "oom_namelist\.prefer: pattern 1 has a non-printable byte \(0x01\); $accepted"
check "load refused: an unknown key" \
	load_rejected "avoid=user:1000" "oom_namelist\.avoid: pattern 1 has the unknown key 'user:'; accepted keys: name, uid, cgroup, exe, label"

mkdir -p /etc/modprobe.d
echo 'options oom_namelist prefer=editor,build avoid=database*' \
	>/etc/modprobe.d/oom_namelist.conf
check "modprobe with options from modprobe.d" load_mod oom_namelist
rm /etc/modprobe.d/oom_namelist.conf
check "prefer from modprobe.d" [ "$(cat $params/prefer)" = editor,build ]
check "avoid from modprobe.d" [ "$(cat $params/avoid)" = 'database*' ]
check "the parameters are root-writable" \
	[ "$(stat -c %a $params/prefer)$(stat -c %a $params/avoid)" = 644644 ]
check "editor reads oom_score 2000, the top" [ "$(oom_score "$ed")" = 2000 ]
check "database reads oom_score 0" [ "$(oom_score "$db")" -eq 0 ]

# -- Run time ----------------------------------------------------------
check "prefer can be emptied at run time" accepted prefer ""
check "avoid can be emptied at run time" accepted avoid ""
check "with empty lists database reads its stock oom_score" \
	[ "$(oom_score "$db")" = "$stock_db" ]
check "with empty lists editor reads its stock oom_score" \
	[ "$(oom_score "$ed")" = "$stock_ed" ]
check "with empty lists build reads its stock oom_score" \
	[ "$(oom_score "$build")" = "$stock_build" ]

check "prefer=editor at run time" accepted prefer editor
check "write refused, list kept: 33 patterns" \
	rejected prefer "$p33" "oom_namelist\.prefer: 33 patterns; $accepted"
check "write refused, list kept: a 64-character pattern" \
	rejected prefer "build,$long64" "oom_namelist\.prefer: pattern 2 has 64 characters; $accepted"
check "write refused, list kept: an empty element in the middle" \
	rejected prefer "build,,cc1" "oom_namelist\.prefer: pattern 2 is empty; $accepted"
check "write refused, list kept: a trailing comma" \
	rejected prefer "build," "oom_namelist\.prefer: pattern 2 is empty; $accepted"
check "write refused, list kept: a blank pattern" \
	rejected prefer "build, ,cc1" "oom_namelist\.prefer: pattern 2 is empty; $accepted"
check "write refused, list kept: a tab" \
	rejected prefer "$(printf 'build\tx')" "oom_namelist\.prefer: pattern 1 has a non-printable byte \(0x09\); $accepted"
check "write refused, list kept: a byte above ASCII" \
	rejected prefer "$(printf 'caf\303\251')" "oom_namelist\.prefer: pattern 1 has a non-printable byte \(0xc3\); $accepted"
check "write refused, list kept: an unknown key" \
	rejected prefer "group:/batch" "oom_namelist\.prefer: pattern 1 has the unknown key 'group:'; accepted keys: name, uid, cgroup, exe, label"
check "write refused, list kept: a key with no glob" \
	rejected prefer "name:" "oom_namelist\.prefer: pattern 1 has nothing after 'name:'; $accepted"
check "write refused on avoid too, its empty list kept" \
	rejected avoid "database*,,sshd" "oom_namelist\.avoid: pattern 2 is empty; $accepted"
check "after the refusals prefer is still editor" [ "$(cat $params/prefer)" = editor ]

p32=$(seq -s, 1 32)
long63=$(printf '%063d' 0)
check "32 patterns are accepted" accepted prefer "$p32"
check "a 63-character pattern is accepted" accepted prefer "$long63"
check "spaces around patterns are layout" \
	accepted prefer " editor , build " "editor,build"
# A busybox applet runs the busybox binary under its own name: its comm
# is "sleep", its executable "busybox".
sh -c 'echo 0 >/proc/self/oom_score_adj; exec sleep 1000' &
applet=$!
while [ "$(cat /proc/$applet/comm 2>/dev/null)" != sleep ]; do
	sleep 0.1
done
check "prefer=busybox is accepted" accepted prefer busybox
check "busybox matches the executable of sleep: oom_score 2000, the top" \
	[ "$(oom_score "$applet")" = 2000 ]
check "the preview says sleep was matched by its executable" sh -c \
	"grep -E '^ *$applet ' /sys/kernel/debug/oom_policy/preview | grep -qF \"prefer 'busybox' (exe busybox)\""
kill "$applet"

# A name pattern's literal start (up to 8 characters) is compared with a
# name's first 8 bytes at once, before any glob runs: exact up to 7
# characters, the glob deciding past 8 or past a metacharacter or a
# quoted character.  Shorter, longer and equal names on each side.
# head_case PATTERN PID STOCK match|stock: prefer=PATTERN, then PID's
# oom_score is preferred (2000, the top) or its stock one.
head_case()
{
	accepted prefer "$1" || return 1
	if [ "$4" = match ]; then
		[ "$(oom_score "$2")" = 2000 ]
	else
		[ "$(oom_score "$2")" = "$3" ]
	fi
}
check "prefer=edito does not match editor" head_case edito "$ed" "$stock_ed" stock
check "prefer=editorx does not match editor" head_case editorx "$ed" "$stock_ed" stock
check "prefer=e does not match editor" head_case e "$ed" "$stock_ed" stock
check "prefer=databas (7) does not match database" \
	head_case databas "$db" "$stock_db" stock
check "prefer=database (8) matches database" head_case database "$db" "$stock_db" match
check "prefer=databasee (9) does not match database" \
	head_case databasee "$db" "$stock_db" stock
check "prefer=data*e matches database" head_case 'data*e' "$db" "$stock_db" match
check "prefer=buil? matches build" head_case 'buil?' "$build" "$stock_build" match
check "prefer=edit\\or (quoted) matches editor" head_case 'edit\or' "$ed" "$stock_ed" match

check "a glob that starts with a class is accepted" accepted prefer '[xe]dit?r'
check "it matches: editor reads oom_score 2000, the top" \
	[ "$(oom_score "$ed")" = 2000 ]
check "a glob that starts with a quoted character is accepted" \
	accepted prefer '\editor'
check "it matches: editor reads oom_score 2000, the top" \
	[ "$(oom_score "$ed")" = 2000 ]
check "a name with a colon is written with the name: key" \
	accepted prefer "name:a:b,name:editor"
check "a name: pattern matches: editor reads oom_score 2000, the top" \
	[ "$(oom_score "$ed")" = 2000 ]
check "build is no longer preferred" [ "$(oom_score "$build")" = "$stock_build" ]

# -- The next OOM follows the lists as they are now ---------------------
kills=$(oom_kills)
trigger_oom
check "OOM 1: editor, preferred at run time, was killed" \
	wait_for_pid_exit "$ed" 10
check "OOM 1: the larger database survived" alive "$db"
check "OOM 1: exactly one OOM kill" [ $(($(oom_kills) - kills)) -eq 1 ]
check "OOM 1: the kill log names the pattern" \
	policy_killed namelist "$ed" editor "prefer 'name:editor'"

# Without a list the database would die now: it is the largest task.  The
# trigger ranks below build in the stock order (oom_score_adj -500).
check "prefer emptied and avoid=database* at run time" \
	sh -c "echo >$params/prefer && echo 'database*' >$params/avoid"
kills=$(oom_kills)
status=0
trigger_oom trigger -500 || status=$?
check "OOM 2: build was killed" wait_for_pid_exit "$build" 10
check "OOM 2: the avoided, largest database survived" alive "$db"
check "OOM 2: the trigger survived" [ $status -eq 0 ]
check "OOM 2: exactly one OOM kill" [ $(($(oom_kills) - kills)) -eq 1 ]
check "OOM 2: the kill log says build was not listed" \
	policy_killed namelist "$build" build "not listed"
check "modprobe -r oom_namelist" unload_mod oom_namelist
