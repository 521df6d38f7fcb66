// SPDX-License-Identifier: GPL-2.0
/*
 * oom_namelist: prefer or avoid OOM victims by name, owner, cgroup,
 * executable or security label.
 *
 * An administrator knows which programs are expendable (a browser's content
 * processes, a build job) and which are not (the database, sshd). Two
 * pattern lists say so, without touching any process's oom_score_adj:
 *
 *   prefer=firefox*,cc1*	killed before every task that is not preferred
 *   avoid=postgres*,sshd	killed after every task that is not avoided
 *
 * A plain pattern is a shell glob matched against the task's comm and
 * against the base name of its executable (comm is cut at 15 characters,
 * and many programs rename themselves: Firefox's "Web Content" runs
 * firefox-bin). Keyed patterns say who a task is rather than what it is
 * called, for site policies: uid:10000-19999 (students before staff),
 * cgroup:/batch.slice* (batch jobs before services), exe:/opt/batch*,
 * label:webworker (an AppArmor profile); see include/oom_policy.h and
 * docs/namelist.md. A task on both lists counts as avoided. Inside one
 * class the stock order holds, oom_score_adj included. Avoided tasks stay
 * killable: when nothing else is left, the largest of them dies rather
 * than nothing; only oom_score_adj -1000 means never. The kill log and
 * the preview name the pattern that matched, and /proc/<pid>/oom_score
 * shows the preference: above 2000 for a preferred task, 0 for an avoided
 * one.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/glob.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/string.h>

#include "oom_policy.h"

/* -- Parameters ----------------------------------------------------------- */

/* Tasks to kill first; replaced whole under RCU, read while scoring. */
static struct oom_patterns oom_namelist_prefer;
module_param_cb(prefer, &oom_patterns_param_ops, &oom_namelist_prefer, 0644);
MODULE_PARM_DESC(prefer,
		 "Tasks to kill first: comma-separated globs on comm or executable name, or keyed patterns uid:N[-M], cgroup:GLOB, exe:GLOB, label:LABEL; at most 32 of 1 to 63 printable ASCII characters (default: empty)");

/* Tasks to kill last; wins over prefer. */
static struct oom_patterns oom_namelist_avoid;
module_param_cb(avoid, &oom_patterns_param_ops, &oom_namelist_avoid, 0644);
MODULE_PARM_DESC(avoid,
		 "Tasks to kill last, still killable: comma-separated globs on comm or executable name, or keyed patterns uid:N[-M], cgroup:GLOB, exe:GLOB, label:LABEL; at most 32 of 1 to 63 printable ASCII characters (default: empty)");

/* -- The policy ----------------------------------------------------------- */

/* The bands of oom_policy_rank() the classes go to. */
enum oom_namelist_band {
	OOM_NAMELIST_AVOIDED = -1,
	OOM_NAMELIST_UNLISTED = 0,
	OOM_NAMELIST_PREFERRED = 1,
};

/*
 * The band of the task whose names are @n, and the pattern that put it
 * there (NULL when unlisted). avoid is matched first: it wins over prefer,
 * and a task it matches by comm needs no look at its executable.
 */
static const struct oom_pattern *
oom_namelist_classify(const struct oom_pattern_list *prefer,
		      const struct oom_pattern_list *avoid,
		      struct oom_task_names *n, int *band)
{
	const struct oom_pattern *pat;

	pat = oom_patterns_match(avoid, n);
	if (pat) {
		*band = OOM_NAMELIST_AVOIDED;
		return pat;
	}
	pat = oom_patterns_match(prefer, n);
	*band = pat ? OOM_NAMELIST_PREFERRED : OOM_NAMELIST_UNLISTED;
	return pat;
}

static long oom_namelist_badness(struct task_struct *p, long stock,
				 unsigned long totalpages)
{
	const struct oom_pattern_list *prefer, *avoid;
	struct oom_task_names n __uninitialized;
	int band;

	prefer = oom_policy_dereference(oom_namelist_prefer.list);
	avoid = oom_policy_dereference(oom_namelist_avoid.list);
	if (!prefer && !avoid)
		return stock;

	oom_task_names_init(p, &n, false);
	oom_namelist_classify(prefer, avoid, &n, &band);
	return oom_policy_rank(stock, totalpages, band);
}

static void oom_namelist_explain(struct task_struct *p, long stock,
				 unsigned long totalpages, char *buf,
				 size_t len)
{
	const struct oom_pattern_list *prefer, *avoid;
	const struct oom_pattern *pat;
	struct oom_task_names n;
	const char *list;
	int band;

	rcu_read_lock();
	prefer = rcu_dereference(oom_namelist_prefer.list);
	avoid = rcu_dereference(oom_namelist_avoid.list);
	oom_task_names_init(p, &n, true);
	pat = oom_namelist_classify(prefer, avoid, &n, &band);
	list = band == OOM_NAMELIST_AVOIDED ? "avoid" : "prefer";
	if (!pat)
		strscpy(buf, "not listed", len);
	else if (pat->key == OOM_PATTERN_NAME &&
		 !glob_match(pat->glob, n.comm))
		/* The comm says nothing of it: "Web Content" is firefox-bin. */
		snprintf(buf, len, "%s '%s' (exe %s)", list, pat->text, n.exe);
	else
		snprintf(buf, len, "%s '%s'", list, pat->text);
	rcu_read_unlock();
}

static struct oom_policy oom_namelist_policy = {
	.name = "namelist",
	.owner = THIS_MODULE,
	.badness = oom_namelist_badness,
	.explain = oom_namelist_explain,
};

static int __init oom_namelist_init(void)
{
	return oom_policy_register(&oom_namelist_policy);
}

static void __exit oom_namelist_exit(void)
{
	oom_policy_unregister(&oom_namelist_policy);
}

module_init(oom_namelist_init);
module_exit(oom_namelist_exit);

MODULE_DESCRIPTION("OOM policy: prefer or avoid victims by name, uid, cgroup, executable or label");
MODULE_AUTHOR("The oom_policy authors");
MODULE_LICENSE("GPL");
