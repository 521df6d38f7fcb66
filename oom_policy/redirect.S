/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The target of oom_badness()'s ftrace direct call (see hook.c): run the
 * kernel's own oom_badness(), then hand its result to the core.
 *
 * oom_badness()'s ftrace site calls the trampoline before the function
 * has touched the stack or its argument registers, so on entry
 *
 *	(%rsp)	 where oom_badness() goes on after its ftrace site; when a
 *		 livepatch of oom_badness() shares the site with us
 *		 (FTRACE_OPS_CMD_ENABLE_SHARE_IPMODIFY_*), the start of the
 *		 livepatch's replacement instead, as its ftrace handler set it
 *	8(%rsp)	 the return into oom_badness()'s caller
 *	%rdi	 the task, %rsi totalpages
 *
 * While the core has nothing to do with a score (struct oom_redirect_skip
 * in internal.h: no policy is active, or the scan under way has started a
 * policy that leaves every score stock), the trampoline returns to the
 * code at (%rsp) at once, and oom_badness() answers its caller as if
 * nothing were attached. Otherwise it calls the code at (%rsp) with the
 * same arguments, as the caller's own call would have run it, passes
 * (task, totalpages, score) to oom_core_badness(), and returns that
 * function's result straight to oom_badness()'s caller. The score the core starts from is
 * therefore always the running kernel's, fixes and livepatches included.
 *
 * While the scan under way is for a policy with a ->badness_filter
 * (oom_redirect_skip.filtered), the trampoline tests the task's bit
 * itself, as the core would (hash_ptr(task, bits)): a task whose bit is
 * clear keeps its stock score, and oom_badness() answers its caller
 * alone. A NULL ->badness_filter sends every task to the core.
 *
 * The code at (%rsp) is entered by a return, not by an indirect call: it
 * does not start with ENDBR, and IBT would fault an indirect branch to it;
 * ftrace enters direct trampolines the same way.
 */
#include <linux/linkage.h>
#include <asm/nospec-branch.h>
#include <asm/unwind_hints.h>

#include "redirect.h"

	.text
/*
 * Run the code oom_badness_tramp() was asked to continue at, with the
 * arguments it was given, and return to the trampoline. Stack on entry:
 * the return into the trampoline, the saved %rsi and %rdi, and where
 * oom_badness() goes on.
 */
SYM_FUNC_START_LOCAL(oom_badness_run)
	pushq	24(%rsp)
	UNWIND_HINT_FUNC
	RET
SYM_FUNC_END(oom_badness_run)

SYM_FUNC_START(oom_badness_tramp)
	/* Nothing for the core to do: oom_badness() answers its caller. */
	cmpw	$0, oom_redirect_skip+OOM_SKIP_FLAGS(%rip)
	jne	.Lstock
	/* %rax, %rcx, %r8 and %r9 hold no argument of oom_badness(). */
	movq	oom_redirect_skip+OOM_SKIP_FILTERED(%rip), %r8
	testq	%r8, %r8
	jnz	.Lfiltered
.Lcore:
	pushq	%rdi
	pushq	%rsi
	call	oom_badness_run
	/* %rax: the score of the kernel's oom_badness() */
	popq	%rsi
	popq	%rdi
	movq	%rax, %rdx
	/* Drop the return into oom_badness(): the core answers its caller. */
	addq	$8, %rsp
	UNWIND_HINT_FUNC
	jmp	oom_core_badness

.Lfiltered:
	movq	OOM_POLICY_FILTER(%r8), %r9
	testq	%r9, %r9
	jz	.Lcore
	/* h = task * GOLDEN_RATIO_64 >> (64 - bits) */
	movl	$64, %ecx
	subl	OOM_POLICY_FILTER_BITS(%r8), %ecx
	movabsq	$OOM_GOLDEN_RATIO_64, %rax
	imulq	%rdi, %rax
	shrq	%cl, %rax
	/* Bit h of the bitmap: word h / 64, shifted by h % 64. */
	movl	%eax, %ecx
	shrq	$6, %rax
	movq	(%r9,%rax,8), %rax
	shrq	%cl, %rax
	testb	$1, %al
	jnz	.Lcore

.Lstock:
	RET
SYM_FUNC_END(oom_badness_tramp)
