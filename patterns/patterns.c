// SPDX-License-Identifier: GPL-2.0
/*
 * Pattern-list module parameters shared by the policies.
 *
 * A list is written as comma-separated patterns. Each pattern is a shell
 * glob, optionally led by a key ("name:firefox*", "cgroup:/batch*"), or a
 * uid range ("uid:1000-1999"). A lower-case word before the first ':' is
 * always read as a key and an unknown key is refused, so new keys can be
 * added without changing what an accepted list means; "name:" spells out
 * the default. include/oom_policy.h says what each key matches and how it
 * is read without sleeping or allocating.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitmap.h>
#include <linux/bits.h>
#include <linux/cred.h>
#include <linux/dcache.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/fs_struct.h>
#include <linux/glob.h>
#include <linux/local_lock.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/seqlock.h>
#include <linux/string.h>
#include <linux/stringify.h>
#include <linux/uaccess.h>
#include <linux/security.h>
#include <linux/uidgid.h>

#include "oom_policy.h"
#include "prefilter.h"

/* -- Parsing -------------------------------------------------------------- */

/* Serialises replacements of every pattern list. */
static DEFINE_MUTEX(oom_patterns_mutex);

/* The end of every message about a bad value: what would be accepted. */
#define OOM_PATTERNS_ACCEPTED						\
	"accepted: at most " __stringify(OOM_PATTERNS_MAX)		\
	" comma-separated patterns of 1 to " __stringify(OOM_PATTERN_LEN) \
	" printable ASCII characters"

static const struct {
	const char *word;
	enum oom_pattern_key key;
} oom_pattern_keys[] = {
	{ "name", OOM_PATTERN_NAME },
	{ "uid", OOM_PATTERN_UID },
	{ "cgroup", OOM_PATTERN_CGROUP },
	{ "exe", OOM_PATTERN_EXE },
	{ "label", OOM_PATTERN_LABEL },
};

#define OOM_PATTERN_KEY_WORDS	"name, uid, cgroup, exe, label"

#define OOM_PATTERN_LABEL_ACCEPTED					\
	"accepted: label:LABEL, a whole label, without '*', '?', '[' or '\\'"

#define OOM_PATTERN_UID_ACCEPTED					\
	"accepted: uid:N or uid:A-B with 0 <= A <= B <= "		\
	__stringify(OOM_PATTERN_UID_MAX)

/* The keys whose facts are paths, which always start with '/'. */
#define OOM_PATTERN_PATH_KEYS	(BIT(OOM_PATTERN_CGROUP) | BIT(OOM_PATTERN_EXE))

/*
 * Printable ASCII only: comm and file names are bytes, and a byte above
 * 0x7e is part of some encoding whose "printable" depends on the locale.
 */
static bool oom_pattern_char_ok(char c)
{
	return c >= ' ' && c <= '~';
}

/* Length of the key word that leads @s, 0 when @s has no key. */
static size_t oom_pattern_key_len(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len && s[i] >= 'a' && s[i] <= 'z'; i++)
		;
	return i > 0 && i < len && s[i] == ':' ? i : 0;
}

/*
 * Read the decimal number that starts @s into @val: digits only, at most
 * OOM_PATTERN_UID_MAX. Return the digits read, 0 when there is no number
 * or it is too large.
 */
static size_t oom_pattern_uid_number(const char *s, u32 *val)
{
	u64 v = 0;
	size_t i;

	for (i = 0; s[i] >= '0' && s[i] <= '9'; i++) {
		v = v * 10 + (s[i] - '0');
		if (v > OOM_PATTERN_UID_MAX)
			return 0;
	}
	*val = v;
	return i;
}

/* "N" or "A-B" (A <= B) at @s into @pat's uid range; false if neither. */
static bool oom_pattern_uid_parse(struct oom_pattern *pat, const char *s)
{
	size_t n;

	n = oom_pattern_uid_number(s, &pat->uid_min);
	if (!n)
		return false;
	s += n;
	pat->uid_max = pat->uid_min;
	if (*s == '-') {
		n = oom_pattern_uid_number(++s, &pat->uid_max);
		if (!n)
			return false;
		s += n;
	}
	return !*s && pat->uid_min <= pat->uid_max;
}

