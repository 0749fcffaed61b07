/*
 * Launching CMD for the preload engine.  udig is threaded by then (the
 * consumer drains the ring), so everything that allocates — the
 * environment array, the record buffer — is prepared before fork(); the
 * child only makes async-signal-safe calls.
 *
 * The launch itself is a fork and an execve the program's capture should
 * show, as the reference driver shows a shell's launch: the child writes
 * the child side of the fork (a consumer gives the command udig's fds from
 * it, where a /proc lookup would race with a short command's end), then the
 * execve enter event, and leaves the marker
 * (UDIG_EXEC_MARK=<pid>:<nr>, see udig/preload/exec.c) by which the new
 * image's libudig writes the exit event with the new process's data, exactly
 * as for an exec made inside a captured program.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "child.h"
#include "udig/encode/fillers.h"
#include "udig/encode/ring_writer.h"

extern char **environ;

#define MARK UDIG_ENV_EXEC_MARK
#define RECORD_CAP (256u * 1024u)

/* Our own memory: the pointers are the child's own, valid by construction,
 * but the fillers read strings in chunks that may run past a string's end
 * (past the array that holds it): the kernel copies what is mapped, as it
 * does from another process, where a memcpy would read out of bounds. */
static long self_read(void *ctx, void *dst, uint64_t addr, size_t len)
{
	struct iovec l = { dst, len }, r = { (void *)(uintptr_t)addr, len };
	(void)ctx;
	ssize_t n = process_vm_readv(getpid(), &l, 1, &r, 1, 0);
	return n < 0 ? -errno : (long)n;
}

static int self_fd_stat(void *ctx, int fd, uint64_t *dev, uint64_t *ino)
{
	struct stat st;
	(void)ctx;
	if (fstat(fd, &st) < 0)
		return -errno;
	*dev = st.st_dev;
	*ino = st.st_ino;
	return 0;
}

static const struct udig_tracee_ops self_ops = {
	.read_mem = self_read,
	.fd_stat = self_fd_stat,
	.procdir = "/proc/self",
};

/* environ (already holding our variables: run_setenv) without a stale
 * marker, plus the slot the child fills with its own. */
static char **build_env(char **mark_slot)
{
	size_t n = 0, k = 0;
	while (environ && environ[n])
		n++;
	char **env = calloc(n + 2, sizeof *env);
	*mark_slot = malloc(sizeof MARK + 48);
	if (!env || !*mark_slot) {
		free(env);
		free(*mark_slot);
		*mark_slot = NULL;
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		if (strncmp(environ[i], MARK, sizeof MARK - 1))
			env[k++] = environ[i];
	env[k] = *mark_slot;
	return env;
}

static size_t put_dec(char *p, unsigned long v)
{
	char t[24];
	size_t n = 0, i;
	do
		t[n++] = (char)('0' + v % 10);
	while ((v /= 10));
	for (i = 0; i < n; i++)
		p[i] = t[n - 1 - i];
	return n;
}

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

enum launch_record { LAUNCH_FORK, LAUNCH_EXEC_ENTER, LAUNCH_EXEC_EXIT };

/* In the child: one of the records of its own launch (see the top). */
static void announce(struct udig_ring_writer *w, uint8_t *buf, enum launch_record what, const char *path,
		     char *const argv[], char **env, int64_t ret)
{
	struct udig_syscall_ctx sc = {
		.ts = now_ns(),
		.tid = getpid(),
		.pid = getpid(),
		.nr = SYS_execve,
		.args = { (uint64_t)(uintptr_t)path, (uint64_t)(uintptr_t)argv, (uint64_t)(uintptr_t)env },
		.ret = ret,
		.snaplen = udig_rw_snaplen(w),
		.ops = &self_ops,
	};
	size_t len;
	switch (what) {
	case LAUNCH_FORK: len = udig_fill_launch_fork(&sc, buf, RECORD_CAP); break;
	case LAUNCH_EXEC_ENTER: len = udig_fill_enter(&sc, buf, RECORD_CAP); break;
	default: len = udig_fill_exit(&sc, buf, RECORD_CAP); break;
	}
	if (len)
		udig_rw_write(w, buf, (uint32_t)len);
}

pid_t run_spawn(const char *path, char *const argv[], struct udig_ring_writer *w, char *err, size_t errlen)
{
	char *mark = NULL;
	char **env = build_env(&mark);
	uint8_t *buf = w ? malloc(RECORD_CAP) : NULL;
	int pipefd[2] = { -1, -1 };
	pid_t pid = -1;
	if (!env || (w && !buf)) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	if (pipe2(pipefd, O_CLOEXEC)) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		goto out;
	}
	pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		goto out;
	}
	if (pid == 0) {
		close(pipefd[0]);
		size_t m = sizeof MARK - 1;
		memcpy(mark, MARK, m);
		m += put_dec(mark + m, (unsigned long)getpid());
		mark[m++] = ':';
		m += put_dec(mark + m, SYS_execve);
		mark[m] = 0;
		if (w) {
			udig_rw_after_fork(w);
			announce(w, buf, LAUNCH_FORK, path, argv, env, 0);
			announce(w, buf, LAUNCH_EXEC_ENTER, path, argv, env, 0);
		}
		execve(path, argv, env);
		int e = errno;
		if (w)
			announce(w, buf, LAUNCH_EXEC_EXIT, path, argv, env, -e);
		if (write(pipefd[1], &e, sizeof e) < 0)
			_exit(127);
		_exit(e == ENOENT ? 127 : 126);
	}
	close(pipefd[1]);
	pipefd[1] = -1;
	int e = 0;
	ssize_t n;
	do
		n = read(pipefd[0], &e, sizeof e);
	while (n < 0 && errno == EINTR);
	if (n == (ssize_t)sizeof e) {
		snprintf(err, errlen, "%s: %s", argv[0], strerror(e));
		int st;
		waitpid(pid, &st, 0);
		errno = e;
		pid = -1;
	}
out:
	if (pipefd[0] >= 0)
		close(pipefd[0]);
	if (pipefd[1] >= 0)
		close(pipefd[1]);
	free(env);
	free(mark);
	free(buf);
	return pid;
}
