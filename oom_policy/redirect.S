/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The target of oom_badness()'s ftrace direct call (see hook.c).
 *
 * The ftrace site is oom_badness()'s first instruction: the function has
 * not touched the stack or its argument registers yet. Dropping the return
 * address into oom_badness() leaves the stack as oom_badness()'s caller
 * made it, so jumping to oom_badness_replacement() runs the replacement
 * with the same arguments, and its return goes straight back to that
 * caller. The original body never runs.
 */
#include <linux/linkage.h>
#include <asm/unwind_hints.h>

	.text
SYM_FUNC_START(oom_badness_tramp)
	addq	$8, %rsp
	UNWIND_HINT_FUNC
	jmp	oom_badness_replacement
SYM_FUNC_END(oom_badness_tramp)
