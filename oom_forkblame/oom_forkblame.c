// SPDX-License-Identifier: GPL-2.0
/*
 * oom_forkblame: when a parent keeps producing children that the OOM killer
 * has to kill, kill the parent.
 *
 * A supervisor, a shell loop or a fork-happy server that respawns a runaway
 * child turns one OOM into an endless series: the stock heuristic kills the
 * big child every time and never the small parent that keeps making more.
 * The rule (proposed for Linux in 2003): when at least threshold children
 * of one parent were chosen as OOM victims within the last window_s
 * seconds, that parent is blamed, and a blamed parent outranks every task
 * that is not blamed at the next OOM. Otherwise tasks keep the stock order.
 *
 * Who is a parent: the process (thread group) of the victim's real_parent.
 * A child forked by any thread of a process counts for the whole process,
 * and a victim with many threads counts once. A parent is identified by
 * its tgid and the start time of its thread-group leader (exec keeps both),
 * so a pid recycled for a new process never inherits an old blame.
 *
 * Never blamed: init and the init of any pid namespace (killing it takes
 * the whole namespace down, and orphans are reparented to it, so it is
 * rarely the cause), kernel threads, tasks with oom_score_adj -1000 (the
 * core never offers them) and tasks whose name matches protect=, checked
 * whenever a blamed parent is scored because names change.
 *
 * Blame stays in its OOM domain: a child killed by a memcg's OOM counts
 * against its parent only in that memcg's OOMs, one killed by a
 * system-wide OOM only in system-wide OOMs (see fb_oom_domain).
 *
 * The victim hook records each child victim in a table of table_size
 * parents (allocated at load, oldest entry evicted when full). The parents
 * blamed right now are published in a small array under a seqcount, so
 * scoring a task costs one READ_ONCE() while nothing is blamed, and a
 * lockless look-up in that array otherwise.
 *
 *   /sys/module/oom_forkblame/parameters/	threshold, window_s, protect,
 *						table_size
 *   /sys/kernel/oom_policy/forkblame/		counters (see the end)
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/minmax.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/sched.h>
#include <linux/seqlock.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <linux/timekeeping.h>

#include "oom_policy.h"

/* -- Parameters ----------------------------------------------------------- */

/* Decimal, range-checked, one message for a refused value: see oom_policy.h. */
static const struct kernel_param_ops fb_uint_ops = {
	.set = oom_uint_param_set,
	.get = oom_uint_param_get,
};

static int fb_threshold_apply(unsigned int val);
static int fb_window_apply(unsigned int val);

static struct oom_uint_param fb_threshold = {
	.val = 3, .min = 1, .max = 1000, .apply = fb_threshold_apply,
};
module_param_cb(threshold, &fb_uint_ops, &fb_threshold, 0644);
MODULE_PARM_DESC(threshold,
		 "Child OOM victims of one parent, within window_s, that blame the parent: 1 to 1000 (default: 3)");

static struct oom_uint_param fb_window = {
	.val = 60, .min = 1, .max = 86400, .apply = fb_window_apply,
};
module_param_cb(window_s, &fb_uint_ops, &fb_window, 0644);
MODULE_PARM_DESC(window_s,
		 "Sliding window in seconds in which threshold child victims must fall: 1 to 86400 (default: 60)");

/* The window in force, in milliseconds; set by fb_window_apply(). */
static u64 fb_window_ms = 60 * MSEC_PER_SEC;

/*
 * Parents whose children die by OOM at the same time are few even on a
 * busy host; 64 leaves room for many more at about (96 + 8 * threshold)
 * bytes each. The upper bound caps the memory and the walk of the table
 * that each OOM victim costs. Fixed at load: the table is never resized.
 */
static struct oom_uint_param fb_table_size = {
	.val = 64, .min = 8, .max = 4096,
};
module_param_cb(table_size, &fb_uint_ops, &fb_table_size, 0444);
MODULE_PARM_DESC(table_size,
		 "Parents tracked at once, the oldest evicted when full; load time only: 8 to 4096 (default: 64)");

