# SPDX-License-Identifier: GPL-2.0
#
# oom_namelist's keyed patterns as an administrator writes them: bad
# keys, bad uids and ranges, and paths that could never match fail the
# load, or the write with EINVAL keeping the old list, each with one
# kernel log line naming the parameter and what is accepted.  The limits
# of plain patterns hold (the key counts toward the 63 characters), edge
# values are accepted, and a mixed list reads back as written.

. /lib.sh

plan 44

echo -1000 >/proc/self/oom_score_adj

params=/sys/module/oom_namelist/parameters
accepted='accepted: at most 32 comma-separated patterns of 1 to 63 printable ASCII characters'
uid_accepted='accepted: uid:N or uid:A-B with 0 <= A <= B <= 4294967294'
keys='accepted keys: name, uid, cgroup, exe, label'

# ere TEXT: TEXT quoted for grep -E.
ere()
{
	printf '%s' "$1" | sed 's/[][\.*^$+?(){}|]/\\&/g'
}

# -- Load time ---------------------------------------------------------
check "load refused: an unknown key" \
	load_rejected "prefer=user:1000" "oom_namelist\.prefer: pattern 1 has the unknown key 'user:'; $keys \(write 'name:user:1000' to match a name with a colon\)"
check "load refused: a uid that is not a number" \
	load_rejected "avoid=uid:root" "oom_namelist\.avoid: pattern 1 'uid:root' is not a uid or a uid range; $uid_accepted"
check "load refused: a reversed uid range" \
	load_rejected "prefer=uid:2000-1000" "oom_namelist\.prefer: pattern 1 'uid:2000-1000' is not a uid or a uid range; $uid_accepted"
check "load refused: a cgroup path without its leading /" \
	load_rejected "prefer=cgroup:batch*" "oom_namelist\.prefer: pattern 1 'cgroup:batch\*' can never match: paths start with '/' \(write 'cgroup:/batch\*' or 'cgroup:\*batch\*'\)"

check "modprobe oom_namelist with a mixed list" \
	load_mod oom_namelist 'prefer=firefox*,uid:1000-1999,cgroup:/batch*,exe:/opt/*,label:webworker' 'avoid=uid:0'
check "the mixed list reads back as written" \
	[ "$(cat $params/prefer)" = 'firefox*,uid:1000-1999,cgroup:/batch*,exe:/opt/*,label:webworker' ]
check "avoid=uid:0 reads back" [ "$(cat $params/avoid)" = uid:0 ]

# -- Run time: refused, the old list kept --------------------------------
check "prefer=uid:1000 at run time" accepted prefer uid:1000
for bad in uid:4294967295 uid:99999999999999999999 uid:-1 uid:1- uid:-5 \
	   uid:1--2 uid:1-2-3 uid:+5 uid:0x10 'uid:1 000' uid:5-3 uid:1000a; do
	check "write refused, list kept: $bad" rejected prefer "$bad" \
		"oom_namelist\.prefer: pattern 1 '$(ere "$bad")' is not a uid or a uid range; $uid_accepted"
done
check "write refused, list kept: the bad range is pattern 2" \
	rejected prefer "uid:1000,uid:10-1" \
	"oom_namelist\.prefer: pattern 2 'uid:10-1' is not a uid or a uid range; $uid_accepted"
check "write refused, list kept: uid: with nothing after it" \
	rejected prefer "uid:" "oom_namelist\.prefer: pattern 1 has nothing after 'uid:'; $accepted"
check "write refused, list kept: exe: with a base name only" \
	rejected prefer "exe:hog" "oom_namelist\.prefer: pattern 1 'exe:hog' can never match: paths start with '/'"
check "write refused, list kept: a relative cgroup path" \
	rejected avoid "cgroup:system.slice/*" "oom_namelist\.avoid: pattern 1 'cgroup:system\.slice/\*' can never match: paths start with '/'"
check "write refused, list kept: label: with nothing after it" \
	rejected prefer "label:" "oom_namelist\.prefer: pattern 1 has nothing after 'label:'; $accepted"
check "write refused, list kept: an unknown key" \
	rejected prefer "gid:100" "oom_namelist\.prefer: pattern 1 has the unknown key 'gid:'; $keys"
long64="cgroup:/$(printf '%056d' 0)"
check "write refused, list kept: a 64-character keyed pattern" \
	rejected prefer "$long64" "oom_namelist\.prefer: pattern 1 has 64 characters; $accepted"
check "after the refusals prefer is still uid:1000" [ "$(cat $params/prefer)" = uid:1000 ]
check "after the refusals avoid is still uid:0" [ "$(cat $params/avoid)" = uid:0 ]

# -- Run time: accepted ------------------------------------------------
check "uid:0 is accepted" accepted prefer uid:0
check "uid:4294967294 (the highest uid) is accepted" accepted prefer uid:4294967294
check "uid:0-4294967294 is accepted" accepted prefer uid:0-4294967294
check "leading zeros are accepted and read back as written" accepted prefer uid:007-0100
check "a 63-character keyed pattern is accepted" \
	accepted prefer "cgroup:/$(printf '%055d' 0)"
check "a path glob may start with a wildcard" accepted prefer 'cgroup:*,exe:?bin/*'
check "a path glob may start with a quoted /" accepted prefer 'exe:\/bin/hog'
check "label: takes a whole label, // and & included" \
	accepted prefer 'label:webworker//&unconfined'
for glob in 'web*' 'web?orker' '[w]ebworker' 'web\worker'; do
	check "write refused, list kept: label:$glob is a glob" \
		rejected prefer "label:$glob" \
		"oom_namelist\.prefer: pattern 1 'label:.*' is a glob; accepted: label:LABEL, a whole label, without '\*', '\?', '\[' or '\\\\'\$"
done
check "a name that looks like a key is written with name:" \
	accepted prefer 'name:uid:1000'
check "an upper-case word is no key: a name pattern" accepted prefer 'UID:1000'

check "modprobe -r oom_namelist" unload_mod oom_namelist
