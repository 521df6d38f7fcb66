// SPDX-License-Identifier: GPL-2.0
/*
 * oom_panic: panic the machine on OOM instead of killing a process.
 *
 * For clusters and appliances that would rather reboot cleanly (panic=N,
 * kdump, pstore) than keep a node running with random processes killed.
 * Like vm.panic_on_oom, with three additions:
 *
 *  - threshold/window_s: panic on the threshold-th OOM within window_s
 *    seconds; the earlier ones get the stock kill. A node that survives
 *    one OOM a day keeps running, a node that thrashes goes down.
 *  - scope: "global" panics on system-wide OOMs only, as panic_on_oom=1
 *    does (memcg, cpuset and mempolicy OOMs are left to the stock killer
 *    and are not counted); "all" counts every OOM, as panic_on_oom=2.
 *  - dump_tasks: the tasks with the highest stock badness are printed
 *    before the panic, and the panic message says which OOM it was and who
 *    triggered it, so that a crash dump or a serial log tells at once why
 *    the machine went down.
 *
 * What counts as an OOM: a call of the OOM killer that is about to choose
 * a victim. A SysRq-f OOM never counts (the administrator asked for a
 * kill, there is no shortage), nor does a call that finds an earlier
 * victim still exiting: the kernel then waits for that victim instead of
 * choosing another, and such calls repeat until it is gone. OOMs that the
 * kernel resolves without a scan (an exiting allocator,
 * vm.oom_kill_allocating_task) are not seen at all.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cred.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <linux/uidgid.h>

#include "oom_policy.h"

/* -- Parameters ----------------------------------------------------------- */

#define OOM_PANIC_THRESHOLD_MAX	1000
#define OOM_PANIC_WINDOW_MAX	86400	/* one day */
#define OOM_PANIC_DUMP_MAX	100

/* Panic on this many OOMs within window_s seconds. */
static struct oom_uint_param oom_panic_threshold = {
	.val = 1, .min = 1, .max = OOM_PANIC_THRESHOLD_MAX,
};

/* The sliding window the OOMs are counted in, in seconds. */
static struct oom_uint_param oom_panic_window = {
	.val = 60, .min = 1, .max = OOM_PANIC_WINDOW_MAX,
};

/* Tasks printed before the panic. */
static struct oom_uint_param oom_panic_dump = {
	.val = 10, .min = 0, .max = OOM_PANIC_DUMP_MAX,
};

/* Decimal, range-checked, one message for a refused value: see oom_policy.h. */
static const struct kernel_param_ops oom_panic_uint_ops = {
	.set = oom_uint_param_set,
	.get = oom_uint_param_get,
};

module_param_cb(threshold, &oom_panic_uint_ops, &oom_panic_threshold, 0644);
MODULE_PARM_DESC(threshold,
		 "Panic on the Nth OOM within window_s seconds; the earlier ones get the stock kill, 1 to 1000 (default: 1)");

module_param_cb(window_s, &oom_panic_uint_ops, &oom_panic_window, 0644);
MODULE_PARM_DESC(window_s,
		 "Seconds within which threshold OOMs cause a panic, 1 to 86400 (default: 60)");

module_param_cb(dump_tasks, &oom_panic_uint_ops, &oom_panic_dump, 0644);
MODULE_PARM_DESC(dump_tasks,
		 "Tasks with the highest stock badness printed before the panic, 0 to 100 (default: 10)");

enum oom_panic_scope {
	OOM_PANIC_SCOPE_GLOBAL,
	OOM_PANIC_SCOPE_ALL,
};

static const char * const oom_panic_scopes[] = {
	[OOM_PANIC_SCOPE_GLOBAL] = "global",
	[OOM_PANIC_SCOPE_ALL] = "all",
};

/* Which OOMs count and may panic. */
static int oom_panic_scope = OOM_PANIC_SCOPE_GLOBAL;

