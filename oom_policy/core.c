// SPDX-License-Identifier: GPL-2.0
/*
 * oom_policy: pluggable OOM victim-selection policies for stock kernels.
 *
 * The core keeps the registry of policy modules and the active one, and
 * answers the kernel's oom_badness() calls (see hook.c) with the active
 * policy's score, or the stock score when none is active.
 *
 *   /sys/kernel/oom_policy/available	registered policies
 *   /sys/kernel/oom_policy/active	the active policy or "none"; writable
 *   /sys/kernel/oom_policy/oom_events	OOMs seen
 *   /sys/kernel/oom_policy/victims	victims per policy ("none" for stock)
 *   /sys/kernel/oom_policy/missed	hook calls that got the stock score, and
 *					OOMs the core did not see
 *   /sys/kernel/oom_policy/hook		how oom_badness() is hooked
 *   /sys/kernel/debug/oom_policy/preview	top candidates, no OOM needed
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/ctype.h>
#include <linux/debugfs.h>
#include <linux/hash.h>
#include <linux/kobject.h>
#include <linux/mutex.h>
#include <linux/ratelimit.h>
#include <linux/rculist.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "oom_policy.h"
#include "internal.h"
#include "redirect.h"

/* What redirect.S reads, where it reads it. */
static_assert(offsetof(struct oom_redirect_skip, no_policy) == OOM_SKIP_FLAGS);
static_assert(offsetof(struct oom_redirect_skip, scan_stock) ==
	      OOM_SKIP_FLAGS + 1);
static_assert(offsetof(struct oom_redirect_skip, filtered) ==
	      OOM_SKIP_FILTERED);
static_assert(offsetof(struct oom_policy, badness_filter) ==
	      OOM_POLICY_FILTER);
static_assert(offsetof(struct oom_policy, badness_filter_bits) ==
	      OOM_POLICY_FILTER_BITS);
static_assert(sizeof_field(struct oom_policy, badness_filter_bits) == 4);
static_assert(GOLDEN_RATIO_64 == OOM_GOLDEN_RATIO_64);

/* -- Registry ------------------------------------------------------------- */

/* Serialises registration and changes of the active policy. */
static DEFINE_MUTEX(oom_policy_mutex);

/* Registered policies; readers walk it under RCU. */
static LIST_HEAD(oom_policy_list);

/* The policy that scores tasks; NULL for the stock kernel behaviour. */
static struct oom_policy __rcu *oom_policy_active;

/*
 * When a score needs nothing from the core, the redirect does not call
 * it (see internal.h): @no_policy follows oom_policy_active, under
 * oom_policy_mutex; @scan_stock is set by the task whose scan has begun
 * for a policy without ->badness, and cleared when that OOM ends and by
 * any change of the active policy or of a ->badness. A change that
 * races with a scan's start may leave the rest of that one scan stock,
 * as a reader of the old policy would. @filtered is set with @scan_stock's
 * rules for a policy with a ->badness_filter, and cleared with it; a
 * policy's unregistration clears it too and waits for the trampolines
 * that read it (oom_policy_unregister()).
 */
struct oom_redirect_skip oom_redirect_skip = { .no_policy = 1 };

/*
 * The active policy changed from @old to @pol (either may be NULL, and
 * they may be the same); under oom_policy_mutex, once @pol is published,
 * so that the events @pol is told to track are delivered to it already.
 */
static void oom_policy_changed(const struct oom_policy *old,
			       const struct oom_policy *pol)
{
	WRITE_ONCE(oom_redirect_skip.scan_stock, 0);
	WRITE_ONCE(oom_redirect_skip.filtered, NULL);
	WRITE_ONCE(oom_redirect_skip.no_policy, !pol);
	if (old == pol)
		return;
	if (old && old->task_tracking)
		old->task_tracking(false);
	if (pol && pol->task_tracking)
		pol->task_tracking(true);
}

/* Registered policies with ->task_event; under oom_policy_mutex. */
static unsigned int oom_task_event_policies;

/**
 * oom_core_task_event() - a task event, for the active policy
 * @p:		the task
 * @ev:		what happened to it
 * @comm:	its new comm for %OOM_TASK_RENAME, else NULL
 *
 * Called by the tracepoint probes of hook.c, with preemption disabled:
 * oom_policy_unregister() waits for RCU, and so for every call of a
 * policy's ->task_event() made here.
 */
void oom_core_task_event(struct task_struct *p, enum oom_task_event ev,
			 const char *comm)
{
	const struct oom_policy *pol;

	pol = oom_policy_dereference(oom_policy_active);
	if (pol && pol->task_event)
		pol->task_event(p, ev, comm);
}

/* -- Counters ------------------------------------------------------------- */

/* Calls of out_of_memory(): every OOM the kernel handled. */
static atomic_long_t oom_events = ATOMIC_LONG_INIT(0);

