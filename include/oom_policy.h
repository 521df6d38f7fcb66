/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Pluggable OOM victim-selection policies: the API between the oom_policy
 * core and the policy modules, and the helpers every policy reuses.
 *
 * The core hooks the kernel's oom_badness() once. For every task the kernel
 * considers, the core computes the stock badness and, when a policy is
 * active, hands it to the policy's ->badness() callback, whose return value
 * goes back to the kernel as that task's score. Everything after the choice
 * (the kill, the OOM reaper, memory reserves, memcg accounting) stays the
 * kernel's own.
 *
 * Scores are in pages, like the kernel's. The stock badness of a killable
 * task lies in [-totalpages, 2 * totalpages]: memory use up to totalpages
 * plus oom_score_adj * totalpages / 1000. LONG_MIN means "never kill"; the
 * core never passes such a task to a policy.
 */
#ifndef _OOM_POLICY_H
#define _OOM_POLICY_H

#include <linux/kernel.h>
#include <linux/kobject.h>
#include <linux/list.h>
#include <linux/limits.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/oom.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/stddef.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "oom_compat.h"

/* Longest policy name, without the terminating NUL. */
#define OOM_POLICY_NAME_MAX	15

/* Room a policy has for the reason it gives in the kill log and preview. */
#define OOM_POLICY_REASON_LEN	64

/**
 * enum oom_task_event - what changed about a task, for ->task_event()
 * @OOM_TASK_EXEC:	the task ran execve(): new executable, new comm,
 *			and possibly new credentials and LSM label
 *			(sched_process_exec)
 * @OOM_TASK_RENAME:	its comm is being changed: prctl(PR_SET_NAME), a
 *			write to /proc/<pid>/comm, or execve() (task_rename)
 * @OOM_TASK_FORK:	the task was just created by fork() or clone(), and
 *			has not run yet (sched_process_fork)
 * @OOM_TASK_CGROUP:	the task moved to another cgroup (cgroup_attach_task)
 * @OOM_TASK_FREE:	the task is gone: it was reaped, no scan can meet it
 *			again, and its task_struct is about to be released
 *			(sched_process_free)
 */
enum oom_task_event {
	OOM_TASK_EXEC,
	OOM_TASK_RENAME,
	OOM_TASK_FORK,
	OOM_TASK_CGROUP,
	OOM_TASK_FREE,
};