static int oom_panic_scope_set(const char *val, const struct kernel_param *kp)
{
	int scope = sysfs_match_string(oom_panic_scopes, val);

	if (scope < 0) {
		pr_err("scope: '%.*s' is not a scope; accepted: global, all\n",
		       oom_param_quote_len(val), val);
		return -EINVAL;
	}
	WRITE_ONCE(oom_panic_scope, scope);
	return 0;
}

static int oom_panic_scope_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%s\n",
			  oom_panic_scopes[READ_ONCE(oom_panic_scope)]);
}

static const struct kernel_param_ops oom_panic_scope_ops = {
	.set = oom_panic_scope_set,
	.get = oom_panic_scope_get,
};

module_param_cb(scope, &oom_panic_scope_ops, NULL, 0644);
MODULE_PARM_DESC(scope,
		 "OOMs that count: global (system-wide only, like panic_on_oom=1) or all (memcg and cpuset too, like panic_on_oom=2) (default: global)");

/* -- OOM history ---------------------------------------------------------- */

/*
 * The history and the task dump are used from ->oom_start() and
 * ->oom_end() only, which the kernel's oom_lock serialises: one OOM at a
 * time, so their static state needs no lock and nothing is allocated on
 * the way to the panic.
 *
 * Times of the latest OOMs, in ns of boot time (a suspended machine's
 * sleep counts as time passed). A ring: the threshold-th OOM needs only
 * the threshold - 1 before it.
 */
struct oom_panic_history {
	u64 when[OOM_PANIC_THRESHOLD_MAX];
	unsigned long count;		/* OOMs recorded so far */
};

/*
 * System-wide OOMs, and OOMs of every kind. Both are kept whatever the
 * scope, so that a change of scope applies to the OOMs already seen.
 */
static struct oom_panic_history oom_panic_global_ooms;
static struct oom_panic_history oom_panic_all_ooms;

static void oom_panic_record(struct oom_panic_history *h, u64 now)
{
	h->when[h->count % OOM_PANIC_THRESHOLD_MAX] = now;
	h->count++;
}

/*
 * Which OOM within the window the one happening @now is (1 for the first),
 * counting back no further than @threshold.
 */
static unsigned int oom_panic_nth(const struct oom_panic_history *h, u64 now,
				  u64 window_ns, unsigned int threshold)
{
	unsigned int n;

	for (n = 1; n < threshold && n <= h->count; n++) {
		u64 then = h->when[(h->count - n) % OOM_PANIC_THRESHOLD_MAX];

		if (now - then > window_ns)
			break;
	}
	return n;
}

/*
 * Is an earlier victim in this OOM's domain still exiting? The kernel's
 * scan then aborts without a kill (see oom_evaluate_task()): the shortage
 * is the one already answered, not a new OOM.
 *
 * Asked only on the way to a panic; below the threshold the scan itself
 * tells (->oom_end()). Where this can differ from the scan, it errs
 * towards not panicking: a victim may finish exiting after this check but
 * before the scan reaches it, and for a cpuset or mempolicy OOM the kernel
 * waits only for victims inside the cpuset, which a module cannot tell.
 * Such an OOM kills and is counted, and the next one panics.
 */
static bool oom_panic_victim_pending(const struct oom_control *oc)
{
	struct task_struct *p;
	bool pending = false;

	rcu_read_lock();
	for_each_process(p) {
		struct mm_struct *mm = READ_ONCE(p->signal->oom_mm);

		if (!mm || oom_compat_mm_oom_skip(mm))
			continue;
		if (oc->memcg && !oom_compat_task_in_memcg(p, oc->memcg))
			continue;
		pending = true;
		break;
	}
	rcu_read_unlock();
	return pending;
}