/*
 * The secid of the label a label: pattern names, into @pat->secid: the
 * LSM turns text into a secid only in process context (it may allocate,
 * and AppArmor parses the label), so this is done once, when the list is
 * written, and matching compares secids. A label the LSM does not know
 * now, or no LSM with labels, leaves 0, which no task has: the pattern
 * matches nothing, which the administrator is told. Not an error: a
 * module loaded at boot may well be given its list before the profiles
 * are loaded.
 */
static void oom_pattern_label_secid(struct oom_pattern *pat, unsigned int nr,
				    const char *param)
{
	int err;

	pat->secid = 0;
	err = security_secctx_to_secid(pat->glob, strlen(pat->glob),
				       &pat->secid);
	if (err || !pat->secid) {
		pat->secid = 0;
		pr_warn("%s: pattern %u '%s' matches no task: no such label now (error %d); write the list again once it exists\n",
			param, nr, pat->text, err);
	}
}

/* Parse pattern number @nr, @len characters at @s, into @pat. */
static int oom_pattern_parse(struct oom_pattern *pat, const char *s,
			     size_t len, unsigned int nr, const char *param)
{
	size_t klen, i;

	/* Spaces around a pattern are layout ("a, b"), not part of it. */
	while (len && *s == ' ') {
		s++;
		len--;
	}
	while (len && s[len - 1] == ' ')
		len--;

	if (!len) {
		pr_err("%s: pattern %u is empty; " OOM_PATTERNS_ACCEPTED "\n",
		       param, nr);
		return -EINVAL;
	}
	if (len > OOM_PATTERN_LEN) {
		pr_err("%s: pattern %u has %zu characters; " OOM_PATTERNS_ACCEPTED "\n",
		       param, nr, len);
		return -EINVAL;
	}
	for (i = 0; i < len; i++) {
		if (!oom_pattern_char_ok(s[i])) {
			pr_err("%s: pattern %u has a non-printable byte (0x%02x); "
			       OOM_PATTERNS_ACCEPTED "\n",
			       param, nr, (unsigned char)s[i]);
			return -EINVAL;
		}
	}

	memcpy(pat->text, s, len);
	pat->text[len] = '\0';
	pat->key = OOM_PATTERN_NAME;
	pat->glob = pat->text;

	klen = oom_pattern_key_len(s, len);
	if (!klen)
		return 0;

	for (i = 0; i < ARRAY_SIZE(oom_pattern_keys); i++) {
		if (strlen(oom_pattern_keys[i].word) == klen &&
		    !memcmp(oom_pattern_keys[i].word, s, klen))
			break;
	}
	if (i == ARRAY_SIZE(oom_pattern_keys)) {
		pr_err("%s: pattern %u has the unknown key '%.*s:'; accepted keys: "
		       OOM_PATTERN_KEY_WORDS
		       " (write 'name:%s' to match a name with a colon)\n",
		       param, nr, (int)klen, s, pat->text);
		return -EINVAL;
	}
	if (klen + 1 == len) {
		pr_err("%s: pattern %u has nothing after '%.*s:'; " OOM_PATTERNS_ACCEPTED "\n",
		       param, nr, (int)klen, s);
		return -EINVAL;
	}
	pat->key = oom_pattern_keys[i].key;
	pat->glob = pat->text + klen + 1;

	if (pat->key == OOM_PATTERN_UID &&
	    !oom_pattern_uid_parse(pat, pat->glob)) {
		pr_err("%s: pattern %u '%s' is not a uid or a uid range; "
		       OOM_PATTERN_UID_ACCEPTED "\n",
		       param, nr, pat->text);
		return -EINVAL;
	}
	if (pat->key == OOM_PATTERN_LABEL) {
		if (strpbrk(pat->glob, "*?[\\")) {
			pr_err("%s: pattern %u '%s' is a glob; " OOM_PATTERN_LABEL_ACCEPTED "\n",
			       param, nr, pat->text);
			return -EINVAL;
		}
		oom_pattern_label_secid(pat, nr, param);
	}
	/* A typo such as "cgroup:batch*" would silently match nothing. */
	if ((BIT(pat->key) & OOM_PATTERN_PATH_KEYS) &&
	    oom_glob_first(pat->glob) && oom_glob_first(pat->glob) != '/') {
		pr_err("%s: pattern %u '%s' can never match: paths start with '/' (write '%.*s:/%s' or '%.*s:*%s')\n",
		       param, nr, pat->text, (int)klen, s, pat->glob,
		       (int)klen, s, pat->glob);
		return -EINVAL;
	}
	return 0;
}

