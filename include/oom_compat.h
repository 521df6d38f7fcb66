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
#include <linux/fs.h>
#include <linux/ftrace.h>
#include <linux/kprobes.h>
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/sched/coredump.h>
#include <linux/rcupdate.h>
#include <linux/security.h>
#include <trace/events/cgroup.h>
#include <trace/events/oom.h>
#include <trace/events/sched.h>
#include <trace/events/task.h>

#if KERNEL_VERSION(6, 1, 0) > LINUX_VERSION_CODE
#error "oom_policy supports Linux 6.1 and newer"
#endif

#if !defined(CONFIG_KPROBES) || !defined(CONFIG_KRETPROBES)
#error "oom_policy needs a kernel built with CONFIG_KPROBES=y and CONFIG_KRETPROBES=y"
#endif

/*
 * x86-64 only: the redirect's trampoline is x86-64 assembly, and nothing
 * else has been tested. The top-level Kbuild, dkms.conf and the Debian
 * package say so too; this catches a build that bypasses them.
 */
#ifndef CONFIG_X86_64
#error "oom_policy supports x86-64 kernels only"
#endif

/*
 * PREEMPT_RT turns spinlock_t into a sleeping lock: task_lock(), which
 * the policies take for every task, and the locks of d_path() and
 * cgroup_path() sleep there, while the hooks call the policies from a
 * kretprobe handler and a tracepoint, with preemption disabled.
 */
#ifdef CONFIG_PREEMPT_RT
#error "oom_policy does not support PREEMPT_RT kernels: spinlocks sleep there"
#endif

/*
 * The mark_victim tracepoint, which tells the core of every victim: hook.c
 * attaches a probe taking (task, uid), its prototype since Linux 6.8, which
 * Debian's 6.1 kernels have too (a stable backport, "mm: update
 * mark_victim tracepoints fields"). Before it, the tracepoint passed only a
 * pid, which such a probe would read as a task pointer at the first kill:
 * refuse to build against such a kernel instead.
 */
typedef void (*oom_compat_mark_victim_probe_t)(void *data,
					       struct task_struct *task,
					       uid_t uid);
static_assert(__same_type(&register_trace_mark_victim,
			  int (*)(oom_compat_mark_victim_probe_t, void *)),
	      "oom_policy needs the mark_victim tracepoint of Linux 6.8 and later, (struct task_struct *task, uid_t uid); this kernel's passes a pid only");

/*
 * The tracepoints that tell the core of task events (hook.c), with the
 * prototypes its probes have: the same in the 6.1 and 6.12 trees. A
 * kernel that changes one fails to build here rather than have a probe
 * read its arguments wrongly.
 */
typedef void (*oom_compat_exec_probe_t)(void *data, struct task_struct *p,
					pid_t old_pid,
					struct linux_binprm *bprm);
typedef void (*oom_compat_rename_probe_t)(void *data,
					  struct task_struct *task,
					  const char *comm);
typedef void (*oom_compat_fork_probe_t)(void *data,
					struct task_struct *parent,
					struct task_struct *child);
typedef void (*oom_compat_attach_probe_t)(void *data,
					  struct cgroup *dst_cgrp,
					  const char *path,
					  struct task_struct *task,
					  bool threadgroup);
typedef void (*oom_compat_free_probe_t)(void *data, struct task_struct *p);
static_assert(__same_type(&register_trace_sched_process_exec,
			  int (*)(oom_compat_exec_probe_t, void *)),
	      "sched_process_exec is not (task, old_pid, bprm) on this kernel");
static_assert(__same_type(&register_trace_task_rename,
			  int (*)(oom_compat_rename_probe_t, void *)),
	      "task_rename is not (task, comm) on this kernel");
static_assert(__same_type(&register_trace_sched_process_fork,
			  int (*)(oom_compat_fork_probe_t, void *)),
	      "sched_process_fork is not (parent, child) on this kernel");
static_assert(__same_type(&register_trace_cgroup_attach_task,
			  int (*)(oom_compat_attach_probe_t, void *)),
	      "cgroup_attach_task is not (dst_cgrp, path, task, threadgroup) on this kernel");
