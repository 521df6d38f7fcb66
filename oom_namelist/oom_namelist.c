// SPDX-License-Identifier: GPL-2.0
/*
 * oom_namelist: prefer or avoid OOM victims by name, owner, cgroup,
 * executable or security label.
 *
 * An administrator knows which programs are expendable (a browser's content
 * processes, a build job) and which are not (the database, sshd). Two
 * pattern lists say so, without touching any process's oom_score_adj:
 *
 *   prefer=firefox*,cc1*	killed before every task that is not preferred
 *   avoid=postgres*,sshd	killed after every task that is not avoided
 *
 * A plain pattern is a shell glob matched against the task's comm and
 * against the base name of its executable (comm is cut at 15 characters,
 * and many programs rename themselves: Firefox's "Web Content" runs
 * firefox-bin). Keyed patterns say who a task is rather than what it is
 * called, for site policies: uid:10000-19999 (students before staff),
 * cgroup:/batch.slice* (batch jobs before services), exe:/opt/batch*,
 * label:webworker (an AppArmor profile); see include/oom_policy.h and
 * docs/namelist.md. A task on both lists counts as avoided. Inside one
 * class the stock order holds, oom_score_adj included. Avoided tasks stay
 * killable: when nothing else is left, the largest of them dies rather
 * than nothing; only oom_score_adj -1000 means never. The kill log and
 * the preview name the pattern that matched, and /proc/<pid>/oom_score
 * shows the preference: above 2000 for a preferred task, 0 for an avoided
 * one.
 *
 * Matching every task's names at every OOM costs about 500 instructions
 * a task, five times what the kernel spends on it. So tasks are matched
 * when what the patterns see changes, which the kernel announces (see
 * "Classifying tasks when they change" below), and the OOM killer's scan
 * only looks up whether a task may be listed: no call at all while no
 * task is.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/glob.h>
#include <linux/hash.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "oom_policy.h"

/* -- Parameters ----------------------------------------------------------- */

static const struct kernel_param_ops oom_namelist_param_ops;

/* Tasks to kill first; replaced whole under RCU, read while scoring. */
static struct oom_patterns oom_namelist_prefer;
module_param_cb(prefer, &oom_namelist_param_ops, &oom_namelist_prefer, 0644);
MODULE_PARM_DESC(prefer,
		 "Tasks to kill first: comma-separated globs on comm or executable name, or keyed patterns uid:N[-M], cgroup:GLOB, exe:GLOB, label:LABEL; at most 32 of 1 to 63 printable ASCII characters (default: empty)");

/* Tasks to kill last; wins over prefer. */
static struct oom_patterns oom_namelist_avoid;
module_param_cb(avoid, &oom_namelist_param_ops, &oom_namelist_avoid, 0644);
MODULE_PARM_DESC(avoid,
		 "Tasks to kill last, still killable: comma-separated globs on comm or executable name, or keyed patterns uid:N[-M], cgroup:GLOB, exe:GLOB, label:LABEL; at most 32 of 1 to 63 printable ASCII characters (default: empty)");

/* -- The policy ----------------------------------------------------------- */

/* The bands of oom_policy_rank() the classes go to. */
enum oom_namelist_band {
	OOM_NAMELIST_AVOIDED = -1,
	OOM_NAMELIST_UNLISTED = 0,
	OOM_NAMELIST_PREFERRED = 1,
};

/*
 * The band of the task whose names are @n, and the pattern that put it
 * there (NULL when unlisted). avoid is matched first: it wins over prefer,
 * and a task it matches by comm needs no look at its executable.
 */
static const struct oom_pattern *
oom_namelist_classify(const struct oom_pattern_list *prefer,
		      const struct oom_pattern_list *avoid,
		      struct oom_task_names *n, int *band)
{
	const struct oom_pattern *pat;

