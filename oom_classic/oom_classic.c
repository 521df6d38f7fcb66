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
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/math.h>
#include <linux/math64.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/sched/cputime.h>
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

static int mode_set(const char *val, const struct kernel_param *kp)
{
	int mode = sysfs_match_string(oom_classic_modes, val);

	if (mode < 0) {
		pr_err("mode: '%.*s' is not a mode; accepted: modern, legacy\n",
		       oom_param_quote_len(val), val);
		return -EINVAL;
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

/* -- The 2.6 badness ------------------------------------------------------ */

/* Children looked at per task: bounds the walk below. */
#define LEGACY_CHILDREN_MAX	1024

/*
 * Half the total_vm of each child that has an mm of its own. The children
 * list is protected by tasklist_lock, which modules cannot take, so it is
 * walked under RCU (task structs are freed after a grace period), a bounded
 * number of steps, stopping at the first entry that is no longer our child:
 * an unlinked child points to itself, a reparented one to another list.
 * Under RCU (oom_compat_scan_read_lock()).
 */
static unsigned long legacy_children_vm(struct task_struct *p)
{
	struct list_head *head = &p->children, *pos;
	struct mm_struct *mm = READ_ONCE(p->mm);
	unsigned long points = 0;
	int n = 0;

	for (pos = READ_ONCE(head->next); pos != head && n < LEGACY_CHILDREN_MAX;
	     pos = READ_ONCE(pos->next), n++) {
		struct task_struct *child;

		child = list_entry(pos, struct task_struct, sibling);
		if (READ_ONCE(pos->next) == pos ||
		    rcu_access_pointer(child->real_parent) != p)
			break;
		task_lock(child);
		if (child->mm && child->mm != mm)
			points += READ_ONCE(child->mm->total_vm) / 2 + 1;
		task_unlock(child);
	}
	return points;
}

/* The capabilities 2.6 spared: 4 times for each of two kinds; under RCU. */
static unsigned int legacy_cap_divisor(struct task_struct *p)
{
	kernel_cap_t caps = oom_policy_dereference(p->real_cred)->cap_effective;
	unsigned int div = 1;

	if (cap_raised(caps, CAP_SYS_ADMIN) ||
	    cap_raised(caps, CAP_SYS_RESOURCE))
		div *= 4;
	if (cap_raised(caps, CAP_SYS_RAWIO))
		div *= 4;
	return div;
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
 * The score of @p. The core has found @p killable (it asks no policy about
 * init, kernel threads, oom_score_adj -1000, reaped mms or vfork parents),
 * so only what the 2.6 formula reads is read here: total_vm, the task's own
 * CPU time, its age, nice level, capabilities and oom_score_adj.
 * Under RCU, as every ->badness() call is.
 */
static long legacy_badness(struct task_struct *p)
{
	unsigned long points;
	u64 cpu_ns, age_ns, now;
	int oom_adj;

	if (!legacy_total_vm(p, &points))
		return LONG_MIN;	/* exiting since the core looked */
	points += legacy_children_vm(p);

	/*
	 * The CPU time is the task's own, p->utime + p->stime as 2.6.12
	 * read it (the last 2.6 releases summed the thread group with
	 * thread_group_cputime()): here the scheduler's sum_exec_runtime,
	 * one load, which utime and stime add up to.
	 */
	cpu_ns = READ_ONCE(p->se.sum_exec_runtime);
	/*
	 * The run time is measured on start_time's own clock,
	 * CLOCK_MONOTONIC: jiffies would not do, they start at
	 * INITIAL_JIFFIES, some 198 days before zero at HZ=250.
	 */
	now = ktime_get_ns();
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
		points *= 2;
	points /= legacy_cap_divisor(p);

	oom_adj = legacy_oom_adj(READ_ONCE(p->signal->oom_score_adj));
	if (oom_adj > 0)
		points = max(points, 1UL) << oom_adj;
	else if (oom_adj < 0)
		points >>= -oom_adj;
	return points;
}

/* -- The policy ----------------------------------------------------------- */

static long oom_classic_legacy(struct task_struct *p, long stock,
			       unsigned long totalpages)
{
	return legacy_badness(p);
}

static void oom_classic_explain(struct task_struct *p, long stock,
				unsigned long totalpages, char *buf,
				size_t len)
{
	snprintf(buf, len, "%s heuristic",
		 oom_classic_modes[READ_ONCE(oom_classic_mode)]);
}

static struct oom_policy oom_classic_policy = {
	.name = "classic",
	.owner = THIS_MODULE,
	/*
	 * mode=modern: no ->badness, every task keeps the stock badness the
	 * core computed with oom_policy_stock_badness() (oom_badness()
	 * redirected, the default) or the kernel's own (the kretprobe).
	 */
	.badness = NULL,
	.explain = oom_classic_explain,
};

static int __init oom_classic_init(void)
{
	return oom_policy_register(&oom_classic_policy);
}

static void __exit oom_classic_exit(void)
{
	oom_policy_unregister(&oom_classic_policy);
}

module_init(oom_classic_init);
module_exit(oom_classic_exit);

MODULE_DESCRIPTION("OOM policy: the kernel's heuristic, modern or 2.6-era");
MODULE_AUTHOR("The oom_policy authors");
MODULE_LICENSE("GPL");
