// SPDX-License-Identifier: GPL-2.0
/*
 * ticker - an innocent task whose latency a memory pressure test watches.
 *
 *   ticker [-n NAME] -o FILE
 *
 * Holds 8 MB of its own, touches one page of it and sleeps 100 ms, over
 * and over, as an interactive program would; each round measures how
 * late it woke and touched its page. After every round it rewrites FILE
 * with "max_ms N late N rounds N": the worst delay beyond the 100 ms,
 * the rounds that were more than a second late, and all rounds. A thrash
 * makes its page faults wait for swap; the sooner the machine is freed,
 * the smaller max_ms.
 */
#include "common.h"

#include <fcntl.h>
#include <time.h>

#define TICK_NS		100000000L
#define TICKER_MB	8

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int main(int argc, char **argv)
{
	const char *name = "ticker", *out = NULL;
	long page = sysconf(_SC_PAGESIZE), max = 0, late = 0, rounds = 0;
	struct timespec tick = { 0, TICK_NS };
	unsigned long off = 0, size = TICKER_MB * MB;
	char line[96], *p;
	int c, fd, n;

	while ((c = getopt(argc, argv, "n:o:")) != -1) {
		switch (c) {
		case 'n':
			name = optarg;
			break;
		case 'o':
			out = optarg;
			break;
		default:
			out = NULL;
			optind = argc;
			break;
		}
	}
	if (!out) {
		fprintf(stderr, "usage: ticker [-n NAME] -o FILE\n");
		return 2;
	}
	set_name(name);
	p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		die("mmap");
	memset(p, 1, size);
	for (;;) {
		long t0 = now_ms(), d;

		nanosleep(&tick, NULL);
		p[off]++;
		off = (off + page) % size;
		d = now_ms() - t0 - TICK_NS / 1000000;
		if (d > max)
			max = d;
		if (d > 1000)
			late++;
		rounds++;
		n = snprintf(line, sizeof(line), "max_ms %ld late %ld rounds %ld\n",
			     max, late, rounds);
		fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd >= 0) {
			if (write(fd, line, n) != n)
				die("write");
			close(fd);
		}
	}
}