/*
 * Victims per policy name. A slot is claimed by the first registration of
 * a name and kept until the core goes, so counts survive reloading a
 * policy. Slot 0 counts the victims of the stock behaviour.
 */
#define OOM_POLICY_SLOTS	16

static struct oom_policy_slot {
	char name[OOM_POLICY_NAME_MAX + 1];
	atomic_long_t victims;
} oom_policy_slots[OOM_POLICY_SLOTS] = {
	[0] = { .name = "none" },
};

/* Slot of @name, claiming a free one if needed; NULL when all are taken. */
static struct oom_policy_slot *oom_policy_slot(const char *name, bool claim)
{
	int i;

	for (i = 0; i < OOM_POLICY_SLOTS; i++) {
		struct oom_policy_slot *s = &oom_policy_slots[i];

		if (!strcmp(s->name, name))
			return s;
		if (!s->name[0]) {
			if (!claim)
				return NULL;
			strscpy(s->name + 1, name + 1, sizeof(s->name) - 1);
			/*
			 * Slots are read without the mutex: publish the first
			 * character last; pairs with victims_show()'s acquire.
			 */
			smp_store_release(&s->name[0], name[0]);
			return s;
		}
	}
	return NULL;
}

/* -- The OOM in progress -------------------------------------------------- */

/* Victim processes of one OOM remembered to count and log each once. */
#define OOM_NOW_VICTIMS		8

/*
 * out_of_memory() runs under oom_lock, so at most one task is choosing a
 * victim at any time. Only that task writes or reads this record, except
 * @owner and @entered, which scoring calls read to tell the OOM killer's
 * scan from a read of /proc/<pid>/oom_score.
 */
static struct oom_in_progress {
	struct task_struct *entered;	/* the task inside out_of_memory() */
	struct task_struct *owner;	/* the same, once its scan has begun */
	struct oom_control *oc;		/* its oom_control */
	const struct oom_policy *started; /* ->oom_start() was called for it */
	/* The highest score a ->badness() gave in the scan, for the kill log. */
	pid_t best_tgid;
	long best_score;
	long best_stock;
	/*
	 * The process the scan chose, from its first mark on: the kernel
	 * may drop oc->chosen before it marks the rest of a memory.oom.group,
	 * so oc->chosen is compared, never read through, and only here.
	 */
	pid_t chosen_tgid;
	/* Processes marked in this OOM so far (the first OOM_NOW_VICTIMS). */
	unsigned int nvictims;
	pid_t victims[OOM_NOW_VICTIMS];
	/* oom_hooks_missed() when it began: a rise means lost scoring calls. */
	unsigned long missed;
} oom_now;

/*
 * OOMs whose out_of_memory() call the core did not see: the kernel marked
 * a victim while no task was inside out_of_memory() for the core. Its
 * kretprobe did not fire: no free instance, or kprobes disarmed as a
 * whole (/sys/kernel/debug/kprobes/enabled). Policies missed that OOM.
 */
static atomic_long_t oom_unseen = ATOMIC_LONG_INIT(0);

/* The kill log: one line per victim process, at most 10 every 5 s. */
static DEFINE_RATELIMIT_STATE(oom_log_rs, 5 * HZ, 10);

/* Victim processes counted so far and the last one, for oom_policy_last_victim(). */
static DEFINE_SPINLOCK(oom_last_victim_lock);
static struct {
	unsigned long count;
	pid_t tgid;
	char comm[TASK_COMM_LEN];
} oom_last_victim;

/* System-wide totalpages (RAM + swap) the kernel last passed for oom_score. */
static unsigned long oom_global_totalpages;

/* -- Scoring -------------------------------------------------------------- */

/*
 * Scoring is on the path of every task the OOM killer scans, so it is
 * built for the stock case: with no policy active it adds a few
 * instructions to each task, and the replacement of oom_badness() inlines
 * the stock heuristic and this. The active policy is read, and ->badness()
 * runs, in oom_compat_scan_read_lock(): preemption disabled, inline,
 * unlike rcu_read_lock() on PREEMPT_RCU kernels, and waited for by
 * synchronize_rcu() like any other RCU reader.
 */

/* @pol's score for @p: @stock if it has no ->badness now. */
static __always_inline long oom_policy_score(const struct oom_policy *pol,
					     struct task_struct *p, long stock,
					     unsigned long totalpages)
{
	typeof_member(struct oom_policy, badness) badness;

	badness = READ_ONCE(pol->badness);
	return badness ? badness(p, stock, totalpages) : stock;
}

/*
 * The first score of a scan with @pol, or the first since @pol became
 * active: tell it the OOM has started.
 */
static noinline void oom_now_start(const struct oom_policy *pol)
{
	oom_now.started = pol;
	if (pol && pol->oom_start)
		pol->oom_start(oom_now.oc);
}

