// SPDX-License-Identifier: GPL-2.0
/*
 * oom_classic: the kernel's own heuristics as a policy.
 *
 * mode=modern scores every task exactly as the running kernel does: a
 * baseline to compare other policies with. Its scores are the stock
 * badness the core hands it, which, with oom_badness() redirected (the
 * default), the shared helper oom_policy_stock_badness() computes in the
 * kernel's stead; the tests compare them with the kernel's own.
 *
 * mode=legacy brings back the badness() of Linux 2.6.12 to 2.6.35
 * (mm/oom_kill.c, rewritten in 2.6.36 by commit a63d83f427fb "oom: badness
 * heuristic rewrite"). It preferred big, young, low-CPU, unprivileged,
 * niced processes and the parents of big forking families:
 *
 *   points  = total_vm of the process
 *           + for each child with an mm of its own: its total_vm / 2 + 1
 *   points /= sqrt(cpu_time)		the task's own, in units of ~8 s
 *   points /= sqrt(sqrt(run_time))	run_time in units of ~1024 s
 *   points *= 2				niced (nice > 0)
 *   points /= 4				CAP_SYS_ADMIN or CAP_SYS_RESOURCE
 *   points /= 4				CAP_SYS_RAWIO
 *   points <<= oom_adj, or >>= -oom_adj	oom_adj in [-16, 15]
 *
 * oom_adj no longer exists; it is derived from oom_score_adj the way
 * /proc/<pid>/oom_adj still shows it. The cpuset rule of the original
 * (divide by 8 when the task's nodes do not intersect ours) is left out:
 * today's kernel does not even consider such tasks for a cpuset OOM.
 * Unlike 2.6, scores saturate below what today's kernel can still
 * multiply by 1000 (LEGACY_POINTS_MAX), and /proc/<pid>/oom_score keeps
 * its [0, 2000] range (see oom_classic_legacy()).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/hash.h>
#include <linux/math.h>
#include <linux/math64.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/overflow.h>
#include <linux/sched/cputime.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timekeeping.h>

#include "oom_policy.h"

enum oom_classic_mode {
	OOM_CLASSIC_MODERN,
	OOM_CLASSIC_LEGACY,
};

static const char * const oom_classic_modes[] = {
	[OOM_CLASSIC_MODERN] = "modern",
	[OOM_CLASSIC_LEGACY] = "legacy",
};

/* Which heuristic scores tasks. */
static int oom_classic_mode = OOM_CLASSIC_MODERN;

static struct oom_policy oom_classic_policy;
static long oom_classic_legacy(struct task_struct *p, long stock,
			       unsigned long totalpages);
static int legacy_parents_alloc(void);

static int mode_set(const char *val, const struct kernel_param *kp)
{
	int mode = sysfs_match_string(oom_classic_modes, val);

	if (mode < 0) {
		pr_err("mode: '%.*s' is not a mode; accepted: modern, legacy\n",
		       oom_param_quote_len(val), val);
		return -EINVAL;
	}
	if (mode == OOM_CLASSIC_LEGACY) {
		int err = legacy_parents_alloc();

		if (err)
			return err;
	}
	WRITE_ONCE(oom_classic_mode, mode);
	/*
	 * The modern heuristic is the stock badness itself, which the core
	 * hands out with no policy callback: see oom_classic_policy.
	 */
	oom_policy_set_badness(&oom_classic_policy,
			       mode == OOM_CLASSIC_LEGACY ? oom_classic_legacy :
							    NULL);
	return 0;
}

static int mode_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%s\n",
			  oom_classic_modes[READ_ONCE(oom_classic_mode)]);
}

static const struct kernel_param_ops mode_ops = {
	.set = mode_set,
	.get = mode_get,
};

module_param_cb(mode, &mode_ops, NULL, 0644);
MODULE_PARM_DESC(mode,
		 "Heuristic: modern (the running kernel's) or legacy (Linux 2.6's badness) (default: modern)");

/* -- Saturation ----------------------------------------------------------- */

