// SPDX-License-Identifier: GPL-2.0
/*
 * oom_pressure: have the kernel's own OOM killer act before the machine
 * thrashes.
 *
 * The OOM killer runs only when reclaim fails; with swap or a large page
 * cache a machine thrashes for minutes first. This module decides *when*:
 * on a PSI memory trigger, or when MemAvailable and free swap are both low
 * while the kernel reports memory stalls, it asks the kernel for one OOM
 * kill (SysRq-f: out_of_memory() with order -1, under oom_lock). *Who*
 * stays the active policy's choice (or the stock one), and the kill the
 * kernel's own: the OOM reaper, memory reserves, memory.oom.group.
 *
 *   /sys/kernel/oom_policy/pressure/	counters, the state, the last action
 *
 * Nothing runs while memory is plentiful: the module sleeps on PSI
 * triggers of the root cgroup's memory.pressure (its ->poll is the PSI
 * trigger's), woken through a wait-queue entry of its own whose wake
 * function only queues work. Availability checks run only while the
 * kernel reports memory stalls. After an action it waits for the victim
 * to exit, for cooldown_s, and re-arms its triggers with fresh windows.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/fs.h>
#include <linux/jiffies.h>
#include <linux/kobject.h>
#include <linux/kprobes.h>
#include <linux/magic.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mount.h>
#include <linux/mutex.h>
#include <linux/namei.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/ptrace.h>
#include <linux/poll.h>
#include <linux/rcupdate.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <linux/sysrq.h>
#include <linux/umh.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "oom_policy.h"

/* -- Parameters ----------------------------------------------------------- */

/* Longest psi value: "some 10000000 10000000" with room to spare. */
#define OOM_PRESSURE_PSI_LEN	32
/* PSI's limits on a trigger's window (kernel/sched/psi.c), in us. */
#define OOM_PRESSURE_WIN_MIN	500000U
#define OOM_PRESSURE_WIN_MAX	10000000U
#define OOM_PRESSURE_COOLDOWN_MAX 3600

/*
 * A PSI memory trigger in the kernel's syntax. The default: all non-idle
 * tasks stalled on memory at once ("full", not "some": a busy file
 * server always has some task in reclaim) for 30% of a 10 s window, the
 * longest PSI allows. A burst shorter than 3 s of total standstill (an
 * application swapped back in) never triggers; a thrashing machine loses
 * more than half its time and is answered within seconds.
 */
struct oom_pressure_psi {
	char text[OOM_PRESSURE_PSI_LEN];	/* normalised; "" when off */
	bool full;
	u32 stall_us;
	u32 window_us;
};

/* The parameter; written and read under op.param_lock. */
static struct oom_pressure_psi oom_pressure_psi = {
	.text = "full 3000000 10000000",
	.full = true,
	.stall_us = 3000000,
	.window_us = 10000000,
};

/* An unsigned parameter and the range it accepts. */
struct oom_pressure_uint {
	unsigned int val;
	unsigned int min;
	unsigned int max;
};

/* MemAvailable below this percentage of MemTotal; 0: not a condition. */
static struct oom_pressure_uint oom_pressure_mem_min = {
	.val = 10, .min = 0, .max = 100,
};

/* Free swap below this percentage of the swap space; 0: not a condition. */
static struct oom_pressure_uint oom_pressure_swap_min = {
	.val = 10, .min = 0, .max = 100,
};

/* Seconds from one action to the next, at least. */
static struct oom_pressure_uint oom_pressure_cooldown = {
	.val = 10, .min = 0, .max = OOM_PRESSURE_COOLDOWN_MAX,
};

/* Log the victim the active policy would choose, kill nothing. */
static bool oom_pressure_dry_run;

static void oom_pressure_request_rearm(void);

/* -- State ---------------------------------------------------------------- */

/*
 * What the module is doing. Armed: asleep on its triggers. Watching: the
 * kernel reports memory stalls, availability is checked every
 * OOM_PRESSURE_CHECK_MS. Killing: a kill was requested, waiting for the
 * kernel's victim. Exiting: waiting for the victim to release its memory.
 * Cooldown: until cooldown_s after the action; the triggers are re-armed
 * at its end.
 */
enum oom_pressure_state {
	OOM_PRESSURE_ARMED,
	OOM_PRESSURE_WATCHING,
	OOM_PRESSURE_KILLING,
	OOM_PRESSURE_EXITING,
	OOM_PRESSURE_COOLDOWN,
	OOM_PRESSURE_STOPPED,
};

static const char * const oom_pressure_states[] = {
	[OOM_PRESSURE_ARMED] = "armed",
	[OOM_PRESSURE_WATCHING] = "watching",
	[OOM_PRESSURE_KILLING] = "killing",
	[OOM_PRESSURE_EXITING] = "exiting",
	[OOM_PRESSURE_COOLDOWN] = "cooldown",
	[OOM_PRESSURE_STOPPED] = "stopped",
};

/* Availability checks while stalls are reported, every this many ms. */
#define OOM_PRESSURE_CHECK_MS	100
/* Stalls are "reported" this long after the watch trigger last fired. */
#define OOM_PRESSURE_LINGER_MS	2000
/* The kernel's victim is expected within this time of the request. */
#define OOM_PRESSURE_KILL_MS	5000
/* A victim that has not exited by then is waited for no more. */
#define OOM_PRESSURE_EXIT_MS	30000
/* Triggers the kernel would not arm are tried again after this long. */
#define OOM_PRESSURE_RETRY_MS	30000
/* After its exit, relief from the stall is waited for this long at most. */
#define OOM_PRESSURE_RELIEF_MS	30000

