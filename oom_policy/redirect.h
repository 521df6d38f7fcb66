/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What redirect.S reads of the core's data, for both the trampoline and
 * core.c, which checks every offset against the C definitions at build
 * time (static_assert in core.c).
 */
#ifndef _OOM_POLICY_REDIRECT_H
#define _OOM_POLICY_REDIRECT_H

/* struct oom_redirect_skip (internal.h) */
#define OOM_SKIP_FLAGS		0	/* no_policy and scan_stock: 16 bits */
#define OOM_SKIP_FILTERED	8	/* the policy of a filtered scan */

/* struct oom_policy (oom_policy.h) */
#define OOM_POLICY_FILTER	24	/* ->badness_filter */
#define OOM_POLICY_FILTER_BITS	32	/* ->badness_filter_bits, u32 */

/* GOLDEN_RATIO_64 of <linux/hash.h>: hash_ptr() on 64-bit kernels. */
#define OOM_GOLDEN_RATIO_64	0x61C8864680B583EB

#endif /* _OOM_POLICY_REDIRECT_H */