/*
 * The highest score legacy mode gives. 2.6's points were an unsigned long
 * that nothing multiplied; today's kernel multiplies a badness by 1000:
 * proc_oom_score() computes (1000 + badness * 1000 / totalpages) * 2 / 3
 * in a long. With badness <= (LONG_MAX / 2 - 1000) / 1000 that cannot
 * overflow for any totalpages >= 1: badness * 1000 + 1000 <= LONG_MAX / 2,
 * doubled <= LONG_MAX. The OOM killer's scan only compares scores, and so
 * does the core. About 4.6e15 pages with a 64-bit long; with a 32-bit
 * long, 1073740 (4 GB of 4 kB pages), where big tasks may then tie.
 *
 * Every step that can grow the score saturates at ULONG_MAX rather than
 * wrap (a wrapped score would rank a huge task below small ones), and the
 * result is clamped to this: the order of the tasks below it stays exact.
 * Total_vm alone is at most 2^44 pages (57-bit address spaces), but half
 * of every child's is added, doubled for nice, and shifted by up to 15.
 */
#define LEGACY_POINTS_MAX	((LONG_MAX / 2 - 1000) / 1000)

static unsigned long legacy_add(unsigned long a, unsigned long b)
{
	unsigned long sum;

	return check_add_overflow(a, b, &sum) ? ULONG_MAX : sum;
}

static unsigned long legacy_shl(unsigned long a, unsigned int shift)
{
	unsigned long res;

	return check_shl_overflow(a, shift, &res) ? ULONG_MAX : res;
}

/* -- Children ------------------------------------------------------------- */

/*
 * 2.6 added half the total_vm (+ 1) of each child that has an mm of its
 * own to the parent's score, walking p->children under tasklist_lock.
 * Modules cannot take tasklist_lock, and ->children is no RCU list: an
 * exiting child's list_del_init() points its entry at itself, so a walker
 * without the lock can even loop forever. This code never walks it.
 *
 * The children are found from their side instead: the process list
 * (for_each_process()) and each task's real_parent are RCU-protected, and
 * a child is on exactly the ->children list of its real_parent, be that a
 * thread other than the main one.
 *
 * In the OOM killer's scan, ->oom_start() walks the process list once and
 * sums each parent's children into legacy_parents, a hash table allocated
 * when legacy mode is first chosen (never in the OOM path); ->badness()
 * looks the scored task up. Only the task in out_of_memory() writes and
 * reads the table, between its ->oom_start() and ->oom_end(), and
 * out_of_memory() runs under oom_lock: one scan at a time, no locking.
 * Other tasks compare legacy_scan.owner with themselves and keep away.
 * Nothing read from the table is ever dereferenced, so even a stale
 * owner (a scan whose ->oom_end() the core skipped, because another
 * policy became active meanwhile) can read wrong numbers, never bad
 * memory.
 *
 * The table holds LEGACY_PARENTS_MAX parents. Once it is full, the
 * children of parents not yet in it are not counted for the rest of that
 * OOM (the parents in it still count all of theirs), and
 * /sys/kernel/oom_policy/classic/children_uncounted says how many were
 * left out.
 *
 * Outside a scan (a read of /proc/<pid>/oom_score, the core's preview)
 * there is no table: a task that has children finds them with a walk of
 * the process list, which is what such a read costs in legacy mode; a
 * task whose ->children is empty (one racy pointer compare, never
 * followed) costs nothing more. So does the rest of a scan during which
 * legacy mode was chosen: its ->oom_start() built no table.
 */
#define LEGACY_PARENTS_BITS	12
#define LEGACY_PARENTS_SLOTS	BIT(LEGACY_PARENTS_BITS)
/* At most half the slots are used, which keeps every probe short. */
#define LEGACY_PARENTS_MAX	(LEGACY_PARENTS_SLOTS / 2)

/**
 * struct legacy_parent - a slot of the parents table
 * @task:	the parent, a key only: never dereferenced
 * @pid:	its pid, which tells a task_struct freed and reused during a
 *		memcg OOM's scan (not one RCU section) from the one counted
 * @gen:	the slot is used in the scan of this generation
 * @vm:	the children's share of the parent's score, in pages
 */
struct legacy_parent {
	const struct task_struct *task;
	pid_t pid;
	u32 gen;
	unsigned long vm;
};

/* LEGACY_PARENTS_SLOTS slots, allocated by the first switch to legacy. */
static struct legacy_parent *legacy_parents;