/*
 * The trigger that starts availability checks: any task stalled on memory
 * (kswapd and direct reclaim count) for 5% of a second.
 */
#define OOM_PRESSURE_WATCH	"some 50000 1000000"

/* One PSI trigger: an open memory.pressure and our entry on its queue. */
struct oom_pressure_trigger {
	struct file *file;
	wait_queue_entry_t wait;
	/* Set by the poll table; NULL again after POLLFREE. */
	wait_queue_head_t *head;
	poll_table pt;
};

/*
 * Two locks. lock, a mutex: the state machine and its files; the work
 * item holds it across file I/O (arming a trigger takes the kernfs
 * of->mutex of memory.pressure, reading it the seq_file's lock).
 * param_lock, a spinlock never held across I/O or sleep: what the
 * parameter handlers and the sysfs files touch. Those run under their
 * own file's of->mutex, which shares its lockdep class with that of
 * memory.pressure, so they never take lock: a parameter change stores
 * the value and asks the work item to re-arm.
 */
static struct oom_pressure {
	struct mutex lock;		/* the fields up to param_lock */
	enum oom_pressure_state state;
	struct oom_pressure_psi psi;	/* the psi trigger armed last */
	struct oom_pressure_trigger act;	/* the psi parameter */
	struct oom_pressure_trigger watch;	/* OOM_PRESSURE_WATCH */
	struct path cgroup;		/* the root of cgroup2 */
	struct file *meminfo;		/* /proc/meminfo */
	unsigned long watch_until;	/* jiffies: stalls reported until */
	unsigned long action_at;	/* jiffies of the last action */
	unsigned long deadline;		/* jiffies: end of killing, exiting */
	unsigned long relief_by;	/* jiffies: after a kill, re-arm by then */
	bool retry;			/* the cooldown is a retry to arm */
	unsigned long victims;		/* oom_policy_last_victim() before */
	struct pid *victim;		/* the process we wait for */
	char why[96];			/* the trigger of the action */
	struct workqueue_struct *wq;
	struct delayed_work work;
	struct kobject *kobj;

	spinlock_t param_lock;		/* the psi parameter and these */
	char last[256];			/* the last action's log line */
	bool rearm;			/* a parameter changed since */
	bool live;			/* the work may be queued */
} op = {
	.lock = __MUTEX_INITIALIZER(op.lock),
	.state = OOM_PRESSURE_STOPPED,
	.param_lock = __SPIN_LOCK_UNLOCKED(op.param_lock),
	.last = "none",
};

/* Counters, read without the lock. */
static atomic_long_t op_psi_fired = ATOMIC_LONG_INIT(0);
static atomic_long_t op_mem_fired = ATOMIC_LONG_INIT(0);
static atomic_long_t op_kills = ATOMIC_LONG_INIT(0);
static atomic_long_t op_dry_runs = ATOMIC_LONG_INIT(0);
static atomic_long_t op_no_victim = ATOMIC_LONG_INIT(0);
static atomic_long_t op_checks = ATOMIC_LONG_INIT(0);
static atomic_long_t op_wakeups = ATOMIC_LONG_INIT(0);

/* -- Parameter handlers --------------------------------------------------- */

/* The next blank-separated word of *@s, NUL-terminated, or NULL. */
static char *oom_pressure_word(char **s)
{
	char *w = skip_spaces(*s), *end;

	if (!*w)
		return NULL;
	end = w + strcspn(w, " \t");
	if (*end)
		*end++ = '\0';
	*s = end;
	return w;
}

/*
 * Parse "some|full STALL_US WINDOW_US" as PSI does, more strictly: the
 * numbers are whole decimal numbers, nothing follows them. "" turns the
 * trigger off.
 */
static int oom_pressure_psi_parse(const char *val, struct oom_pressure_psi *t)
{
	char buf[OOM_PRESSURE_PSI_LEN * 2], *s = buf, *kind, *stall, *win;
	size_t len = strcspn(val, "\n");

	memset(t, 0, sizeof(*t));
	if (len >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, val, len);
	buf[len] = '\0';
	kind = oom_pressure_word(&s);
	if (!kind)
		return 0;
	stall = oom_pressure_word(&s);
	win = oom_pressure_word(&s);
	if (!win || oom_pressure_word(&s))
		return -EINVAL;
	if (!strcmp(kind, "full"))
		t->full = true;
	else if (strcmp(kind, "some"))
		return -EINVAL;
	if (kstrtou32(stall, 10, &t->stall_us) ||
	    kstrtou32(win, 10, &t->window_us) ||
	    t->window_us < OOM_PRESSURE_WIN_MIN ||
	    t->window_us > OOM_PRESSURE_WIN_MAX ||
	    !t->stall_us || t->stall_us > t->window_us)
		return -EINVAL;
	snprintf(t->text, sizeof(t->text), "%s %u %u", t->full ? "full" : "some",
		 t->stall_us, t->window_us);
	return 0;
}

/*
 * The work item arms the new trigger; should the kernel refuse it
 * nevertheless, it logs that and restores the old value.
 */
