/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Between the two halves of the core: hook.c attaches to the kernel,
 * core.c keeps the policies and decides.
 */
#ifndef _OOM_POLICY_INTERNAL_H
#define _OOM_POLICY_INTERNAL_H

#include <linux/oom.h>
#include <linux/sched.h>

#include "oom_policy.h"

/*
 * oom_control.chosen of a scan the kernel stopped without a choice because
 * an earlier victim is still exiting (oom_evaluate_task(), mm/oom_kill.c).
 */
#define OOM_SCAN_ABORTED	((struct task_struct *)-1UL)

/*
 * core.c: read by redirect.S before anything else (offsets in redirect.h).
 * While either byte is set, no oom_badness() call needs the core, and the
 * trampoline lets the kernel's function answer its caller alone. While
 * @filtered is set, the trampoline does so for every task whose bit in
 * @filtered's ->badness_filter is clear.
 */
struct oom_redirect_skip {
	u8 no_policy;		/* no policy is active */
	u8 scan_stock;		/* the scan under way leaves every score stock */
	/* the active policy with a filter, during its scan */
	const struct oom_policy *filtered;
};

extern struct oom_redirect_skip oom_redirect_skip;

/* core.c: called by the hooks */
long oom_core_badness(struct task_struct *p, unsigned long totalpages,
		      long stock);
void oom_core_oom_enter(struct oom_control *oc);
void oom_core_oom_exit(void);
void oom_core_victim(struct task_struct *victim);
void oom_core_task_event(struct task_struct *p, enum oom_task_event ev,
			 const char *comm);
unsigned long oom_core_unseen(void);

/*
 * redirect.S: oom_badness()'s ftrace site calls it; it runs the kernel's
 * oom_badness() and passes the result to oom_core_badness()
 */
void oom_badness_tramp(void);

/* hook.c: called by the core */
int oom_hooks_init(void);
void oom_hooks_exit(void);
unsigned long oom_hooks_missed(void);
int oom_hooks_task_events(bool on);
const char *oom_hooks_method(void);

#endif /* _OOM_POLICY_INTERNAL_H */