/* The scan in progress, if legacy_scan.owner is the current task. */
static struct {
	struct task_struct *owner;	/* the task in out_of_memory() */
	struct legacy_parent *table;	/* legacy_parents */
	u64 now;			/* CLOCK_MONOTONIC at ->oom_start() */
	u32 gen;			/* slots of other generations are free */
	unsigned int parents;		/* slots used in this generation */
} legacy_scan;

/* Children left out because the table was full. */
static atomic_long_t legacy_children_uncounted;

/*
 * Called from mode_set(), whose calls the kernel serialises (the module's
 * parameter lock, or the module's loading). The table stays until the
 * module goes away: it is the size of a few task_structs.
 */
static int legacy_parents_alloc(void)
{
	struct legacy_parent *table;

	if (legacy_parents)
		return 0;
	table = kvcalloc(LEGACY_PARENTS_SLOTS, sizeof(*table), GFP_KERNEL);
	if (!table)
		return -ENOMEM;
	/* Zeroed before ->oom_start() can see it: its smp_load_acquire(). */
	smp_store_release(&legacy_parents, table);
	return 0;
}

/*
 * 2.6's share of child @c in its parent's score: half its total_vm + 1
 * when it has an mm, and not @parent_mm; 0 otherwise. Under RCU.
 */
static unsigned long legacy_child_vm(struct task_struct *c,
				     const struct mm_struct *parent_mm)
{
	unsigned long vm = 0;

	task_lock(c);
	if (c->mm && c->mm != parent_mm)
		vm = READ_ONCE(c->mm->total_vm) / 2 + 1;
	task_unlock(c);
	return vm;
}

/* Add @vm to @parent's slot; false when the table is full. */
static bool legacy_parents_add(const struct task_struct *parent,
			       unsigned long vm)
{
	u32 i = hash_ptr(parent, LEGACY_PARENTS_BITS);
	struct legacy_parent *e;

	/* Ends: at most half the slots are of this generation. */
	for (;; i = (i + 1) % LEGACY_PARENTS_SLOTS) {
		e = &legacy_scan.table[i];
		if (e->gen != legacy_scan.gen)
			break;
		if (e->task == parent && e->pid == parent->pid) {
			e->vm = legacy_add(e->vm, vm);
			return true;
		}
	}
	if (legacy_scan.parents == LEGACY_PARENTS_MAX)
		return false;
	legacy_scan.parents++;
	e->task = parent;
	e->pid = parent->pid;
	e->gen = legacy_scan.gen;
	e->vm = vm;
	return true;
}

/* The children's share of @p's score, from the table. */
static unsigned long legacy_parents_find(const struct task_struct *p)
{
	u32 i = hash_ptr(p, LEGACY_PARENTS_BITS);
	const struct legacy_parent *e;

	for (;; i = (i + 1) % LEGACY_PARENTS_SLOTS) {
		e = &legacy_scan.table[i];
		if (e->gen != legacy_scan.gen)
			return 0;
		if (e->task == p && e->pid == p->pid)
			return e->vm;
	}
}

/*
 * ->oom_start(): sum every parent's children into the table, once per
 * OOM, for the whole system: 2.6 counted a task's children wherever
 * they were, also in a memcg OOM. Kernel threads are left out (they have
 * no mm of their own), and so are children of init and of kernel
 * threads, which are never scored. Under RCU, preemption disabled.
 */
static void oom_classic_oom_start(const struct oom_control *oc)
{
	unsigned long vm, uncounted = 0;
	struct task_struct *c, *parent;
	struct legacy_parent *table;

	WRITE_ONCE(legacy_scan.owner, NULL);
	if (READ_ONCE(oom_classic_mode) != OOM_CLASSIC_LEGACY)
		return;
	/* Pairs with legacy_parents_alloc(): the slots read as zeroed. */
	table = smp_load_acquire(&legacy_parents);
	if (!table)
		return;

	legacy_scan.table = table;
	/* A new generation frees every slot; clear them on wrapping. */
	if (!++legacy_scan.gen) {
		memset(table, 0, LEGACY_PARENTS_SLOTS * sizeof(*table));
		legacy_scan.gen = 1;
	}
	legacy_scan.parents = 0;
	legacy_scan.now = ktime_get_ns();

	for_each_process(c) {
		/* A hint only: no mm now, no share; locked below. */
		if ((c->flags & PF_KTHREAD) || !READ_ONCE(c->mm))
			continue;
		parent = oom_policy_dereference(c->real_parent);
		if (oom_policy_unkillable_task(parent))
			continue;
		/* The parent's mm is compared, never dereferenced. */
		vm = legacy_child_vm(c, READ_ONCE(parent->mm));
		if (vm && !legacy_parents_add(parent, vm))
			uncounted++;
	}
	if (uncounted)
		atomic_long_add(uncounted, &legacy_children_uncounted);
	WRITE_ONCE(legacy_scan.owner, current);
}