/* Note what @pat can match in @l's filters. */
static void oom_pattern_list_add(struct oom_pattern_list *l,
				 struct oom_pattern *pat)
{
	pat->first = pat->key == OOM_PATTERN_UID ? 0 : oom_glob_first(pat->glob);
	if (pat->key == OOM_PATTERN_NAME) {
		oom_glob_head(pat->glob, &pat->head, &pat->head_mask,
			      &pat->exact);
		if (pat->first)
			__set_bit(pat->first, l->name_first);
		else
			bitmap_fill(l->name_first, 256);
	}
	l->keys |= BIT(pat->key);
	l->count++;
}

/*
 * The list @val describes: NULL for an empty list, or an ERR_PTR() after a
 * pr_err() saying what is wrong.
 */
static struct oom_pattern_list *oom_patterns_parse(const char *val,
						   const char *param)
{
	struct oom_pattern_list *l;
	size_t len = strlen(val);
	unsigned int count = 1;
	const char *s, *comma;
	int err;

	/* A sysfs write usually ends with a newline; it is not a character. */
	if (len && val[len - 1] == '\n')
		len--;
	if (!len)
		return NULL;

	for (s = val; s < val + len; s++)
		count += *s == ',';
	if (count > OOM_PATTERNS_MAX) {
		pr_err("%s: %u patterns; " OOM_PATTERNS_ACCEPTED "\n",
		       param, count);
		return ERR_PTR(-EINVAL);
	}

	l = kzalloc(struct_size(l, pat, count), GFP_KERNEL);
	if (!l)
		return ERR_PTR(-ENOMEM);

	for (s = val; l->count < count; s = comma + 1) {
		comma = memchr(s, ',', val + len - s);
		if (!comma)
			comma = val + len;
		err = oom_pattern_parse(&l->pat[l->count], s, comma - s,
					l->count + 1, param);
		if (err) {
			kfree(l);
			return ERR_PTR(err);
		}
		oom_pattern_list_add(l, &l->pat[l->count]);
	}
	return l;
}

/* -- Checking the path walk ----------------------------------------------- */

static char *oom_absolute_path(const struct path *path, char *buf,
			       size_t size);

/*
 * exe: paths are built with the head of struct mount that
 * include/oom_compat.h copies from fs/mount.h. Check it on the running
 * kernel before a list with an exe: pattern is accepted: for the writer's
 * own executable, when the writer has the root that init has, d_path()
 * gives the path from that root, and oom_absolute_path() must give the
 * same. A writer elsewhere (chrooted, in a container) checks nothing.
 * Process context; may sleep.
 */
static int oom_patterns_exe_check(const char *param)
{
	struct path root, init_root;
	char *buf, *want, *got;
	struct file *exe;
	bool same;
	int err = 0;

	if (!current->mm || !current->fs)
		return 0;
	get_fs_root(current->fs, &root);
	get_fs_root(init_task.fs, &init_root);
	same = path_equal(&root, &init_root);
	path_put(&init_root);
	path_put(&root);
	if (!same)
		return 0;

	exe = oom_compat_mm_exe_file(current->mm);
	if (!exe)
		return 0;
	buf = kmalloc(2 * PATH_MAX, GFP_KERNEL);
	if (!buf) {
		fput(exe);
		return -ENOMEM;
	}
	want = d_path(&exe->f_path, buf, PATH_MAX);
	got = oom_absolute_path(&exe->f_path, buf + PATH_MAX, PATH_MAX);
	if (!IS_ERR(want) && !d_unlinked(exe->f_path.dentry) &&
	    (!got || strcmp(want, got))) {
		pr_err("%s: exe: patterns cannot be matched on this kernel: the path walk reads '%s' for '%s'\n",
		       param, got ?: "(none)", want);
		err = -EINVAL;
	}
	kfree(buf);
	fput(exe);
	return err;
}

