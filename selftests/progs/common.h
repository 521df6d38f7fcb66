/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the guest programs.  Each program is one static
 * binary built from one .c file, so these are static functions here.
 */
#ifndef SELFTESTS_PROGS_COMMON_H
#define SELFTESTS_PROGS_COMMON_H

#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <signal.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#define MB (1024UL * 1024UL)

/* CLOCK_MONOTONIC in nanoseconds. */
static inline unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static inline void die(const char *what)
{
	fprintf(stderr, "%s: %s\n", what, strerror(errno));
	exit(1);
}

/* The comm the OOM killer prints and that policies match names against. */
static inline void set_name(const char *name)
{
	if (prctl(PR_SET_NAME, name))
		die("PR_SET_NAME");
}

/* Map one megabyte and write every page, so it is really resident. */
static inline void touch_one_mb(void)
{
	long page = sysconf(_SC_PAGESIZE);
	unsigned long off;
	char *p;

	p = mmap(NULL, MB, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		die("mmap");
	for (off = 0; off < MB; off += page)
		memset(p + off, 0x5a, page);
}

static inline void write_file(const char *path, const char *val)
{
	FILE *f = fopen(path, "w");

	if (!f || fputs(val, f) == EOF || fclose(f) == EOF)
		die(path);
}

/*
 * Join /sys/fs/cgroup/MEMCG: before the first page is touched, or the
 * pages stay charged where they are (cgroup2 does not move charges).
 */
static inline void enter_memcg(const char *memcg)
{
	char path[256], pid[32];

	snprintf(path, sizeof(path), "/sys/fs/cgroup/%s/cgroup.procs", memcg);
	snprintf(pid, sizeof(pid), "%d\n", getpid());
	write_file(path, pid);
}

/*
 * Tell the test script we are set up: our pid goes to READY (written to
 * a temporary name and renamed, so a reader never sees half a file) or,
 * without READY, to stdout.
 */
static inline void report_ready(const char *ready)
{
	char tmp[256], pid[32];

	snprintf(pid, sizeof(pid), "%d\n", getpid());
	if (!ready) {
		fputs(pid, stdout);
		fflush(stdout);
		return;
	}
	snprintf(tmp, sizeof(tmp), "%s.tmp", ready);
	write_file(tmp, pid);
	if (rename(tmp, ready))
		die("rename");
}

/*
 * The life of a forked child that only waits, never returning: named
 * NAME-SUFFIX, killed with its parent PARENT, which may have died before
 * PR_SET_PDEATHSIG was set.
 */
static inline void sleep_as_child(const char *name, const char *suffix,
				  pid_t parent)
{
	char comm[16];

	snprintf(comm, sizeof(comm), "%s-%s", name, suffix);
	set_name(comm);
	if (prctl(PR_SET_PDEATHSIG, SIGKILL))
		die("PR_SET_PDEATHSIG");
	if (getppid() != parent)
		exit(0);
	for (;;)
		pause();
}

#endif