/* ->oom_end(): the scan is over, the table is for no one. */
static void oom_classic_oom_end(const struct oom_control *oc, bool aborted)
{
	WRITE_ONCE(legacy_scan.owner, NULL);
}

/*
 * The children's share of @p's score outside a scan: one walk of the
 * process list for a task that has children. Under RCU.
 */
static unsigned long legacy_children_walk(struct task_struct *p)
{
	const struct mm_struct *mm = READ_ONCE(p->mm);
	unsigned long vm = 0;
	struct task_struct *c;

	/* Reads one pointer of the list head, follows none. */
	if (list_empty(&p->children))
		return 0;
	for_each_process(c)
		if (rcu_access_pointer(c->real_parent) == p)
			vm = legacy_add(vm, legacy_child_vm(c, mm));
	return vm;
}

/* -- The 2.6 badness ------------------------------------------------------ */

/*
 * The capabilities 2.6 spared: it divided by 4 for each of two kinds, a
 * shift by 2 here (no division per task). Under RCU.
 */
static unsigned int legacy_cap_shift(struct task_struct *p)
{
	kernel_cap_t caps = oom_policy_dereference(p->real_cred)->cap_effective;
	unsigned int shift = 0;

	if (cap_raised(caps, CAP_SYS_ADMIN) ||
	    cap_raised(caps, CAP_SYS_RESOURCE))
		shift += 2;
	if (cap_raised(caps, CAP_SYS_RAWIO))
		shift += 2;
	return shift;
}

/* The oom_adj that /proc/<pid>/oom_adj shows for an oom_score_adj. */
static int legacy_oom_adj(short adj)
{
	if (adj == OOM_SCORE_ADJ_MAX)
		return 15;
	return adj * 17 / OOM_SCORE_ADJ_MAX;
}

/*
 * The total_vm of @p's mm, from the first of its threads that still has
 * one (the main thread may have exited); false when none has. Under RCU.
 */
static bool legacy_total_vm(struct task_struct *p, unsigned long *vm)
{
	struct task_struct *t;

	for_each_thread(p, t) {
		task_lock(t);
		if (likely(t->mm)) {
			*vm = READ_ONCE(t->mm->total_vm);
			task_unlock(t);
			return true;
		}
		task_unlock(t);
	}
	return false;
}

/* 2.6's units: CPU time in jiffies >> (SHIFT_HZ + 3), run time in s >> 10. */
#define LEGACY_CPU_UNIT_NS	(8ULL * NSEC_PER_SEC)
#define LEGACY_RUN_UNIT_NS	(1024ULL * NSEC_PER_SEC)

/*
 * The score of @p, whose children's share is @children, at time @now
 * (CLOCK_MONOTONIC, start_time's own clock: not jiffies, which start at
 * INITIAL_JIFFIES, some 198 days before zero at HZ=250). The core has
 * found @p killable (it asks no policy about
 * init, kernel threads, oom_score_adj -1000, reaped mms or vfork parents),
 * so only what the 2.6 formula reads is read here: total_vm, the task's own
 * CPU time, its age, nice level, capabilities and oom_score_adj.
 * Under RCU, as every ->badness() call is.
 */