	pat = oom_patterns_match(avoid, n);
	if (pat) {
		*band = OOM_NAMELIST_AVOIDED;
		return pat;
	}
	pat = oom_patterns_match(prefer, n);
	*band = pat ? OOM_NAMELIST_PREFERRED : OOM_NAMELIST_UNLISTED;
	return pat;
}

/*
 * The band of @p by matching its names now: what every task got at every
 * OOM before tasks were classified, and what a task that may be listed
 * still gets.
 */
static noinline long oom_namelist_exact(struct task_struct *p, long stock,
					unsigned long totalpages)
{
	const struct oom_pattern_list *prefer, *avoid;
	struct oom_task_names n __uninitialized;
	int band;

	prefer = oom_policy_dereference(oom_namelist_prefer.list);
	avoid = oom_policy_dereference(oom_namelist_avoid.list);
	if (!prefer && !avoid)
		return stock;

	oom_task_names_init(p, &n, false);
	oom_namelist_classify(prefer, avoid, &n, &band);
	return oom_policy_rank(stock, totalpages, band);
}

/* -- Classifying tasks when they change ----------------------------------- */

/*
 * What a pattern matches changes only when the kernel says so: the comm
 * at a rename (task_rename, which execve() fires too), the executable at
 * execve() (sched_process_exec), the cgroup at a migration
 * (cgroup_attach_task) or at fork() with CLONE_INTO_CGROUP; a new process
 * is matched when it is created (sched_process_fork). The core delivers
 * these events (->task_event), and every process is matched again when
 * the policy becomes active and when a list is written.
 *
 * What is kept of a match is whether the process may be listed: the
 * processes some pattern matched are held in a small table, and a bitmap
 * indexed by a hash of the task pointer says which hashes it holds. The
 * OOM killer's scan tests the bit of each task: clear, the task is
 * unlisted and keeps its stock score, for a few instructions; set, the
 * task is matched exactly, as before, so a collision or an entry that is
 * stale costs time, never a wrong answer. While the table is empty the
 * policy has no ->badness, and the scan does not call it at all.
 *
 * The table may only ever hold too many tasks, never too few: an event
 * that finds a task unlisted removes its entry only if no other event was
 * recorded between its reading of the task and its removal (two events
 * for one task may race, as a rename and a migration on two CPUs), and a
 * full table, or a reclassification in progress, has every task matched
 * exactly. Reading the comm under task_lock() orders the read after any
 * rename whose event is recorded: the kernel calls task_rename before it
 * writes the new name, holding that lock.
 *
 * Some facts change without an event: the credentials (setuid(), and an
 * LSM label written to /proc/<pid>/attr) have no tracepoint, and a kprobe
 * on commit_creds() would be hit far more often than the OOM killer
 * runs. uid: and label: patterns are therefore matched at every OOM, for
 * the tasks that nothing else lists, and a list with such patterns keeps
 * the policy's ->badness. Renaming an executable file, or moving a mount
 * it is under, changes the names exe: and executable-name patterns see
 * without any event either; those changes are noticed at the task's next
 * execve(), or when a list is written (docs/namelist.md).
 */

/* Hashes of the tasks in the table: 8 kB, a bit per 1/65536 of them. */
#define OOM_NL_HASH_BITS	16
/* Buckets of the table, by the top bits of the same hash. */
#define OOM_NL_BUCKET_BITS	10
/* Listed processes the table holds; more, and every task is matched. */
#define OOM_NL_ENTRIES		2048

/* Why every task is matched exactly, in oom_nl_scan.exact. */
#define OOM_NL_UNTRACKED	BIT(0)	/* not active, or reclassifying */
#define OOM_NL_FULL		BIT(1)	/* a listed process found no entry */

/* What the OOM killer's scan reads for every task, on its own line. */
static struct {
	unsigned int exact;
	bool facts;		/* a list has uid: or label: patterns */
} oom_nl_scan ____cacheline_aligned = {
	.exact = OOM_NL_UNTRACKED,
};

/* The hashes the table holds; read by the scan too. */
static DECLARE_BITMAP(oom_nl_maybe, 1 << OOM_NL_HASH_BITS);

