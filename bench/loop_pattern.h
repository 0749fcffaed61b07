/*
 * The syscall patterns bench/loop and bench/sud_floor time, identically:
 * getppid (one syscall an iteration), openclose (open + close of
 * /etc/hostname, two), openreadclose (open, read, close: three) or tcprw
 * (100 bytes written into one end of a loopback TCP connection and read
 * from the other: two; socket I/O, what dynamic snaplen and the
 * full-capture ports look at).  Header-only: each program is one file.
 */
#ifndef UDIG_BENCH_LOOP_PATTERN_H
#define UDIG_BENCH_LOOP_PATTERN_H
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double loop_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

enum loop_pattern { LOOP_GETPPID, LOOP_OPENCLOSE, LOOP_OPENREADCLOSE, LOOP_TCPRW, LOOP_N };
static const char *const loop_names[] = { "getppid", "openclose", "openreadclose", "tcprw" };

/* The loopback connection of tcprw, made before the first iteration (its
 * own syscalls are not timed: loop_time warms up first). */
static int loop_tcp[2] = { -1, -1 };

static void loop_tcp_setup(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t l = sizeof a;
	int one = 1;
	int ls = socket(AF_INET, SOCK_STREAM, 0);
	if (ls < 0 || bind(ls, (struct sockaddr *)&a, sizeof a) || listen(ls, 1) ||
	    getsockname(ls, (struct sockaddr *)&a, &l)) {
		perror("loop: tcprw listener");
		exit(1);
	}
	loop_tcp[0] = socket(AF_INET, SOCK_STREAM, 0);
	if (loop_tcp[0] < 0 || connect(loop_tcp[0], (struct sockaddr *)&a, sizeof a) ||
	    (loop_tcp[1] = accept(ls, NULL, NULL)) < 0) {
		perror("loop: tcprw connection");
		exit(1);
	}
	setsockopt(loop_tcp[0], IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	close(ls);
}

static void loop_once(int pattern)
{
	char buf[64];
	int fd;

	switch (pattern) {
	case LOOP_TCPRW: {
		static char msg[100], in[100];
		if (loop_tcp[0] < 0)
			loop_tcp_setup();
		if (write(loop_tcp[0], msg, sizeof msg) != (ssize_t)sizeof msg)
			exit(1);
		/* One read on loopback; more only if TCP split the message. */
		for (size_t got = 0; got < sizeof in;) {
			ssize_t r = read(loop_tcp[1], in + got, sizeof in - got);
			if (r <= 0)
				exit(1);
			got += (size_t)r;
		}
		break;
	}
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
	for (int i = 0; argc == 3 && i < LOOP_N; i++)
		if (!strcmp(argv[1], loop_names[i]))
			*pattern = i;
	if (*pattern < 0 || atol(argv[2]) <= 0) {
		fprintf(stderr, "usage: %s getppid|openclose|openreadclose|tcprw N\n", prog);
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