static_assert(__same_type(&register_trace_sched_process_free,
			  int (*)(oom_compat_free_probe_t, void *)),
	      "sched_process_free is not (task) on this kernel");

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
 * The RCU read-side critical section of the scoring path, which runs for
 * every task the OOM killer scans. rcu_read_lock() is an out-of-line call
 * pair on PREEMPT_RCU kernels (Debian's); disabling preemption is inline,
 * and synchronize_rcu() and call_rcu() wait for such a section as for any
 * reader. (PREEMPT_RT, where task_lock() could not be taken inside it, is
 * refused above.) Read pointers inside it with oom_policy_dereference().
 */
static __always_inline void oom_compat_scan_read_lock(void)
{
	rcu_read_lock_sched();
}

static __always_inline void oom_compat_scan_read_unlock(void)
{
	rcu_read_unlock_sched();
}

/*
 * Tasks RCU lets the core wait until no task is still running (or is
 * preempted) in the replacement of oom_badness() that the redirect sends
 * callers to; without it the module text could be freed under them.
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

/*
 * The redirect of oom_badness() is an ftrace direct call to a trampoline
 * (oom_policy/redirect.S, x86-64) that runs the kernel's oom_badness() and
 * passes its result to the core. Linux 6.6 renamed the ftrace_ops based
 * interface from register_ftrace_direct_multi() to register_ftrace_direct()
 * and let the unregistration free the ops' filter.
 */
#if defined(CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS) && defined(CONFIG_X86_64)
#define oom_compat_have_direct_calls	true

/**
 * oom_compat_register_direct() - send the functions of @ops to @addr
 * @ops:	ftrace_ops whose filter names the functions
 * @addr:	the trampoline their ftrace sites are to call
 *
 * Return: 0, or -EBUSY when another direct call or an ftrace user that
 * modifies the instruction pointer (a livepatch, a redirecting kprobe)
 * holds one of the functions, or another error of ftrace.
 */
static inline int oom_compat_register_direct(struct ftrace_ops *ops,
					     unsigned long addr)
{
#if KERNEL_VERSION(6, 6, 0) <= LINUX_VERSION_CODE
	return register_ftrace_direct(ops, addr);
#else
	return register_ftrace_direct_multi(ops, addr);
#endif
}

/**
 * oom_compat_direct_ops_share() - let @ops share its site with a livepatch
 * @ops:	a direct-call ftrace_ops, not registered yet
 * @func:	answers ftrace's FTRACE_OPS_CMD_* requests
 *
 * Without an ops_func, ftrace refuses an ftrace user that modifies the
 * instruction pointer (a livepatch) on a function with a direct call,
 * and the direct call on a function with one, with -EBUSY.
 */
static inline void oom_compat_direct_ops_share(struct ftrace_ops *ops,
					       ftrace_ops_func_t func)
{
	ops->ops_func = func;
}

/**
 * oom_compat_unregister_direct() - undo oom_compat_register_direct()
 * @ops:	the ftrace_ops registered
 * @addr:	its trampoline
 *
 * Also frees the filter of @ops. A task may still be running in the
 * trampoline's target when this returns: see oom_compat_synchronize_rcu_tasks().
 */
static inline void oom_compat_unregister_direct(struct ftrace_ops *ops,
						unsigned long addr)
{
#if KERNEL_VERSION(6, 6, 0) <= LINUX_VERSION_CODE
	unregister_ftrace_direct(ops, addr, true);
#else
	unregister_ftrace_direct_multi(ops, addr);
	ftrace_free_filter(ops);
#endif
}
#else
#define oom_compat_have_direct_calls	false
static inline void oom_compat_direct_ops_share(struct ftrace_ops *ops,
					       void *func) { }

static inline int oom_compat_register_direct(struct ftrace_ops *ops,
					     unsigned long addr)
{
	return -EOPNOTSUPP;
}

static inline void oom_compat_unregister_direct(struct ftrace_ops *ops,
						unsigned long addr) { }
#endif

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
 * oom_compat_memcg_id() - a lasting name for a memory cgroup
 * @memcg:	a memory cgroup, or NULL (a global OOM has none)
 *
 * The id of its cgroup, as name_to_handle_at() on cgroupfs shows it: it
 * stays unique while the machine runs, even after the cgroup is removed,
 * so it may be kept with no reference held and compared later. The root
 * cgroup's is 1.
 *
 * Return: the id, or 0 for NULL and without CONFIG_MEMCG.
 */
static inline u64 oom_compat_memcg_id(struct mem_cgroup *memcg)
{
#ifdef CONFIG_MEMCG
	if (memcg)
		return cgroup_id(memcg->css.cgroup);
#endif
	return 0;
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

/**
 * oom_compat_mm_exe_file() - the executable of @mm, with a reference
 * @mm: an address space the caller pins (task_lock() of a task using it)
 *
 * get_mm_exe_file() is not exported. Since 6.7 struct file is freed with
 * SLAB_TYPESAFE_BY_RCU, and get_file_rcu() takes the pointer's address to
 * check that the file it pinned is still the one @mm points to.
 *
 * Context: any; never sleeps. Release the file with fput().
 * Return: the file, or NULL.
 */
static inline struct file *oom_compat_mm_exe_file(struct mm_struct *mm)
{
	struct file *exe;

	rcu_read_lock();
#if KERNEL_VERSION(6, 7, 0) <= LINUX_VERSION_CODE
	exe = get_file_rcu(&mm->exe_file);
#else
	exe = rcu_dereference(mm->exe_file);
	if (exe && !get_file_rcu(exe))
		exe = NULL;
#endif
	rcu_read_unlock();
	return exe;
}

/*
 * The head of struct mount (fs/mount.h, private to fs/): the mount a
 * mount is attached to and the dentry it covers there. The path of a file
 * from the root of its mount namespace, whoever asks, is built by walking
 * them, as d_absolute_path() does; but neither d_absolute_path() nor
 * __d_path() is exported, on 6.1 or on 6.12, and d_path() answers from
 * the current task's root. This head has been the same since Linux 3.3
 * and is the same in the 6.1 and 6.12 trees; patterns/patterns.c checks
 * it against d_path() when an exe: pattern is written (see
 * oom_patterns_exe_check()). Mounts are freed after an RCU grace period,
 * so the fields may be read under RCU.
 */
struct oom_compat_mount {
	struct hlist_node mnt_hash;
	struct oom_compat_mount *mnt_parent;
	struct dentry *mnt_mountpoint;
	struct vfsmount mnt;
};

/* The struct mount of @mnt (real_mount() of fs/mount.h). */
static inline struct oom_compat_mount *
oom_compat_real_mount(const struct vfsmount *mnt)
{
	return container_of(mnt, struct oom_compat_mount, mnt);
}

/**
 * oom_compat_task_cgroup_path() - the path of @p's cgroup v2
 * @p:		a task; the caller holds rcu_read_lock()
 * @buf:	filled with the path from the root of the hierarchy ("/" for
 *		the root cgroup), cut to @len bytes if need be
 * @len:	size of @buf
 *
 * The cgroup is read from @p's css_set under RCU; the css_set pins it and
 * its kernfs node. kernfs_path_from_node() takes kernfs' rename lock, a
 * spinning rwlock, with interrupts saved: usable in the OOM killer's scan.
 * It returns the length of the full path on some kernels and of what fits
 * on others; either way a result of @len - 1 or more may be cut.
 *
 * Return: the length, or a negative errno.
 */
static inline int oom_compat_task_cgroup_path(struct task_struct *p,
					      char *buf, size_t len)
{
#ifdef CONFIG_CGROUPS
	return cgroup_path(task_dfl_cgroup(p), buf, len);
#else
	return -ENOENT;
#endif
}

/**
 * oom_compat_task_secid() - the LSM secid of @p, 0 when there is none
 * @p: a task
 *
 * The secid of the task's objective credentials, as the LSMs give it to
 * audit and to signal checks. AppArmor answers with its newest label
 * (taking and dropping a reference, no allocation); SELinux and Smack
 * read the credentials under RCU. Linux 6.13 renamed the call
 * security_task_getlsmprop_obj(). security_secctx_to_secid(), which
 * turns a label's text into the secid compared with this one, has the
 * same prototype in the 6.1 and 6.12 trees and needs no shim.
 *
 * Context: any; never sleeps.
 */
static inline u32 oom_compat_task_secid(struct task_struct *p)
{
	u32 secid = 0;

	security_task_getsecid_obj(p, &secid);
	return secid;
}

#endif /* _OOM_POLICY_COMPAT_H */
