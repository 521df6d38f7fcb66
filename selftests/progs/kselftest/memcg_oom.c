// SPDX-License-Identifier: GPL-2.0
/*
 * memcg_oom - the kernel's own memory cgroup selftests, unchanged
 * (tools/testing/selftests/cgroup/test_memcontrol.c from the
 * linux-source package), with a main() that runs only the tests named
 * on its command line; the others report SKIP.  Built by memcg_oom.sh.
 *
 *   memcg_oom [TEST...]     e.g. memcg_oom test_memcg_oom_events
 *
 * A static binary cannot resolve host names (glibc's NSS needs shared
 * libraries), so getaddrinfo() fails here; only test_memcg_sock calls
 * it, and it needs a network the test guests do not have.
 */
#define _GNU_SOURCE
#include <netdb.h>

static int memcg_oom_getaddrinfo(const char *node, const char *service,
				 const struct addrinfo *hints,
				 struct addrinfo **res);

#define getaddrinfo memcg_oom_getaddrinfo
#define main test_memcontrol_main
#include "test_memcontrol.c"
#undef main
#undef getaddrinfo

static int memcg_oom_getaddrinfo(const char *node, const char *service,
				 const struct addrinfo *hints,
				 struct addrinfo **res)
{
	return EAI_FAIL;
}

static int not_selected(const char *root)
{
	return KSFT_SKIP;
}

int main(int argc, char **argv)
{
	size_t i;
	int j;

	/*
	 * The tests fork: a buffered line would be printed again by every
	 * child that exits with it still in its copy of the buffer.
	 */
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 0; argc > 1 && i < ARRAY_SIZE(tests); i++) {
		for (j = 1; j < argc; j++)
			if (!strcmp(argv[j], tests[i].name))
				break;
		if (j == argc)
			tests[i].fn = not_selected;
	}
	return test_memcontrol_main(1, argv);
}