static int oom_pressure_psi_set(const char *val, const struct kernel_param *kp)
{
	struct oom_pressure_psi t;

	if (oom_pressure_psi_parse(val, &t)) {
		pr_err("psi: '%.*s' is not accepted; \"some|full STALL_US WINDOW_US\", window %u to %u, stall 1 to window, or \"\" for none\n",
		       oom_param_quote_len(val), val, OOM_PRESSURE_WIN_MIN,
		       OOM_PRESSURE_WIN_MAX);
		return -EINVAL;
	}
	spin_lock(&op.param_lock);
	oom_pressure_psi = t;
	oom_pressure_request_rearm();
	spin_unlock(&op.param_lock);
	return 0;
}

static int oom_pressure_psi_get(char *buf, const struct kernel_param *kp)
{
	int n;

	spin_lock(&op.param_lock);
	n = sysfs_emit(buf, "%s\n", oom_pressure_psi.text);
	spin_unlock(&op.param_lock);
	return n;
}

static const struct kernel_param_ops oom_pressure_psi_ops = {
	.set = oom_pressure_psi_set,
	.get = oom_pressure_psi_get,
};

module_param_cb(psi, &oom_pressure_psi_ops, NULL, 0644);
MODULE_PARM_DESC(psi,
		 "PSI memory trigger \"some|full STALL_US WINDOW_US\", window 500000 to 10000000, stall 1 to window; \"\" for none (default: \"full 3000000 10000000\")");

static int oom_pressure_uint_set(const char *val, const struct kernel_param *kp)
{
	struct oom_pressure_uint *p = kp->arg;
	unsigned int n;

	if (kstrtouint(val, 10, &n) || n < p->min || n > p->max) {
		pr_err("%s: '%.*s' is not accepted; a number from %u to %u\n",
		       kp->name, oom_param_quote_len(val), val, p->min, p->max);
		return -EINVAL;
	}
	spin_lock(&op.param_lock);
	WRITE_ONCE(p->val, n);
	/* mem_min_pct and swap_min_pct may turn the watch trigger on or off. */
	if (p != &oom_pressure_cooldown)
		oom_pressure_request_rearm();
	spin_unlock(&op.param_lock);
	return 0;
}

static int oom_pressure_uint_get(char *buf, const struct kernel_param *kp)
{
	struct oom_pressure_uint *p = kp->arg;

	return sysfs_emit(buf, "%u\n", READ_ONCE(p->val));
}

static const struct kernel_param_ops oom_pressure_uint_ops = {
	.set = oom_pressure_uint_set,
	.get = oom_pressure_uint_get,
};

module_param_cb(mem_min_pct, &oom_pressure_uint_ops, &oom_pressure_mem_min,
		0644);
MODULE_PARM_DESC(mem_min_pct,
		 "Act when MemAvailable is below this percentage of MemTotal (and free swap below swap_min_pct), checked while the kernel reports memory stalls; 0 leaves it out, both 0 turn the rule off, 0 to 100 (default: 10)");

module_param_cb(swap_min_pct, &oom_pressure_uint_ops, &oom_pressure_swap_min,
		0644);
MODULE_PARM_DESC(swap_min_pct,
		 "Act when free swap is below this percentage of the swap space (no swap: 0% free), with mem_min_pct; 0 leaves it out, 0 to 100 (default: 10)");

module_param_cb(cooldown_s, &oom_pressure_uint_ops, &oom_pressure_cooldown,
		0644);
MODULE_PARM_DESC(cooldown_s,
		 "Seconds from one action to the next at least; the victim's exit is waited for too, 0 to 3600 (default: 10)");

static int oom_pressure_bool_set(const char *val, const struct kernel_param *kp)
{
	bool v;

	if (kstrtobool(val, &v)) {
		pr_err("%s: '%.*s' is not accepted; 0, 1, n, y, off or on\n",
		       kp->name, oom_param_quote_len(val), val);
		return -EINVAL;
	}
	WRITE_ONCE(*(bool *)kp->arg, v);
	return 0;
}

static int oom_pressure_bool_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%c\n", READ_ONCE(*(bool *)kp->arg) ? 'Y' : 'N');
}

static const struct kernel_param_ops oom_pressure_bool_ops = {
	.set = oom_pressure_bool_set,
	.get = oom_pressure_bool_get,
};

module_param_cb(dry_run, &oom_pressure_bool_ops, &oom_pressure_dry_run, 0644);
MODULE_PARM_DESC(dry_run,
		 "Log the victim the active policy would choose and kill nothing, N or Y (default: N)");

/* -- Triggers ------------------------------------------------------------- */

/*
 * A wake-up from the trigger's queue: atomic context, with the queue's
 * lock held. On 6.12 every trigger on the root's memory.pressure wakes
 * the same queue (kernfs' per-file one), so this only queues the work,
 * which asks its own trigger whether it fired.
 */
static int oom_pressure_wake(wait_queue_entry_t *wait, unsigned int mode,
			     int sync, void *key)
{
	struct oom_pressure_trigger *t =
		container_of(wait, struct oom_pressure_trigger, wait);

	if (key_to_poll(key) & POLLFREE) {
		/* The queue is going away: leave it, as aio and epoll do. */
		list_del_init(&wait->entry);
		/* Pairs with the acquire in oom_pressure_disarm(). */
		smp_store_release(&t->head, NULL);
	}
	mod_delayed_work(op.wq, &op.work, 0);
	return 0;
}

static void oom_pressure_queue(struct file *file, wait_queue_head_t *head,
			       poll_table *pt)
{
	struct oom_pressure_trigger *t =
		container_of(pt, struct oom_pressure_trigger, pt);

	if (t->head)
		return;
	init_waitqueue_func_entry(&t->wait, oom_pressure_wake);
	add_wait_queue(head, &t->wait);
	t->head = head;
}

