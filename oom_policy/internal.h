/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Between the two halves of the core: hook.c attaches to the kernel,
 * core.c keeps the policies and decides.
 */
#ifndef _OOM_POLICY_INTERNAL_H
#define _OOM_POLICY_INTERNAL_H

#include <linux/oom.h>
#include <linux/sched.h>

/* core.c: called by the hooks */
long oom_core_badness(struct task_struct *p, unsigned long totalpages,
		      long stock);
void oom_core_oom_enter(struct oom_control *oc);
void oom_core_oom_exit(void);
void oom_core_victim(struct task_struct *victim);

/* hook.c: called by the core */
int oom_hooks_init(void);
void oom_hooks_exit(void);
unsigned long oom_hooks_missed(void);
const char *oom_hooks_method(void);

#endif /* _OOM_POLICY_INTERNAL_H */
