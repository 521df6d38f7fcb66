// SPDX-License-Identifier: GPL-2.0
/*
 * Pattern-list module parameters shared by the policies.
 *
 * A list is written as comma-separated patterns. Each pattern is a shell
 * glob, optionally led by a key ("name:firefox*"). A lower-case word before
 * the first ':' is always read as a key, so new keys can be added without
 * changing what an existing list means; "name:" spells out the default.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ctype.h>
#include <linux/dcache.h>
#include <linux/fs.h>
#include <linux/glob.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "oom_policy.h"

/* Serialises replacements of every pattern list. */
static DEFINE_MUTEX(oom_patterns_mutex);

static const struct {
	const char *word;
	enum oom_pattern_key key;
} oom_pattern_keys[] = {
	{ "name", OOM_PATTERN_NAME },
};

/* Length of the key word that leads @s, 0 when @s has no key. */
static size_t oom_pattern_key_len(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len && islower(s[i]); i++)
		;
	return i > 0 && i < len && s[i] == ':' ? i : 0;
}

static int oom_pattern_parse(struct oom_pattern *pat, const char *s,
			     size_t len, unsigned int nr, const char *param)
{
	size_t klen, i;

	if (!len || len > OOM_PATTERN_LEN) {
		pr_err("%s: pattern %u has %zu characters; accepted: 1 to %d printable characters\n",
		       param, nr, len, OOM_PATTERN_LEN);
		return -EINVAL;
	}
	for (i = 0; i < len; i++) {
		if (!isprint(s[i])) {
			pr_err("%s: pattern %u has a non-printable character; accepted: 1 to %d printable characters\n",
			       param, nr, OOM_PATTERN_LEN);
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
		pr_err("%s: pattern %u has unknown key '%.*s'; accepted keys: name\n",
		       param, nr, (int)klen, s);
		return -EINVAL;
	}
	if (klen + 1 == len) {
		pr_err("%s: pattern %u has nothing after '%.*s:'\n",
		       param, nr, (int)klen, s);
		return -EINVAL;
	}
	pat->key = oom_pattern_keys[i].key;
	pat->glob = pat->text + klen + 1;
	return 0;
}

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
		pr_err("%s: %u patterns; accepted: at most %d\n",
		       param, count, OOM_PATTERNS_MAX);
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
		l->count++;
	}
	return l;
}

/**
 * oom_patterns_set() - replace a pattern list
 * @h:		the list
 * @val:	the new value, comma-separated patterns ("" for none)
 * @param:	the parameter's name, for error messages
 *
 * Return: 0, or -EINVAL (with a pr_err() saying why) and the old list kept.
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

/**
 * oom_task_names_get() - read the names a name pattern is matched against
 * @p: the task
 * @n: filled in; n->exe is "" when @p has no mm or no executable
 *
 * Never sleeps: the executable's dentry name is read under RCU, with the mm
 * pinned by task_lock() of the thread that owns it.
 */
void oom_task_names_get(struct task_struct *p, struct oom_task_names *n)
{
	struct task_struct *t;
	struct file *exe;

	/* comm is written in place with a terminating NUL kept in bounds. */
	strscpy_pad(n->comm, p->comm, sizeof(n->comm));
	n->exe[0] = '\0';

	rcu_read_lock();
	for_each_thread(p, t) {
		task_lock(t);
		if (t->mm) {
			exe = rcu_dereference(t->mm->exe_file);
			if (exe)
				strscpy(n->exe,
					READ_ONCE(exe->f_path.dentry->d_name.name),
					sizeof(n->exe));
			task_unlock(t);
			break;
		}
		task_unlock(t);
	}
	rcu_read_unlock();
}
EXPORT_SYMBOL_GPL(oom_task_names_get);

/**
 * oom_patterns_match() - the first pattern of a list that matches a task
 * @l: the list, from rcu_dereference() of struct oom_patterns.list; may be
 *     NULL
 * @n: the task's names, from oom_task_names_get()
 *
 * Return: the pattern, valid until rcu_read_unlock(), or NULL.
 */
const struct oom_pattern *
oom_patterns_match(const struct oom_pattern_list *l,
		   const struct oom_task_names *n)
{
	unsigned int i;

	for (i = 0; l && i < l->count; i++) {
		const struct oom_pattern *pat = &l->pat[i];

		switch (pat->key) {
		case OOM_PATTERN_NAME:
			if (glob_match(pat->glob, n->comm) ||
			    (n->exe[0] && glob_match(pat->glob, n->exe)))
				return pat;
			break;
		}
	}
	return NULL;
}
EXPORT_SYMBOL_GPL(oom_patterns_match);