/*
 * A process some pattern matched. The task pointer is its identity while
 * it lives: the entry goes at sched_process_free, before the pointer can
 * be reused. start_time tells a stale entry from its new owner should an
 * entry outlive its task (events are not delivered while the policy is
 * not active; becoming active again clears the table).
 */
struct oom_nl_entry {
	struct hlist_node node;
	struct task_struct *task;
	u64 start_time;
};

/* Serialises writers of the table; irqsave: FREE comes in softirq. */
static DEFINE_SPINLOCK(oom_nl_lock);

static struct {
	unsigned long seq;	/* events recorded */
	unsigned long overflows; /* times the table filled up */
	unsigned int used;	/* entries in the buckets */
	struct hlist_head buckets[1 << OOM_NL_BUCKET_BITS];
	struct hlist_head free;
	struct oom_nl_entry entries[OOM_NL_ENTRIES];
} oom_nl;

/* Serialises reclassifications, and oom_nl_tracking. */
static DEFINE_MUTEX(oom_nl_mutex);
/* The policy is active and events are delivered; under oom_nl_mutex. */
static bool oom_nl_tracking;

static struct oom_policy oom_namelist_policy;
static long oom_namelist_badness(struct task_struct *p, long stock,
				 unsigned long totalpages);

static u32 oom_nl_hash(const struct task_struct *p)
{
	return hash_ptr(p, OOM_NL_HASH_BITS);
}

static struct hlist_head *oom_nl_bucket(u32 h)
{
	return &oom_nl.buckets[h >> (OOM_NL_HASH_BITS - OOM_NL_BUCKET_BITS)];
}

/* The entry of @p, or NULL; under oom_nl_lock. */
static struct oom_nl_entry *oom_nl_find(const struct task_struct *p, u32 h)
{
	struct oom_nl_entry *e;

	hlist_for_each_entry(e, oom_nl_bucket(h), node)
		if (e->task == p)
			return e;
	return NULL;
}

/*
 * No ->badness while no task can be listed: the OOM killer's scan then
 * skips the policy for every task. Under oom_nl_lock.
 */
static void oom_nl_update_badness(void)
{
	typeof_member(struct oom_policy, badness) want = NULL;

	if (oom_nl_scan.exact || oom_nl_scan.facts || oom_nl.used)
		want = oom_namelist_badness;
	/*
	 * The core tests a task's bit before it calls ->badness: no call
	 * for an unlisted task. Not while every task must be matched.
	 */
	oom_policy_set_badness_filter(&oom_namelist_policy,
				      oom_nl_scan.exact || oom_nl_scan.facts ?
				      NULL : oom_nl_maybe);
	if (READ_ONCE(oom_namelist_policy.badness) != want)
		oom_policy_set_badness(&oom_namelist_policy, want);
}

/* @p may be listed; under oom_nl_lock. */
static void oom_nl_insert(struct task_struct *p)
{
	u32 h = oom_nl_hash(p);
	struct oom_nl_entry *e = oom_nl_find(p, h);

	if (e) {
		e->start_time = p->start_time;
		return;
	}
	if (hlist_empty(&oom_nl.free)) {
		/* Every task is matched until the next reclassification. */
		if (!(oom_nl_scan.exact & OOM_NL_FULL))
			WRITE_ONCE(oom_nl.overflows, oom_nl.overflows + 1);
		WRITE_ONCE(oom_nl_scan.exact, oom_nl_scan.exact | OOM_NL_FULL);
		return;
	}
	e = hlist_entry(oom_nl.free.first, struct oom_nl_entry, node);
	hlist_del(&e->node);
	e->task = p;
	e->start_time = p->start_time;
	hlist_add_head(&e->node, oom_nl_bucket(h));
	set_bit(h, oom_nl_maybe);
	WRITE_ONCE(oom_nl.used, oom_nl.used + 1);
}

