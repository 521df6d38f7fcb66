/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The cheap tests that patterns.c makes before it calls glob_match(): a
 * name is turned away when it does not start with the character every
 * string the glob matches starts with, or when its first 8 bytes, read as
 * one u64, differ from the literal characters the glob starts with; and
 * a glob without a metacharacter needs no glob_match() once those bytes
 * agree. They must never turn away a name that glob_match() would take,
 * nor take one it would turn away.
 *
 * This header is compiled as it is into the host test
 * selftests/host/prefilter.c, which compares it with the kernel's own
 * lib/glob.c over many generated patterns and names: it may use nothing
 * but <linux/types.h> and <linux/string.h>.
 */
#ifndef _OOM_PATTERNS_PREFILTER_H
#define _OOM_PATTERNS_PREFILTER_H

#include <linux/string.h>
#include <linux/types.h>

/*
 * glob_match()'s metacharacters: '*', '?', '[' (literal when no ']'
 * closes it, which only makes the prefilter let more names through) and
 * '\', which quotes the next character.
 */
static inline bool oom_glob_meta(char c)
{
	return c == '*' || c == '?' || c == '[' || c == '\\';
}

/*
 * The character every string @glob matches starts with, 0 if there is
 * none.
 */
static inline unsigned char oom_glob_first(const char *glob)
{
	switch (glob[0]) {
	case '*':
	case '?':
	case '[':
		return 0;
	case '\\':
		return glob[1];
	default:
		return glob[0];
	}
}

/**
 * oom_glob_head() - the literal characters a glob starts with
 * @glob:	the glob
 * @head:	set to the characters before the first metacharacter, at most
 *		8, with the glob's NUL if it ends first, in the byte order of
 *		a name's first 8 bytes read as one u64 (oom_name_start())
 * @mask:	set to 0xff for each byte of @head that counts
 * @exact:	set when @head holds the whole glob, NUL included: a name
 *		whose first bytes agree with it is the glob
 *
 * A quoted character ends the head too.
 */
static inline void oom_glob_head(const char *glob, u64 *head, u64 *mask,
				 bool *exact)
{
	u8 h[sizeof(u64)] = {}, m[sizeof(u64)] = {};
	size_t i;

	*exact = false;
	for (i = 0; i < sizeof(h); i++) {
		char c = glob[i];

		if (oom_glob_meta(c))
			break;
		h[i] = c;
		m[i] = 0xff;
		if (!c) {
			*exact = true;
			break;
		}
	}
	memcpy(head, h, sizeof(h));
	memcpy(mask, m, sizeof(m));
}

/*
 * The first 8 bytes of @name as one u64. @name's buffer must hold at
 * least 8 bytes, whatever the name's length; the bytes after its NUL may
 * be anything: a head that reaches them has a character (or the glob's
 * NUL after one) where the name has its NUL, and differs there already.
 */
static inline u64 oom_name_start(const char *name)
{
	u64 start;

	memcpy(&start, name, sizeof(start));
	return start;
}

/* May a name whose first 8 bytes are @start match a glob of this head? */
static inline bool oom_glob_head_may_match(u64 start, u64 head, u64 mask)
{
	return !((start ^ head) & mask);
}

#endif /* _OOM_PATTERNS_PREFILTER_H */
