/*
 * The syscall patterns bench/loop and bench/sud_floor time, identically:
 * getppid (one syscall an iteration) or openclose (open + close of
 * /etc/hostname, two).  Header-only: each program is one file.
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

static void loop_once(int open_close)
{
	if (open_close) {
		int fd = open("/etc/hostname", O_RDONLY);
		if (fd >= 0)
			close(fd);
	} else {
		(void)getppid();
	}
}

/* "PROG getppid|openclose N": 0 with *oc and *n, or -1 after the usage line. */
static int loop_args(int argc, char **argv, const char *prog, int *oc, long *n)
{
	if (argc != 3 || (strcmp(argv[1], "getppid") && strcmp(argv[1], "openclose")) || atol(argv[2]) <= 0) {
		fprintf(stderr, "usage: %s getppid|openclose N\n", prog);
		return -1;
	}
	*oc = !strcmp(argv[1], "openclose");
	*n = atol(argv[2]);
	return 0;
}

/* ns per iteration of n iterations, after 10% of warm-up. */
static double loop_time(int oc, long n)
{
	for (long i = 0; i < n / 10; i++)
		loop_once(oc);
	double t0 = loop_now();
	for (long i = 0; i < n; i++)
		loop_once(oc);
	return (loop_now() - t0) / (double)n;
}

#endif
