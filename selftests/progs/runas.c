// SPDX-License-Identifier: GPL-2.0
/*
 * runas - run a command as another user, for tests of root-only files.
 *
 *   runas UID COMMAND [ARG...]
 */
#include <grp.h>

#include "common.h"

int main(int argc, char **argv)
{
	long uid;

	if (argc < 3) {
		fprintf(stderr, "usage: runas UID COMMAND [ARG...]\n");
		return 2;
	}
	uid = atol(argv[1]);
	if (setgroups(0, NULL) || setgid(uid) || setuid(uid))
		die("dropping privileges");
	execvp(argv[2], argv + 2);
	die(argv[2]);
}
