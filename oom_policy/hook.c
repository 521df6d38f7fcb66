// SPDX-License-Identifier: GPL-2.0
/*
 * Where the core attaches to the kernel.
 *
 * Scoring: every call of oom_badness() - from the OOM killer's scan of
 * tasks (global and memcg) and from /proc/<pid>/oom_score - must reach the
 * core's scoring (core.c), always after the kernel's own oom_badness() has
 * run, so that the stock score the core starts from is the running
 * kernel's. Two ways are used:
 *
 *  - redirect: an ftrace direct call. oom_badness()'s ftrace site calls a
 *    small trampoline (redirect.S) that runs the rest of oom_badness() as
 *    a call of its own and hands the result to oom_core_badness(), which
 *    answers oom_badness()'s caller: no probe, no per-call bookkeeping.
 *    The direct call shares the site with a livepatch of oom_badness()
 *    (ops_func agrees to FTRACE_OPS_CMD_ENABLE_SHARE_IPMODIFY_*): the
 *    trampoline then runs the livepatch's function instead. ftrace lets
 *    only one direct call use a function: a BPF trampoline (fentry, fexit)
 *    on oom_badness() cannot attach while the redirect is in place, and
 *    the redirect falls back to the kretprobe when one is there first.
 *  - kretprobe: the original runs and its return value is rewritten by
 *    oom_core_badness(). Used when the redirect is impossible, or when
 *    asked for; an entry and a return probe per task cost more.
 *
 * An OOM: a kretprobe on out_of_memory() tells the core which task is
 * inside the OOM killer (out_of_memory() runs under oom_lock, so there is
 * at most one) and when it leaves.
 *
 * A victim: the mark_victim tracepoint fires for every task the kernel
 * kills for an OOM, whatever chose it.
 *
 * Task events: while some registered policy has ->task_event, the core is
 * attached to the scheduler's, task's and cgroup's tracepoints that say a
 * task was created, renamed, ran execve(), moved to another cgroup or
 * went away. Only then: they fire for every fork, exec and exit, and
 * cgroup_attach_task makes the kernel build the cgroup's path for every
 * migration while a probe is attached.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/ftrace.h>
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
 * A livepatch (or another ftrace user that modifies the instruction
 * pointer) wants to share oom_badness()'s site. The trampoline continues
 * wherever the ftrace handlers left the instruction pointer, so sharing
 * needs nothing more. Called by ftrace under its direct_mutex.
 */
static int oom_badness_ops_func(struct ftrace_ops *ops, enum ftrace_ops_cmd cmd)
{
	switch (cmd) {
	case FTRACE_OPS_CMD_ENABLE_SHARE_IPMODIFY_SELF:
	case FTRACE_OPS_CMD_ENABLE_SHARE_IPMODIFY_PEER:
	case FTRACE_OPS_CMD_DISABLE_SHARE_IPMODIFY_PEER:
		return 0;
	}
	return -EINVAL;
}

/* Its filter names oom_badness(); its direct call is the trampoline. */
static struct ftrace_ops oom_badness_ops;

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

/* -- Task events ---------------------------------------------------------- */

static void oom_tp_exec(void *data, struct task_struct *p, pid_t old_pid,
			struct linux_binprm *bprm)
{
	oom_core_task_event(p, OOM_TASK_EXEC, NULL);
}

static void oom_tp_rename(void *data, struct task_struct *task,
			  const char *comm)
{
	oom_core_task_event(task, OOM_TASK_RENAME, comm);
}

static void oom_tp_fork(void *data, struct task_struct *parent,
			struct task_struct *child)
{
	oom_core_task_event(child, OOM_TASK_FORK, NULL);
}

static void oom_tp_attach(void *data, struct cgroup *dst_cgrp,
			  const char *path, struct task_struct *task,
			  bool threadgroup)
{
	oom_core_task_event(task, OOM_TASK_CGROUP, NULL);
}

static void oom_tp_free(void *data, struct task_struct *p)
{
	oom_core_task_event(p, OOM_TASK_FREE, NULL);
}

static struct oom_task_tp {
	const char *name;
	void *probe;
	struct tracepoint *tp;
} oom_task_tps[] = {
	{ "sched_process_exec", oom_tp_exec },
	{ "task_rename", oom_tp_rename },
	{ "sched_process_fork", oom_tp_fork },
	{ "cgroup_attach_task", oom_tp_attach },
	{ "sched_process_free", oom_tp_free },
};

static void oom_find_task_tps(struct tracepoint *tp, void *priv)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(oom_task_tps); i++)
		if (!strcmp(tp->name, oom_task_tps[i].name))
			oom_task_tps[i].tp = tp;
}

/**
 * oom_hooks_task_events() - attach to the task-event tracepoints, or detach
 * @on: attach when true
 *
 * Called by the core, under its mutex, when the first policy with
 * ->task_event registers (@on) and when the last one goes. Detaching
 * waits for no probe: the core waits for RCU before a policy is gone.
 *
 * Context: process context; may sleep.
 * Return: 0, or an error (with a pr_err()) and nothing attached.
 */
int oom_hooks_task_events(bool on)
{
	unsigned int i;
	int err = 0;

	if (!on) {
		for (i = ARRAY_SIZE(oom_task_tps); i-- > 0;)
			tracepoint_probe_unregister(oom_task_tps[i].tp,
						    oom_task_tps[i].probe, NULL);
		return 0;
	}

	for (i = 0; i < ARRAY_SIZE(oom_task_tps); i++) {
		if (!oom_task_tps[i].tp) {
			pr_err("the kernel has no %s tracepoint\n",
			       oom_task_tps[i].name);
			err = -ENOENT;
			break;
		}
		err = tracepoint_probe_register(oom_task_tps[i].tp,
						oom_task_tps[i].probe, NULL);
		if (err) {
			pr_err("cannot attach to the %s tracepoint (error %d)\n",
			       oom_task_tps[i].name, err);
			break;
		}
	}
	if (err) {
		while (i-- > 0)
			tracepoint_probe_unregister(oom_task_tps[i].tp,
						    oom_task_tps[i].probe, NULL);
	}
	return err;
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
	char name[] = "oom_badness";
	int err;

	if (!oom_compat_have_direct_calls || !oom_compat_have_tasks_rcu)
		return -EOPNOTSUPP;
	oom_compat_direct_ops_share(&oom_badness_ops, oom_badness_ops_func);
	err = ftrace_set_filter(&oom_badness_ops, name, strlen(name), 1);
	if (err)
		return err;
	err = oom_compat_register_direct(&oom_badness_ops,
					 (unsigned long)oom_badness_tramp);
	if (err)
		ftrace_free_filter(&oom_badness_ops);
	return err;
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
			pr_err("cannot redirect oom_badness() (error %d): the kernel needs CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS and CONFIG_TASKS_RCU, and no other direct call (a BPF trampoline) on it\n",
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
		oom_compat_unregister_direct(&oom_badness_ops,
					     (unsigned long)oom_badness_tramp);
		/*
		 * A caller may still be in the trampoline or in the core (even
		 * preempted there, or inside oom_badness() called from the
		 * trampoline); Tasks RCU waits until every task has left.
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
	for_each_kernel_tracepoint(oom_find_task_tps, NULL);
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
 * A kretprobe is missed when it fires while another kprobe runs on the
 * same CPU, or when it has no free instance. A missed scoring call got the
 * stock score. The redirect is never missed.
 */
unsigned long oom_hooks_missed(void)
{
	return oom_badness_kretprobe.kp.nmissed + oom_badness_kretprobe.nmissed +
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
