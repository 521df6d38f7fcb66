// SPDX-License-Identifier: GPL-2.0
/*
 * The prefilter of patterns/prefilter.h, compiled as it is, against the
 * kernel's own glob_match() (lib/glob.c of linux-source-6.12, which
 * selftests/host/prefilter.sh extracts and builds in).
 *
 * For every pattern and name tried, the decision patterns.c makes for a
 * name pattern (turned away by the first character or by the head, else
 * taken at once for a glob without metacharacters, else glob_match())
 * must be glob_match()'s. The name sits in a buffer whose bytes after its
 * NUL are random, as in struct oom_task_names. Tried: every pattern of 1
 * to 4 characters over an alphabet of literals and metacharacters with
 * every name of 0 to 4 characters, then random patterns of up to 20
 * characters with random names and names made to match them, of up to 24
 * characters (past the 8 bytes of the head). Then the same comparison
 * must catch a prefilter whose head is one byte too long.
 *
 * Prints "ok DESC" or "not ok DESC" lines; exits 1 if any is "not ok".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/glob.h>

#include "prefilter.h"

#define NAME_BUF	32
#define RANDOM_PAIRS	4000000UL
#define SHOW_MAX	5

static const char pat_alpha[] = "ab*?[]!-\\";
static const char name_alpha[] = "ab]!-*\\";

static u64 rng = 0x9e3779b97f4a7c15ULL;

/* xorshift64: the same sequence on every run. */
static u64 rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

struct tally {
	unsigned long tried;
	unsigned long matched;
	unsigned long wrong;
};

/*
 * What patterns.c decides for the name pattern @glob and the name in
 * @buf; @longer makes the head one byte longer than prefilter.h says.
 */
static bool prefiltered_match(const char *glob, const char *buf, bool longer)
{
	unsigned char first = oom_glob_first(glob);
	u64 head, mask;
	bool exact;

	oom_glob_head(glob, &head, &mask, &exact);
	if (longer)
		mask |= mask << 8 | 0xff;
	if (first && first != (unsigned char)buf[0])
		return false;
	if (!oom_glob_head_may_match(oom_name_start(buf), head, mask))
		return false;
	return exact || glob_match(glob, buf);
}

static void try(struct tally *t, const char *glob, const char *name,
		bool longer)
{
	size_t len = strlen(name), i;
	char buf[NAME_BUF];
	bool want, got;

	for (i = 0; i < sizeof(buf); i++)
		buf[i] = rnd() & 0xff;
	memcpy(buf, name, len + 1);

	want = glob_match(glob, name);
	got = prefiltered_match(glob, buf, longer);
	t->tried++;
	t->matched += want;
	if (want != got) {
		if (!longer && t->wrong < SHOW_MAX)
			printf("# pattern '%s', name '%s': glob_match() %d, prefilter %d\n",
			       glob, name, want, got);
		t->wrong++;
	}
}

/* The string of @len characters of @alpha numbered @nr. */
static void nth_string(char *s, const char *alpha, size_t len,
		       unsigned long nr)
{
	size_t n = strlen(alpha), i;

	for (i = 0; i < len; i++) {
		s[i] = alpha[nr % n];
		nr /= n;
	}
	s[len] = '\0';
}

static unsigned long power(unsigned long base, size_t exp)
{
	unsigned long r = 1;

	while (exp--)
		r *= base;
	return r;
}

static void exhaustive(struct tally *t, bool longer)
{
	char glob[8], name[8];
	size_t plen, nlen;
	unsigned long p, n;

	for (plen = 1; plen <= 4; plen++) {
		for (p = 0; p < power(strlen(pat_alpha), plen); p++) {
			nth_string(glob, pat_alpha, plen, p);
			for (nlen = 0; nlen <= 4; nlen++) {
				for (n = 0; n < power(strlen(name_alpha), nlen); n++) {
					nth_string(name, name_alpha, nlen, n);
					try(t, glob, name, longer);
				}
			}
		}
	}
}

/* A name made to match @glob, mostly; at most NAME_BUF - 1 characters. */
static void name_for(char *name, const char *glob)
{
	size_t n = 0, k;
	const char *close;

	while (*glob && n < NAME_BUF - 4) {
		char c = *glob++;

		switch (c) {
		case '\\':
			if (*glob)
				name[n++] = *glob++;
			break;
		case '?':
			name[n++] = name_alpha[rnd() % strlen(name_alpha)];
			break;
		case '*':
			for (k = rnd() % 4; k; k--)
				name[n++] = name_alpha[rnd() % strlen(name_alpha)];
			break;
		case '[':
			close = strchr(glob + 1, ']');
			if (close && *glob) {
				/* Often in the class, sometimes not. */
				name[n++] = glob[rnd() % (close - glob)];
				glob = close + 1;
				break;
			}
			name[n++] = c;
			break;
		default:
			name[n++] = c;
			break;
		}
	}
	name[n] = '\0';
}

static void random_pairs(struct tally *t)
{
	char glob[24], name[NAME_BUF];
	unsigned long i;
	size_t len, k;

	for (i = 0; i < RANDOM_PAIRS; i++) {
		len = 1 + rnd() % 20;
		for (k = 0; k < len; k++) {
			/* Mostly literals: long heads, past 8 bytes. */
			glob[k] = rnd() % 3 ? "abc"[rnd() % 3] :
					      pat_alpha[rnd() % strlen(pat_alpha)];
		}
		glob[len] = '\0';
		if (i & 1) {
			name_for(name, glob);
		} else {
			len = rnd() % 24;
			for (k = 0; k < len; k++)
				name[k] = "abc]*\\"[rnd() % 6];
			name[len] = '\0';
		}
		try(t, glob, name, false);
	}
}

/* One result line for @t; true when it passed. */
static bool report(const char *what, const struct tally *t)
{
	bool ok = !t->wrong && t->matched;

	printf("%s prefilter: %s: %lu pairs, %lu matches, %lu unlike glob_match()\n",
	       ok ? "ok" : "not ok", what, t->tried, t->matched, t->wrong);
	return ok;
}

int main(void)
{
	struct tally all = {}, rand = {}, mutant = {};
	bool ok = true;

	exhaustive(&all, false);
	ok &= report("every pattern of 1-4 characters with every name of 0-4",
		     &all);

	random_pairs(&rand);
	ok &= report("random patterns of up to 20 characters, names of up to 24",
		     &rand);

	/* The comparison is worth something only if it can fail. */
	exhaustive(&mutant, true);
	printf("%s prefilter: a head one byte too long is caught (%lu pairs decided otherwise)\n",
	       mutant.wrong ? "ok" : "not ok", mutant.wrong);
	ok &= mutant.wrong != 0;

	return !ok;
}