/*
 * Init systems and what an administrator needs to get back in: their
 * children are services and sessions, and killing them would not stop a
 * runaway (a supervisor below init is fair game: it is the respawning
 * culprit this policy is for).
 */
#define FB_PROTECT_DEFAULT \
	"init,systemd*,runit,runsvdir,s6-svscan,udevd,sshd,sshd-session,dropbear,mosh-server,login,agetty,getty,tmux*,screen,SCREEN"

static struct oom_patterns fb_protect;

/* Whether protect= was given at load: only then is the default left out. */
static bool fb_protect_given;

static int fb_protect_set(const char *val, const struct kernel_param *kp)
{
	int err = oom_patterns_param_ops.set(val, kp);

	if (!err)
		fb_protect_given = true;
	return err;
}

static int fb_protect_get(char *buf, const struct kernel_param *kp)
{
	return oom_patterns_param_ops.get(buf, kp);
}

static void fb_protect_free(void *arg)
{
	oom_patterns_param_ops.free(arg);
}

static const struct kernel_param_ops fb_protect_ops = {
	.set = fb_protect_set,
	.get = fb_protect_get,
	.free = fb_protect_free,
};
module_param_cb(protect, &fb_protect_ops, &fb_protect, 0644);
MODULE_PARM_DESC(protect,
		 "Comma-separated globs of names (comm or executable) never blamed, at most 32 of 1 to 63 characters; \"\" for none (default: "
		 FB_PROTECT_DEFAULT ")");

/* -- State ---------------------------------------------------------------- */

/* A process: tgid and the start time of its thread-group leader. */
struct fb_id {
	pid_t tgid;
	u64 start_time;
};

/*
 * A tracked parent. Its last child-victim times (boot-time milliseconds)
 * are a ring of fb_cap entries in fb_times, at fb_times[index * fb_cap].
 */
struct fb_parent {
	struct fb_id id;		/* tgid 0: a free entry */
	u64 domain;			/* where its children died: FB_GLOBAL, a memcg */
	unsigned long kills;		/* times in the ring; next at kills % cap */
	bool blamed;			/* when last evaluated: counts blames once */
	bool killed;			/* an OOM victim itself: drop it next */
};

/* A parent blamed at publication; valid until @expires_ms. */
struct fb_blamed {
	struct fb_id id;
	u64 domain;			/* the OOMs the blame applies in */
	unsigned int kills;		/* child victims in the window */
	u64 first_ms;			/* the oldest of them */
	u64 last_ms;			/* the newest */
	u64 expires_ms;			/* when the oldest leaves the window */
};

/*
 * Blame is counted and applied per OOM domain: a child victim of a memcg
 * OOM counts against its parent only in OOMs of that same memcg, and a
 * victim of a system-wide OOM (global, cpuset or mempolicy: no memcg) only
 * in system-wide OOMs. Otherwise a tenant whose children crash-loop in
 * their own memcg would get the parent outside it, a container runtime's
 * shim or a CI runner, killed at the next global OOM. A domain is the
 * cgroup id of the memcg, which is never reused, so it is kept without a
 * reference; FB_GLOBAL is no memcg.
 */
#define FB_GLOBAL	0

/*
 * The OOM being handled, set by ->oom_start() under the kernel's oom_lock:
 * the task handling it (compared with current, never dereferenced) and its
 * domain. ->badness(), ->victim() and ->explain() of that task see that
 * domain; any other caller (a read of oom_score, the preview) sees
 * FB_GLOBAL, what a system-wide OOM would do.
 */
static struct task_struct *fb_oom_task;
static u64 fb_oom_domain;

/*
 * fb_lock guards the table, the rings and the recent victims; it is taken
 * in the victim hook under task_lock() of the victim, and never the other
 * way round. A raw spinlock, because the scan may call into the policy
 * from probe context. fb_seq lets scoring read fb_blamed without it.
 */