/* @p is not listed, or gone; under oom_nl_lock. */
static void oom_nl_remove(struct task_struct *p)
{
	u32 h = oom_nl_hash(p);
	struct oom_nl_entry *e = oom_nl_find(p, h), *other;

	if (!e)
		return;
	hlist_del(&e->node);
	hlist_add_head(&e->node, &oom_nl.free);
	WRITE_ONCE(oom_nl.used, oom_nl.used - 1);
	/* Entries of one hash share a bucket. */
	hlist_for_each_entry(other, oom_nl_bucket(h), node)
		if (oom_nl_hash(other->task) == h)
			return;
	clear_bit(h, oom_nl_maybe);
}

/*
 * Does a pattern of either list match @p now? @comm: its new comm (a
 * rename), or NULL for the one it has; @locked: the caller holds
 * task_lock(@p). *@seq is the number of events recorded when @p was
 * read. Under RCU or with preemption disabled; never sleeps.
 */
static bool oom_nl_listed(struct task_struct *p, const char *comm,
			  bool locked, unsigned long *seq)
{
	const struct oom_pattern_list *prefer, *avoid;
	struct oom_task_names n __uninitialized;

	prefer = oom_policy_dereference(oom_namelist_prefer.list);
	avoid = oom_policy_dereference(oom_namelist_avoid.list);
	if (locked) {
		*seq = READ_ONCE(oom_nl.seq);
		oom_task_names_init(p, &n, true);
	} else {
		task_lock(p);
		*seq = READ_ONCE(oom_nl.seq);
		oom_task_names_init(p, &n, false);
		task_unlock(p);
	}
	if (!prefer && !avoid)
		return false;
	if (comm)
		strscpy_pad(n.comm, comm, sizeof(n.comm));
	return oom_patterns_match(avoid, &n) || oom_patterns_match(prefer, &n);
}

static void oom_namelist_task_event(struct task_struct *p,
				    enum oom_task_event ev, const char *comm)
{
	unsigned long seq, flags;
	bool listed;

	if (ev == OOM_TASK_FREE) {
		if (!READ_ONCE(oom_nl.used))
			return;
		spin_lock_irqsave(&oom_nl_lock, flags);
		oom_nl_remove(p);
		oom_nl.seq++;
		oom_nl_update_badness();
		spin_unlock_irqrestore(&oom_nl_lock, flags);
		return;
	}
	/*
	 * The OOM killer scores processes by their first thread; another
	 * thread's own comm or cgroup is nobody's. execve() makes the
	 * thread that calls it the first one before the event.
	 */
	if (!thread_group_leader(p))
		return;
	listed = oom_nl_listed(p, comm, ev == OOM_TASK_RENAME, &seq);
	/* A new process, or a table without entries: nothing to remove. */
	if (!listed && (ev == OOM_TASK_FORK || !READ_ONCE(oom_nl.used)))
		return;

	spin_lock_irqsave(&oom_nl_lock, flags);
	if (listed)
		oom_nl_insert(p);
	else if (seq == oom_nl.seq)
		oom_nl_remove(p);
	oom_nl.seq++;
	oom_nl_update_badness();
	spin_unlock_irqrestore(&oom_nl_lock, flags);
}

/* Have the scan match every task, from the next one on. */
static void oom_nl_untrack(void)
{
	unsigned long flags;

	spin_lock_irqsave(&oom_nl_lock, flags);
	WRITE_ONCE(oom_nl_scan.exact, oom_nl_scan.exact | OOM_NL_UNTRACKED);
	oom_nl_update_badness();
	spin_unlock_irqrestore(&oom_nl_lock, flags);
}

static bool oom_nl_has_facts(const struct oom_patterns *h)
{
	const struct oom_pattern_list *l = rcu_dereference(h->list);

	return l && (l->keys & OOM_PATTERN_FACT_KEYS);
}