/* Close @t, off the queue first. */
static void oom_pressure_disarm(struct oom_pressure_trigger *t)
{
	wait_queue_head_t *head;

	if (!t->file)
		return;
	/* PSI frees the queue an RCU grace period after POLLFREE. */
	rcu_read_lock();
	/* Pairs with the release in oom_pressure_wake() on POLLFREE. */
	head = smp_load_acquire(&t->head);
	if (head)
		remove_wait_queue(head, &t->wait);
	rcu_read_unlock();
	t->head = NULL;
	fput(t->file);
	t->file = NULL;
}

/* Open the root's memory.pressure and arm @spec ("some 1 500000") on it. */
static int oom_pressure_arm(struct oom_pressure_trigger *t, const char *spec)
{
	loff_t pos = 0;
	ssize_t n;
	__poll_t mask;

	t->file = file_open_root(&op.cgroup, "memory.pressure", O_RDWR, 0);
	if (IS_ERR(t->file)) {
		n = PTR_ERR(t->file);
		t->file = NULL;
		return n;
	}
	n = kernel_write(t->file, spec, strlen(spec) + 1, &pos);
	if (n < 0) {
		fput(t->file);
		t->file = NULL;
		return n;
	}
	t->head = NULL;
	init_poll_funcptr(&t->pt, oom_pressure_queue);
	mask = vfs_poll(t->file, &t->pt);
	if (!t->head) {
		oom_pressure_disarm(t);
		return -EINVAL;
	}
	if ((mask & (EPOLLPRI | EPOLLERR)) == EPOLLPRI)
		mod_delayed_work(op.wq, &op.work, 0);
	return 0;
}

/* Did @t fire since it was last asked? Consumes the event. */
static bool oom_pressure_fired(struct oom_pressure_trigger *t)
{
	if (!t->file)
		return false;
	return (vfs_poll(t->file, NULL) & (EPOLLPRI | EPOLLERR)) == EPOLLPRI;
}

static bool oom_pressure_mem_rule(void)
{
	return READ_ONCE(oom_pressure_mem_min.val) ||
	       READ_ONCE(oom_pressure_swap_min.val);
}

/*
 * Both triggers, fresh windows, @psi for the act trigger. *@refused:
 * it was @psi that the kernel did not arm.
 */
static int oom_pressure_arm_all(const struct oom_pressure_psi *psi,
				bool *refused)
{
	int err = 0;

	oom_pressure_disarm(&op.act);
	oom_pressure_disarm(&op.watch);
	if (psi->text[0])
		err = oom_pressure_arm(&op.act, psi->text);
	*refused = err != 0;
	if (!err && oom_pressure_mem_rule())
		err = oom_pressure_arm(&op.watch, OOM_PRESSURE_WATCH);
	if (err) {
		oom_pressure_disarm(&op.act);
		oom_pressure_disarm(&op.watch);
	}
	return err;
}

/*
 * Arm the parameters' triggers. The parser checks what PSI checks, but
 * the kernel has the last word: should it refuse a new psi, the one
 * armed before is restored, as parameter and trigger. Caller holds
 * op.lock.
 */
static int oom_pressure_rearm(void)
{
	struct oom_pressure_psi want;
	bool refused;
	int err;

	lockdep_assert_held(&op.lock);
	spin_lock(&op.param_lock);
	want = oom_pressure_psi;
	op.rearm = false;
	spin_unlock(&op.param_lock);

	err = oom_pressure_arm_all(&want, &refused);
	if (!err)
		op.psi = want;
	if (!err || !refused || !strcmp(want.text, op.psi.text))
		return err;
	pr_err("psi: the kernel refused '%s' (%d); keeping '%s'\n",
	       want.text, err, op.psi.text);
	spin_lock(&op.param_lock);
	if (!strcmp(oom_pressure_psi.text, want.text))
		oom_pressure_psi = op.psi;
	spin_unlock(&op.param_lock);
	return oom_pressure_arm_all(&op.psi, &refused);
}

/*
 * A parameter changed: have the work item re-arm. It does so at once
 * while the module sleeps on its triggers; in the middle of an action,
 * the end of the cooldown re-arms anyway. Caller holds op.param_lock.
 */
static void oom_pressure_request_rearm(void)
{
	lockdep_assert_held(&op.param_lock);
	op.rearm = true;
	if (op.live)
		mod_delayed_work(op.wq, &op.work, 0);
}

/* The line that says what is armed, at load and after a change. */
static void oom_pressure_log_armed(void)
{
	pr_info("armed: psi '%s', mem_min_pct %u, swap_min_pct %u, cooldown_s %u%s\n",
		op.psi.text[0] ? op.psi.text : "off",
		READ_ONCE(oom_pressure_mem_min.val),
		READ_ONCE(oom_pressure_swap_min.val),
		READ_ONCE(oom_pressure_cooldown.val),
		READ_ONCE(oom_pressure_dry_run) ? ", dry run" : "");
}

/*
 * Sleep on fresh triggers; if the kernel arms none, a cooldown of
 * OOM_PRESSURE_RETRY_MS ends in the next try.
 */