static DEFINE_RAW_SPINLOCK(fb_lock);
static seqcount_raw_spinlock_t fb_seq = SEQCNT_RAW_SPINLOCK_ZERO(fb_seq,
								 &fb_lock);

static struct fb_parent *fb_parents;	/* table_size entries */
static u64 *fb_times;			/* table_size * fb_cap victim times */
static unsigned int fb_cap;		/* ring length: the threshold in force */

static struct fb_blamed *fb_blamed;	/* table_size entries */
static unsigned int fb_nblamed;		/* of which in use */

/*
 * The kernel marks each thread of a dying victim that asks for memory as
 * a victim too; the last few victim processes are kept so that a child
 * counts once.
 */
#define FB_RECENT	8
static struct fb_id fb_recent[FB_RECENT];
static unsigned int fb_recent_next;

/* Counters, shown in /sys/kernel/oom_policy/forkblame/. */
static atomic_long_t fb_child_victims = ATOMIC_LONG_INIT(0);
static atomic_long_t fb_blames = ATOMIC_LONG_INIT(0);
static atomic_long_t fb_parent_kills = ATOMIC_LONG_INIT(0);
static atomic_long_t fb_evictions = ATOMIC_LONG_INIT(0);

static u64 fb_now_ms(void)
{
	/* Boot time: a suspend counts as time passing, as it does for users. */
	return div_u64(ktime_get_boottime_ns(), NSEC_PER_MSEC);
}

/* The identity of @p's process; the caller holds rcu_read_lock(). */
static struct fb_id fb_id_of(struct task_struct *p)
{
	struct fb_id id = {
		.tgid = p->tgid,
		.start_time = READ_ONCE(p->group_leader)->start_time,
	};

	return id;
}

static bool fb_id_eq(const struct fb_id *a, const struct fb_id *b)
{
	return a->tgid == b->tgid && a->start_time == b->start_time;
}

/* True in the task handling the OOM that ->oom_start() saw begin. */
static bool fb_in_oom(void)
{
	return READ_ONCE(fb_oom_task) == current;
}

/* The domain whose blames apply to a score asked for now. */
static u64 fb_domain_now(void)
{
	return fb_in_oom() ? READ_ONCE(fb_oom_domain) : FB_GLOBAL;
}

/* -- The table (fb_lock held) --------------------------------------------- */

/* The @k-th newest victim time of entry @i (0: the newest). */
static u64 fb_time(unsigned int i, unsigned long k)
{
	return fb_times[(size_t)i * fb_cap +
			(fb_parents[i].kills - 1 - k) % fb_cap];
}

/*
 * Blamed: at least threshold child victims within the window. The ring
 * holds the last threshold of them, so the oldest in it decides.
 */
static bool fb_blamed_at(unsigned int i, u64 now)
{
	return fb_parents[i].kills >= fb_cap &&
	       fb_time(i, fb_cap - 1) + fb_window_ms > now;
}

/* Re-evaluate entry @i; a parent that becomes blamed counts as a blame. */
static void fb_update(unsigned int i, u64 now)
{
	struct fb_parent *e = &fb_parents[i];
	bool blamed = fb_blamed_at(i, now);

	if (blamed && !e->blamed)
		atomic_long_inc(&fb_blames);
	e->blamed = blamed;
}

static struct oom_policy fb_policy;
static long fb_badness(struct task_struct *p, long stock,
		       unsigned long totalpages);

/* Rebuild the array that scoring reads. */
static void fb_publish(u64 now)
{
	unsigned int i, n = 0, size = fb_table_size.val;

	write_seqcount_begin(&fb_seq);
	for (i = 0; i < size; i++) {
		struct fb_blamed *b = &fb_blamed[n];

		if (!fb_parents[i].id.tgid)
			continue;
		fb_update(i, now);
		if (!fb_parents[i].blamed)
			continue;
		b->id = fb_parents[i].id;
		b->domain = fb_parents[i].domain;
		b->kills = fb_cap;
		b->first_ms = fb_time(i, fb_cap - 1);
		b->last_ms = fb_time(i, 0);
		b->expires_ms = b->first_ms + fb_window_ms;
		n++;
	}
	WRITE_ONCE(fb_nblamed, n);
	write_seqcount_end(&fb_seq);
	/* Blaming nobody, the policy keeps the stock order: no callback. */
	oom_policy_set_badness(&fb_policy, n ? fb_badness : NULL);
}