/**
 * struct oom_policy - an OOM victim-selection policy
 * @name:	short name, [a-z0-9_], shown in sysfs and in the kill log
 * @owner:	THIS_MODULE
 * @badness:	optional; NULL leaves every score as it is. Score one task:
 *		@stock is the stock badness of @p (never LONG_MIN),
 *		@totalpages the size of the memory domain that is out of
 *		memory. The highest score is killed; return @stock to leave a
 *		task in the stock order. Runs for every task the kernel scans,
 *		possibly in probe context, with preemption disabled or inside
 *		rcu_read_lock(): it must not sleep, allocate or take sleeping
 *		locks, and reads RCU-protected data with
 *		oom_policy_dereference(). It may return LONG_MIN to spare a
 *		task, but the core never lets a policy make an unkillable
 *		task killable.
 * @badness_filter: optional, with @badness: a bitmap of
 *		2^@badness_filter_bits bits, indexed by hash_ptr(task,
 *		@badness_filter_bits). The OOM killer's scan calls @badness
 *		only for a task whose bit is set, and leaves the others
 *		their stock score, for a few instructions and no call. Set
 *		the bit of every task @badness might not leave stock (a bit
 *		that other tasks share costs them a call, nothing more), or
 *		make the filter NULL while that cannot be known. Change it
 *		with oom_policy_set_badness_filter(). Reads of
 *		/proc/<pid>/oom_score call @badness for every task, but
 *		while a scan is under way a read may use the filter too.
 * @badness_filter_bits: the size of @badness_filter, 1 to 31; fixed
 *		while the policy is registered
 * @oom_start:	optional. The kernel is about to choose a victim: @oc has
 *		its memcg, order, gfp mask, constraint and totalpages set.
 *		Called once per OOM, when the kernel's scan of the tasks
 *		begins (or before the policy's first @badness call, if it
 *		became active during the scan), under the same rules as
 *		@badness. May panic the machine.
 * @oom_end:	optional. The scan that @oom_start began is over, and the
 *		victim it chose, if any, was killed. @aborted: the kernel
 *		stopped the scan without a choice, because an earlier
 *		victim in the same domain is still exiting; that OOM is
 *		the one already answered. Not called when another policy
 *		became active meanwhile. Atomic context: must not sleep.
 * @victim:	optional. The kernel chose @victim (whatever picked it) and
 *		is killing it. Called in atomic context from the mark_victim
 *		tracepoint, usually with task_lock(@victim) held (not when
 *		the kernel marks an exiting allocator without a scan): must
 *		not sleep or take task_lock(). Fires once per thread marked,
 *		so one process may be reported more than once.
 * @explain:	optional. Write into @buf (@len bytes) why @p gets the score
 *		it gets, for the kill log and the preview. @p is a thread
 *		that has an mm, and task_lock(@p) is held, so @p->mm may be
 *		read; otherwise the same context rules as @victim.
 * @task_event: optional. @ev happened to @p, which may be any thread, not
 *		only a process's first. For %OOM_TASK_RENAME the kernel
 *		calls before it writes the new name, @comm, with
 *		task_lock(@p) held, so @p->comm is still the old name;
 *		@comm is NULL for every other event. Called for the active
 *		policy only, from a tracepoint: preemption disabled, maybe
 *		in softirq context (%OOM_TASK_FREE), so it must not sleep or
 *		allocate, and reads RCU-protected data with
 *		oom_policy_dereference(). While a policy with @task_event is
 *		registered the core is attached to these tracepoints, and
 *		they cost every fork, exec and exit a call.
 * @task_tracking: optional, with @task_event. @on true: the policy became
 *		active, and @task_event is called from now on; whatever it
 *		learnt from events before may be stale, so it learns the
 *		state of every task again (process context: it may sleep,
 *		but not take oom_policy_mutex, which is held). @on false: it
 *		stopped being active, and the events it misses from now on
 *		make what it knows stale.
 * @groups:	optional, NULL-terminated. Attribute groups (statistics, for
 *		example) the core shows in /sys/kernel/oom_policy/<name>/.
 * @list:	private to the core
 * @kobj:	private to the core
 *
 * Register with oom_policy_register() from module init and unregister with
 * oom_policy_unregister() from module exit. After unregistration returns,
 * no callback of the policy is running or will run.
 */
struct oom_policy {
	const char *name;
	struct module *owner;
	long (*badness)(struct task_struct *p, long stock,
			unsigned long totalpages);
	const unsigned long *badness_filter;
	unsigned int badness_filter_bits;
	void (*oom_start)(const struct oom_control *oc);
	void (*oom_end)(const struct oom_control *oc, bool aborted);
	void (*victim)(struct task_struct *victim);
	void (*explain)(struct task_struct *p, long stock,
			unsigned long totalpages, char *buf, size_t len);
	void (*task_event)(struct task_struct *p, enum oom_task_event ev,
			   const char *comm);
	void (*task_tracking)(bool on);
	const struct attribute_group **groups;
	struct list_head list;
	struct kobject *kobj;
};

int oom_policy_register(struct oom_policy *pol);
void oom_policy_unregister(struct oom_policy *pol);

/**
 * struct oom_policy_candidate - a task the OOM killer would choose
 * @pid:	its process id
 * @comm:	its command name
 * @stock:	its stock badness, in pages
 * @score:	the active policy's score for it
 * @policy:	the active policy's name, "none" for the stock choice
 * @reason:	why, as the kill log would say it
 */
struct oom_policy_candidate {
	pid_t pid;
	char comm[TASK_COMM_LEN];
	long stock;
	long score;
	char policy[OOM_POLICY_NAME_MAX + 1];
	char reason[OOM_POLICY_REASON_LEN];
};

