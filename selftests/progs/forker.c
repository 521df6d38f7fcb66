// SPDX-License-Identifier: GPL-2.0
/*
 * forker - create many small sleeping processes quickly.
 *
 *   forker [-n NAME] [-l K] [-r READYFILE] N
 *
 * Forks N children called NAME-child (default forker-child), with -l
 * every K-th one NAME-listed, that only sleep, reports readiness (see
 * report_ready()) once all exist, then sleeps too.  The children die
 * with the parent (PR_SET_PDEATHSIG), so killing the one parent cleans
 * up.  Used to give the OOM killer a long task list to walk, for
 * benchmarks.
 */

#include "common.h"

static void print_usage(void)
{
	fprintf(stderr, "usage: forker [-n NAME] [-l K] [-r READYFILE] N\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *name = "forker", *ready = NULL;
	pid_t self = getpid();
	unsigned long i, n, every = 0;
	pid_t pid;
	int c;

	while ((c = getopt(argc, argv, "n:l:r:")) != -1) {
		switch (c) {
		case 'n':
			name = optarg;
			break;
		case 'l':
			every = strtoul(optarg, NULL, 0);
			break;
		case 'r':
			ready = optarg;
			break;
		default:
			print_usage();
		}
	}
	if (optind != argc - 1)
		print_usage();
	n = strtoul(argv[optind], NULL, 0);

	set_name(name);
	for (i = 0; i < n; i++) {
		pid = fork();
		if (pid < 0)
			die("fork");
		if (pid == 0)
			sleep_as_child(name, every && i % every == every - 1 ?
				  "listed" : "child", self);
	}
	report_ready(ready);
	for (;;)
		pause();
}