/*
 * The score of @p, whose stock badness is @stock, in the OOM killer's scan.
 * A policy without ->badness leaves the stock score, and the kernel's
 * choice is the kill log's (oom_control's chosen and chosen_points). A
 * ->badness() score is noted when it is the highest so far, with the stock
 * score it was made of; ties go to the later task, as in the kernel
 * (oom_now.best_score starts at LONG_MIN + 1, the lowest score the kernel
 * may choose).
 */
static __always_inline long oom_core_scan_score(struct task_struct *p,
						unsigned long totalpages,
						long stock)
{
	typeof_member(struct oom_policy, badness) badness;
	const struct oom_policy *pol;
	const unsigned long *filter;
	long score = stock;
	u32 h;

	if (!rcu_access_pointer(oom_policy_active))
		return stock;

	oom_compat_scan_read_lock();
	pol = oom_policy_dereference(oom_policy_active);
	badness = pol ? READ_ONCE(pol->badness) : NULL;
	filter = badness ? READ_ONCE(pol->badness_filter) : NULL;
	if (filter) {
		/* A word load and a shift: bt on memory is microcoded. */
		h = hash_ptr(p, pol->badness_filter_bits);
		if (!((READ_ONCE(filter[BIT_WORD(h)]) >> (h % BITS_PER_LONG)) & 1))
			badness = NULL;
	}
	if (badness) {
		if (unlikely(oom_now.started != pol))
			oom_now_start(pol);
		score = badness(p, stock, totalpages);
		if (score >= oom_now.best_score) {
			oom_now.best_tgid = p->tgid;
			oom_now.best_score = score;
			oom_now.best_stock = stock;
		}
	}
	oom_compat_scan_read_unlock();
	return score;
}

/* Outside an OOM: a read of /proc/<pid>/oom_score. */
static long oom_core_read_score(struct task_struct *p,
				unsigned long totalpages, long stock)
{
	const struct oom_policy *pol;
	long score = stock;

	oom_compat_scan_read_lock();
	pol = oom_policy_dereference(oom_policy_active);
	if (pol)
		score = oom_policy_score(pol, p, stock, totalpages);
	oom_compat_scan_read_unlock();

	WRITE_ONCE(oom_global_totalpages, totalpages);
	/*
	 * proc_oom_score() shows (1000 + score * 1000 / totalpages) * 2 / 3,
	 * documented as 0 to 2000, which stock scores in [-totalpages,
	 * 2 * totalpages] fill. A policy's bands reach far beyond: they are
	 * shown at the ends of the range, the stock scores between them
	 * exactly. (oom_score is unsigned: a deeply negative score would also
	 * wrap into the most killable of all.)
	 */
	if (score != LONG_MIN)
		score = clamp(score, -(long)totalpages, 2 * (long)totalpages);
	return score;
}

/*
 * Scoring outside a scan that has begun: the first task of the OOM
 * killer's scan, which starts it for the active policy, or a read of
 * oom_score.
 */
static noinline long oom_core_first_score(struct task_struct *p,
					  unsigned long totalpages,
					  long stock)
{
	const struct oom_policy *pol;

	if (READ_ONCE(oom_now.entered) != current)
		return oom_core_read_score(p, totalpages, stock);

	oom_compat_scan_read_lock();
	pol = oom_policy_dereference(oom_policy_active);
	oom_now_start(pol);
	/* ->oom_start() may have given the policy a ->badness. */
	if (pol && !READ_ONCE(pol->badness))
		WRITE_ONCE(oom_redirect_skip.scan_stock, 1);
	/* The trampoline tests the bits of the rest of the scan. */
	if (pol && pol->badness_filter_bits)
		WRITE_ONCE(oom_redirect_skip.filtered, pol);
	oom_compat_scan_read_unlock();
	WRITE_ONCE(oom_now.owner, current);
	return oom_core_scan_score(p, totalpages, stock);
}

/*
 * The score of @p, whose stock badness is @stock (not LONG_MIN: the task
 * may be killed). The scan's own tasks take the inline path: one compare
 * with no policy active, and no call at all for a policy without
 * ->badness.
 */
static __always_inline long oom_core_score(struct task_struct *p,
					   unsigned long totalpages,
					   long stock)
{
	if (READ_ONCE(oom_now.owner) != current)
		return oom_core_first_score(p, totalpages, stock);
	return oom_core_scan_score(p, totalpages, stock);
}

/**
 * oom_core_badness() - the score the kernel gets for one task
 * @p:		the task being scored
 * @totalpages:	the size of the memory domain
 * @stock:	what the kernel's own oom_badness() returned for @p
 *
 * Called for every oom_badness() call, by either hook, after the kernel's
 * function has run: the stock score is always the running kernel's.
 * Outside an OOM (a read of /proc/<pid>/oom_score) the score is kept in
 * the range that file is documented to show (oom_core_read_score()).
 *
 * Return: the score the kernel gets for @p.
 */