static void oom_pressure_resume(void)
{
	bool changed = READ_ONCE(op.rearm);

	op.relief_by = 0;
	if (!oom_pressure_rearm()) {
		op.retry = false;
		op.state = OOM_PRESSURE_ARMED;
		if (changed)
			oom_pressure_log_armed();
		return;
	}
	pr_err("cannot arm the triggers; trying again in %u s\n",
	       OOM_PRESSURE_RETRY_MS / 1000);
	op.retry = true;
	op.action_at = jiffies;
	op.state = OOM_PRESSURE_COOLDOWN;
}

/* -- Reading the kernel's numbers ---------------------------------------- */

/* Read @file from its start into @buf (@len bytes), NUL-terminated. */
static ssize_t oom_pressure_read(struct file *file, char *buf, size_t len)
{
	loff_t pos = 0;
	ssize_t n;

	n = kernel_read(file, buf, len - 1, &pos);
	buf[max_t(ssize_t, n, 0)] = '\0';
	return n;
}

/* The value of "@key N kB" in meminfo text @buf, 0 if absent. */
static unsigned long oom_pressure_meminfo_kb(const char *buf, const char *key)
{
	const char *s = strstr(buf, key);
	unsigned long kb = 0;

	if (s && sscanf(s + strlen(key), " %lu", &kb) != 1)
		kb = 0;
	return kb;
}

/*
 * Are MemAvailable and free swap below their thresholds? Reads
 * /proc/meminfo, as earlyoom does. With no swap, free swap is 0%.
 */
static bool oom_pressure_mem_low(void)
{
	unsigned int mem_min = READ_ONCE(oom_pressure_mem_min.val);
	unsigned int swap_min = READ_ONCE(oom_pressure_swap_min.val);
	unsigned long total, avail, swap, swap_free;
	unsigned int mem_pct, swap_pct;
	/* Under op.lock; too big for the stack. */
	static char buf[4096];

	atomic_long_inc(&op_checks);
	if (oom_pressure_read(op.meminfo, buf, sizeof(buf)) <= 0)
		return false;
	total = oom_pressure_meminfo_kb(buf, "MemTotal:");
	avail = oom_pressure_meminfo_kb(buf, "MemAvailable:");
	swap = oom_pressure_meminfo_kb(buf, "SwapTotal:");
	swap_free = oom_pressure_meminfo_kb(buf, "SwapFree:");
	if (!total)
		return false;
	mem_pct = avail * 100 / total;
	swap_pct = swap ? swap_free * 100 / swap : 0;
	if ((!mem_min && !swap_min) ||
	    (mem_min && avail * 100 >= (u64)mem_min * total) ||
	    (swap_min && swap && swap_free * 100 >= (u64)swap_min * swap))
		return false;
	snprintf(op.why, sizeof(op.why), "MemAvailable %u%% swap %u%%",
		 mem_pct, swap_pct);
	return true;
}

/* The psi trigger's kind, and its share of the window in percent. */
static const char *oom_pressure_psi_kind(void)
{
	return op.psi.full ? "full" : "some";
}

static unsigned int oom_pressure_psi_pct(void)
{
	return op.psi.stall_us / (op.psi.window_us / 100);
}

/*
 * The kernel's avg10 of the psi trigger's kind, in hundredths of a
 * percent, from @file, a memory.pressure. False if it cannot be read.
 */
static bool oom_pressure_avg10(struct file *file, unsigned int *avg)
{
	unsigned int whole, hundredths;
	char buf[256], *line;

	if (oom_pressure_read(file, buf, sizeof(buf)) <= 0)
		return false;
	line = strstr(buf, oom_pressure_psi_kind());
	if (!line ||
	    sscanf(line, "%*s avg10=%u.%u", &whole, &hundredths) != 2)
		return false;
	*avg = whole * 100 + hundredths;
	return true;
}

/* The trigger's own words and the kernel's avg10: "psi full 30% over 10 s". */
static void oom_pressure_psi_why(void)
{
	const struct oom_pressure_psi *t = &op.psi;
	const char *kind = oom_pressure_psi_kind();
	unsigned int pct = oom_pressure_psi_pct(), avg10;
	char avg[16] = "?";

	if (oom_pressure_avg10(op.act.file, &avg10))
		snprintf(avg, sizeof(avg), "%u.%02u", avg10 / 100, avg10 % 100);
	if (t->window_us % USEC_PER_SEC)
		snprintf(op.why, sizeof(op.why),
			 "psi %s %u%% over %u ms (%s avg10 %s%%)", kind, pct,
			 (u32)(t->window_us / USEC_PER_MSEC), kind, avg);
	else
		snprintf(op.why, sizeof(op.why),
			 "psi %s %u%% over %u s (%s avg10 %s%%)", kind, pct,
			 (u32)(t->window_us / USEC_PER_SEC), kind, avg);
}

/*
 * Does the stall that the psi trigger measures go on: is the kernel's avg10
 * of its kind at or above the trigger's share? Read from a file of its
 * own: the trigger's is closed during an action.
 */
static bool oom_pressure_still_stalled(void)
{
	struct file *file;
	unsigned int avg10;
	bool stalled;

	if (!op.psi.text[0])
		return false;
	file = file_open_root(&op.cgroup, "memory.pressure", O_RDONLY, 0);
	if (IS_ERR(file))
		return false;
	stalled = oom_pressure_avg10(file, &avg10) &&
		  avg10 >= oom_pressure_psi_pct() * 100;
	fput(file);
	return stalled;
}

/* -- The action ----------------------------------------------------------- */

