// SPDX-License-Identifier: GPL-2.0
/*
 * spawnloop - time starting a process: fork, exec of a program, its exit
 * and the parent's wait.
 *
 *   spawnloop [-b BATCHES] [-n SPAWNS] PROGRAM
 *
 * Runs PROGRAM (no arguments) SPAWNS times (default 50) per batch, in
 * BATCHES batches (default 5), one after the other, and prints one line
 * per batch:
 *
 *   batch N ns_per_spawn NS
 *
 * This is the path oom_namelist's event probes are on: every fork, exec
 * and rename of the machine passes them, OOM or not.
 */
#include "../progs/common.h"

#include <sys/wait.h>
#include <time.h>

static void spawn(const char *prog)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		die("fork");
	if (pid == 0) {
		execl(prog, prog, (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid)
		die("waitpid");
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		die(prog);
}

int main(int argc, char **argv)
{
	unsigned long batches = 5, spawns = 50, b, i;
	unsigned long long t0;
	int c;

	while ((c = getopt(argc, argv, "b:n:")) != -1) {
		switch (c) {
		case 'b':
			batches = strtoul(optarg, NULL, 0);
			break;
		case 'n':
			spawns = strtoul(optarg, NULL, 0);
			break;
		default:
			fprintf(stderr, "usage: spawnloop [-b BATCHES] [-n SPAWNS] PROGRAM\n");
			return 2;
		}
	}
	if (optind != argc - 1 || !spawns) {
		fprintf(stderr, "usage: spawnloop [-b BATCHES] [-n SPAWNS] PROGRAM\n");
		return 2;
	}
	for (b = 1; b <= batches; b++) {
		t0 = now_ns();
		for (i = 0; i < spawns; i++)
			spawn(argv[optind]);
		printf("batch %lu ns_per_spawn %llu\n", b,
		       (now_ns() - t0) / spawns);
	}
	return 0;
}
