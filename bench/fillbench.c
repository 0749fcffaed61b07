/*
 * fillbench [N]: what building the records of a syscall costs, without
 * interception, ring or consumer: udig_fill_enter + udig_fill_exit for the
 * calls that make up `tar cf - DIR | wc -c` (newfstatat, openat, read,
 * write, close, getppid for scale), N times each, in this process, with the
 * program's memory read by a plain copy as the preload library's checked
 * copy does.  Prints ns per enter+exit pair for each call; run under
 * `perf record` to see where a fill's time goes (a tight loop in user
 * space is what sampling on these VMs attributes well).
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "udig/encode/fillers.h"

static long read_direct(void *ctx, void *dst, uint64_t addr, size_t len)
{
	(void)ctx;
	memcpy(dst, (const void *)(uintptr_t)addr, len);
	return (long)len;
}

static int fd_stat(void *ctx, int fd, uint64_t *dev, uint64_t *ino)
{
	struct stat st;
	(void)ctx;
	if (fstat(fd, &st) < 0)
		return -1;
	*dev = st.st_dev;
	*ino = st.st_ino;
	return 0;
}

static const struct udig_tracee_ops ops = {
	.read_mem = read_direct,
	.fd_stat = fd_stat,
	.procdir = "/proc/self",
};

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

struct call {
	const char *name;
	long nr;
	uint64_t args[6];
	int64_t ret;
};

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 1000000;
	static uint8_t data[16384], rec[65536];
	struct stat st;
	int dirfd = open("/usr/include", O_RDONLY | O_DIRECTORY);
	int fd = open("/usr/include/stdio.h", O_RDONLY);
	if (n <= 0 || dirfd < 0 || fd < 0) {
		fprintf(stderr, "usage: fillbench [N] (needs /usr/include/stdio.h)\n");
		return 2;
	}
	memset(data, 'x', sizeof data);
	const char *name = "stdio.h";
	struct call calls[] = {
		{ "getppid", SYS_getppid, { 0 }, 1 },
		{ "newfstatat", SYS_newfstatat, { (uint64_t)dirfd, (uintptr_t)name, (uintptr_t)&st, AT_SYMLINK_NOFOLLOW }, 0 },
		{ "openat", SYS_openat, { (uint64_t)dirfd, (uintptr_t)name, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC }, fd },
		{ "read", SYS_read, { (uint64_t)fd, (uintptr_t)data, sizeof data }, 10240 },
		{ "write", SYS_write, { 1, (uintptr_t)data, 10240 }, 10240 },
		{ "close", SYS_close, { (uint64_t)fd }, 0 },
	};
	for (size_t k = 0; k < sizeof calls / sizeof calls[0]; k++) {
		struct udig_syscall_ctx sc;
		memset(&sc, 0, sizeof sc);
		sc.tid = sc.pid = getpid();
		sc.nr = calls[k].nr;
		memcpy(sc.args, calls[k].args, sizeof sc.args);
		sc.ret = calls[k].ret;
		sc.snaplen = 80;
		sc.ops = &ops;
		uint64_t t0 = now_ns();
		size_t sum = 0;
		for (long i = 0; i < n; i++) {
			sum += udig_fill_enter(&sc, rec, sizeof rec);
			sum += udig_fill_exit(&sc, rec, sizeof rec);
		}
		uint64_t t1 = now_ns();
		if (!sum) {
			fprintf(stderr, "fillbench: %s built no record\n", calls[k].name);
			return 1;
		}
		printf("%-12s %7.1f ns per enter+exit (%zu bytes)\n", calls[k].name, (double)(t1 - t0) / (double)n,
		       sum / (size_t)n);
	}
	return 0;
}