long oom_core_badness(struct task_struct *p, unsigned long totalpages,
		      long stock)
{
	if (stock == LONG_MIN)
		return LONG_MIN;
	return oom_core_score(p, totalpages, stock);
}

/**
 * oom_core_oom_enter() - the current task entered out_of_memory()
 * @oc: its oom_control
 *
 * Its scan begins at the first task scored (oom_core_first_score()): an
 * OOM the kernel answers without one (an exiting allocator, a victim
 * still pending in a memcg) neither starts nor ends a policy's OOM.
 */
void oom_core_oom_enter(struct oom_control *oc)
{
	atomic_long_inc(&oom_events);
	oom_now.oc = oc;
	oom_now.started = NULL;
	oom_now.best_tgid = 0;
	oom_now.best_score = LONG_MIN + 1;
	oom_now.chosen_tgid = 0;
	oom_now.nvictims = 0;
	oom_now.missed = oom_hooks_missed();
	WRITE_ONCE(oom_now.entered, current);
}

/*
 * The scan of @oc called oom_badness() for no task, yet chose one: the
 * kernel scores its tasks some other way (a compiler inlined oom_badness()
 * into oom_evaluate_task()), or every call was missed. The kernel answers
 * some OOMs without a scan: an exiting allocator (oc->chosen stays NULL),
 * vm.oom_kill_allocating_task (oc->chosen is current, and chosen_points
 * keeps the 0 of its initialiser; a scan starts it at LONG_MIN), a victim
 * still exiting (OOM_SCAN_ABORTED, maybe before any task was scored).
 */
static bool oom_scan_unhooked(const struct oom_control *oc)
{
	return oc->chosen && oc->chosen != OOM_SCAN_ABORTED &&
	       !(oc->chosen == current && !oc->chosen_points);
}

/**
 * oom_core_oom_exit() - the current task left out_of_memory()
 *
 * Ends the OOM for the policy it was started for, if that is still the
 * active one, and says once if the kernel chose a victim that no policy
 * could have scored.
 */
void oom_core_oom_exit(void)
{
	struct oom_control *oc = oom_now.oc;
	const struct oom_policy *pol;

	if (oom_now.owner == current) {
		rcu_read_lock();
		pol = rcu_dereference(oom_policy_active);
		if (pol && pol == oom_now.started && pol->oom_end)
			pol->oom_end(oc, oc->chosen == OOM_SCAN_ABORTED);
		rcu_read_unlock();
	} else if (oc && rcu_access_pointer(oom_policy_active) &&
		   oom_scan_unhooked(oc)) {
		pr_warn_once("the OOM killer chose a victim without calling oom_badness(): this kernel's scan is not hooked, and no policy applies to it\n");
	}
	if (oc && oom_hooks_missed() != oom_now.missed)
		pr_warn_once("scoring calls were missed in an OOM: those tasks got their stock score (see /sys/kernel/oom_policy/missed)\n");
	WRITE_ONCE(oom_redirect_skip.scan_stock, 0);
	WRITE_ONCE(oom_redirect_skip.filtered, NULL);
	WRITE_ONCE(oom_now.owner, NULL);
	WRITE_ONCE(oom_now.entered, NULL);
	oom_now.oc = NULL;
}

/**
 * oom_core_unseen() - OOMs the out_of_memory() hook did not see
 *
 * Counted when the kernel marks a victim outside an OOM the core saw;
 * the kernel marks victims only inside out_of_memory().
 */
unsigned long oom_core_unseen(void)
{
	return atomic_long_read(&oom_unseen);
}

static void oom_explain(struct oom_policy *pol, struct task_struct *p,
			long stock, unsigned long totalpages, char *buf,
			size_t len)
{
	if (!pol)
		strscpy(buf, "stock", len);
	else if (pol->explain)
		pol->explain(p, stock, totalpages, buf, len);
	else
		strscpy(buf, pol->name, len);
}

/*
 * Is @victim the first thread of its process that the kernel marks? It
 * marks each thread it meets: memory.oom.group kills every task of the
 * group, threads included, and an exiting process may be marked once per
 * thread that allocates. Within the OOM that the core saw, the processes
 * marked so far are remembered; beyond that, and outside it, a thread is
 * first unless another thread of its process is marked already
 * (TIF_MEMDIE is set before the tracepoint fires).
 */
static bool oom_first_mark(struct task_struct *victim, bool in_oom)
{
	struct task_struct *t;
	unsigned int i, n = min_t(unsigned int, oom_now.nvictims,
				  OOM_NOW_VICTIMS);
	bool first = true;

	if (in_oom) {
		for (i = 0; i < n; i++)
			if (oom_now.victims[i] == victim->tgid)
				return false;
	}
	rcu_read_lock();
	for_each_thread(victim, t) {
		if (t != victim && test_tsk_thread_flag(t, TIF_MEMDIE)) {
			first = false;
			break;
		}
	}
	rcu_read_unlock();
	if (first && in_oom && oom_now.nvictims++ < OOM_NOW_VICTIMS)
		oom_now.victims[n] = victim->tgid;
	return first;
}