/*
 * For modules of the project that are not policies (oom_pressure): who
 * would die now, who died last, and the directory in /sys to add files to.
 */
int oom_policy_preview_top(struct oom_policy_candidate *c);
unsigned long oom_policy_last_victim(pid_t *tgid, char *comm);
struct kobject *oom_policy_kobject(void);

/**
 * oom_policy_set_badness() - change the scoring callback of a policy
 * @pol:	the policy, registered or not
 * @badness:	its new ->badness, NULL while it leaves every score stock
 *
 * A policy that keeps the stock order in some of its states (oom_classic
 * in modern mode, oom_forkblame while it blames nobody) sets NULL for
 * them, and the OOM killer's scan does not call it for every task, nor,
 * once the scan has begun, the core. Takes effect from the next task
 * scored; any context, never sleeps.
 */
void oom_policy_set_badness(struct oom_policy *pol,
			    long (*badness)(struct task_struct *p, long stock,
					    unsigned long totalpages));

/**
 * oom_policy_set_badness_filter() - change the bitmap that filters the scan
 * @pol:	the policy, registered or not
 * @filter:	its new ->badness_filter, NULL to have ->badness called
 *		for every task
 *
 * Takes effect from the next task scored; any context, never sleeps.
 * The bitmap must stay valid while the policy is registered.
 */
static inline void oom_policy_set_badness_filter(struct oom_policy *pol,
						 const unsigned long *filter)
{
	WRITE_ONCE(pol->badness_filter, filter);
}

/**
 * oom_policy_dereference() - read an RCU-protected pointer in a callback
 * @p: the __rcu pointer
 *
 * The core calls ->badness() and ->oom_start() inside an RCU read-side
 * critical section, but not always of the same flavour: the OOM killer's
 * scan runs them in oom_compat_scan_read_lock(), with preemption disabled
 * (but on PREEMPT_RT), which costs less per task than rcu_read_lock().
 * Since Linux 4.20 synchronize_rcu() and call_rcu() wait for both, so data
 * such a callback reads is updated and freed as usual
 * (rcu_assign_pointer(), kfree_rcu()); this says so to lockdep.
 */
#define oom_policy_dereference(p) \
	rcu_dereference_check(p, rcu_read_lock_any_held())

/* -- Ranking -------------------------------------------------------------- */

/*
 * A policy that puts whole classes of tasks ahead of or behind others moves
 * each class into its own band: band b holds stock + b *
 * OOM_POLICY_BAND_WIDTH * totalpages. Bands never overlap, because stock
 * badness spans less than one band width, and the stock order holds inside
 * a band.
 */
#define OOM_POLICY_BAND_WIDTH	4

/**
 * oom_policy_rank() - move a stock score into a band
 * @stock:	the stock badness of the task (not LONG_MIN)
 * @totalpages:	the size of the memory domain, as passed to ->badness()
 * @band:	0 for the stock order, > 0 to outrank every task in lower
 *		bands, < 0 to rank below them (but stay killable)
 *
 * Return: the score to give the task. With 64-bit longs this cannot
 * overflow for any band a policy needs (|band| <= 1000).
 */
static inline long oom_policy_rank(long stock, unsigned long totalpages,
				   int band)
{
	return stock + (long)band * OOM_POLICY_BAND_WIDTH * (long)totalpages;
}

/* -- Top-N lists ---------------------------------------------------------- */

/*
 * The task dump of oom_panic and the core's preview keep the N tasks with
 * the highest score while they walk the processes: nothing is allocated
 * per task, and N is small, so insertion into a sorted array beats a heap.
 */
/* The rank of entry @i of a top-N array; see oom_top_insert(). */
static inline long __oom_top_key(const char *base, size_t size,
				 size_t key_off, unsigned int i)
{
	return *(const long *)(base + (size_t)i * size + key_off);
}