/*
 * Asking for the kill: SysRq-f, whose handler queues out_of_memory() with
 * order -1 under oom_lock. handle_sysrq() is exported but obeys the
 * kernel.sysrq mask, and Debian's default (438) lacks the signal bit;
 * /proc/sysrq-trigger ignores the mask (__handle_sysrq(key, false)) but
 * takes no kernel_write() (procfs has no write_iter). So the module calls
 * handle_sysrq('f') and, for that one call, a kprobe on __handle_sysrq()
 * clears its check_mask argument: the same call /proc/sysrq-trigger
 * makes, in the module's own worker, with no process to start and no
 * mask changed for anyone else. Only when kernel.sysrq is 0 (then
 * handle_sysrq() does nothing at all) or the probe cannot fire (kprobes
 * disarmed) does a usermode helper write /proc/sysrq-trigger instead.
 */
static struct task_struct *op_sysrq_caller;	/* our worker, in the call */
static bool op_sysrq_unmasked;			/* the probe saw that call */

static int oom_pressure_sysrq_entry(struct kprobe *kp, struct pt_regs *regs)
{
	if (READ_ONCE(op_sysrq_caller) != current ||
	    (u8)regs_get_kernel_argument(regs, 0) != 'f')
		return 0;
	/* __handle_sysrq(key, check_mask): x86-64 passes check_mask in rsi. */
	regs->si = 0;
	WRITE_ONCE(op_sysrq_unmasked, true);
	return 0;
}

static struct kprobe oom_pressure_sysrq_probe = {
	.symbol_name = "__handle_sysrq",
	.pre_handler = oom_pressure_sysrq_entry,
};

static bool oom_pressure_sysrq_probed;

static const char *oom_pressure_request_kill(void)
{
	int mask = sysrq_mask(), err;
	char *argv[4], *envp[3];

	WRITE_ONCE(op_sysrq_unmasked, false);
	WRITE_ONCE(op_sysrq_caller, current);
	handle_sysrq('f');
	WRITE_ONCE(op_sysrq_caller, NULL);
	if (READ_ONCE(op_sysrq_unmasked) || mask == 1 ||
	    (mask & SYSRQ_ENABLE_SIGNAL))
		return "SysRq-f";
	if (mask && oom_pressure_sysrq_probed)
		pr_warn_once("the kprobe on __handle_sysrq() did not see the module's call (kprobes disarmed?); asking through a usermode helper\n");

	argv[0] = "/bin/sh";
	argv[1] = "-c";
	argv[2] = "echo f >/proc/sysrq-trigger";
	argv[3] = NULL;
	envp[0] = "HOME=/";
	envp[1] = "PATH=/sbin:/bin:/usr/sbin:/usr/bin";
	envp[2] = NULL;
	err = call_usermodehelper(argv[0], argv, envp, UMH_WAIT_PROC);
	if (err)
		pr_warn_ratelimited("the helper writing /proc/sysrq-trigger failed (%d)\n",
				    err);
	return "/proc/sysrq-trigger";
}

/* Record the action's log line for last_trigger, and print it. */
static void oom_pressure_log(const char *fmt, ...)
{
	va_list args;

	spin_lock(&op.param_lock);
	va_start(args, fmt);
	vsnprintf(op.last, sizeof(op.last), fmt, args);
	va_end(args);
	spin_unlock(&op.param_lock);
	/* Written under op.lock too: stable here. */
	pr_info("%s\n", op.last);
}

static void oom_pressure_act(void)
{
	char comm[TASK_COMM_LEN];
	struct oom_policy_candidate c;
	size_t len;
	pid_t tgid;

	op.action_at = jiffies;
	op.retry = false;
	oom_pressure_disarm(&op.act);
	oom_pressure_disarm(&op.watch);
	if (READ_ONCE(oom_pressure_dry_run)) {
		atomic_long_inc(&op_dry_runs);
		if (oom_policy_preview_top(&c))
			oom_pressure_log("dry run: %s: no task could be killed",
					 op.why);
		else
			oom_pressure_log("dry run: %s: would kill pid %d (%s), policy %s: %s",
					 op.why, c.pid, c.comm, c.policy,
					 c.reason);
		op.state = OOM_PRESSURE_COOLDOWN;
		return;
	}
	len = strlen(op.why);
	op.victims = oom_policy_last_victim(&tgid, comm);
	snprintf(op.why + len, sizeof(op.why) - len, ", by %s",
		 oom_pressure_request_kill());
	op.deadline = jiffies + msecs_to_jiffies(OOM_PRESSURE_KILL_MS);
	op.state = OOM_PRESSURE_KILLING;
}

/*
 * Has the victim exited: every thread past exit_mm() and exit_notify()?
 * Reaped is not enough: on 6.12 with a slow swap disk, a thrasher reaped
 * 2 s after the kill took 17 s more to exit while its writeback drained,
 * and the machine stayed stalled until then (docs/pressure.md).
 */
static bool oom_pressure_victim_gone(void)
{
	struct task_struct *p, *t;
	bool gone = true;

	rcu_read_lock();
	p = pid_task(op.victim, PIDTYPE_TGID);
	if (p) {
		for_each_thread(p, t) {
			if (!READ_ONCE(t->exit_state)) {
				gone = false;
				break;
			}
		}
	}
	rcu_read_unlock();
	return gone;
}

