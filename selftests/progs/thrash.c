// SPDX-License-Identifier: GPL-2.0
/*
 * thrash - a working set touched in a loop, for memory pressure tests.
 *
 *   thrash [-n NAME] [-a ADJ] [-g MB_PER_S] [-t SECONDS] -m MB
 *
 * Maps MB of anonymous memory and writes one byte of every page, in
 * order, over and over, until killed. With -g the set grows from nothing
 * to MB at MB_PER_S megabytes a second, so that memory runs low slowly.
 * With -t it exits by itself, with status 0, after SECONDS: a test shell
 * that cannot run while the machine thrashes gets the CPU back. With MB above the free memory
 * every pass faults the pages of the previous one back in from swap:
 * the machine thrashes and the kernel's own OOM killer may wait for
 * minutes, as long as swap has room.
 */
#include "common.h"

#include <time.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	const char *name = "thrash", *adj = NULL;
	long page = sysconf(_SC_PAGESIZE);
	unsigned long mb = 0, rate = 0, secs = 0, off, end;
	double start;
	char *p;
	int c;

	while ((c = getopt(argc, argv, "n:a:g:t:m:")) != -1) {
		switch (c) {
		case 'n':
			name = optarg;
			break;
		case 'a':
			adj = optarg;
			break;
		case 'g':
			rate = strtoul(optarg, NULL, 10);
			break;
		case 't':
			secs = strtoul(optarg, NULL, 10);
			break;
		case 'm':
			mb = strtoul(optarg, NULL, 10);
			break;
		default:
			fprintf(stderr,
				"usage: thrash [-n NAME] [-a ADJ] [-g MB_PER_S] [-t SECONDS] -m MB\n");
			return 2;
		}
	}
	if (!mb) {
		fprintf(stderr, "thrash: -m MB is needed\n");
		return 2;
	}
	set_name(name);
	if (adj)
		write_file("/proc/self/oom_score_adj", adj);
	p = mmap(NULL, mb * MB, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		die("mmap");
	start = now();
	for (;;) {
		end = mb * MB;
		if (rate && (now() - start) * rate < mb)
			end = (unsigned long)((now() - start) * rate * MB);
		for (off = 0; off < end; off += page)
			p[off]++;
		if (!end)
			usleep(10000);
		if (secs && now() - start >= secs)
			return 0;
	}
}
