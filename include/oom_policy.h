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

#include <linux/kobject.h>
#include <linux/list.h>
#include <linux/limits.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/oom.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/string.h>

#include "oom_compat.h"

/* Longest policy name, without the terminating NUL. */
#define OOM_POLICY_NAME_MAX	15

/* Room a policy has for the reason it gives in the kill log and preview. */
#define OOM_POLICY_REASON_LEN	64

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
	void (*oom_start)(const struct oom_control *oc);
	void (*oom_end)(const struct oom_control *oc, bool aborted);
	void (*victim)(struct task_struct *victim);
	void (*explain)(struct task_struct *p, long stock,
			unsigned long totalpages, char *buf, size_t len);
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
 * them, and the OOM killer's scan does not call it for every task. Takes
 * effect from the next task scored; any context.
 */
static inline void
oom_policy_set_badness(struct oom_policy *pol,
		       typeof_member(struct oom_policy, badness) badness)
{
	WRITE_ONCE(pol->badness, badness);
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
 * tried.
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
		if (likely(t->mm))
			return t;
		task_unlock(t);
	}
	return NULL;
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
		task_unlock(t);
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
 *   exe:GLOB		the full path of the task's executable, as
 *			readlink /proc/PID/exe shows it
 *   label:GLOB		the task's LSM security context ("webworker" for
 *			an AppArmor profile), from a cache of the labels
 *			in use that a worker refreshes (see below)
 *
 * Any lower-case word before the first ':' of a pattern is read as a key,
 * and a key this code does not know is refused, so keys can be added
 * without changing what an accepted list means; to match a name that
 * itself looks like "word:...", write "name:word:...".
 *
 * Nothing is allocated and nothing sleeps while a task is matched: the
 * comm, the uid and the cgroup path are read under RCU (the path under
 * kernfs' rename lock, a spinning rwlock), the executable's path is built
 * by d_path() (RCU and seqlocks) into a buffer on the stack, with the file
 * pinned by a reference. A label needs the LSM to turn its secid into
 * text, which allocates; so labels come from a cache: while some list has
 * a label: pattern, the secids of all processes are turned into text in
 * process context when such a list is written and every
 * OOM_LABELS_REFRESH_SEC seconds after that. Matching looks the task's
 * secid up in that cache; a secid it does not hold (a label first used
 * since the last refresh) matches no label: pattern.
 *
 * Lists are replaced whole under RCU: a reader sees the old list or the
 * new one, never a mixture.
 */
#define OOM_PATTERNS_MAX	32	/* patterns in one list */
#define OOM_PATTERN_LEN		63	/* characters in one pattern */
#define OOM_PATH_LEN		255	/* longest cgroup or exe path matched */
#define OOM_LABEL_LEN		127	/* longest label matched */
#define OOM_LABELS_MAX		256	/* distinct labels the cache holds */
#define OOM_LABELS_REFRESH_SEC	5	/* seconds between label refreshes */

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
 * finding the task's mm. The facts only keyed patterns need (uid, cgroup
 * path, executable path, label) are read the same way, once each, and
 * never for a list of names only. One struct serves any number of lists.
 *
 * It is large (two path buffers): keep one per task being matched, on
 * the stack of the function that matches, declared __uninitialized where
 * every task is matched (oom_task_names_init() sets what is read before
 * it is written), or kernels built with INIT_STACK_ALL_ZERO clear the
 * whole of it for every task.
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
	const char *label;		/* in the label cache, under RCU */
	/* One byte for the NUL, one to tell a full buffer from a cut path. */
	char cgroup[OOM_PATH_LEN + 2];
	char exe_path[OOM_PATH_LEN + 2];
};

void oom_task_names_init(struct task_struct *p, struct oom_task_names *n,
			 bool locked);

const struct oom_pattern *
oom_patterns_match(const struct oom_pattern_list *l,
		   struct oom_task_names *n);

#endif /* _OOM_POLICY_H */
