// SPDX-License-Identifier: GPL-2.0
/*
 * thrash - a working set touched in a loop, for memory pressure tests.
 *
 *   thrash [-n NAME] [-a ADJ] -m MB
 *
 * Maps MB of anonymous memory and writes one byte of every page, in
 * order, over and over, until killed. With MB above the free memory
 * every pass faults the pages of the previous one back in from swap:
 * the machine thrashes and the kernel's own OOM killer may wait for
 * minutes, as long as swap has room.
 */
#include "common.h"

int main(int argc, char **argv)
{
	const char *name = "thrash", *adj = NULL;
	long page = sysconf(_SC_PAGESIZE);
	unsigned long mb = 0, off;
	char *p;
	int c;

	while ((c = getopt(argc, argv, "n:a:m:")) != -1) {
		switch (c) {
		case 'n':
			name = optarg;
			break;
		case 'a':
			adj = optarg;
			break;
		case 'm':
			mb = strtoul(optarg, NULL, 10);
			break;
		default:
			fprintf(stderr, "usage: thrash [-n NAME] [-a ADJ] -m MB\n");
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
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		die("mmap");
	for (;;)
		for (off = 0; off < mb * MB; off += page)
			p[off]++;
}