/*
 * Match every process again, with the lists now in force: the table is
 * emptied, and the scan matches every task exactly until every process
 * has been matched. Events keep coming meanwhile; an event that read the
 * lists before they changed has been recorded once synchronize_rcu()
 * returns (probes run with preemption disabled, and so does the rest of
 * a rename, under task_lock()), and everything after is matched with the
 * new lists. This walk only adds entries, so a process it reads just
 * before an event cannot undo the event. Process context, under
 * oom_nl_mutex.
 */
static void oom_nl_reclassify(void)
{
	struct task_struct *p;
	unsigned long flags, seq;
	unsigned int i;

	spin_lock_irqsave(&oom_nl_lock, flags);
	WRITE_ONCE(oom_nl_scan.exact, OOM_NL_UNTRACKED);
	oom_nl_update_badness();
	INIT_HLIST_HEAD(&oom_nl.free);
	for (i = 0; i < ARRAY_SIZE(oom_nl.buckets); i++)
		INIT_HLIST_HEAD(&oom_nl.buckets[i]);
	for (i = 0; i < OOM_NL_ENTRIES; i++)
		hlist_add_head(&oom_nl.entries[i].node, &oom_nl.free);
	bitmap_zero(oom_nl_maybe, 1 << OOM_NL_HASH_BITS);
	WRITE_ONCE(oom_nl.used, 0);
	oom_nl.seq++;
	spin_unlock_irqrestore(&oom_nl_lock, flags);

	synchronize_rcu();

	rcu_read_lock();
	for_each_process(p) {
		if (!oom_nl_listed(p, NULL, false, &seq))
			continue;
		spin_lock_irqsave(&oom_nl_lock, flags);
		oom_nl_insert(p);
		spin_unlock_irqrestore(&oom_nl_lock, flags);
	}

	spin_lock_irqsave(&oom_nl_lock, flags);
	oom_nl_scan.facts = oom_nl_has_facts(&oom_namelist_prefer) ||
			    oom_nl_has_facts(&oom_namelist_avoid);
	WRITE_ONCE(oom_nl_scan.exact, oom_nl_scan.exact & ~OOM_NL_UNTRACKED);
	oom_nl_update_badness();
	spin_unlock_irqrestore(&oom_nl_lock, flags);
	rcu_read_unlock();
}

static void oom_namelist_task_tracking(bool on)
{
	mutex_lock(&oom_nl_mutex);
	oom_nl_tracking = on;
	if (on)
		oom_nl_reclassify();
	else
		oom_nl_untrack();
	mutex_unlock(&oom_nl_mutex);
}

/*
 * A list is written: the pattern-list parameter's own ops, and every
 * process matched again with the new lists while the policy tracks
 * tasks (when it does not, it matches them when it becomes active).
 */
static int oom_namelist_param_set(const char *val,
				  const struct kernel_param *kp)
{
	int err;

	mutex_lock(&oom_nl_mutex);
	if (oom_nl_tracking)
		oom_nl_untrack();
	err = oom_patterns_param_ops.set(val, kp);
	if (oom_nl_tracking)
		oom_nl_reclassify();
	mutex_unlock(&oom_nl_mutex);
	return err;
}

static int oom_namelist_param_get(char *buf, const struct kernel_param *kp)
{
	return oom_patterns_param_ops.get(buf, kp);
}

static void oom_namelist_param_free(void *arg)
{
	oom_patterns_param_ops.free(arg);
}

static const struct kernel_param_ops oom_namelist_param_ops = {
	.set = oom_namelist_param_set,
	.get = oom_namelist_param_get,
	.free = oom_namelist_param_free,
};

/* -- Scoring -------------------------------------------------------------- */

/*
 * A task no event-tracked pattern lists: only its uid: and label:
 * patterns are left to match. avoid wins, as in oom_namelist_classify().
 */
