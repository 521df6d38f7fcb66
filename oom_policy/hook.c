// SPDX-License-Identifier: GPL-2.0
/*
 * Where the core attaches to the kernel.
 *
 * Scoring: every call of oom_badness() - from the OOM killer's scan of
 * tasks (global and memcg) and from /proc/<pid>/oom_score - must reach
 * oom_core_badness(). Two ways are used:
 *
 *  - redirect: a kprobe on oom_badness()'s ftrace site whose pre-handler
 *    points the instruction pointer at oom_badness_replacement() and
 *    returns 1, so the caller runs our complete replacement instead of the
 *    original, in its own context. It costs one ftrace call per task. The
 *    probe has a post-handler so that kprobes registers it as an ftrace user
 *    that modifies the instruction pointer (such users exclude each other,
 *    e.g. a livepatch of the same function).
 *  - kretprobe: the original runs and its return value is rewritten. Used
 *    when the probe cannot sit on an ftrace site, or when asked for.
 *
 * An OOM: a kretprobe on out_of_memory() tells the core which task is
 * inside the OOM killer (out_of_memory() runs under oom_lock, so there is
 * at most one) and when it leaves.
 *
 * A victim: the mark_victim tracepoint fires for every task the kernel
 * kills for an OOM, whatever chose it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/kprobes.h>
#include <linux/minmax.h>
#include <linux/moduleparam.h>
#include <linux/ptrace.h>
#include <linux/string.h>
#include <linux/tracepoint.h>

#include "oom_policy.h"
#include "internal.h"

/* -- Hook method parameter ------------------------------------------------ */

enum oom_hook_method {
	OOM_HOOK_AUTO,
	OOM_HOOK_REDIRECT,
	OOM_HOOK_KRETPROBE,
};

static const char * const oom_hook_names[] = {
	[OOM_HOOK_AUTO] = "auto",
	[OOM_HOOK_REDIRECT] = "redirect",
	[OOM_HOOK_KRETPROBE] = "kretprobe",
};

/* What the user asked for, and what is in use once the hooks are up. */
static enum oom_hook_method oom_hook_wanted = OOM_HOOK_AUTO;
static enum oom_hook_method oom_hook_used = OOM_HOOK_AUTO;

static int oom_hook_param_set(const char *val, const struct kernel_param *kp)
{
	int i = sysfs_match_string(oom_hook_names, val);

	if (i < 0) {
		pr_err("hook: '%.*s' is not a hook method; accepted: auto, redirect, kretprobe\n",
		       oom_param_quote_len(val), val);
		return -EINVAL;
	}
	oom_hook_wanted = i;
	return 0;
}

static int oom_hook_param_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%s\n", oom_hook_names[oom_hook_wanted]);
}

static const struct kernel_param_ops oom_hook_param_ops = {
	.set = oom_hook_param_set,
	.get = oom_hook_param_get,
};

module_param_cb(hook, &oom_hook_param_ops, NULL, 0444);
MODULE_PARM_DESC(hook,
		 "How oom_badness() is hooked: auto, redirect or kretprobe (default: auto, the redirect where the kernel allows it)");

/* -- Scoring: the oom_badness() redirect ---------------------------------- */

/*
 * Runs instead of oom_badness(), with its arguments, in its caller's
 * context: under rcu_read_lock() in the OOM killer's scan, preemptible
 * when /proc/<pid>/oom_score is read.
 */
static long oom_badness_replacement(struct task_struct *p,
				    unsigned long totalpages)
{
	return oom_core_badness(p, totalpages,
				oom_policy_stock_badness(p, totalpages));
}

static int oom_badness_redirect(struct kprobe *kp, struct pt_regs *regs)
{
	instruction_pointer_set(regs, (unsigned long)oom_badness_replacement);
	return 1;
}

/* Never called: its presence marks the probe as modifying the IP. */
static void oom_badness_redirect_post(struct kprobe *kp, struct pt_regs *regs,
				      unsigned long flags)
{
}

static struct kprobe oom_badness_kprobe = {
	.symbol_name = "oom_badness",
	.pre_handler = oom_badness_redirect,
	.post_handler = oom_badness_redirect_post,
};

/* -- Scoring: the oom_badness() kretprobe --------------------------------- */

struct oom_badness_call {
	struct task_struct *p;
	unsigned long totalpages;
};

static int oom_badness_entry(struct kretprobe_instance *ri,
			     struct pt_regs *regs)
{
	struct oom_badness_call *call = (void *)ri->data;

	call->p = (struct task_struct *)regs_get_kernel_argument(regs, 0);
	call->totalpages = regs_get_kernel_argument(regs, 1);
	return 0;
}

static int oom_badness_return(struct kretprobe_instance *ri,
			      struct pt_regs *regs)
{
	struct oom_badness_call *call = (void *)ri->data;
	long stock = regs_return_value(regs);

	regs_set_return_value(regs, oom_core_badness(call->p, call->totalpages,
						     stock));
	return 0;
}

static struct kretprobe oom_badness_kretprobe = {
	.kp.symbol_name = "oom_badness",
	.entry_handler = oom_badness_entry,
	.handler = oom_badness_return,
	.data_size = sizeof(struct oom_badness_call),
};

/* -- An OOM in progress: out_of_memory() ---------------------------------- */

static int oom_enter(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	oom_core_oom_enter((struct oom_control *)regs_get_kernel_argument(regs,
									  0));
	return 0;
}