static inline void *__oom_top_insert(void *top, size_t size, size_t key_off,
				     unsigned int *n, unsigned int max,
				     long key)
{
	char *base = top;
	unsigned int i = *n, pos;

	if (!max)
		return NULL;
	if (i == max) {
		/* Full: the last entry goes, unless the newcomer ranks lower. */
		if (key <= __oom_top_key(base, size, key_off, i - 1))
			return NULL;
		i--;
	} else {
		(*n)++;
	}
	/* Ties keep their order: a newcomer goes after its equals. */
	for (pos = i; pos > 0; pos--)
		if (__oom_top_key(base, size, key_off, pos - 1) >= key)
			break;
	memmove(base + (size_t)(pos + 1) * size, base + (size_t)pos * size,
		(size_t)(i - pos) * size);
	return base + (size_t)pos * size;
}

/**
 * oom_top_insert() - make room for a newcomer in a top-N array
 * @top:	the array, of @max entries, sorted by @member, highest first
 * @n:		unsigned int *: entries of @top in use; raised by one when
 *		@top was not full
 * @max:	the capacity of @top
 * @member:	the member of @top's entries that ranks them; it must be a
 *		long, which is how it is read
 * @key:	the newcomer's @member
 *
 * Shifts the entries that rank below @key down by one, dropping the last
 * one when @top is full, so that @top stays sorted once the caller fills
 * in the entry returned (@member included). A newcomer ranks after the
 * entries whose @member equals @key, and is turned away when @top is full
 * and it does not rank above the last one. Never sleeps, never allocates.
 *
 * Return: the entry to fill in, or NULL when the newcomer is not among
 * the top @max.
 */
#define oom_top_insert(top, n, max, member, key)			\
	({								\
		typeof((top) + 0) __top = (top);			\
									\
		(typeof(__top))__oom_top_insert(__top, sizeof(*__top),	\
			offsetof(typeof(*__top), member), (n), (max),	\
			(key));						\
	})

/* -- Task facts and the stock badness ------------------------------------- */

/**
 * oom_policy_unkillable_task() - is @p init or a kernel thread?
 * @p: the task
 *
 * Mirrors oom_unkillable_task() in mm/oom_kill.c.
 */
static __always_inline bool oom_policy_unkillable_task(struct task_struct *p)
{
	return is_global_init(p) || (p->flags & PF_KTHREAD);
}

/**
 * struct oom_task_mem - the memory facts the OOM heuristics look at
 * @rss:	resident pages (anon, file and shmem)
 * @swap:	swap entries
 * @pgtables:	page-table pages
 * @total_vm:	mapped pages, resident or not
 * @adj:	the process's oom_score_adj
 */
struct oom_task_mem {
	unsigned long rss;
	unsigned long swap;
	unsigned long pgtables;
	unsigned long total_vm;
	short adj;
};

/**
 * oom_policy_find_lock_task_mm() - a thread of @p that still has its mm
 * @p: a process, by any of its threads
 *
 * find_lock_task_mm() of mm/oom_kill.c, which is not exported: the main
 * thread may have exited while others still run, so every thread is
 * tried. Release the thread with oom_policy_unlock_task_mm().
 *
 * Context: the caller is inside an RCU read-side critical section (any
 * flavour: oom_compat_scan_read_lock() will do). Never sleeps.
 * Return: the thread, with task_lock() held, or NULL when no thread has
 * an mm any more.
 */
static __always_inline struct task_struct *
oom_policy_find_lock_task_mm(struct task_struct *p)
{
	struct task_struct *t;

	for_each_thread(p, t) {
		task_lock(t);
		if (likely(t->mm)) {
			/*
			 * Held on return, on this path only, which sparse
			 * cannot follow: it is told of the lock when
			 * oom_policy_unlock_task_mm() drops it.
			 */
			__release(&t->alloc_lock);
			return t;
		}
		task_unlock(t);
	}
	return NULL;
}

/**
 * oom_policy_unlock_task_mm() - drop the lock of a thread that
 * oom_policy_find_lock_task_mm() returned
 * @t: that thread
 */
