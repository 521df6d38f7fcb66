/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel-version differences, all in one place.
 *
 * Every #if on LINUX_VERSION_CODE or on a kernel configuration option that
 * changes what the code may call lives here, nowhere else. The reference
 * kernels are Debian's 6.1 and 6.12 series.
 */
#ifndef _OOM_POLICY_COMPAT_H
#define _OOM_POLICY_COMPAT_H

#include <linux/version.h>
#include <linux/kprobes.h>
#include <linux/mm.h>
#include <linux/sched/coredump.h>
#include <linux/rcupdate.h>

#if KERNEL_VERSION(6, 1, 0) > LINUX_VERSION_CODE
#error "oom_policy supports Linux 6.1 and newer"
#endif

#if !defined(CONFIG_KPROBES) || !defined(CONFIG_KRETPROBES)
#error "oom_policy needs a kernel built with CONFIG_KPROBES=y and CONFIG_KRETPROBES=y"
#endif

/**
 * oom_compat_mm_oom_skip() - has this mm been reaped or given up on already?
 * @mm: the address space to test
 *
 * The kernel sets MMF_OOM_SKIP once the OOM reaper or the exiting victim is
 * done with an address space; such a task is never chosen again.
 */
static inline bool oom_compat_mm_oom_skip(struct mm_struct *mm)
{
#if KERNEL_VERSION(6, 17, 0) <= LINUX_VERSION_CODE
	return mm_flags_test(MMF_OOM_SKIP, mm);
#else
	return test_bit(MMF_OOM_SKIP, &mm->flags);
#endif
}

/*
 * Tasks RCU lets the core wait until no task is still running (or is
 * preempted) in the replacement of oom_badness() that the ftrace redirect
 * sends callers to; without it the module text could be freed under them.
 */
#ifdef CONFIG_TASKS_RCU
#define oom_compat_have_tasks_rcu	true
static inline void oom_compat_synchronize_rcu_tasks(void)
{
	synchronize_rcu_tasks();
}
#else
#define oom_compat_have_tasks_rcu	false
static inline void oom_compat_synchronize_rcu_tasks(void) { }
#endif

/**
 * oom_compat_kprobe_on_ftrace() - is this kprobe placed on an ftrace site?
 * @kp: a registered kprobe
 *
 * Only such a probe may redirect the probed function to a replacement:
 * a breakpoint-based probe would single-step the original instruction.
 */
static inline bool oom_compat_kprobe_on_ftrace(struct kprobe *kp)
{
#ifdef CONFIG_KPROBES_ON_FTRACE
	return kprobe_ftrace(kp);
#else
	return false;
#endif
}

#endif /* _OOM_POLICY_COMPAT_H */