/* -- Replacing a list ------------------------------------------------------ */

/**
 * oom_patterns_set() - replace a pattern list
 * @h:		the list
 * @val:	the new value, comma-separated patterns ("" for none)
 * @param:	the parameter's name, for error messages
 *
 * Readers see the old list or the new one, never a mixture; the old list
 * is freed after every reader is done with it. Each label: pattern is
 * turned into the secid of its label here, once: a label that does not
 * exist now (a profile not loaded yet) matches nothing until the list is
 * written again.
 *
 * Context: process context; may sleep.
 * Return: 0, or -EINVAL (with a pr_err() saying why) or -ENOMEM, and the
 * old list kept.
 */
int oom_patterns_set(struct oom_patterns *h, const char *val,
		     const char *param)
{
	struct oom_pattern_list *new, *old;

	new = oom_patterns_parse(val, param);
	if (IS_ERR(new))
		return PTR_ERR(new);
	if (new && (new->keys & BIT(OOM_PATTERN_EXE))) {
		int err = oom_patterns_exe_check(param);

		if (err) {
			kfree(new);
			return err;
		}
	}

	mutex_lock(&oom_patterns_mutex);
	old = rcu_replace_pointer(h->list, new,
				  lockdep_is_held(&oom_patterns_mutex));
	mutex_unlock(&oom_patterns_mutex);
	if (old)
		kfree_rcu(old, rcu);
	return 0;
}
EXPORT_SYMBOL_GPL(oom_patterns_set);

/**
 * oom_patterns_clear() - empty a pattern list and free it
 * @h: the list
 *
 * Context: process context; may sleep.
 */
void oom_patterns_clear(struct oom_patterns *h)
{
	oom_patterns_set(h, "", NULL);
}
EXPORT_SYMBOL_GPL(oom_patterns_clear);

static int oom_patterns_param_set(const char *val,
				  const struct kernel_param *kp)
{
	char param[MODULE_NAME_LEN + 32];

	snprintf(param, sizeof(param), "%s%s%s",
		 kp->mod ? kp->mod->name : "", kp->mod ? "." : "", kp->name);
	return oom_patterns_set(kp->arg, val, param);
}

static int oom_patterns_param_get(char *buf, const struct kernel_param *kp)
{
	struct oom_patterns *h = kp->arg;
	const struct oom_pattern_list *l;
	unsigned int i;
	int n = 0;

	rcu_read_lock();
	l = rcu_dereference(h->list);
	for (i = 0; l && i < l->count; i++)
		n += scnprintf(buf + n, PAGE_SIZE - n, "%s%s",
			       i ? "," : "", l->pat[i].text);
	rcu_read_unlock();
	n += scnprintf(buf + n, PAGE_SIZE - n, "\n");
	return n;
}

static void oom_patterns_param_free(void *arg)
{
	oom_patterns_clear(arg);
}

const struct kernel_param_ops oom_patterns_param_ops = {
	.set = oom_patterns_param_set,
	.get = oom_patterns_param_get,
	.free = oom_patterns_param_free,
};
EXPORT_SYMBOL_GPL(oom_patterns_param_ops);

/* -- Task names ----------------------------------------------------------- */

/*
 * Copy the base name of @mm's executable into @n->exe. The caller pins @mm
 * (task_lock() of a task using it), but not mm->exe_file, which
 * prctl(PR_SET_MM_EXE_FILE) may replace and drop meanwhile: since 6.7 a
 * struct file may then be reused at once (SLAB_TYPESAFE_BY_RCU), so the
 * file is held by a reference while it is read. Dentry names are freed
 * only after an RCU grace period; a rename racing with us can at worst
 * give a torn name, and the size of n->exe bounds the copy. Mostly the
 * name is the comm, which was matched already: then it is not copied, and
 * n->exe_differs stays false. Under RCU; never sleeps.
 */
