// SPDX-License-Identifier: GPL-2.0
/*
 * hog - a named process that holds (or keeps growing) anonymous memory.
 *
 *   hog [-n NAME] [-a ADJ] [-u UID] [-c MEMCG] [-m MB] [-t THREADS] [-g [-o]]
 *       [-V MB|all] [-k N] [-r READYFILE]
 *
 * Order matters: join the memcg first so every page is charged there,
 * set oom_score_adj while still root (lowering it needs CAP_SYS_RESOURCE),
 * then drop to UID, then allocate.  Readiness is reported only once all
 * MB are resident, so the caller can rely on the size of the process.
 *
 * -V reserves MB megabytes of address space (all: as much as mmap()
 * gives) that is never touched: PROT_NONE and MAP_NORESERVE, it costs
 * neither memory nor page tables, but counts in total_vm, which is what
 * the 2.6 OOM heuristic measures.  -k forks N children called NAME-kid
 * after that and before the MB are touched: each has the reservation
 * (and its total_vm) but none of the memory, and dies with the hog.
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
	const char *reserve;
	long kids;
	int grow;
	int stop_on_oom;
};

static void print_usage(void)
{
	fprintf(stderr,
		"usage: hog [-n NAME] [-a ADJ] [-u UID] [-c MEMCG] [-m MB] [-t THREADS] [-g [-o]]\n"
		"           [-V MB|all] [-k N] [-r READYFILE]\n");
	exit(2);
}

/*
 * Map MB megabytes (or, for "all", as much as fits) that are never used:
 * chunks from 64 TB down to 1 MB, halving whenever mmap() refuses one.
 * "all" leaves a gigabyte free, for the memory the hog touches later.
 */
static void reserve_vm(const char *mb)
{
	int all = !strcmp(mb, "all");
	unsigned long want = all ? ~0UL : strtoul(mb, NULL, 0) * MB;
	unsigned long chunk = 1UL << 46, done = 0;
	void *room = NULL;

	if (all) {
		room = mmap(NULL, 1024 * MB, PROT_NONE,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (room == MAP_FAILED)
			die("mmap");
	}

	while (done < want && chunk >= MB) {
		unsigned long len = chunk < want - done ? chunk : want - done;
		void *p = mmap(NULL, len, PROT_NONE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
			       -1, 0);

		if (p == MAP_FAILED)
			chunk >>= 1;
		else
			done += len;
	}
	if (!all && done < want)
		die("reserving address space");
	if (room && munmap(room, 1024 * MB))
		die("munmap");
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

/* The children of -k: they only wait, and die with the hog. */
static void fork_kids(const char *name, long n)
{
	pid_t parent = getpid();

	while (n-- > 0) {
		pid_t pid = fork();

		if (pid < 0)
			die("fork");
		if (!pid)
			sleep_as_child(name, "kid", parent);
	}
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

static void parse(int argc, char **argv, struct opts *o)
{
	int c;

	while ((c = getopt(argc, argv, "n:a:u:c:m:t:goV:k:r:")) != -1) {
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
		case 'V':
			o->reserve = optarg;
			break;
		case 'k':
			o->kids = atol(optarg);
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
	if (o.reserve)
		reserve_vm(o.reserve);
	fork_kids(o.name, o.kids);

	for (i = 0; i < o.mb; i++)
		touch_one_mb();
	start_threads(o.threads);
	report_ready(o.ready);

	if (o.grow)
		grow(o.stop_on_oom);
	for (;;)
		pause();
}