/* The kill log's line for @victim, chosen by @pol (not NULL). */
static void oom_log_victim(struct oom_policy *pol, struct task_struct *victim,
			   bool in_scan)
{
	char reason[OOM_POLICY_REASON_LEN];
	long score, stock;

	if (!__ratelimit(&oom_log_rs))
		return;
	if (!in_scan || !oom_now.chosen_tgid) {
		pr_info("%s: kernel chose pid %d (%s) without a scan\n",
			pol->name, victim->tgid, victim->comm);
		return;
	}
	if (victim->tgid != oom_now.chosen_tgid) {
		pr_info("%s: pid %d (%s) killed with pid %d's memory.oom.group\n",
			pol->name, victim->tgid, victim->comm,
			oom_now.chosen_tgid);
		return;
	}
	/* Stock unless a ->badness() gave the winning score. */
	score = oom_now.oc->chosen_points;
	stock = score;
	if (oom_now.best_tgid == victim->tgid && oom_now.best_score == score)
		stock = oom_now.best_stock;
	oom_explain(pol, victim, stock, oom_now.oc->totalpages, reason,
		    sizeof(reason));
	pr_info("%s: chose pid %d (%s), score %ld, stock %ld: %s\n",
		pol->name, victim->tgid, victim->comm, score, stock, reason);
}

/**
 * oom_core_victim() - the kernel is killing @victim for an OOM
 * @victim: a thread whose mm will be reaped; task_lock() is held, except
 *	    when the kernel marks an exiting allocator
 *
 * Counts and reports each victim process once, however many of its
 * threads the kernel marks.
 */
void oom_core_victim(struct task_struct *victim)
{
	bool in_oom = READ_ONCE(oom_now.entered) == current;
	bool in_scan = in_oom && READ_ONCE(oom_now.owner) == current;
	struct oom_policy_slot *slot;
	struct oom_policy *pol;

	if (!in_oom && atomic_long_inc_return(&oom_unseen) == 1)
		pr_warn("the kernel killed pid %d (%s) in an OOM the core did not see: is the out_of_memory() kprobe disarmed (/sys/kernel/debug/kprobes/enabled)? Policies miss such OOMs; /sys/kernel/oom_policy/missed counts them\n",
			victim->tgid, victim->comm);
	/*
	 * The first mark after the scan is of the process it chose (or of
	 * another of its threads, when the chosen one had left its mm): the
	 * kernel still holds oc->chosen then, the only time it is compared.
	 */
	if (in_scan && !oom_now.chosen_tgid && oom_now.oc->chosen &&
	    oom_now.oc->chosen != OOM_SCAN_ABORTED)
		oom_now.chosen_tgid = victim->tgid;
	if (!oom_first_mark(victim, in_oom))
		return;
	spin_lock(&oom_last_victim_lock);
	oom_last_victim.count++;
	oom_last_victim.tgid = victim->tgid;
	strscpy(oom_last_victim.comm, victim->comm, TASK_COMM_LEN);
	spin_unlock(&oom_last_victim_lock);

	rcu_read_lock();
	pol = rcu_dereference(oom_policy_active);
	slot = pol ? oom_policy_slot(pol->name, false) : &oom_policy_slots[0];
	if (slot)
		atomic_long_inc(&slot->victims);
	if (pol) {
		if (pol->victim)
			pol->victim(victim);
		oom_log_victim(pol, victim, in_scan);
	}
	rcu_read_unlock();
}

/* -- Registration --------------------------------------------------------- */

static struct kobject *oom_policy_kobj;

static struct oom_policy *oom_policy_find(const char *name)
{
	struct oom_policy *pol;

	list_for_each_entry(pol, &oom_policy_list, list)
		if (sysfs_streq(pol->name, name))
			return pol;
	return NULL;
}

static struct attribute *oom_policy_attrs[];

/* [a-z0-9_], not "none", and not the name of a file beside the policies. */
static bool oom_policy_name_valid(const char *name)
{
	size_t i, len = name ? strlen(name) : 0;

	if (!len || len > OOM_POLICY_NAME_MAX || !strcmp(name, "none"))
		return false;
	for (i = 0; i < len; i++)
		if (!islower(name[i]) && !isdigit(name[i]) && name[i] != '_')
			return false;
	for (i = 0; oom_policy_attrs[i]; i++)
		if (!strcmp(name, oom_policy_attrs[i]->name))
			return false;
	return true;
}

/**
 * oom_policy_register() - make a policy available, and active
 * @pol: the policy; must stay valid until oom_policy_unregister()
 *
 * A newly loaded policy becomes the active one: loading a policy module
 * is how an administrator chooses it.
 *
 * Return: 0, -EINVAL for a bad name, -EEXIST if the
 * name is taken, -ENOSPC when too many names have been registered, or an
 * error from creating the policy's sysfs directory.
 */