static noinline long oom_namelist_facts(struct task_struct *p, long stock,
					unsigned long totalpages)
{
	struct oom_task_names n __uninitialized;
	int band = OOM_NAMELIST_UNLISTED;

	oom_task_names_init(p, &n, false);
	if (oom_patterns_match_facts(oom_policy_dereference(oom_namelist_avoid.list),
				     &n))
		band = OOM_NAMELIST_AVOIDED;
	else if (oom_patterns_match_facts(oom_policy_dereference(oom_namelist_prefer.list),
					  &n))
		band = OOM_NAMELIST_PREFERRED;
	return oom_policy_rank(stock, totalpages, band);
}

/*
 * The OOM killer's scan: a task whose bit is clear is not listed (but by
 * uid: or label:), and the rest are matched. A thread other than the
 * first, which a read of /proc/<tid>/oom_score may bring, is never in
 * the table.
 */
static long oom_namelist_badness(struct task_struct *p, long stock,
				 unsigned long totalpages)
{
	u32 h = oom_nl_hash(p);

	/* A word load and a shift: bt on memory is microcoded. */
	if (unlikely(READ_ONCE(oom_nl_scan.exact)) ||
	    unlikely(!thread_group_leader(p)) ||
	    ((READ_ONCE(oom_nl_maybe[BIT_WORD(h)]) >> (h % BITS_PER_LONG)) & 1))
		return oom_namelist_exact(p, stock, totalpages);
	if (READ_ONCE(oom_nl_scan.facts))
		return oom_namelist_facts(p, stock, totalpages);
	return stock;
}

static void oom_namelist_explain(struct task_struct *p, long stock,
				 unsigned long totalpages, char *buf,
				 size_t len)
{
	const struct oom_pattern_list *prefer, *avoid;
	const struct oom_pattern *pat;
	struct oom_task_names n;
	const char *list;
	int band;

	rcu_read_lock();
	prefer = rcu_dereference(oom_namelist_prefer.list);
	avoid = rcu_dereference(oom_namelist_avoid.list);
	oom_task_names_init(p, &n, true);
	pat = oom_namelist_classify(prefer, avoid, &n, &band);
	list = band == OOM_NAMELIST_AVOIDED ? "avoid" : "prefer";
	if (!pat)
		strscpy(buf, "not listed", len);
	else if (pat->key == OOM_PATTERN_NAME &&
		 !glob_match(pat->glob, n.comm))
		/* The comm says nothing of it: "Web Content" is firefox-bin. */
		snprintf(buf, len, "%s '%s' (exe %s)", list, pat->text, n.exe);
	else
		snprintf(buf, len, "%s '%s'", list, pat->text);
	rcu_read_unlock();
}

/* -- Counters ------------------------------------------------------------- */

static ssize_t tracked_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%u\n", READ_ONCE(oom_nl.used));
}

static ssize_t overflows_show(struct kobject *kobj,
			      struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%lu\n", READ_ONCE(oom_nl.overflows));
}

static struct kobj_attribute tracked_attr = __ATTR_RO(tracked);
static struct kobj_attribute overflows_attr = __ATTR_RO(overflows);

static struct attribute *oom_namelist_attrs[] = {
	&tracked_attr.attr,
	&overflows_attr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(oom_namelist);

static struct oom_policy oom_namelist_policy = {
	.name = "namelist",
	.owner = THIS_MODULE,
	.badness = oom_namelist_badness,
	.badness_filter_bits = OOM_NL_HASH_BITS,
	.explain = oom_namelist_explain,
	.task_event = oom_namelist_task_event,
	.task_tracking = oom_namelist_task_tracking,
	.groups = oom_namelist_groups,
};

static int __init oom_namelist_init(void)
{
	return oom_policy_register(&oom_namelist_policy);
}

static void __exit oom_namelist_exit(void)
{
	oom_policy_unregister(&oom_namelist_policy);
}

module_init(oom_namelist_init);
module_exit(oom_namelist_exit);

MODULE_DESCRIPTION("OOM policy: prefer or avoid victims by name, uid, cgroup, executable or label");
MODULE_AUTHOR("The oom_policy authors");
MODULE_LICENSE("GPL");