/*
 * Is parent @id still there: its pid not someone else's, and not exiting?
 * The caller holds rcu_read_lock().
 */
static bool fb_alive(const struct fb_id *id)
{
	struct task_struct *t;

	t = pid_task(find_pid_ns(id->tgid, &init_pid_ns), PIDTYPE_TGID);
	return t && t->start_time == id->start_time &&
	       atomic_read(&t->signal->live);
}

/*
 * Drop the parents that are gone: exited, their pid now someone else's,
 * or OOM-killed themselves. Only the OOM path does this, at the start of
 * an OOM. The caller holds rcu_read_lock() too.
 */
static void fb_prune(void)
{
	unsigned int i, size = fb_table_size.val;

	for (i = 0; i < size; i++) {
		struct fb_parent *e = &fb_parents[i];

		if (e->id.tgid && (e->killed || !fb_alive(&e->id)))
			e->id.tgid = 0;
	}
}

/* The entry of parent @id for @domain, or -1. */
static int fb_find(const struct fb_id *id, u64 domain)
{
	unsigned int i, size = fb_table_size.val;

	for (i = 0; i < size; i++)
		if (fb_id_eq(&fb_parents[i].id, id) &&
		    fb_parents[i].domain == domain)
			return i;
	return -1;
}

/* The entry of parent @id for @domain, made if need be, evicting the stalest. */
static unsigned int fb_get(const struct fb_id *id, u64 domain)
{
	unsigned int i, victim = 0, size = fb_table_size.val;
	int found = fb_find(id, domain);

	if (found >= 0)
		return found;
	for (i = 0; i < size; i++) {
		if (!fb_parents[i].id.tgid) {
			victim = i;
			goto take;
		}
		if (fb_time(i, 0) < fb_time(victim, 0))
			victim = i;
	}
	atomic_long_inc(&fb_evictions);
take:
	fb_parents[victim] = (struct fb_parent){ .id = *id, .domain = domain };
	return victim;
}

/* Record a child victim of parent @id, in an OOM of @domain, at @now. */
static void fb_record(const struct fb_id *id, u64 domain, u64 now)
{
	unsigned int i = fb_get(id, domain);
	struct fb_parent *e = &fb_parents[i];

	/* A blame that lapsed since the last look must count anew. */
	fb_update(i, now);
	fb_times[(size_t)i * fb_cap + e->kills % fb_cap] = now;
	e->kills++;
	atomic_long_inc(&fb_child_victims);
}

/* True if victim process @id was seen lately; remembers it if not. */
static bool fb_recent_victim(const struct fb_id *id)
{
	unsigned int i;

	for (i = 0; i < FB_RECENT; i++)
		if (fb_id_eq(&fb_recent[i], id))
			return true;
	fb_recent[fb_recent_next] = *id;
	fb_recent_next = (fb_recent_next + 1) % FB_RECENT;
	return false;
}

/*
 * Prune and publish afresh, at each OOM: the one place where parents that
 * are gone are forgotten and lapsed blames are taken back.
 */
static void fb_refresh(void)
{
	u64 now = fb_now_ms();

	rcu_read_lock();
	raw_spin_lock(&fb_lock);
	fb_prune();
	fb_publish(now);
	raw_spin_unlock(&fb_lock);
	rcu_read_unlock();
}

/* -- Changing parameters at run time --------------------------------------- */

/*
 * The rings are as long as the threshold, so a new threshold means new
 * rings, allocated here, never where scores are computed. The newest
 * times move over; raising the threshold cannot bring back older ones.
 */