static void oom_pressure_killing(void)
{
	char policy[OOM_POLICY_NAME_MAX + 1] = "none";
	struct oom_policy_candidate c;
	char comm[TASK_COMM_LEN];
	pid_t tgid;

	if (oom_policy_last_victim(&tgid, comm) == op.victims) {
		if (time_before(jiffies, op.deadline))
			return;
		atomic_long_inc(&op_no_victim);
		oom_pressure_log("%s: the kernel killed no task", op.why);
		op.state = OOM_PRESSURE_COOLDOWN;
		return;
	}
	atomic_long_inc(&op_kills);
	rcu_read_lock();
	op.victim = get_pid(find_pid_ns(tgid, &init_pid_ns));
	rcu_read_unlock();
	/* The policy's name only: its reason is in the core's kill log. */
	if (!oom_policy_preview_top(&c))
		strscpy(policy, c.policy, sizeof(policy));
	oom_pressure_log("%s: killed pid %d (%s), policy %s", op.why, tgid,
			 comm, policy);
	op.deadline = jiffies + msecs_to_jiffies(OOM_PRESSURE_EXIT_MS);
	op.state = OOM_PRESSURE_EXITING;
}

static void oom_pressure_exiting(void)
{
	if (!oom_pressure_victim_gone()) {
		if (time_before(jiffies, op.deadline))
			return;
		pr_info("pid %d has not exited in %u s; re-arming\n",
			pid_nr(op.victim), OOM_PRESSURE_EXIT_MS / 1000);
	}
	put_pid(op.victim);
	op.victim = NULL;
	op.relief_by = jiffies + msecs_to_jiffies(OOM_PRESSURE_RELIEF_MS);
	op.state = OOM_PRESSURE_COOLDOWN;
}

/* The time left until the cooldown ends, or until the retry to arm. */
static unsigned long oom_pressure_cooldown_left(void)
{
	unsigned long end = op.action_at + (op.retry ?
		msecs_to_jiffies(OOM_PRESSURE_RETRY_MS) :
		READ_ONCE(oom_pressure_cooldown.val) * HZ);

	return time_before(jiffies, end) ? end - jiffies : 0;
}

/*
 * The one work item: woken by a trigger (delay 0) or by its own ticks,
 * which run only between a report of stalls or an action and the end of
 * it. Never requeues once stopped.
 */
static void oom_pressure_workfn(struct work_struct *work)
{
	unsigned long delay = msecs_to_jiffies(OOM_PRESSURE_CHECK_MS);
	bool psi;

	atomic_long_inc(&op_wakeups);
	mutex_lock(&op.lock);
	switch (op.state) {
	case OOM_PRESSURE_ARMED:
	case OOM_PRESSURE_WATCHING:
		psi = oom_pressure_fired(&op.act);
		if (oom_pressure_fired(&op.watch)) {
			op.watch_until = jiffies +
				msecs_to_jiffies(OOM_PRESSURE_LINGER_MS);
			op.state = OOM_PRESSURE_WATCHING;
		}
		if (psi) {
			atomic_long_inc(&op_psi_fired);
			oom_pressure_psi_why();
			oom_pressure_act();
		} else if (op.state == OOM_PRESSURE_WATCHING) {
			if (oom_pressure_mem_low()) {
				atomic_long_inc(&op_mem_fired);
				oom_pressure_act();
			} else if (time_after(jiffies, op.watch_until)) {
				op.state = OOM_PRESSURE_ARMED;
			}
		}
		break;
	case OOM_PRESSURE_KILLING:
		oom_pressure_killing();
		break;
	case OOM_PRESSURE_EXITING:
		oom_pressure_exiting();
		break;
	default:
		break;
	}
	/* A parameter changed while the module sleeps or watches. */
	if (READ_ONCE(op.rearm) && (op.state == OOM_PRESSURE_ARMED ||
				    op.state == OOM_PRESSURE_WATCHING))
		oom_pressure_resume();
	if (op.state == OOM_PRESSURE_COOLDOWN) {
		delay = oom_pressure_cooldown_left();
		/*
		 * After a kill, the stall may outlast the victim (writeback
		 * draining to a slow disk): a trigger armed now would count
		 * it and kill again. Wait for the kernel's avg10 to fall
		 * below the trigger's share, for at most
		 * OOM_PRESSURE_RELIEF_MS.
		 */
		if (!delay && op.relief_by &&
		    time_before(jiffies, op.relief_by) &&
		    oom_pressure_still_stalled())
			delay = HZ;
		if (!delay) {
			oom_pressure_resume();
			delay = oom_pressure_cooldown_left();
		}
	}
	if (op.state != OOM_PRESSURE_ARMED && op.state != OOM_PRESSURE_STOPPED)
		queue_delayed_work(op.wq, &op.work, delay);
	mutex_unlock(&op.lock);
}

/* -- sysfs: /sys/kernel/oom_policy/pressure -------------------------------- */

OOM_POLICY_COUNTER_ATTR(psi_fired, op_psi_fired);
OOM_POLICY_COUNTER_ATTR(mem_fired, op_mem_fired);
OOM_POLICY_COUNTER_ATTR(kills, op_kills);
OOM_POLICY_COUNTER_ATTR(dry_runs, op_dry_runs);
OOM_POLICY_COUNTER_ATTR(no_victim, op_no_victim);
OOM_POLICY_COUNTER_ATTR(checks, op_checks);
OOM_POLICY_COUNTER_ATTR(wakeups, op_wakeups);

static ssize_t last_trigger_show(struct kobject *kobj,
				 struct kobj_attribute *attr, char *buf)
{
	ssize_t n;

