// SPDX-License-Identifier: GPL-2.0
/*
 * scoreread - time reading /proc/<pid>/oom_score of every process.
 *
 *   scoreread [-p PASSES]
 *
 * Lists the processes once, then reads each one's oom_score (open, read,
 * close) in PASSES passes (default 3), and prints one line per pass:
 *
 *   pass N us US files FILES
 *
 * A process that exits in between is skipped, not counted.
 */
#include "../progs/common.h"

#include <dirent.h>
#include <fcntl.h>
#include <time.h>

int main(int argc, char **argv)
{
	unsigned long passes = 3, n = 0, cap = 1024, i, k, files;
	struct dirent *d;
	char buf[32];
	unsigned long long t0;
	char **paths;
	DIR *proc;
	int c, fd;

	while ((c = getopt(argc, argv, "p:")) != -1) {
		if (c != 'p') {
			fprintf(stderr, "usage: scoreread [-p PASSES]\n");
			return 2;
		}
		passes = strtoul(optarg, NULL, 0);
	}

	paths = malloc(cap * sizeof(*paths));
	proc = opendir("/proc");
	if (!paths || !proc)
		die("/proc");
	while ((d = readdir(proc))) {
		if (d->d_name[0] < '1' || d->d_name[0] > '9')
			continue;
		if (n == cap) {
			cap *= 2;
			paths = realloc(paths, cap * sizeof(*paths));
			if (!paths)
				die("realloc");
		}
		if (asprintf(&paths[n++], "/proc/%s/oom_score", d->d_name) < 0)
			die("asprintf");
	}
	closedir(proc);

	for (k = 1; k <= passes; k++) {
		files = 0;
		t0 = now_ns();
		for (i = 0; i < n; i++) {
			fd = open(paths[i], O_RDONLY);
			if (fd < 0)
				continue;
			if (read(fd, buf, sizeof(buf)) > 0)
				files++;
			close(fd);
		}
		printf("pass %lu us %llu files %lu\n", k,
		       (now_ns() - t0) / 1000, files);
	}
	return 0;
}