static int fb_threshold_apply(unsigned int val)
{
	unsigned int i, size = fb_table_size.val;
	u64 *times, *old;

	/* At load, before the table exists, init sizes it from the value. */
	if (!fb_parents)
		return 0;

	times = kvcalloc((size_t)size * val, sizeof(*times), GFP_KERNEL);
	if (!times)
		return -ENOMEM;

	raw_spin_lock(&fb_lock);
	for (i = 0; i < size; i++) {
		struct fb_parent *e = &fb_parents[i];
		unsigned long k, n = min3(e->kills, (unsigned long)fb_cap,
					  (unsigned long)val);

		for (k = 0; k < n; k++)
			times[(size_t)i * val + n - 1 - k] = fb_time(i, k);
		e->kills = n;
	}
	old = fb_times;
	fb_times = times;
	fb_cap = val;
	fb_publish(fb_now_ms());
	raw_spin_unlock(&fb_lock);

	kvfree(old);
	return 0;
}

static int fb_window_apply(unsigned int val)
{
	raw_spin_lock(&fb_lock);
	fb_window_ms = (u64)val * MSEC_PER_SEC;
	if (fb_parents)
		fb_publish(fb_now_ms());
	raw_spin_unlock(&fb_lock);
	return 0;
}

/* -- The policy ----------------------------------------------------------- */

/*
 * Is @p's process blamed now, in OOMs of @domain? Lockless: a consistent
 * copy of the published array, retried if a writer got in between.
 */
static bool fb_lookup(struct task_struct *p, u64 domain,
		      struct fb_blamed *found)
{
	unsigned int seq, i, n;
	struct fb_id id;
	bool hit;

	rcu_read_lock();
	id = fb_id_of(p);
	rcu_read_unlock();

	do {
		seq = read_seqcount_begin(&fb_seq);
		hit = false;
		n = fb_nblamed;
		for (i = 0; i < n; i++) {
			if (fb_id_eq(&fb_blamed[i].id, &id) &&
			    fb_blamed[i].domain == domain) {
				*found = fb_blamed[i];
				hit = true;
				break;
			}
		}
	} while (read_seqcount_retry(&fb_seq, seq));

	/* Until the next publication, a blame lapses by the clock alone. */
	return hit && fb_now_ms() < found->expires_ms;
}

/* Does @p's name match protect=? @locked: the caller holds task_lock(@p). */
static bool fb_protected(struct task_struct *p, bool locked)
{
	struct oom_task_names names __uninitialized;
	bool match;

	rcu_read_lock();
	oom_task_names_init(p, &names, locked);
	match = oom_patterns_match(rcu_dereference(fb_protect.list), &names);
	rcu_read_unlock();
	return match;
}

/* The policy's ->badness while some parent is blamed. */
static long fb_badness(struct task_struct *p, long stock,
		       unsigned long totalpages)
{
	struct fb_blamed b;

	if (!fb_lookup(p, fb_domain_now(), &b) || fb_protected(p, false))
		return stock;
	return oom_policy_rank(stock, totalpages, 1);
}

static void fb_oom_start(const struct oom_control *oc)
{
	WRITE_ONCE(fb_oom_domain, oom_compat_memcg_id(oc->memcg));
	WRITE_ONCE(fb_oom_task, current);
	fb_refresh();
}

/*
 * Not called when another policy became active during the OOM: fb_oom_task
 * then stays until the next ->oom_start(), which overwrites it.
 */
static void fb_oom_end(const struct oom_control *oc, bool aborted)
{
	WRITE_ONCE(fb_oom_task, NULL);
}

/* Init, kernel threads and pid-namespace inits are never blamed. */
static bool fb_may_blame(struct task_struct *leader)
{
	struct pid *tgid = task_tgid(leader);

	return !(leader->flags & PF_KTHREAD) && tgid && !is_child_reaper(tgid);
}

