// SPDX-License-Identifier: GPL-2.0
/*
 * oomloop - cause global OOMs one after another and time each one as the
 * allocating task sees it.
 *
 *   oomloop [-k OOMS] [-v MB] [-m MAXMB]
 *
 * Run it with oom_score_adj -1000: it is the task that runs into the OOM
 * killer, never the one killed. For each OOM it starts a victim, a process
 * of MB megabytes (default 8) with oom_score_adj 0 that must be the
 * largest killable process, then touches fresh pages one at a time until
 * the kernel has killed someone, timing every touch. The slowest touch is
 * the one whose allocation ran into the OOM killer and waited until memory
 * was back: one line per OOM,
 *
 *   oom N stall_us US pages PAGES kills KILLS
 *
 * with the pages touched and the OOM kills the kernel counted meanwhile.
 * Then it frees what it touched, waits until the victim is gone and goes
 * on. It gives up (exit status 1)
 * when a victim dies before it is ready or is not OOM-killed, or when
 * MAXMB megabytes (default 1024) were touched without an OOM.
 *
 * Each victim is forked by a process of its own that only waits for it:
 * a parent whose children keep being OOM-killed is what oom_forkblame
 * blames, and the benchmark must not turn into that scenario.
 */
#include "../progs/common.h"

#include <signal.h>
#include <sys/wait.h>
#include <time.h>

/* A page fault this slow (normally tens of microseconds) met the OOM killer. */
#define SLOW_NS		2000000ULL

/* Global and memcg OOM kills, from /proc/vmstat. */
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

static void victim(int ready, unsigned long mb)
{
	unsigned long i;

	set_name("oomvictim");
	write_file("/proc/self/oom_score_adj", "0");
	for (i = 0; i < mb; i++)
		touch_one_mb();
	if (write(ready, "r", 1) != 1)
		die("write");
	for (;;)
		pause();
}

/*
 * Fork the waiter and, from it, the victim. Returns the waiter's pid; its
 * exit status is 0 when the victim died of SIGKILL. *fd is the read end
 * of a pipe whose only writer is the victim: one byte when it is ready,
 * end of file when it is gone.
 */
static pid_t start_victim(unsigned long mb, int *fd)
{
	int p[2], status;
	pid_t waiter, v;

	if (pipe(p))
		die("pipe");
	waiter = fork();
	if (waiter < 0)
		die("fork");
	if (waiter == 0) {
		set_name("oomwaiter");
		v = fork();
		if (v < 0)
			die("fork");
		if (v == 0) {
			close(p[0]);
			victim(p[1], mb);
		}
		close(p[0]);
		close(p[1]);
		if (waitpid(v, &status, 0) != v)
			die("waitpid");
		exit(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL ? 0 : 1);
	}
	close(p[1]);
	*fd = p[0];
	return waiter;
}

/* Wait for the victim's byte; false if it died first. */
static int victim_ready(int fd)
{
	char c;

	return read(fd, &c, 1) == 1;
}

/* Wait for the end of file on the victim's pipe: it is gone. */
static void victim_wait_gone(int fd)
{
	char c;

	while (read(fd, &c, 1) > 0)
		;
}

int main(int argc, char **argv)
{
	unsigned long ooms = 20, mb = 8, max_mb = 1024, n, i, pages;
	long page = sysconf(_SC_PAGESIZE);
	unsigned long long t0, t1, stall;
	unsigned long kills;
	int c, fd, status;
	pid_t waiter;
	char *mem;

	while ((c = getopt(argc, argv, "k:v:m:")) != -1) {
		switch (c) {
		case 'k':
			ooms = strtoul(optarg, NULL, 0);
			break;
		case 'v':
			mb = strtoul(optarg, NULL, 0);
			break;
		case 'm':
			max_mb = strtoul(optarg, NULL, 0);
			break;
		default:
			fprintf(stderr, "usage: oomloop [-k OOMS] [-v MB] [-m MAXMB]\n");
			return 2;
		}
	}

	set_name("oomloop");
	mem = mmap(NULL, max_mb * MB, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (mem == MAP_FAILED)
		die("mmap");

	for (n = 1; n <= ooms; n++) {
		waiter = start_victim(mb, &fd);
		if (!victim_ready(fd)) {
			fprintf(stderr, "oomloop: victim %lu died before it was ready\n",
				n);
			return 1;
		}
		kills = oom_kills();
		stall = 0;
		for (i = 0, pages = 0; ; i += page, pages++) {
			if (i >= max_mb * MB) {
				fprintf(stderr, "oomloop: no OOM after %lu MB\n",
					max_mb);
				return 1;
			}
			t0 = now_ns();
			mem[i] = 1;
			t1 = now_ns();
			if (t1 - t0 > stall)
				stall = t1 - t0;
			/*
			 * Stop at the first kill: growing on would eat what the
			 * victim gave back and make the kernel kill again. A
			 * touch that ran into the OOM killer is slow, so look
			 * after each slow one, and once per megabyte.
			 */
			if ((t1 - t0 > SLOW_NS || (i + page) % MB == 0) &&
			    oom_kills() != kills)
				break;
		}
		kills = oom_kills() - kills;
		if (madvise(mem, i + page, MADV_DONTNEED))
			die("madvise");
		victim_wait_gone(fd);
		close(fd);
		if (waitpid(waiter, &status, 0) != waiter)
			die("waitpid");
		if (!WIFEXITED(status) || WEXITSTATUS(status)) {
			fprintf(stderr, "oomloop: victim %lu was not OOM-killed\n",
				n);
			return 1;
		}
		printf("oom %lu stall_us %llu pages %lu kills %lu\n", n,
		       stall / 1000, pages + 1, kills);
		fflush(stdout);
	}
	return 0;
}
