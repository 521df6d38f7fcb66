// SPDX-License-Identifier: GPL-2.0
/*
 * spawner - a small parent that keeps forking memory-hungry children.
 *
 *   spawner [-n NAME] -c CHILD_MB [-d DELAY_MS] [-k MAXCHILDREN] [-p PARALLEL] [-s]
 *           [-m PARENT_MB] [-w] [-g MEMCG]
 *
 * Each child calls itself NAME-child, touches CHILD_MB megabytes and then
 * keeps growing one megabyte at a time until it is OOM-killed (with -s it
 * holds CHILD_MB, which may then be 0, and sleeps instead).  The parent keeps PARALLEL children
 * (default 1) alive, reaps each one, logs how it died and, DELAY_MS
 * later, forks a replacement.  It stops after MAXCHILDREN children
 * (default: never), or with -w stays, idle, until it is killed.  It
 * touches no memory of its own unless told to: with -m it holds
 * PARENT_MB that its children do not share, so that killing the parent
 * frees memory.  With -g each child joins /sys/fs/cgroup/MEMCG before it
 * touches memory, while the parent stays where it is: a container
 * runtime's shim whose tenant crash-loops in its own memcg.  This is the
 * pattern a fork-blame policy must recognise: the children die, the
 * parent is the culprit.
 */
#include <signal.h>
#include <sys/wait.h>
#include <time.h>

#include "common.h"

struct opts {
	const char *name;
	unsigned long child_mb;
	unsigned long delay_ms;
	unsigned long max_children;	/* 0: no limit */
	unsigned long parallel;
	unsigned long parent_mb;
	int hold;
	int wait_forever;
	const char *memcg;
};

static void print_usage(void)
{
	fprintf(stderr,
		"usage: spawner [-n NAME] -c CHILD_MB [-d DELAY_MS] [-k MAXCHILDREN] [-p PARALLEL] [-s] [-m PARENT_MB] [-w] [-g MEMCG]\n");
	exit(2);
}

static void sleep_ms(unsigned long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* Memory of the parent alone: not inherited by the children it forks. */
static void hold_unshared(unsigned long mb)
{
	long page = sysconf(_SC_PAGESIZE);
	unsigned long i, off;
	char *p;

	for (i = 0; i < mb; i++) {
		p = mmap(NULL, MB, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			die("mmap");
		if (madvise(p, MB, MADV_DONTFORK))
			die("madvise");
		for (off = 0; off < MB; off += page)
			memset(p + off, 0x5a, page);
	}
}

static void run_child(const struct opts *o)
{
	char name[16];
	unsigned long i;

	snprintf(name, sizeof(name), "%s-child", o->name);
	set_name(name);
	if (o->memcg)
		enter_memcg(o->memcg);
	for (i = 0; i < o->child_mb; i++)
		touch_one_mb();
	if (!o->hold)
		for (;;)
			touch_one_mb();
	for (;;)
		pause();
}

static void spawn(const struct opts *o)
{
	pid_t pid = fork();

	if (pid < 0)
		die("fork");
	if (pid == 0)
		run_child(o);
	printf("child %d started\n", pid);
}

static void report_death(pid_t pid, int status)
{
	if (WIFSIGNALED(status))
		printf("child %d killed by signal %d\n", pid, WTERMSIG(status));
	else
		printf("child %d exited with status %d\n", pid,
		       WEXITSTATUS(status));
}

static void parse(int argc, char **argv, struct opts *o)
{
	int c;

	while ((c = getopt(argc, argv, "n:c:d:k:p:sm:wg:")) != -1) {
		switch (c) {
		case 'n':
			o->name = optarg;
			break;
		case 'c':
			o->child_mb = strtoul(optarg, NULL, 0);
			break;
		case 'd':
			o->delay_ms = strtoul(optarg, NULL, 0);
			break;
		case 'k':
			o->max_children = strtoul(optarg, NULL, 0);
			break;
		case 'p':
			o->parallel = strtoul(optarg, NULL, 0);
			break;
		case 's':
			o->hold = 1;
			break;
		case 'm':
			o->parent_mb = strtoul(optarg, NULL, 0);
			break;
		case 'w':
			o->wait_forever = 1;
			break;
		case 'g':
			o->memcg = optarg;
			break;
		default:
			print_usage();
		}
	}
	/* -c 0 -s: children that only sleep. */
	if (optind != argc || (!o->child_mb && !o->hold) || !o->parallel)
		print_usage();
}

int main(int argc, char **argv)
{
	struct opts o = { .name = "spawner", .parallel = 1 };
	unsigned long started = 0, running = 0;
	int status;
	pid_t pid;

	parse(argc, argv, &o);
	set_name(o.name);
	/* The log is read while we run: one write per line. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	hold_unshared(o.parent_mb);

	for (;;) {
		while (running < o.parallel &&
		       (!o.max_children || started < o.max_children)) {
			spawn(&o);
			started++;
			running++;
		}
		if (!running && o.wait_forever)
			for (;;)
				pause();
		if (!running)
			return 0;
		pid = wait(&status);
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			die("wait");
		}
		running--;
		report_death(pid, status);
		sleep_ms(o.delay_ms);
	}
}