static __always_inline void oom_policy_unlock_task_mm(struct task_struct *t)
{
	__acquire(&t->alloc_lock);
	task_unlock(t);
}

/**
 * oom_policy_task_mem() - read the memory facts of a killable task
 * @p:	 the task
 * @mem: filled in when the task is killable
 *
 * Applies every "never kill" rule of the stock heuristic: init, kernel
 * threads, no mm left, oom_score_adj == OOM_SCORE_ADJ_MIN, an mm already
 * reaped (MMF_OOM_SKIP) and a parent waiting for its vfork child.
 * Takes and drops task_lock() of the first thread that has an mm; never
 * sleeps.
 *
 * Return: true and @mem filled in when the task may be killed.
 */
static __always_inline bool oom_policy_task_mem(struct task_struct *p,
						struct oom_task_mem *mem)
{
	struct task_struct *t;
	struct mm_struct *mm;
	bool killable = false;

	if (oom_policy_unkillable_task(p))
		return false;

	/* in_vfork() takes rcu_read_lock() too, only worth it for a vfork child. */
	oom_compat_scan_read_lock();
	t = oom_policy_find_lock_task_mm(p);
	if (t) {
		mm = t->mm;
		mem->adj = t->signal->oom_score_adj;
		killable = mem->adj != OOM_SCORE_ADJ_MIN &&
			   !oom_compat_mm_oom_skip(mm) &&
			   !(READ_ONCE(t->vfork_done) && in_vfork(t));
		if (killable) {
			mem->rss = get_mm_rss(mm);
			mem->swap = get_mm_counter(mm, MM_SWAPENTS);
			mem->pgtables = mm_pgtables_bytes(mm) / PAGE_SIZE;
			mem->total_vm = READ_ONCE(mm->total_vm);
		}
		oom_policy_unlock_task_mm(t);
	}
	oom_compat_scan_read_unlock();
	return killable;
}

/**
 * oom_policy_mem_badness() - the stock badness from memory facts
 * @mem:	facts from oom_policy_task_mem()
 * @totalpages:	the size of the memory domain
 *
 * The baseline is the share of memory the task would free: its rss, swap
 * entries and page tables. oom_score_adj then moves it by adj/1000 of the
 * domain, exactly as oom_badness() in mm/oom_kill.c does.
 */
static __always_inline long
oom_policy_mem_badness(const struct oom_task_mem *mem,
		       unsigned long totalpages)
{
	long points = mem->rss + mem->swap + mem->pgtables;

	return points + (long)mem->adj * (long)(totalpages / 1000);
}

/**
 * oom_policy_stock_badness() - oom_badness() computed by the module
 * @p:		the task
 * @totalpages:	the size of the memory domain
 *
 * The steps of oom_badness() in mm/oom_kill.c, inlined: the core runs it
 * for every task the OOM killer scans. @mem is filled before it is read,
 * so kernels built with INIT_STACK_ALL_ZERO need not clear it.
 *
 * Return: the same value the running kernel's oom_badness() returns for
 * @p, LONG_MIN for a task that must never be killed.
 */
static __always_inline long oom_policy_stock_badness(struct task_struct *p,
						     unsigned long totalpages)
{
	struct oom_task_mem mem __uninitialized;

	if (!oom_policy_task_mem(p, &mem))
		return LONG_MIN;
	return oom_policy_mem_badness(&mem, totalpages);
}

/* -- Counters in sysfs ---------------------------------------------------- */

/**
 * OOM_POLICY_COUNTER_ATTR() - a read-only sysfs file showing a counter
 * @name:	the file's name; defines name##_attr, a struct kobj_attribute
 *		to list in the policy's attribute group
 * @counter:	an atomic_long_t
 */
#define OOM_POLICY_COUNTER_ATTR(name, counter)				\
static ssize_t name##_show(struct kobject *kobj,			\
			   struct kobj_attribute *attr, char *buf)	\
{									\
	return sysfs_emit(buf, "%ld\n", atomic_long_read(&(counter)));	\
}									\
static struct kobj_attribute name##_attr = __ATTR_RO(name)