/* "global OOM", "memcg OOM in /job", ... */
static void oom_panic_describe(const struct oom_control *oc, char *buf,
			       size_t len)
{
	static char path[256];

	switch (oc->constraint) {
	case CONSTRAINT_MEMCG:
		oom_compat_memcg_path(oc->memcg, path, sizeof(path));
		snprintf(buf, len, "memcg OOM in %s", path);
		break;
	case CONSTRAINT_CPUSET:
		strscpy(buf, "cpuset OOM", len);
		break;
	case CONSTRAINT_MEMORY_POLICY:
		strscpy(buf, "mempolicy OOM", len);
		break;
	default:
		strscpy(buf, "global OOM", len);
		break;
	}
}

/* -- The task dump -------------------------------------------------------- */

struct oom_panic_task {
	pid_t pid;
	uid_t uid;
	long points;
	struct oom_task_mem mem;
	char comm[TASK_COMM_LEN];
};

/* The tasks with the highest badness, highest first. */
static struct oom_panic_task oom_panic_top[OOM_PANIC_DUMP_MAX];

static void oom_panic_top_add(unsigned int *n, unsigned int max,
			      struct task_struct *p,
			      const struct oom_task_mem *mem, long points)
{
	struct oom_panic_task *t;

	t = oom_top_insert(oom_panic_top, n, max, points, points);
	if (!t)
		return;
	t->pid = p->tgid;
	t->uid = from_kuid(&init_user_ns, task_uid(p));
	t->points = points;
	t->mem = *mem;
	strscpy_pad(t->comm, p->comm, sizeof(t->comm));
}

/*
 * Fill oom_panic_top with up to @max of the tasks this OOM's killer would
 * consider, by stock badness; return how many there are.
 */
static unsigned int oom_panic_collect(const struct oom_control *oc,
				      unsigned int max)
{
	struct task_struct *p;
	unsigned int n = 0;

	rcu_read_lock();
	for_each_process(p) {
		struct oom_task_mem mem;

		if (oc->memcg && !oom_compat_task_in_memcg(p, oc->memcg))
			continue;
		if (!oom_policy_task_mem(p, &mem))
			continue;
		oom_panic_top_add(&n, max, p, &mem,
				  oom_policy_mem_badness(&mem, oc->totalpages));
	}
	rcu_read_unlock();
	return n;
}

/* At KERN_EMERG, so that a quiet console shows it next to the panic. */
static void oom_panic_print_top(unsigned int n)
{
	unsigned int i;

	pr_emerg("%u tasks with the highest OOM badness (memory in pages):\n",
		 n);
	pr_emerg("[  pid  ]   uid total_vm      rss swapents pgtables oom_score_adj  badness name\n");
	for (i = 0; i < n; i++) {
		const struct oom_panic_task *t = &oom_panic_top[i];

		pr_emerg("[%7d] %5u %8lu %8lu %8lu %8lu %13d %8ld %s\n",
			 t->pid, t->uid, t->mem.total_vm, t->mem.rss,
			 t->mem.swap, t->mem.pgtables, t->mem.adj, t->points,
			 t->comm);
	}
}

/* -- The policy ----------------------------------------------------------- */

static void __noreturn oom_panic_panic(const struct oom_control *oc,
				       const char *what, unsigned int nth,
				       unsigned int window_s,
				       unsigned int threshold)
{
	unsigned int dump = READ_ONCE(oom_panic_dump.val);
	static char top[TASK_COMM_LEN + 48];
	unsigned int n;

	/* The first task is named in the panic message even without a dump. */
	n = oom_panic_collect(oc, max(dump, 1U));
	if (dump)
		oom_panic_print_top(min(n, dump));
	if (n)
		snprintf(top, sizeof(top), ", highest badness: pid %d (%s)",
			 oom_panic_top[0].pid, oom_panic_top[0].comm);
	else
		top[0] = '\0';

	panic(KBUILD_MODNAME ": %s #%u within %u s (threshold %u), triggered by pid %d (%s), order %d, gfp_mask=%#x(%pGg)%s\n",
	      what, nth, window_s, threshold, task_tgid_nr(current),
	      current->comm, oc->order, oc->gfp_mask, &oc->gfp_mask, top);
}

