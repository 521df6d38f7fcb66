// SPDX-License-Identifier: GPL-2.0
/*
 * lp_oom_badness - a livepatch of oom_badness(), for the tests only.
 *
 * The replacement scores as the stock heuristic does (the project's own
 * copy of it, include/oom_policy.h), except for tasks called "lp-victim",
 * which score twice totalpages, the most a stock score reaches: while
 * the patch is in effect such a task is the OOM killer's choice and
 * reads oom_score 2000. 108-livepatch loads it with the core's redirect
 * on the same function, in either order.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/livepatch.h>
#include <linux/module.h>

#include "oom_policy.h"

static long lp_oom_badness(struct task_struct *p, unsigned long totalpages)
{
	long points = oom_policy_stock_badness(p, totalpages);

	if (points == LONG_MIN || strcmp(p->comm, "lp-victim"))
		return points;
	return 2 * (long)totalpages;
}

static struct klp_func lp_funcs[] = {
	{
		.old_name = "oom_badness",
		.new_func = lp_oom_badness,
	},
	{ }
};

static struct klp_object lp_objs[] = {
	{
		/* NULL: vmlinux */
		.funcs = lp_funcs,
	},
	{ }
};

static struct klp_patch lp_patch = {
	.mod = THIS_MODULE,
	.objs = lp_objs,
};

static int __init lp_oom_badness_init(void)
{
	return klp_enable_patch(&lp_patch);
}

static void __exit lp_oom_badness_exit(void)
{
}

module_init(lp_oom_badness_init);
module_exit(lp_oom_badness_exit);
MODULE_DESCRIPTION("Test livepatch of oom_badness()");
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