/* -- Parameter messages --------------------------------------------------- */

/* The most of a refused parameter value that a message quotes. */
#define OOM_PARAM_QUOTE_MAX	64

/**
 * oom_param_quote_len() - how much of a refused parameter value to quote
 * @val: the value, as the parameter's ->set() got it
 *
 * For the "%.*s" of the one-line message that refuses @val. A write to
 * sysfs ends with a newline, which would cut the message in two; and a
 * value may be a page long, which would push the end of the message, what
 * the parameter accepts, out of the kernel's log line (1 kB).
 *
 * Return: the length of @val up to its first newline, at most
 * OOM_PARAM_QUOTE_MAX.
 */
static inline int oom_param_quote_len(const char *val)
{
	return min_t(size_t, strcspn(val, "\n"), OOM_PARAM_QUOTE_MAX);
}

/* -- Unsigned parameters with a range ------------------------------------- */

/**
 * struct oom_uint_param - an unsigned integer module parameter and its range
 * @val:	the value in force; read it with READ_ONCE()
 * @min:	the lowest value accepted
 * @max:	the highest value accepted
 * @apply:	optional. Puts a new value, already known to be in range, in
 *		force before @val shows it, and may refuse it with a negative
 *		errno (-ENOMEM). Runs in process context: under
 *		kernel_param_lock() for a write to sysfs, before the module's
 *		init for a value given at load.
 *
 * Every policy's numbers are parsed by oom_uint_param_set(), so that one
 * value means the same in every module. Use as
 *	static const struct kernel_param_ops my_uint_ops = {
 *		.set = oom_uint_param_set,
 *		.get = oom_uint_param_get,
 *	};
 *	module_param_cb(name, &my_uint_ops, &holder, 0644);
 */
struct oom_uint_param {
	unsigned int val;
	unsigned int min;
	unsigned int max;
	int (*apply)(unsigned int val);
};

/**
 * oom_uint_param_set() - the ->set() of a struct oom_uint_param
 * @val:	the value written, possibly ending with a newline
 * @kp:		the parameter; @kp->arg is its struct oom_uint_param
 *
 * Decimal only: "010" is ten and "0x10" is refused, as an administrator
 * reading the documented ranges expects. The kernel's
 * param_set_uint_minmax() is not used because it reads "010" as octal,
 * answers an overflow with -ERANGE and says nothing. A refused value gets
 * one line naming the parameter and what it accepts, and the old value
 * stays.
 *
 * Return: 0, -EINVAL for a value that is not a decimal integer in range,
 * or the error of @apply.
 */
static inline int oom_uint_param_set(const char *val,
				     const struct kernel_param *kp)
{
	struct oom_uint_param *p = kp->arg;
	unsigned int v;
	int err;

	if (kstrtouint(val, 10, &v) || v < p->min || v > p->max) {
		pr_err("%s: '%.*s' is out of range; accepted: an integer from %u to %u\n",
		       kp->name, oom_param_quote_len(val), val, p->min, p->max);
		return -EINVAL;
	}
	if (p->apply) {
		err = p->apply(v);
		if (err)
			return err;
	}
	WRITE_ONCE(p->val, v);
	return 0;
}

/**
 * oom_uint_param_get() - the ->get() of a struct oom_uint_param
 * @buf:	a page, filled with the value and a newline
 * @kp:		the parameter; @kp->arg is its struct oom_uint_param
 *
 * Return: the length written.
 */
static inline int oom_uint_param_get(char *buf, const struct kernel_param *kp)
{
	const struct oom_uint_param *p = kp->arg;

	return sysfs_emit(buf, "%u\n", READ_ONCE(p->val));
}

/*
 * Pattern lists (patterns/patterns.c, built into the core module for its
 * exported symbols, used by oom_namelist and oom_forkblame): their own
 * header.
 */
#include "oom_patterns.h"

#endif /* _OOM_POLICY_H */