/* The history @oc counts in, or NULL when the scope leaves it out. */
static struct oom_panic_history *
oom_panic_history_of(const struct oom_control *oc)
{
	if (READ_ONCE(oom_panic_scope) == OOM_PANIC_SCOPE_ALL)
		return &oom_panic_all_ooms;
	return oc->constraint == CONSTRAINT_NONE ? &oom_panic_global_ooms :
						    NULL;
}

/*
 * Panic if this OOM is the threshold-th. Below the threshold nothing is
 * done here: ->oom_end() counts the OOM once the scan has shown it to be a
 * new one, which costs nothing. On the way to a panic it must be known
 * before the scan, by the one walk over all processes this policy makes.
 */
static void oom_panic_oom_start(const struct oom_control *oc)
{
	unsigned int threshold = READ_ONCE(oom_panic_threshold.val);
	unsigned int window_s = READ_ONCE(oom_panic_window.val);
	struct oom_panic_history *h = oom_panic_history_of(oc);
	static char what[300];
	unsigned int nth;

	/* A SysRq-f OOM has order -1: an administrator's kill, no shortage. */
	if (oc->order < 0 || !h)
		return;

	nth = oom_panic_nth(h, ktime_get_boottime_ns(),
			    (u64)window_s * NSEC_PER_SEC, threshold);
	if (nth < threshold || oom_panic_victim_pending(oc))
		return;

	oom_panic_describe(oc, what, sizeof(what));
	oom_panic_panic(oc, what, nth, window_s, threshold);
}

/* Count an OOM the kernel answered with a kill of its choice. */
static void oom_panic_oom_end(const struct oom_control *oc, bool aborted)
{
	unsigned int threshold = READ_ONCE(oom_panic_threshold.val);
	unsigned int window_s = READ_ONCE(oom_panic_window.val);
	struct oom_panic_history *h = oom_panic_history_of(oc);
	static char what[300];
	unsigned int nth;
	u64 now;

	if (oc->order < 0 || aborted)
		return;

	now = ktime_get_boottime_ns();
	nth = h ? oom_panic_nth(h, now, (u64)window_s * NSEC_PER_SEC,
				threshold) : 0;
	oom_panic_record(&oom_panic_all_ooms, now);
	if (oc->constraint == CONSTRAINT_NONE)
		oom_panic_record(&oom_panic_global_ooms, now);

	oom_panic_describe(oc, what, sizeof(what));
	if (h)
		pr_warn("%s #%u within %u s (threshold %u): the kernel chooses a victim\n",
			what, nth, window_s, threshold);
	else
		pr_info("%s not counted (scope global): the kernel chooses a victim\n",
			what);
}

static void oom_panic_explain(struct task_struct *p, long stock,
			      unsigned long totalpages, char *buf, size_t len)
{
	snprintf(buf, len, "stock; panic at %u OOMs (scope %s) in %u s",
		 READ_ONCE(oom_panic_threshold.val),
		 oom_panic_scopes[READ_ONCE(oom_panic_scope)],
		 READ_ONCE(oom_panic_window.val));
}

static struct oom_policy oom_panic_policy = {
	.name = "panic",
	.owner = THIS_MODULE,
	.oom_start = oom_panic_oom_start,
	.oom_end = oom_panic_oom_end,
	.explain = oom_panic_explain,
};

static int __init oom_panic_init(void)
{
	return oom_policy_register(&oom_panic_policy);
}

static void __exit oom_panic_exit(void)
{
	oom_policy_unregister(&oom_panic_policy);
}

module_init(oom_panic_init);
module_exit(oom_panic_exit);

MODULE_DESCRIPTION("OOM policy: panic on the Nth OOM within a time window");
MODULE_AUTHOR("The oom_policy authors");
MODULE_LICENSE("GPL");
