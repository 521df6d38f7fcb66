// SPDX-License-Identifier: GPL-2.0
/*
 * Pattern-list module parameters shared by the policies.
 *
 * A list is written as comma-separated patterns. Each pattern is a shell
 * glob, optionally led by a key ("name:firefox*"). A lower-case word before
 * the first ':' is always read as a key and an unknown key is refused, so
 * new keys can be added without changing what an accepted list means;
 * "name:" spells out the default.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitmap.h>
#include <linux/dcache.h>
#include <linux/fs.h>
#include <linux/glob.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/stringify.h>

#include "oom_policy.h"

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
};

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
		pr_err("%s: pattern %u has the unknown key '%.*s:'; accepted keys: name (write 'name:%s' to match a name with a colon)\n",
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
	return 0;
}

/*
 * The character every string @glob matches starts with, 0 if there is
 * none: glob_match()'s metacharacters are '*', '?', '[' and '\', which
 * quotes the next character.
 */
static unsigned char oom_glob_first(const char *glob)
{
	switch (glob[0]) {
	case '*':
	case '?':
	case '[':
		return 0;
	case '\\':
		return glob[1];
	default:
		return glob[0];
	}
}

/* Note what @pat can match in @l's filters. */
static void oom_pattern_list_add(struct oom_pattern_list *l,
				 struct oom_pattern *pat)
{
	pat->first = oom_glob_first(pat->glob);
	switch (pat->key) {
	case OOM_PATTERN_NAME:
		if (pat->first)
			__set_bit(pat->first, l->name_first);
		else
			bitmap_fill(l->name_first, 256);
		break;
	}
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

/**
 * oom_patterns_set() - replace a pattern list
 * @h:		the list
 * @val:	the new value, comma-separated patterns ("" for none)
 * @param:	the parameter's name, for error messages
 *
 * Readers see the old list or the new one, never a mixture; the old list
 * is freed after every reader is done with it.
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
 * Copy the base name of @mm's executable into @buf. The caller pins @mm
 * (task_lock() of a task using it), and the mm's reference keeps its
 * exe_file open. Dentry names are freed only after an RCU grace period; a
 * rename racing with us can at worst give a torn name, and @len bounds
 * the copy. Never sleeps.
 */
static void oom_mm_exe_name(struct mm_struct *mm, char *buf, size_t len)
{
	struct dentry *dentry = NULL;
	struct file *exe;

	rcu_read_lock();
	exe = rcu_dereference(mm->exe_file);
	if (exe)
		dentry = READ_ONCE(exe->f_path.dentry);
	if (dentry)
		strscpy(buf, READ_ONCE(dentry->d_name.name), len);
	rcu_read_unlock();
}

/* Read the executable's name that oom_task_names_init() left for later. */
static void oom_task_names_read_exe(struct oom_task_names *n)
{
	struct task_struct *p = n->task, *t;

	n->task = NULL;
	if (n->locked) {
		if (p->mm)
			oom_mm_exe_name(p->mm, n->exe, sizeof(n->exe));
	} else {
		/* Any thread with an mm will do: they all share it. */
		rcu_read_lock();
		for_each_thread(p, t) {
			task_lock(t);
			if (t->mm) {
				oom_mm_exe_name(t->mm, n->exe, sizeof(n->exe));
				task_unlock(t);
				break;
			}
			task_unlock(t);
		}
		rcu_read_unlock();
	}
	/* Mostly the comm is the executable's name: no need to match twice. */
	n->exe_differs = n->exe[0] && strcmp(n->exe, n->comm);
}

/**
 * oom_task_names_init() - start matching a task: read its comm
 * @p:		the task
 * @n:		filled in with @p's comm; the executable's name is read later
 *		by oom_patterns_match(), and only if a pattern needs it
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
	/* comm is rewritten in place, but its last byte is always NUL. */
	strscpy(n->comm, p->comm, sizeof(n->comm));
	n->exe[0] = '\0';
	n->task = p;
	n->locked = locked;
	n->exe_differs = false;
}
EXPORT_SYMBOL_GPL(oom_task_names_init);

/**
 * oom_task_names_get() - read both names a name pattern is matched against
 * @p: the task
 * @n: filled in; n->exe is "" when @p has no mm or no executable
 *
 * Context: any; never sleeps. Must not be called with task_lock() of any
 * thread of @p held.
 */
void oom_task_names_get(struct task_struct *p, struct oom_task_names *n)
{
	oom_task_names_init(p, n, false);
	oom_task_names_read_exe(n);
}
EXPORT_SYMBOL_GPL(oom_task_names_get);

/* The first name pattern of @l that matches @name. */
static const struct oom_pattern *
oom_patterns_match_name(const struct oom_pattern_list *l, const char *name)
{
	unsigned char c = name[0];
	unsigned int i;

	if (!test_bit(c, l->name_first))
		return NULL;

	for (i = 0; i < l->count; i++) {
		const struct oom_pattern *pat = &l->pat[i];

		if (pat->key != OOM_PATTERN_NAME)
			continue;
		if (pat->first && pat->first != c)
			continue;
		if (glob_match(pat->glob, name))
			return pat;
	}
	return NULL;
}

/**
 * oom_patterns_match() - the first pattern of a list that matches a task
 * @l: the list, from rcu_dereference() of struct oom_patterns.list; may be
 *     NULL
 * @n: the task's names, from oom_task_names_init() or oom_task_names_get()
 *
 * The comm is tried against every pattern first; the executable's name is
 * read (once per @n) and tried only if no pattern matched the comm, and
 * only if it is not simply the comm.
 *
 * Context: inside rcu_read_lock(); never sleeps or allocates.
 * Return: the first pattern that matches the comm, else the first that
 * matches the executable's name, else NULL. Valid until rcu_read_unlock().
 */
const struct oom_pattern *
oom_patterns_match(const struct oom_pattern_list *l,
		   struct oom_task_names *n)
{
	const struct oom_pattern *pat;

	if (!l)
		return NULL;

	pat = oom_patterns_match_name(l, n->comm);
	if (pat)
		return pat;

	if (n->task)
		oom_task_names_read_exe(n);
	if (!n->exe_differs)
		return NULL;
	return oom_patterns_match_name(l, n->exe);
}
EXPORT_SYMBOL_GPL(oom_patterns_match);