static void fb_victim(struct task_struct *victim)
{
	unsigned int i, size = fb_table_size.val;
	struct fb_id child, parent;
	struct task_struct *leader;
	struct fb_blamed b;
	bool track, as_parent;
	u64 now = fb_now_ms();
	u64 domain;

	/*
	 * A victim the kernel marks without a scan (an allocating task that
	 * is exiting anyway, vm.oom_kill_allocating_task) is not counted:
	 * it chose itself, and the domain of its OOM is not known.
	 */
	if (!fb_in_oom())
		return;
	domain = READ_ONCE(fb_oom_domain);

	/* Was the victim chosen for being a blamed parent itself? */
	as_parent = fb_lookup(victim, domain, &b) &&
		    !fb_protected(victim, true);

	rcu_read_lock();
	child = fb_id_of(victim);
	leader = READ_ONCE(rcu_dereference(victim->real_parent)->group_leader);
	track = fb_may_blame(leader);
	parent = fb_id_of(leader);
	rcu_read_unlock();

	raw_spin_lock(&fb_lock);
	if (fb_recent_victim(&child))
		goto unlock;
	/* A parent that is being killed goes at the next prune, in every domain. */
	for (i = 0; i < size; i++)
		if (fb_id_eq(&fb_parents[i].id, &child))
			fb_parents[i].killed = true;
	if (as_parent)
		atomic_long_inc(&fb_parent_kills);
	if (track)
		fb_record(&parent, domain, now);
	fb_publish(now);
unlock:
	raw_spin_unlock(&fb_lock);
}

static void fb_explain(struct task_struct *p, long stock,
		       unsigned long totalpages, char *buf, size_t len)
{
	const char *prot;
	struct fb_blamed b;
	u64 span;

	if (!fb_lookup(p, fb_domain_now(), &b)) {
		strscpy(buf, "not blamed", len);
		return;
	}
	prot = fb_protected(p, true) ? "protected, " : "";
	span = b.last_ms - b.first_ms;
	if (b.kills == 1)
		snprintf(buf, len, "%s1 child OOM-killed in the last %u s", prot,
			 READ_ONCE(fb_window.val));
	else if (span < MSEC_PER_SEC)
		snprintf(buf, len, "%s%u children OOM-killed in under 1 s",
			 prot, b.kills);
	else
		snprintf(buf, len, "%s%u children OOM-killed in %llu s", prot,
			 b.kills, div_u64(span, MSEC_PER_SEC));
}

/* -- Counters ------------------------------------------------------------- */

/* Child victims recorded against a parent. */
OOM_POLICY_COUNTER_ATTR(child_victims, fb_child_victims);
/* Times a parent reached threshold child victims within the window. */
OOM_POLICY_COUNTER_ATTR(blames, fb_blames);
/* OOM victims that were blamed, unprotected parents. */
OOM_POLICY_COUNTER_ATTR(parent_kills, fb_parent_kills);
/* Parents dropped from a full table. */
OOM_POLICY_COUNTER_ATTR(evictions, fb_evictions);

/*
 * A read of tracked or blamed changes nothing and keeps fb_lock, which the
 * OOM path takes, for a few entries at a time: FB_READ_BATCH entries are
 * copied under it, with no look-up, and whether their parents are still
 * there is asked once it is dropped. The table may change between two
 * batches; a count is only ever a moment's view anyway.
 */
#define FB_READ_BATCH	16

struct fb_snapshot {
	struct fb_id id;
	u64 blamed_until;		/* boot-time ms; 0: not blamed */
};

static void fb_count(unsigned int *tracked, unsigned int *blamed)
{
	struct fb_snapshot snap[FB_READ_BATCH];
	unsigned int start, i, k, n, size = fb_table_size.val;
	u64 now = fb_now_ms();

	*tracked = 0;
	*blamed = 0;
	for (start = 0; start < size; start += k) {
		n = 0;
		raw_spin_lock(&fb_lock);
		for (k = 0; k < FB_READ_BATCH && start + k < size; k++) {
			const struct fb_parent *e = &fb_parents[start + k];

			if (!e->id.tgid || e->killed)
				continue;
			snap[n].id = e->id;
			snap[n].blamed_until = 0;
			if (e->kills >= fb_cap)
				snap[n].blamed_until =
					fb_time(start + k, fb_cap - 1) +
					fb_window_ms;
			n++;
		}
		raw_spin_unlock(&fb_lock);

		rcu_read_lock();
		for (i = 0; i < n; i++) {
			if (!fb_alive(&snap[i].id))
				continue;
			(*tracked)++;
			if (snap[i].blamed_until > now)
				(*blamed)++;
		}
		rcu_read_unlock();
		cond_resched();
	}
}

