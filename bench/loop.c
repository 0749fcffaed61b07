/*
 * loop getppid|openclose N — calls one cheap syscall pattern N times (after
 * 10% warm-up) and prints the ns per iteration.  openclose is open+close of
 * /etc/hostname: two syscalls per iteration.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static void once(int open_close)
{
	if (open_close) {
		int fd = open("/etc/hostname", O_RDONLY);
		if (fd >= 0)
			close(fd);
	} else {
		(void)getppid();
	}
}

int main(int argc, char **argv)
{
	if (argc != 3 || (strcmp(argv[1], "getppid") && strcmp(argv[1], "openclose"))) {
		fprintf(stderr, "usage: loop getppid|openclose N\n");
		return 2;
	}
	int oc = !strcmp(argv[1], "openclose");
	long n = atol(argv[2]);
	for (long i = 0; i < n / 10; i++)
		once(oc);
	double t0 = now();
	for (long i = 0; i < n; i++)
		once(oc);
	printf("%.1f\n", (now() - t0) / (double)n);
	return 0;
}
