// SPDX-License-Identifier: GPL-2.0
/*
 * hog - a named process that holds (or keeps growing) anonymous memory.
 *
 *   hog [-n NAME] [-a ADJ] [-u UID] [-c MEMCG] [-m MB] [-t THREADS] [-g [-o]]
 *       [-r READYFILE]
 *
 * Order matters: join the memcg first so every page is charged there,
 * set oom_score_adj while still root (lowering it needs CAP_SYS_RESOURCE),
 * then drop to UID, then allocate.  Readiness is reported only once all
 * MB are resident, so the caller can rely on the size of the process.
 */
#include "common.h"

#include <grp.h>
#include <pthread.h>
#include <sched.h>

struct opts {
	const char *name;
	const char *adj;
	const char *memcg;
	const char *ready;
	long uid;
	unsigned long mb;
	unsigned long threads;
	int grow;
	int stop_on_oom;
};

static void print_usage(void)
{
	fprintf(stderr,
		"usage: hog [-n NAME] [-a ADJ] [-u UID] [-c MEMCG] [-m MB] [-t THREADS] [-g [-o]] [-r READYFILE]\n");
	exit(2);
}

static void drop_to_uid(long uid)
{
	if (setgroups(0, NULL) || setgid(uid) || setuid(uid))
		die("dropping privileges");
}

/* Global and memcg OOM kills both count here (since Linux 4.13). */
static unsigned long oom_kills(void)
{
	unsigned long n = 0;
	char line[128];
	FILE *f = fopen("/proc/vmstat", "r");

	if (!f)
		die("/proc/vmstat");
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "oom_kill %lu", &n) == 1)
			break;
	fclose(f);
	return n;
}

/*
 * Grow until killed, or with -o only until some process (not
 * necessarily us) has been OOM-killed: then exit and free everything.
 *
 * With -o, as SCHED_IDLE: the victim, exiting, gets the CPU before us.
 * exit_mmap() hides a victim from the OOM killer (MMF_OOM_SKIP) before
 * the pages it gathered are freed and uncharged; a trigger that ran in
 * between would find a shortage and no victim pending, and the kernel
 * would kill a second task (seen on 6.12 with KASAN, where freeing is
 * slow: one run of 140-classic-memcg in three).
 */
static void grow(int stop_on_oom)
{
	struct sched_param idle = { .sched_priority = 0 };
	unsigned long start = oom_kills();

	if (stop_on_oom && sched_setscheduler(0, SCHED_IDLE, &idle))
		die("SCHED_IDLE");
	for (;;) {
		touch_one_mb();
		if (stop_on_oom && oom_kills() != start)
			exit(0);
	}
}

/* One of the -t threads: they share the process's memory, and sleep. */
static void *idle_thread(void *arg)
{
	for (;;)
		pause();
	return NULL;
}

static void start_threads(unsigned long n)
{
	pthread_t t;

	while (n--)
		if (pthread_create(&t, NULL, idle_thread, NULL))
			die("pthread_create");
}

static void parse(int argc, char **argv, struct opts *o)
{
	int c;

	while ((c = getopt(argc, argv, "n:a:u:c:m:t:gor:")) != -1) {
		switch (c) {
		case 'n':
			o->name = optarg;
			break;
		case 'a':
			o->adj = optarg;
			break;
		case 'u':
			o->uid = atol(optarg);
			break;
		case 'c':
			o->memcg = optarg;
			break;
		case 'm':
			o->mb = strtoul(optarg, NULL, 0);
			break;
		case 't':
			o->threads = strtoul(optarg, NULL, 0);
			break;
		case 'g':
			o->grow = 1;
			break;
		case 'o':
			o->stop_on_oom = 1;
			break;
		case 'r':
			o->ready = optarg;
			break;
		default:
			print_usage();
		}
	}
	if (optind != argc || (o->stop_on_oom && !o->grow))
		print_usage();
}

int main(int argc, char **argv)
{
	struct opts o = { .name = "hog", .uid = -1 };
	unsigned long i;

	parse(argc, argv, &o);
	set_name(o.name);
	if (o.memcg)
		enter_memcg(o.memcg);
	if (o.adj)
		write_file("/proc/self/oom_score_adj", o.adj);
	if (o.uid >= 0)
		drop_to_uid(o.uid);

	for (i = 0; i < o.mb; i++)
		touch_one_mb();
	start_threads(o.threads);
	report_ready(o.ready);

	if (o.grow)
		grow(o.stop_on_oom);
	for (;;)
		pause();
}