/* Parents in the table now, those that are gone left out. */
static ssize_t tracked_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	unsigned int tracked, blamed;

	fb_count(&tracked, &blamed);
	return sysfs_emit(buf, "%u\n", tracked);
}

static struct kobj_attribute tracked_attr = __ATTR_RO(tracked);

/* Parents blamed now (protected ones included: they are spared later). */
static ssize_t blamed_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	unsigned int tracked, blamed;

	fb_count(&tracked, &blamed);
	return sysfs_emit(buf, "%u\n", blamed);
}

static struct kobj_attribute blamed_attr = __ATTR_RO(blamed);

static struct attribute *fb_attrs[] = {
	&child_victims_attr.attr,
	&blames_attr.attr,
	&parent_kills_attr.attr,
	&evictions_attr.attr,
	&tracked_attr.attr,
	&blamed_attr.attr,
	NULL,
};

static const struct attribute_group fb_group = {
	.attrs = fb_attrs,
};

static const struct attribute_group *fb_groups[] = {
	&fb_group,
	NULL,
};

static struct oom_policy fb_policy = {
	.name = "forkblame",
	.owner = THIS_MODULE,
	.badness = NULL,	/* nobody blamed yet: see fb_publish() */
	.oom_start = fb_oom_start,
	.oom_end = fb_oom_end,
	.victim = fb_victim,
	.explain = fb_explain,
	.groups = fb_groups,
};

/* -- Module --------------------------------------------------------------- */

/*
 * Run-time writes of threshold= and window_s= use the table, under
 * kernel_param_lock(), and their files outlive module_exit().
 */
static void fb_free_table(void)
{
	kernel_param_lock(THIS_MODULE);
	kvfree(fb_times);
	kvfree(fb_blamed);
	kvfree(fb_parents);
	fb_times = NULL;
	fb_blamed = NULL;
	fb_parents = NULL;
	kernel_param_unlock(THIS_MODULE);
}

static int __init fb_init(void)
{
	unsigned int size = fb_table_size.val;
	int err = 0;

	/* A write to threshold= may race with us: it resizes the rings. */
	kernel_param_lock(THIS_MODULE);
	fb_cap = fb_threshold.val;
	fb_times = kvcalloc((size_t)size * fb_cap, sizeof(*fb_times),
			    GFP_KERNEL);
	fb_blamed = kvcalloc(size, sizeof(*fb_blamed), GFP_KERNEL);
	fb_parents = kvcalloc(size, sizeof(*fb_parents), GFP_KERNEL);
	if (!fb_times || !fb_blamed || !fb_parents)
		err = -ENOMEM;
	else if (!fb_protect_given)
		err = oom_patterns_set(&fb_protect, FB_PROTECT_DEFAULT,
				       KBUILD_MODNAME ".protect");
	kernel_param_unlock(THIS_MODULE);
	if (err)
		goto free_table;

	err = oom_policy_register(&fb_policy);
	if (err)
		goto free_table;
	return 0;

free_table:
	fb_free_table();
	return err;
}

static void __exit fb_exit(void)
{
	oom_policy_unregister(&fb_policy);
	fb_free_table();
}

module_init(fb_init);
module_exit(fb_exit);

MODULE_DESCRIPTION("OOM policy: kill the parent whose children keep getting OOM-killed");
MODULE_AUTHOR("The oom_policy authors");
MODULE_LICENSE("GPL");