int oom_policy_register(struct oom_policy *pol)
{
	struct oom_policy *old;
	int err = 0;

	if (!oom_policy_name_valid(pol->name)) {
		pr_err("refusing a policy with a bad name\n");
		return -EINVAL;
	}
	if (pol->badness_filter_bits > 31 ||
	    (pol->badness_filter && !pol->badness_filter_bits)) {
		pr_err("refusing policy %s: a badness filter of 1 to 31 bits\n",
		       pol->name);
		return -EINVAL;
	}

	mutex_lock(&oom_policy_mutex);
	if (oom_policy_find(pol->name)) {
		err = -EEXIST;
		goto unlock;
	}
	if (!oom_policy_slot(pol->name, true)) {
		err = -ENOSPC;
		goto unlock;
	}
	if (pol->groups) {
		pol->kobj = kobject_create_and_add(pol->name, oom_policy_kobj);
		if (!pol->kobj) {
			err = -ENOMEM;
			goto unlock;
		}
		err = sysfs_create_groups(pol->kobj, pol->groups);
		if (err)
			goto put_kobj;
	}
	if (pol->task_event && !oom_task_event_policies) {
		err = oom_hooks_task_events(true);
		if (err)
			goto remove_groups;
	}
	if (pol->task_event)
		oom_task_event_policies++;
	list_add_tail_rcu(&pol->list, &oom_policy_list);
	old = rcu_replace_pointer(oom_policy_active, pol,
				  lockdep_is_held(&oom_policy_mutex));
	oom_policy_changed(old, pol);
	pr_info("policy %s registered and active (was %s)\n", pol->name,
		old ? old->name : "none");
	mutex_unlock(&oom_policy_mutex);
	return 0;

remove_groups:
	if (pol->kobj)
		sysfs_remove_groups(pol->kobj, pol->groups);
put_kobj:
	kobject_put(pol->kobj);
	pol->kobj = NULL;
unlock:
	mutex_unlock(&oom_policy_mutex);
	return err;
}
EXPORT_SYMBOL_GPL(oom_policy_register);

/**
 * oom_policy_unregister() - remove a policy
 * @pol: a registered policy
 *
 * If @pol is active, the stock behaviour takes over at once, even in the
 * middle of an OOM. When this returns, no callback of @pol runs.
 */
void oom_policy_unregister(struct oom_policy *pol)
{
	mutex_lock(&oom_policy_mutex);
	list_del_rcu(&pol->list);
	if (pol->task_event && !--oom_task_event_policies)
		oom_hooks_task_events(false);
	if (rcu_access_pointer(oom_policy_active) == pol) {
		RCU_INIT_POINTER(oom_policy_active, NULL);
		oom_policy_changed(pol, NULL);
		pr_info("policy %s unregistered, active policy is now none\n",
			pol->name);
	}
	mutex_unlock(&oom_policy_mutex);
	synchronize_rcu();
	if (pol->badness_filter_bits) {
		/*
		 * A scan that began before the change may have published
		 * @pol to the trampoline after the change cleared it (inside
		 * its read-side section, which synchronize_rcu() waited
		 * for): clear it now. The trampoline reads @pol in no
		 * read-side section, and may be preempted holding it;
		 * synchronize_rcu_tasks() waits until every task has
		 * switched voluntarily, which such a task has not, as
		 * ftrace does for its own trampolines.
		 */
		cmpxchg(&oom_redirect_skip.filtered, pol, NULL);
		synchronize_rcu_tasks();
	}

	/* Waits for readers of the policy's attributes to finish. */
	kobject_put(pol->kobj);
	pol->kobj = NULL;
}
EXPORT_SYMBOL_GPL(oom_policy_unregister);

void oom_policy_set_badness(struct oom_policy *pol,
			    long (*badness)(struct task_struct *p, long stock,
					    unsigned long totalpages))
{
	WRITE_ONCE(pol->badness, badness);
	/* A scan that skips the core must call it from the next task on. */
	if (badness)
		WRITE_ONCE(oom_redirect_skip.scan_stock, 0);
}
EXPORT_SYMBOL_GPL(oom_policy_set_badness);

/* -- sysfs: /sys/kernel/oom_policy ---------------------------------------- */

static ssize_t available_show(struct kobject *kobj,
			      struct kobj_attribute *attr, char *buf)
{
	struct oom_policy *pol;
	int n = 0;

	rcu_read_lock();
	list_for_each_entry_rcu(pol, &oom_policy_list, list)
		n += sysfs_emit_at(buf, n, "%s ", pol->name);
	rcu_read_unlock();
	n += sysfs_emit_at(buf, n, "none\n");
	return n;
}