static void oom_mm_exe_name(struct mm_struct *mm, struct oom_task_names *n)
{
	const unsigned char *name;
	struct file *exe;

	exe = oom_compat_mm_exe_file(mm);
	if (!exe)
		return;
	name = READ_ONCE(exe->f_path.dentry->d_name.name);
	if (strncmp(name, n->comm, sizeof(n->comm))) {
		strscpy(n->exe, name, sizeof(n->exe));
		n->exe_differs = n->exe[0];
	}
	/* Never sleeps: fput() leaves a last reference to task work. */
	fput(exe);
}

/* Read the executable's name that oom_task_names_init() left for later. */
static void oom_task_names_read_exe(struct oom_task_names *n)
{
	struct task_struct *p = n->task, *t;

	n->task = NULL;
	oom_compat_scan_read_lock();
	if (n->locked) {
		if (p->mm)
			oom_mm_exe_name(p->mm, n);
	} else {
		/* Any thread with an mm will do: they all share it. */
		t = oom_policy_find_lock_task_mm(p);
		if (t) {
			oom_mm_exe_name(t->mm, n);
			oom_policy_unlock_task_mm(t);
		}
	}
	oom_compat_scan_read_unlock();
}

/*
 * The executable of @p's mm, with a reference (fput() it), or NULL.
 * @locked: the caller holds task_lock(@p).
 */
static struct file *oom_task_exe_file(struct task_struct *p, bool locked)
{
	struct file *exe = NULL;
	struct task_struct *t;

	if (locked)
		return p->mm ? oom_compat_mm_exe_file(p->mm) : NULL;

	rcu_read_lock();
	t = oom_policy_find_lock_task_mm(p);
	if (t) {
		exe = oom_compat_mm_exe_file(t->mm);
		oom_policy_unlock_task_mm(t);
	}
	rcu_read_unlock();
	return exe;
}

/* Mounts crossed at most on the way to the root: a loop ends there. */
#define OOM_PATH_MOUNTS_MAX	64

/*
 * One walk of oom_absolute_path(), under RCU: the names of the dentries
 * from @path up to the root of its mount namespace, crossing mount
 * points, prepended to the end of @buf (@size bytes, at least 2).
 * Return: the path's start in @buf, or NULL when it does not fit or a
 * dentry has no parent below its mount's root (a walk that raced with a
 * rename, or a file no longer reachable).
 */
static char *oom_absolute_path_walk(const struct path *path, char *buf,
				    size_t size)
{
	struct oom_compat_mount *mnt = oom_compat_real_mount(path->mnt);
	struct dentry *dentry = path->dentry, *parent;
	unsigned int mounts = 0;
	char *p = buf + size;
	const char *name;
	u32 len;

	*--p = '\0';
	for (;;) {
		if (dentry == mnt->mnt.mnt_root) {
			struct oom_compat_mount *up = READ_ONCE(mnt->mnt_parent);

			/* The root of the namespace, or a detached mount. */
			if (up == mnt || ++mounts > OOM_PATH_MOUNTS_MAX)
				break;
			dentry = READ_ONCE(mnt->mnt_mountpoint);
			mnt = up;
			continue;
		}
		parent = READ_ONCE(dentry->d_parent);
		if (dentry == parent)
			return NULL;
		/* As prepend_name() in fs/d_path.c reads a name. */
		name = smp_load_acquire(&dentry->d_name.name);
		len = READ_ONCE(dentry->d_name.len);
		if (len + 1 > p - buf)
			return NULL;
		p -= len;
		if (copy_from_kernel_nofault(p, name, len))
			return NULL;
		*--p = '/';
		dentry = parent;
	}
	if (!*p)
		*--p = '/';
	return p;
}

/*
 * The path of @path from the root of its mount namespace into the end of
 * @buf, as d_absolute_path() builds it: not from the current task's root,
 * so the same whoever asks, chrooted or not, and with or without an
 * fs_struct. The mount walk is under RCU only (mount_lock is not
 * exported): a mount moved meanwhile may give a path that never existed,
 * as a rename would without rename_lock, which is checked. A rename twice
 * during the walk gives up rather than spin. Never sleeps.
 * Return: the path's start in @buf, or NULL.
 */
static char *oom_absolute_path(const struct path *path, char *buf,
			       size_t size)
{
	unsigned int seq, tries;
	char *p;

	for (tries = 0; tries < 2; tries++) {
		seq = read_seqbegin(&rename_lock);
		rcu_read_lock();
		p = oom_absolute_path_walk(path, buf, size);
		rcu_read_unlock();
		if (!read_seqretry(&rename_lock, seq))
			return p;
	}
	return NULL;
}

