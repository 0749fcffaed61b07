/*
 * The syscall patterns bench/loop and bench/sud_floor time, identically:
 * getppid (one syscall an iteration), openclose (open + close of
 * /etc/hostname, two) or openreadclose (open, read, close: three).
 * Header-only: each program is one file.
 */
#ifndef UDIG_BENCH_LOOP_PATTERN_H
#define UDIG_BENCH_LOOP_PATTERN_H
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double loop_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

enum loop_pattern { LOOP_GETPPID, LOOP_OPENCLOSE, LOOP_OPENREADCLOSE };
static const char *const loop_names[] = { "getppid", "openclose", "openreadclose" };

static void loop_once(int pattern)
{
	char buf[64];
	int fd;

	switch (pattern) {
	case LOOP_GETPPID:
		(void)getppid();
		break;
	case LOOP_OPENCLOSE:
	case LOOP_OPENREADCLOSE:
		fd = open("/etc/hostname", O_RDONLY);
		if (fd < 0)
			break;
		if (pattern == LOOP_OPENREADCLOSE && read(fd, buf, sizeof buf) < 0)
			buf[0] = 0;
		close(fd);
		break;
	}
}

/* "PROG PATTERN N": 0 with *pattern and *n, or -1 after the usage line. */
static int loop_args(int argc, char **argv, const char *prog, int *pattern, long *n)
{
	*pattern = -1;
	for (int i = 0; argc == 3 && i < 3; i++)
		if (!strcmp(argv[1], loop_names[i]))
			*pattern = i;
	if (*pattern < 0 || atol(argv[2]) <= 0) {
		fprintf(stderr, "usage: %s getppid|openclose|openreadclose N\n", prog);
		return -1;
	}
	*n = atol(argv[2]);
	return 0;
}

/* ns per iteration of n iterations, after 10% of warm-up. */
static double loop_time(int pattern, long n)
{
	for (long i = 0; i < n / 10; i++)
		loop_once(pattern);
	double t0 = loop_now();
	for (long i = 0; i < n; i++)
		loop_once(pattern);
	return (loop_now() - t0) / (double)n;
}

#endif
