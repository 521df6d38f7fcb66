/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Pattern-list module parameters, for the policies that pick tasks by
 * name, uid, cgroup, executable or label (oom_namelist's prefer= and
 * avoid=, oom_forkblame's protect=). The code is patterns/patterns.c: it
 * is linked into the core module only so that one copy of its symbols
 * serves every policy; the core itself never matches a pattern.
 * include/oom_policy.h includes this header.
 */
#ifndef _OOM_PATTERNS_H
#define _OOM_PATTERNS_H

#include <linux/bitmap.h>
#include <linux/bits.h>
#include <linux/limits.h>
#include <linux/moduleparam.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/types.h>

/* -- Pattern lists -------------------------------------------------------- */

/*
 * A pattern list is a module parameter holding comma-separated patterns.
 * A pattern is a shell glob (glob_match(): '*', '?', '[a-z]', '[!a-z]',
 * and a backslash to quote the next character; '*' also matches '/'),
 * optionally led by a key and a colon, which says what it is matched
 * against. Matching is case-sensitive and covers the whole string.
 *
 *   NAME, name:NAME	the task's comm or its executable's base name
 *   uid:N, uid:A-B	the task's real uid (in the initial user namespace),
 *			a number or an inclusive range, not a glob
 *   cgroup:GLOB	the path of the task's cgroup v2 from the root of
 *			the hierarchy, "/batch.slice/job1.scope"
 *   exe:GLOB		the full path of the task's executable from the
 *			root of its mount namespace, whoever asks (a
 *			chrooted task too): readlink /proc/PID/exe as a
 *			task there that is not chrooted sees it
 *   label:LABEL	the task's LSM security context ("webworker" for
 *			an AppArmor profile), a whole label, not a glob
 *			(see below)
 *
 * Any lower-case word before the first ':' of a pattern is read as a key,
 * and a key this code does not know is refused, so keys can be added
 * without changing what an accepted list means; to match a name that
 * itself looks like "word:...", write "name:word:...".
 *
 * Nothing is allocated and nothing sleeps while a task is matched: the
 * comm, the uid and the cgroup path are read under RCU (the path under
 * kernfs' rename lock, a spinning rwlock), the executable's path is built
 * by walking its dentries and mounts under RCU and the rename seqlock,
 * with the file pinned by a reference (every read of mm->exe_file takes
 * one, with oom_compat_mm_exe_file()).
 *
 * A label is compared as a secid: the LSM turns the label's text into its
 * secid when the list is written (process context: that may allocate),
 * once, and matching compares it with the task's secid, which never
 * sleeps; no cache, no worker, nothing runs between writes. So a label:
 * pattern names one label and a glob is refused: which labels a glob
 * matches is known only for the labels that exist when the list is
 * written. A label that does not exist yet when the list is written (a
 * profile loaded later), or that is given a new secid later (AppArmor
 * does when a profile is replaced), is not matched until the list is
 * written again.
 *
 * Lists are replaced whole under RCU: a reader sees the old list or the
 * new one, never a mixture.
 */
#define OOM_PATTERNS_MAX	32	/* patterns in one list */
#define OOM_PATTERN_LEN		63	/* characters in one pattern */
#define OOM_PATH_LEN		255	/* longest cgroup or exe path matched */

/* The highest uid: (uid_t)-1 means "no uid" to the kernel. */
#define OOM_PATTERN_UID_MAX	4294967294U

enum oom_pattern_key {
	OOM_PATTERN_NAME,		/* comm or executable base name */
	OOM_PATTERN_UID,		/* real uid, a range */
	OOM_PATTERN_CGROUP,		/* cgroup v2 path */
	OOM_PATTERN_EXE,		/* executable's full path */
	OOM_PATTERN_LABEL,		/* LSM security context */
	OOM_PATTERN_KEYS
};

/* The keys matched against the task's credentials: no event tells of them. */
#define OOM_PATTERN_FACT_KEYS	(BIT(OOM_PATTERN_UID) | BIT(OOM_PATTERN_LABEL))

/**
 * struct oom_pattern - one pattern of a list
 * @key:     what the glob is matched against
 * @first:   the character a matching string must start with, or 0 when
 *	     the glob starts with a wildcard
 * @exact:   for a name, @head is the whole glob: a name whose first bytes
 *	     match it matches the glob
 * @text:    the pattern as written, key included; for messages
 * @glob:    the glob, pointing into @text after the key; for uid: the
 *	     numbers as written
 * @head:    for a name, the characters the glob starts with before its
 *	     first metacharacter, at most 8, with its NUL if the glob ends
 *	     first; in the byte order of a name's first 8 bytes read as one
 *	     u64, so that one compare turns most names away without
 *	     glob_match()
 * @head_mask: 0xff for each byte of @head that counts
 * @uid_min: for uid:, the lowest uid matched
 * @uid_max: for uid:, the highest uid matched
 * @secid:   for label:, the secid of the label when the list was written,
 *	     0 (which matches no task) when there was no such label
 */
struct oom_pattern {
	enum oom_pattern_key key;
	unsigned char first;
	bool exact;
	char text[OOM_PATTERN_LEN + 1];
	const char *glob;
	u64 head;
	u64 head_mask;
	u32 uid_min;
	u32 uid_max;
	u32 secid;
};

/**
 * struct oom_pattern_list - an immutable list of patterns
 * @rcu:	frees the list after the readers of a replaced list are done
 * @name_first:	the first characters of the names some name pattern may
 *		match: a name starting with any other is matched by none,
 *		which spares most names every glob
 * @keys:	BIT(key) for every key some pattern has: BIT(OOM_PATTERN_NAME)
 *		alone for a list of names only
 * @count:	patterns in @pat, at least one
 * @pat:	the patterns, in the order written
 */
struct oom_pattern_list {
	struct rcu_head rcu;
	DECLARE_BITMAP(name_first, 256);
	unsigned int keys;
	unsigned int count;
	struct oom_pattern pat[];
};

/**
 * struct oom_patterns - a pattern list parameter
 * @list: the current list, NULL when empty. Read it with
 *	  oom_policy_dereference() in ->badness() and ->explain(), which run
 *	  inside an RCU read-side critical section.
 */
struct oom_patterns {
	struct oom_pattern_list __rcu *list;
};

/*
 * Parameter operations for a struct oom_patterns; use as
 *	module_param_cb(name, &oom_patterns_param_ops, &holder, 0644);
 * A bad value is refused with -EINVAL and a one-line pr_err() naming the
 * parameter and what is accepted: at load time the load fails, at run time
 * the old list stays. Reading the parameter gives the list back, patterns
 * joined by ','. The list is freed when the module goes away.
 */
extern const struct kernel_param_ops oom_patterns_param_ops;

int oom_patterns_set(struct oom_patterns *h, const char *val,
		     const char *param);
void oom_patterns_clear(struct oom_patterns *h);

/**
 * struct oom_task_names - what patterns are matched against, for one task
 * @comm: the task's comm (at most 15 characters: the kernel cuts it)
 * @exe:  the base name of the task's executable when it is not the comm:
 *	  "" when it is, when it cannot be read, or when it has not been
 *	  needed yet
 *
 * Fill it with oom_task_names_init(), which reads only the comm and leaves
 * the rest to oom_patterns_match(), to be read the first time a match
 * needs it: matching the comm is cheap, reading the executable's name means
 * finding the task's mm. The facts only keyed patterns need are read the
 * same way, and never for a list of names only: the uid and the label
 * once each, a path once per list that has a pattern for it. One struct
 * serves any number of lists.
 *
 * It holds the executable's name (about 300 bytes in all) but no path:
 * a cgroup's or an executable's path is read, when a pattern needs it,
 * into a buffer of the CPU's, matched and left there, once per list. Keep
 * one per task being matched, on the stack of the function that matches,
 * declared __uninitialized where every task is matched
 * (oom_task_names_init() sets what is read before it is written), or
 * kernels built with INIT_STACK_ALL_ZERO clear the whole of it for every
 * task.
 */
struct oom_task_names {
	char comm[TASK_COMM_LEN];
	char exe[NAME_MAX + 1];
	/* private: */
	struct task_struct *task;	/* exe still to be read from here */
	struct task_struct *keyed_task;	/* the task keyed facts are of */
	bool locked;			/* the caller holds task_lock(task) */
	bool exe_differs;		/* exe is set and is not the comm */
	unsigned int have;		/* BIT(key): that fact was read */
	unsigned int valid;		/* BIT(key): and it can be matched */
	u32 uid;
	u32 secid;			/* the task's LSM secid */
};

void oom_task_names_init(struct task_struct *p, struct oom_task_names *n,
			 bool locked);

const struct oom_pattern *
oom_patterns_match(const struct oom_pattern_list *l,
		   struct oom_task_names *n);

const struct oom_pattern *
oom_patterns_match_facts(const struct oom_pattern_list *l,
			 struct oom_task_names *n);

#endif /* _OOM_PATTERNS_H */