static long legacy_badness(struct task_struct *p, unsigned long children,
			   u64 now, unsigned long max)
{
	unsigned long points;
	u64 cpu_ns, age_ns;
	int oom_adj;

	if (!legacy_total_vm(p, &points))
		return LONG_MIN;	/* exiting since the core looked */
	points = legacy_add(points, children);

	/*
	 * The CPU time is the task's own, p->utime + p->stime as 2.6.12
	 * read it (the last 2.6 releases summed the thread group with
	 * thread_group_cputime()): here the scheduler's sum_exec_runtime,
	 * one load, which utime and stime add up to.
	 */
	cpu_ns = READ_ONCE(p->se.sum_exec_runtime);
	age_ns = now > p->start_time ? now - p->start_time : 0;
	/*
	 * One division for both steps of each (whole seconds or jiffies,
	 * then the shift): floor(floor(ns / a) / b) = floor(ns / (a * b)).
	 * Most tasks are below one unit of each, which takes no division at
	 * all. The nanoseconds are u64: div64_u64() rather than '/', which
	 * a 32-bit kernel would compile into a call of libgcc's __udivdi3.
	 */
	if (cpu_ns >= LEGACY_CPU_UNIT_NS)
		points /= int_sqrt(div64_u64(cpu_ns, LEGACY_CPU_UNIT_NS));
	if (age_ns >= LEGACY_RUN_UNIT_NS)
		points /= int_sqrt(int_sqrt(div64_u64(age_ns,
						      LEGACY_RUN_UNIT_NS)));

	if (task_nice(p) > 0)
		points = legacy_shl(points, 1);
	points >>= legacy_cap_shift(p);

	oom_adj = legacy_oom_adj(READ_ONCE(p->signal->oom_score_adj));
	if (oom_adj > 0)
		points = legacy_shl(max(points, 1UL), oom_adj);
	else if (oom_adj < 0)
		points >>= -oom_adj;
	return min(points, max);
}

/* -- The policy ----------------------------------------------------------- */

/*
 * A read of /proc/<pid>/oom_score, or the preview. The kernel maps the
 * stock range of badness, [-totalpages, 2 * totalpages], onto oom_score's
 * [0, 2000], which user space has long relied on; 2.6 scores are
 * unbounded, total_vm being address space. So outside a scan they stop at
 * 2 * totalpages: a task at or above it reads 2000, and such tasks tie in
 * the preview, while the scan still tells them apart. Out of line: the
 * scan's path then saves no registers for this one's walk.
 */
static noinline long legacy_read_score(struct task_struct *p,
				       unsigned long totalpages)
{
	return legacy_badness(p, legacy_children_walk(p), ktime_get_ns(),
			      min_t(unsigned long, LEGACY_POINTS_MAX,
				    2 * totalpages));
}

static long oom_classic_legacy(struct task_struct *p, long stock,
			       unsigned long totalpages)
{
	/* The scan that ->oom_start() prepared. */
	if (READ_ONCE(legacy_scan.owner) == current)
		return legacy_badness(p, legacy_parents_find(p),
				      legacy_scan.now, LEGACY_POINTS_MAX);
	return legacy_read_score(p, totalpages);
}

static void oom_classic_explain(struct task_struct *p, long stock,
				unsigned long totalpages, char *buf,
				size_t len)
{
	snprintf(buf, len, "%s heuristic",
		 oom_classic_modes[READ_ONCE(oom_classic_mode)]);
}

/* -- Counters ------------------------------------------------------------- */

static ssize_t children_uncounted_show(struct kobject *kobj,
				       struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%ld\n",
			  atomic_long_read(&legacy_children_uncounted));
}

static struct kobj_attribute children_uncounted_attr =
	__ATTR_RO(children_uncounted);

static struct attribute *oom_classic_attrs[] = {
	&children_uncounted_attr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(oom_classic);

static struct oom_policy oom_classic_policy = {
	.name = "classic",
	.owner = THIS_MODULE,
	/*
	 * mode=modern: no ->badness, every task keeps the stock badness the
	 * core computed with oom_policy_stock_badness() (oom_badness()
	 * redirected, the default) or the kernel's own (the kretprobe).
	 */
	.badness = NULL,
	.oom_start = oom_classic_oom_start,
	.oom_end = oom_classic_oom_end,
	.explain = oom_classic_explain,
	.groups = oom_classic_groups,
};

static int __init oom_classic_init(void)
{
	int err = oom_policy_register(&oom_classic_policy);

	/* mode=legacy at load time allocated the table already. */
	if (err)
		kvfree(legacy_parents);
	return err;
}

static void __exit oom_classic_exit(void)
{
	/* No callback is running or will run: the table is ours again. */
	oom_policy_unregister(&oom_classic_policy);
	kvfree(legacy_parents);
}

module_init(oom_classic_init);
module_exit(oom_classic_exit);

MODULE_DESCRIPTION("OOM policy: the kernel's heuristic, modern or 2.6-era");
MODULE_AUTHOR("The oom_policy authors");
MODULE_LICENSE("GPL");