static int oom_exit(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	oom_core_oom_exit();
	return 0;
}

static struct kretprobe oom_kretprobe = {
	.kp.symbol_name = "out_of_memory",
	.entry_handler = oom_enter,
	.handler = oom_exit,
};

/* -- Victims: the mark_victim tracepoint ---------------------------------- */

static struct tracepoint *oom_mark_victim_tp;

static void oom_mark_victim(void *data, struct task_struct *task, uid_t uid)
{
	oom_core_victim(task);
}

static void oom_find_mark_victim(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, "mark_victim"))
		*(struct tracepoint **)priv = tp;
}

/* -- Setting up and tearing down ------------------------------------------ */

/*
 * Instances for kretprobes: a missing instance means a silently unhooked
 * call, so keep far more than the CPUs could ever use at once.
 */
static int oom_kretprobe_maxactive(void)
{
	return max(64, 4 * (int)num_possible_cpus());
}

/* Try the redirect; 0 when it is in place. */
static int oom_hook_redirect(void)
{
	int err;

	err = register_kprobe(&oom_badness_kprobe);
	if (err)
		return err;
	if (!oom_compat_kprobe_on_ftrace(&oom_badness_kprobe) ||
	    !oom_compat_have_tasks_rcu) {
		unregister_kprobe(&oom_badness_kprobe);
		return -EOPNOTSUPP;
	}
	return 0;
}

static int oom_hook_badness(void)
{
	int err;

	if (oom_hook_wanted != OOM_HOOK_KRETPROBE) {
		err = oom_hook_redirect();
		if (!err) {
			oom_hook_used = OOM_HOOK_REDIRECT;
			return 0;
		}
		if (oom_hook_wanted == OOM_HOOK_REDIRECT) {
			pr_err("cannot redirect oom_badness() (error %d): the kernel needs CONFIG_KPROBES_ON_FTRACE and CONFIG_TASKS_RCU\n",
			       err);
			return err;
		}
	}

	oom_badness_kretprobe.maxactive = oom_kretprobe_maxactive();
	err = register_kretprobe(&oom_badness_kretprobe);
	if (err) {
		pr_err("cannot probe oom_badness() (error %d): the kernel needs CONFIG_KPROBES and CONFIG_KRETPROBES\n",
		       err);
		return err;
	}
	oom_hook_used = OOM_HOOK_KRETPROBE;
	return 0;
}

static void oom_unhook_badness(void)
{
	if (oom_hook_used == OOM_HOOK_REDIRECT) {
		unregister_kprobe(&oom_badness_kprobe);
		/*
		 * A caller sent to the replacement may still run it, even be
		 * preempted in it; Tasks RCU waits until every task has left.
		 */
		oom_compat_synchronize_rcu_tasks();
	} else {
		unregister_kretprobe(&oom_badness_kretprobe);
	}
}

/**
 * oom_hooks_init() - attach the core to the kernel
 *
 * Return: 0, or an error with a pr_err() saying what the kernel lacks.
 */
int oom_hooks_init(void)
{
	int err;

	for_each_kernel_tracepoint(oom_find_mark_victim, &oom_mark_victim_tp);
	if (!oom_mark_victim_tp) {
		pr_err("the kernel has no mark_victim tracepoint (CONFIG_TRACEPOINTS)\n");
		return -ENOENT;
	}

	err = oom_hook_badness();
	if (err)
		return err;

	oom_kretprobe.maxactive = oom_kretprobe_maxactive();
	err = register_kretprobe(&oom_kretprobe);
	if (err) {
		pr_err("cannot probe out_of_memory() (error %d)\n", err);
		goto unhook_badness;
	}

	err = tracepoint_probe_register(oom_mark_victim_tp, oom_mark_victim,
					NULL);
	if (err) {
		pr_err("cannot attach to the mark_victim tracepoint (error %d)\n",
		       err);
		goto unregister_oom;
	}

	pr_info("hooked oom_badness() by %s\n", oom_hooks_method());
	return 0;

unregister_oom:
	unregister_kretprobe(&oom_kretprobe);
unhook_badness:
	oom_unhook_badness();
	return err;
}

/**
 * oom_hooks_exit() - detach from the kernel; no hook runs after it returns
 */
void oom_hooks_exit(void)
{
	tracepoint_probe_unregister(oom_mark_victim_tp, oom_mark_victim, NULL);
	unregister_kretprobe(&oom_kretprobe);
	oom_unhook_badness();
	tracepoint_synchronize_unregister();

	if (oom_hooks_missed())
		pr_warn("%lu hook calls were missed while loaded\n",
			oom_hooks_missed());
}

/**
 * oom_hooks_missed() - hook calls that did not reach the core
 *
 * A kprobe is missed when it fires while another kprobe runs on the same
 * CPU; a kretprobe also when it has no free instance. Such a call got the
 * stock score.
 */
unsigned long oom_hooks_missed(void)
{
	return oom_badness_kprobe.nmissed +
	       oom_badness_kretprobe.kp.nmissed + oom_badness_kretprobe.nmissed +
	       oom_kretprobe.kp.nmissed + oom_kretprobe.nmissed;
}

/**
 * oom_hooks_method() - "redirect" or "kretprobe", the way oom_badness() is
 * hooked
 */
const char *oom_hooks_method(void)
{
	return oom_hook_names[oom_hook_used];
}