/* What d_path() adds to the path of a file that was removed or replaced. */
#define OOM_EXE_DELETED		" (deleted)"

/*
 * The full path of the executable @exe into @buf (OOM_PATH_LEN + 2 bytes),
 * as readlink /proc/PID/exe shows it to a task at the root of the mount
 * namespace the executable is in: oom_absolute_path(), which depends on
 * neither the current task's root (a chroot) nor its fs_struct (gone when
 * the task that ran out of memory is exiting), and " (deleted)" appended
 * as d_path() does. The caller's reference keeps the path alive.
 * Return: false when there is no such path of at most OOM_PATH_LEN
 * characters.
 */
static bool oom_exe_path(struct file *exe, char *buf)
{
	const size_t size = OOM_PATH_LEN + 2;
	size_t len;
	char *path;

	path = oom_absolute_path(&exe->f_path, buf, size);
	if (!path)
		return false;
	/* The path ends at the end of @buf, with its NUL. */
	len = buf + size - 1 - path;
	memmove(buf, path, len + 1);
	if (d_unlinked(exe->f_path.dentry)) {
		if (len + sizeof(OOM_EXE_DELETED) - 1 > OOM_PATH_LEN)
			return false;
		memcpy(buf + len, OOM_EXE_DELETED, sizeof(OOM_EXE_DELETED));
		len += sizeof(OOM_EXE_DELETED) - 1;
	}
	return len <= OOM_PATH_LEN;
}

/*
 * Read the fact @key (a uid or a label) of @n's task, once; true when it
 * can be matched.
 */
static bool oom_task_fact(struct oom_task_names *n, enum oom_pattern_key key)
{
	struct task_struct *p = n->keyed_task;
	bool valid = false;

	if (n->have & BIT(key))
		return n->valid & BIT(key);
	n->have |= BIT(key);

	switch (key) {
	case OOM_PATTERN_UID:
		/* The real uid, as the kernel's OOM report prints it. */
		n->uid = from_kuid(&init_user_ns, task_uid(p));
		valid = true;
		break;
	case OOM_PATTERN_LABEL:
		/* Never sleeps; no label text, no allocation. */
		n->secid = oom_compat_task_secid(p);
		valid = n->secid != 0;
		break;
	default:
		break;
	}
	if (valid)
		n->valid |= BIT(key);
	return valid;
}

/* Does the uid: or label: pattern @pat match @n's task? */
static bool oom_pattern_match_fact(const struct oom_pattern *pat,
				   struct oom_task_names *n)
{
	if (!oom_task_fact(n, pat->key))
		return false;
	if (pat->key == OOM_PATTERN_UID)
		return n->uid >= pat->uid_min && n->uid <= pat->uid_max;
	return pat->secid && pat->secid == n->secid;
}

/*
 * The buffer a path (a cgroup's, an executable's) is read into to be
 * matched, one per CPU: struct oom_task_names lives on the stack at the
 * bottom of the allocator's OOM path and holds no path. The local lock
 * disables preemption (on PREEMPT_RT it pins the task to its CPU) from
 * the read of a path to the last glob_match() on it; matching never runs
 * in interrupt context, and holds one path at a time.
 */
struct oom_path_buf {
	local_lock_t lock;
	/* One byte for the NUL, one to tell a full buffer from a cut path. */
	char path[OOM_PATH_LEN + 2];
};

static DEFINE_PER_CPU(struct oom_path_buf, oom_path_buf) = {
	.lock = INIT_LOCAL_LOCK(lock),
};

/*
 * The path of @n's task's cgroup, or of @exe when not NULL, into @buf;
 * false when none fits.
 */
static bool oom_task_read_path(struct oom_task_names *n, struct file *exe,
			       char *buf)
{
	const size_t size = OOM_PATH_LEN + 2;
	int len;

	if (exe)
		return oom_exe_path(exe, buf);
	rcu_read_lock();
	len = oom_compat_task_cgroup_path(n->keyed_task, buf, size);
	rcu_read_unlock();
	return len > 0 && len <= OOM_PATH_LEN;
}