static ssize_t active_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	struct oom_policy *pol;
	ssize_t n;

	rcu_read_lock();
	pol = rcu_dereference(oom_policy_active);
	n = sysfs_emit(buf, "%s\n", pol ? pol->name : "none");
	rcu_read_unlock();
	return n;
}

static ssize_t active_store(struct kobject *kobj, struct kobj_attribute *attr,
			    const char *buf, size_t count)
{
	struct oom_policy *pol = NULL, *old;

	mutex_lock(&oom_policy_mutex);
	if (!sysfs_streq(buf, "none")) {
		pol = oom_policy_find(buf);
		if (!pol) {
			mutex_unlock(&oom_policy_mutex);
			return -EINVAL;
		}
	}
	old = rcu_replace_pointer(oom_policy_active, pol,
				  lockdep_is_held(&oom_policy_mutex));
	oom_policy_changed(old, pol);
	if (old != pol)
		pr_info("active policy is now %s (was %s)\n",
			pol ? pol->name : "none", old ? old->name : "none");
	mutex_unlock(&oom_policy_mutex);
	return count;
}

static ssize_t oom_events_show(struct kobject *kobj,
			       struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%ld\n", atomic_long_read(&oom_events));
}

static ssize_t victims_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	int i, n = 0;

	for (i = 0; i < OOM_POLICY_SLOTS; i++) {
		struct oom_policy_slot *s = &oom_policy_slots[i];

		/* Pairs with the release in oom_policy_slot(). */
		if (!smp_load_acquire(&s->name[0]))
			break;
		n += sysfs_emit_at(buf, n, "%s %ld\n", s->name,
				   atomic_long_read(&s->victims));
	}
	return n;
}

static ssize_t missed_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "%lu\n", oom_hooks_missed() + oom_core_unseen());
}

static ssize_t hook_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "%s\n", oom_hooks_method());
}

static struct kobj_attribute available_attr = __ATTR_RO(available);
static struct kobj_attribute active_attr = __ATTR_RW_MODE(active, 0644);
static struct kobj_attribute oom_events_attr = __ATTR_RO(oom_events);
static struct kobj_attribute victims_attr = __ATTR_RO(victims);
static struct kobj_attribute missed_attr = __ATTR_RO(missed);
static struct kobj_attribute hook_attr = __ATTR_RO(hook);

static struct attribute *oom_policy_attrs[] = {
	&available_attr.attr,
	&active_attr.attr,
	&oom_events_attr.attr,
	&victims_attr.attr,
	&missed_attr.attr,
	&hook_attr.attr,
	NULL,
};

static const struct attribute_group oom_policy_group = {
	.attrs = oom_policy_attrs,
};

/* -- debugfs: the ranked preview ------------------------------------------ */

/* Candidates the preview lists. */
#define OOM_PREVIEW_MAX		20

struct oom_preview_entry {
	pid_t pid;
	char comm[TASK_COMM_LEN];
	long stock;
	long score;
	char reason[OOM_POLICY_REASON_LEN];
};

/* Insert a candidate into @top (sorted by score, highest first). */
static void oom_preview_add(struct oom_preview_entry *top, unsigned int *n,
			    unsigned int max,
			    struct oom_policy *pol, struct task_struct *p,
			    long stock, long score, unsigned long totalpages)
{
	struct oom_preview_entry *e;
	struct task_struct *t;

	e = oom_top_insert(top, n, max, score, score);
	if (!e)
		return;
	e->pid = p->tgid;
	strscpy_pad(e->comm, p->comm, sizeof(e->comm));
	e->stock = stock;
	e->score = score;

	/*
	 * ->explain() gets what it gets in the kill log: a thread that has
	 * the mm, with task_lock() held, so that it may read the mm.
	 */
	t = oom_policy_find_lock_task_mm(p);
	if (t) {
		oom_explain(pol, t, stock, totalpages, e->reason,
			    sizeof(e->reason));
		oom_policy_unlock_task_mm(t);
	} else {
		strscpy(e->reason, "exited", sizeof(e->reason));
	}
}

/*
 * The @max highest scores under the active policy into @top, highest
 * first, and the policy's name into @policy; returns how many. Scored the
 * way a system-wide OOM scores them, relative to @totalpages.
 */
static unsigned int oom_preview_scan(struct oom_preview_entry *top,
				     unsigned int max,
				     unsigned long totalpages, char *policy,
				     size_t len)
{
	struct task_struct *p;
	struct oom_policy *pol;
	unsigned int n = 0;

	rcu_read_lock();
	pol = rcu_dereference(oom_policy_active);
	strscpy(policy, pol ? pol->name : "none", len);
	for_each_process(p) {
		long stock = oom_policy_stock_badness(p, totalpages);
		long score = stock;

		if (stock == LONG_MIN)
			continue;
		if (pol)
			score = oom_policy_score(pol, p, stock, totalpages);
		if (score != LONG_MIN)
			oom_preview_add(top, &n, max, pol, p, stock, score,
					totalpages);
	}
	rcu_read_unlock();
	return n;
}