	spin_lock(&op.param_lock);
	n = sysfs_emit(buf, "%s\n", op.last);
	spin_unlock(&op.param_lock);
	return n;
}

static ssize_t state_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "%s\n",
			  oom_pressure_states[READ_ONCE(op.state)]);
}

static struct kobj_attribute last_trigger_attr = __ATTR_RO(last_trigger);
static struct kobj_attribute state_attr = __ATTR_RO(state);

static struct attribute *oom_pressure_attrs[] = {
	&psi_fired_attr.attr,
	&mem_fired_attr.attr,
	&kills_attr.attr,
	&dry_runs_attr.attr,
	&no_victim_attr.attr,
	&checks_attr.attr,
	&wakeups_attr.attr,
	&last_trigger_attr.attr,
	&state_attr.attr,
	NULL,
};

static const struct attribute_group oom_pressure_group = {
	.attrs = oom_pressure_attrs,
};

/* -- Module --------------------------------------------------------------- */

/*
 * The root of cgroup2 where systemd mounts it. Not a private mount: any
 * mount of cgroup2 applies its options to the whole hierarchy
 * (apply_cgroup_root_flags()), and one without options would turn off
 * the nsdelegate and memory_recursiveprot of the system's mount.
 */
static int oom_pressure_find_cgroup(void)
{
	int err;

	err = kern_path("/sys/fs/cgroup", LOOKUP_FOLLOW, &op.cgroup);
	if (err)
		return err;
	if (op.cgroup.dentry->d_sb->s_magic != CGROUP2_SUPER_MAGIC ||
	    op.cgroup.dentry != op.cgroup.dentry->d_sb->s_root) {
		path_put(&op.cgroup);
		return -ENOENT;
	}
	return 0;
}

static int __init oom_pressure_init(void)
{
	int err;

	err = oom_pressure_find_cgroup();
	if (err) {
		pr_err("no cgroup2 hierarchy mounted at /sys/fs/cgroup (%d): the PSI triggers need its root's memory.pressure\n",
		       err);
		return err;
	}
	op.meminfo = filp_open("/proc/meminfo", O_RDONLY, 0);
	if (IS_ERR(op.meminfo)) {
		err = PTR_ERR(op.meminfo);
		pr_err("cannot open /proc/meminfo (%d)\n", err);
		goto put_cgroup;
	}
	op.wq = alloc_workqueue("oom_pressure", WQ_MEM_RECLAIM | WQ_HIGHPRI, 0);
	if (!op.wq) {
		err = -ENOMEM;
		goto put_meminfo;
	}
	INIT_DELAYED_WORK(&op.work, oom_pressure_workfn);

	/* Without it only kernel.sysrq's signal bit or the helper can kill. */
	err = register_kprobe(&oom_pressure_sysrq_probe);
	if (err)
		pr_warn("no kprobe on __handle_sysrq() (%d): kills need kernel.sysrq with the signal bit (64) or a usermode helper\n",
			err);
	oom_pressure_sysrq_probed = !err;

	op.kobj = kobject_create_and_add("pressure", oom_policy_kobject());
	if (!op.kobj) {
		err = -ENOMEM;
		goto unregister_probe;
	}
	err = sysfs_create_group(op.kobj, &oom_pressure_group);
	if (err)
		goto put_kobj;

	mutex_lock(&op.lock);
	/* No older trigger to fall back on: a refused one fails the load. */
	spin_lock(&op.param_lock);
	op.psi = oom_pressure_psi;
	spin_unlock(&op.param_lock);
	err = oom_pressure_rearm();
	if (!err) {
		op.state = OOM_PRESSURE_ARMED;
		oom_pressure_log_armed();
	}
	mutex_unlock(&op.lock);
	if (err) {
		pr_err("the kernel refused the trigger psi='%s' (%d)\n",
		       op.psi.text, err);
		goto put_kobj;
	}
	/* Parameters written since the triggers were armed. */
	spin_lock(&op.param_lock);
	op.live = true;
	if (op.rearm)
		mod_delayed_work(op.wq, &op.work, 0);
	spin_unlock(&op.param_lock);
	return 0;

put_kobj:
	kobject_put(op.kobj);
unregister_probe:
	if (oom_pressure_sysrq_probed)
		unregister_kprobe(&oom_pressure_sysrq_probe);
	destroy_workqueue(op.wq);
put_meminfo:
	fput(op.meminfo);
put_cgroup:
	path_put(&op.cgroup);
	return err;
}

static void __exit oom_pressure_exit(void)
{
	/* Parameter writes stop queueing the work; wake-ups after the disarm. */
	spin_lock(&op.param_lock);
	op.live = false;
	spin_unlock(&op.param_lock);
	mutex_lock(&op.lock);
	op.state = OOM_PRESSURE_STOPPED;
	oom_pressure_disarm(&op.act);
	oom_pressure_disarm(&op.watch);
	mutex_unlock(&op.lock);
	cancel_delayed_work_sync(&op.work);
	destroy_workqueue(op.wq);
	if (oom_pressure_sysrq_probed)
		unregister_kprobe(&oom_pressure_sysrq_probe);

	put_pid(op.victim);
	kobject_put(op.kobj);
	fput(op.meminfo);
	path_put(&op.cgroup);
}

module_init(oom_pressure_init);
module_exit(oom_pressure_exit);

MODULE_DESCRIPTION("Kernel OOM kill of the active policy's victim on memory pressure, before thrashing");
MODULE_AUTHOR("The oom_policy authors");
MODULE_LICENSE("GPL");