/*
 * The first pattern with the path key @key among the first @end of @l
 * that matches the path of @n's task. The path is read only if there is
 * such a pattern, and read again for every list (it is not kept); a
 * task that has none is remembered in @n.
 */
static const struct oom_pattern *
oom_patterns_match_path(const struct oom_pattern_list *l,
			struct oom_task_names *n, enum oom_pattern_key key,
			unsigned int end)
{
	const struct oom_pattern *pat, *found = NULL;
	struct file *exe = NULL;
	struct oom_path_buf *b;
	unsigned int i;

	if ((n->have & ~n->valid) & BIT(key))
		return NULL;
	for (i = 0; i < end && l->pat[i].key != key; i++)
		;
	if (i == end)
		return NULL;

	n->have |= BIT(key);
	/*
	 * task_lock() before the local lock, never inside it: ->explain()
	 * comes with task_lock() held, and on PREEMPT_RT both are sleeping
	 * locks that could otherwise be taken in both orders.
	 */
	if (key == OOM_PATTERN_EXE) {
		exe = oom_task_exe_file(n->keyed_task, n->locked);
		if (!exe)
			return NULL;
	}

	local_lock(&oom_path_buf.lock);
	b = this_cpu_ptr(&oom_path_buf);
	if (oom_task_read_path(n, exe, b->path)) {
		n->valid |= BIT(key);
		for (; i < end; i++) {
			pat = &l->pat[i];
			if (pat->key == key &&
			    (!pat->first ||
			     pat->first == (unsigned char)b->path[0]) &&
			    glob_match(pat->glob, b->path)) {
				found = pat;
				break;
			}
		}
	}
	local_unlock(&oom_path_buf.lock);
	/* Never sleeps: fput() leaves a last reference to task work. */
	if (exe)
		fput(exe);
	return found;
}

/*
 * The first keyed pattern of @l, in the order written, that matches: the
 * first uid: or label: pattern that does, then each kind of path in
 * turn, among the patterns before the best match so far. Not inlined:
 * reading a label takes a local's address, and the stack canary that
 * brings would be paid by every match, lists of names only included.
 */
static noinline const struct oom_pattern *
oom_patterns_match_keyed(const struct oom_pattern_list *l,
			 struct oom_task_names *n)
{
	const struct oom_pattern *pat, *found = NULL;
	unsigned int i, end = l->count;

	for (i = 0; i < l->count; i++) {
		pat = &l->pat[i];
		if ((pat->key == OOM_PATTERN_UID ||
		     pat->key == OOM_PATTERN_LABEL) &&
		    oom_pattern_match_fact(pat, n)) {
			found = pat;
			end = i;
			break;
		}
	}
	if (l->keys & BIT(OOM_PATTERN_CGROUP)) {
		pat = oom_patterns_match_path(l, n, OOM_PATTERN_CGROUP, end);
		if (pat) {
			found = pat;
			end = pat - l->pat;
		}
	}
	if (l->keys & BIT(OOM_PATTERN_EXE)) {
		pat = oom_patterns_match_path(l, n, OOM_PATTERN_EXE, end);
		if (pat)
			found = pat;
	}
	return found;
}

/**
 * oom_task_names_init() - start matching a task: read its comm
 * @p:		the task
 * @n:		filled in with @p's comm; the executable's name, and what
 *		keyed patterns need, are read later by oom_patterns_match(),
 *		and only if a pattern needs them
 * @locked:	true when the caller holds task_lock(@p), as ->explain() and
 *		->victim() do; @p's own mm is then read. When false, the
 *		first thread of @p that has an mm is locked and read.
 *
 * @p must stay valid, and with @locked its lock held, until the last
 * oom_patterns_match() on @n.
 *
 * Context: any; never sleeps. With @locked false, must not be called with
 * task_lock() of any thread of @p held.
 */