/* The totalpages the preview scores against: RAM + swap once known. */
static unsigned long oom_preview_totalpages(void)
{
	unsigned long totalpages = READ_ONCE(oom_global_totalpages);

	return totalpages ? totalpages : totalram_pages();
}

static int oom_preview_show(struct seq_file *m, void *v)
{
	unsigned long totalpages = oom_preview_totalpages();
	char policy[OOM_POLICY_NAME_MAX + 1];
	struct oom_preview_entry *top;
	unsigned int i, n;

	top = kcalloc(OOM_PREVIEW_MAX, sizeof(*top), GFP_KERNEL);
	if (!top)
		return -ENOMEM;
	n = oom_preview_scan(top, OOM_PREVIEW_MAX, totalpages, policy,
			     sizeof(policy));
	seq_printf(m, "# policy %s, totalpages %lu\n", policy, totalpages);
	seq_printf(m, "%7s %-16s %12s %12s  %s\n", "PID", "COMM", "STOCK",
		   "SCORE", "REASON");
	for (i = 0; i < n; i++)
		seq_printf(m, "%7d %-16s %12ld %12ld  %s\n", top[i].pid,
			   top[i].comm, top[i].stock, top[i].score,
			   top[i].reason);
	kfree(top);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(oom_preview);

/**
 * oom_policy_preview_top() - the task a system-wide OOM would kill now
 * @c: filled in with the task, its scores and the active policy's reason
 *
 * The first line of the preview in debugfs.
 *
 * Context: process context; takes task_lock() of the tasks it scores.
 * Return: 0, or -ESRCH when no task may be killed.
 */
int oom_policy_preview_top(struct oom_policy_candidate *c)
{
	struct oom_preview_entry top[1];

	if (!oom_preview_scan(top, 1, oom_preview_totalpages(), c->policy,
			      sizeof(c->policy)))
		return -ESRCH;
	c->pid = top[0].pid;
	strscpy(c->comm, top[0].comm, sizeof(c->comm));
	c->stock = top[0].stock;
	c->score = top[0].score;
	strscpy(c->reason, top[0].reason, sizeof(c->reason));
	return 0;
}
EXPORT_SYMBOL_GPL(oom_policy_preview_top);

/**
 * oom_policy_last_victim() - the last OOM victim the core counted
 * @tgid: set to its process id, 0 before the first
 * @comm: TASK_COMM_LEN bytes, set to its command name then
 *
 * Context: any; takes a spinlock.
 * Return: the victim processes counted since the core was loaded: a
 * caller that saw another number before knows that a kill happened since.
 */
unsigned long oom_policy_last_victim(pid_t *tgid, char *comm)
{
	unsigned long flags, n;

	spin_lock_irqsave(&oom_last_victim_lock, flags);
	n = oom_last_victim.count;
	*tgid = oom_last_victim.tgid;
	memcpy(comm, oom_last_victim.comm, TASK_COMM_LEN);
	spin_unlock_irqrestore(&oom_last_victim_lock, flags);
	return n;
}
EXPORT_SYMBOL_GPL(oom_policy_last_victim);

/**
 * oom_policy_kobject() - /sys/kernel/oom_policy, for modules of the project
 *
 * Return: the core's kobject; valid while the caller's module depends on
 * the core.
 */
struct kobject *oom_policy_kobject(void)
{
	return oom_policy_kobj;
}
EXPORT_SYMBOL_GPL(oom_policy_kobject);

static struct dentry *oom_policy_debugfs;

/* -- Module --------------------------------------------------------------- */

static int __init oom_policy_init(void)
{
	int err;

	oom_policy_kobj = kobject_create_and_add("oom_policy", kernel_kobj);
	if (!oom_policy_kobj)
		return -ENOMEM;
	err = sysfs_create_group(oom_policy_kobj, &oom_policy_group);
	if (err)
		goto put_kobj;

	oom_policy_debugfs = debugfs_create_dir("oom_policy", NULL);
	debugfs_create_file("preview", 0400, oom_policy_debugfs, NULL,
			    &oom_preview_fops);

	err = oom_hooks_init();
	if (err)
		goto remove_debugfs;
	return 0;

remove_debugfs:
	debugfs_remove_recursive(oom_policy_debugfs);
put_kobj:
	kobject_put(oom_policy_kobj);
	return err;
}

static void __exit oom_policy_exit(void)
{
	oom_hooks_exit();
	debugfs_remove_recursive(oom_policy_debugfs);
	kobject_put(oom_policy_kobj);
}

module_init(oom_policy_init);
module_exit(oom_policy_exit);

MODULE_DESCRIPTION("Pluggable OOM victim-selection policies");
MODULE_AUTHOR("The oom_policy authors");
MODULE_LICENSE("GPL");
