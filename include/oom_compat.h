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
#include <linux/cgroup.h>
#include <linux/kprobes.h>
#include <linux/memcontrol.h>
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

/**
 * oom_compat_task_in_memcg() - is @p one of the tasks a memcg OOM scans?
 * @p:		a task; the caller holds rcu_read_lock()
 * @memcg:	the memory cgroup that is out of memory (not NULL)
 *
 * The kernel's memcg OOM killer considers the tasks of @memcg and of its
 * descendants. Without CONFIG_MEMCG there are no memcg OOMs.
 *
 * Return: true when @p is in @memcg or in one of its descendants.
 */
static inline bool oom_compat_task_in_memcg(struct task_struct *p,
					    struct mem_cgroup *memcg)
{
#ifdef CONFIG_MEMCG
	return mem_cgroup_is_descendant(mem_cgroup_from_task(p), memcg);
#else
	return true;
#endif
}

/**
 * oom_compat_memcg_path() - the cgroup path of @memcg, e.g. "/job"
 * @memcg:	a memory cgroup (not NULL)
 * @buf:	filled with the path, truncated to @len bytes if need be
 * @len:	size of @buf
 *
 * Takes no sleeping lock: usable in the OOM killer's scan.
 */
static inline void oom_compat_memcg_path(struct mem_cgroup *memcg, char *buf,
					 size_t len)
{
#ifdef CONFIG_MEMCG
	if (cgroup_path(memcg->css.cgroup, buf, len) >= 0)
		return;
#endif
	strscpy(buf, "?", len);
}

#endif /* _OOM_POLICY_COMPAT_H */