void oom_task_names_init(struct task_struct *p, struct oom_task_names *n,
			 bool locked)
{
	/*
	 * comm is rewritten in place, but its last byte is always NUL; a
	 * fixed-size copy is a few moves where strscpy() scans it twice.
	 */
	BUILD_BUG_ON(sizeof(n->comm) != sizeof(p->comm));
	memcpy(n->comm, p->comm, sizeof(n->comm));
	n->comm[sizeof(n->comm) - 1] = '\0';
	n->exe[0] = '\0';
	n->task = p;
	n->keyed_task = p;
	n->locked = locked;
	n->exe_differs = false;
	n->have = 0;
	n->valid = 0;
}
EXPORT_SYMBOL_GPL(oom_task_names_init);

/*
 * The first name pattern of @l that matches @name, a name in a struct
 * oom_task_names: its buffer holds at least 8 bytes, whatever the name's
 * length, as oom_name_start() needs. The prefilter (prefilter.h) turns
 * most names away without glob_match().
 */
static const struct oom_pattern *
oom_patterns_match_name(const struct oom_pattern_list *l, const char *name)
{
	unsigned int i;
	u64 start;

	if (!test_bit((unsigned char)name[0], l->name_first))
		return NULL;

	start = oom_name_start(name);
	for (i = 0; i < l->count; i++) {
		const struct oom_pattern *pat = &l->pat[i];

		if (pat->key != OOM_PATTERN_NAME ||
		    !oom_glob_head_may_match(start, pat->head, pat->head_mask))
			continue;
		if (pat->exact || glob_match(pat->glob, name))
			return pat;
	}
	return NULL;
}

/**
 * oom_patterns_match() - the first pattern of a list that matches a task
 * @l: the list, from oom_policy_dereference() of struct oom_patterns.list;
 *     may be NULL
 * @n: the task's names, from oom_task_names_init()
 *
 * Cheap facts first: the comm is tried against every name pattern; then,
 * if the list has keyed patterns, each of them in the order written (each
 * fact is read once per @n, when a pattern first needs it); then the
 * executable's name is read (once per @n) and tried against the name
 * patterns, if it is not simply the comm.
 *
 * Context: inside an RCU read-side critical section (rcu_read_lock(), or
 * preemption disabled as in ->badness()); never sleeps or allocates.
 * Return: the first name pattern that matches the comm, else the first
 * keyed pattern that matches, else the first name pattern that matches
 * the executable's name, else NULL. Valid until the critical section ends.
 */
const struct oom_pattern *
oom_patterns_match(const struct oom_pattern_list *l,
		   struct oom_task_names *n)
{
	const struct oom_pattern *pat;

	if (!l)
		return NULL;

	BUILD_BUG_ON(sizeof(n->comm) < sizeof(u64));
	pat = oom_patterns_match_name(l, n->comm);
	if (pat)
		return pat;

	if (l->keys & ~BIT(OOM_PATTERN_NAME)) {
		pat = oom_patterns_match_keyed(l, n);
		if (pat)
			return pat;
	}

	if (!(l->keys & BIT(OOM_PATTERN_NAME)))
		return NULL;
	if (n->task)
		oom_task_names_read_exe(n);
	if (!n->exe_differs)
		return NULL;
	return oom_patterns_match_name(l, n->exe);
}
EXPORT_SYMBOL_GPL(oom_patterns_match);

/**
 * oom_patterns_match_facts() - the first uid: or label: pattern of a list
 * that matches a task
 * @l: the list, as for oom_patterns_match(); may be NULL
 * @n: the task's names, from oom_task_names_init()
 *
 * Only the patterns on the task's credentials: for a policy that learns
 * the rest from task events, and matches these, which change without
 * one, at every OOM. Reads the uid and the secid, and no name or path.
 *
 * Context: as oom_patterns_match().
 * Return: the pattern, or NULL.
 */
const struct oom_pattern *
oom_patterns_match_facts(const struct oom_pattern_list *l,
			 struct oom_task_names *n)
{
	unsigned int i;

	if (!l || !(l->keys & OOM_PATTERN_FACT_KEYS))
		return NULL;
	for (i = 0; i < l->count; i++) {
		const struct oom_pattern *pat = &l->pat[i];

		if ((BIT(pat->key) & OOM_PATTERN_FACT_KEYS) &&
		    oom_pattern_match_fact(pat, n))
			return pat;
	}
	return NULL;
}
EXPORT_SYMBOL_GPL(oom_patterns_match_facts);
