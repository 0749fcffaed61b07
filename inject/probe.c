/*
 * inject_ptrace_usable(): try, rather than guess from settings, whether
 * the ptrace engine can work here.  Settings explain a failure, they do not
 * predict one: a tracer that does not follow forks leaves our children
 * alone, an LSM may forbid what Yama allows.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "inject/engine.h"
#include "inject/filter.h"
#include "inject/procfs.h"

/* The probe child's exit codes when it fails on its own. */
#define PROBE_NO_GO 90      /* the go byte never came (we gave up on it) */
#define PROBE_NOT_STOPPED 91 /* the RET_TRACE syscall ran without a stop */
#define PROBE_NNP_FAILED 92
#define PROBE_FILTER_FAILED 100 /* + errno of seccomp() */

/* The syscall the probe's filter traps: nothing else in the child makes it. */
#define PROBE_NR SYS_getppid

/* A decimal field of a /proc text file ("TracerPid:", "Seccomp:"), or -1. */
static long proc_field(const char *path, const char *name)
{
	char buf[4096];
	const char *p;
	size_t nl = strlen(name);

	if (inj_read_text(path, buf, sizeof buf) < 0)
		return -1;
	if (!name[0])
		return strtol(buf, NULL, 10);
	for (p = buf; p; p = strchr(p, '\n')) {
		if (*p == '\n')
			p++;
		if (strncmp(p, name, nl) == 0)
			return strtol(p + nl, NULL, 10);
	}
	return -1;
}

static void __attribute__((noreturn))
probe_child(int go_r, const struct sock_filter *prog, unsigned len)
{
	struct sock_fprog fp = { (unsigned short)len, (struct sock_filter *)prog };
	char c;

	/* Raw syscalls only: the caller may be multi-threaded, we are a
	 * fork of it. */
	if (syscall(SYS_read, go_r, &c, 1) != 1)
		_exit(PROBE_NO_GO);
	if (syscall(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1L, 0L, 0L, 0L) < 0)
		_exit(PROBE_NNP_FAILED);
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0L, &fp) < 0)
		_exit(PROBE_FILTER_FAILED + (errno < 150 ? errno : 0));
	syscall(PROBE_NR);
	_exit(PROBE_NOT_STOPPED);
}

/* Kill and reap: never leave a stopped or zombie child behind. */
static void finish(pid_t pid, int *status)
{
	kill(pid, SIGKILL);
	for (;;) {
		int st;
		pid_t r = waitpid(pid, &st, __WALL);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return;   /* ECHILD: someone (SIGCHLD ignored) reaped it */
		if (WIFEXITED(st) || WIFSIGNALED(st)) {
			if (status)
				*status = st;
			return;
		}
	}
}

/* PTRACE_SEIZE failed with e: say why, as precisely as we can. */
static void explain_seize(pid_t pid, int e, long scope, char *err)
{
	long self_tracer = proc_field("/proc/self/status", "TracerPid:");
	char path[48];
	long child_tracer;

	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	child_tracer = proc_field(path, "TracerPid:");
	if (self_tracer > 0) {
		inj_err(err, "udig is itself being traced (TracerPid %ld in /proc/self/status): ptrace is taken",
		        self_tracer);
		return;
	}
	if (child_tracer > 0) {
		inj_err(err, "another tracer (pid %ld) takes every child udig starts: ptrace is taken",
		        child_tracer);
		return;
	}
	/* The kernel looks the pid up before any permission check: a pid that
	 * cannot exist gives ESRCH, unless a seccomp filter answers first. */
	errno = 0;
	if (ptrace(PTRACE_SEIZE, (pid_t)INT_MAX, 0L, 0L) < 0 && errno != ESRCH) {
		inj_err(err, "seccomp forbids ptrace (Seccomp: %ld in /proc/self/status; ptrace fails with %s)",
		        proc_field("/proc/self/status", "Seccomp:"), strerror(errno));
		return;
	}
	if (scope == 2) {
		inj_err(err, "/proc/sys/kernel/yama/ptrace_scope is 2 (admin-only attach): PTRACE_SEIZE: %s",
		        strerror(e));
		return;
	}
	inj_err(err, "PTRACE_SEIZE of a child: %s (a security module may forbid ptrace)", strerror(e));
}

static void explain_exit(int st, char *err)
{
	int code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;

	if (code == PROBE_NNP_FAILED)
		inj_err(err, "cannot set no_new_privs for a seccomp filter");
	else if (code >= PROBE_FILTER_FAILED)
		inj_err(err, "cannot install a seccomp filter: %s", strerror(code - PROBE_FILTER_FAILED));
	else if (code == PROBE_NOT_STOPPED)
		inj_err(err, "seccomp SECCOMP_RET_TRACE does not stop a traced child here");
	else if (WIFSIGNALED(st))
		inj_err(err, "the probe child died of signal %d", WTERMSIG(st));
	else
		inj_err(err, "the probe child exited with %d before its seccomp stop", code);
}

int inject_ptrace_usable(char *err)
{
	struct sock_filter prog[INJ_FILTER_MAX];   /* 9 KiB; the filter itself is 9 instructions */
	uint8_t mask[INJECT_MASK_BYTES];
	long scope = proc_field("/proc/sys/kernel/yama/ptrace_scope", "");
	unsigned len;
	int go[2], st = 0, ok = 0;
	pid_t pid;

	if (scope == 3) {
		inj_err(err, "/proc/sys/kernel/yama/ptrace_scope is 3 (no ptrace)");
		return 0;
	}
	inject_mask_clear(mask);
	inject_mask_set(mask, PROBE_NR, 1);
	len = inj_filter_build(mask, SECCOMP_RET_TRACE, 0, 0, prog);
	/* A socket rather than a pipe: sending to a child that died meanwhile
	 * must not raise SIGPIPE in the caller (MSG_NOSIGNAL). */
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, go) < 0) {
		inj_err(err, "socketpair: %s", strerror(errno));
		return 0;
	}
	pid = fork();
	if (pid < 0) {
		inj_err(err, "fork: %s", strerror(errno));
		close(go[0]);
		close(go[1]);
		return 0;
	}
	if (pid == 0) {
		close(go[1]);
		probe_child(go[0], prog, len);
	}
	close(go[0]);
	/* EXITKILL: should we die before finish(), the child dies too
	 * instead of running on without its tracer. */
	if (ptrace(PTRACE_SEIZE, pid, 0L, (long)(PTRACE_O_TRACESECCOMP | PTRACE_O_EXITKILL)) < 0) {
		int e = errno;
		explain_seize(pid, e, scope, err);
		close(go[1]);
		finish(pid, NULL);
		return 0;
	}
	if (send(go[1], "g", 1, MSG_NOSIGNAL) != 1) {
		inj_err(err, "the probe child is gone: %s", strerror(errno));
		close(go[1]);
		finish(pid, NULL);
		return 0;
	}
	close(go[1]);
	for (;;) {
		pid_t r = waitpid(pid, &st, __WALL);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			inj_err(err, "waitpid: %s", strerror(errno));
			break;
		}
		if (WIFSTOPPED(st) && (st >> 8) == (SIGTRAP | (PTRACE_EVENT_SECCOMP << 8))) {
			ok = 1;
			break;
		}
		if (WIFEXITED(st) || WIFSIGNALED(st)) {
			explain_exit(st, err);
			return 0;   /* already reaped */
		}
		/* Any other stop (a signal from outside): not what we asked
		 * for, but not a verdict either; let it go on. */
		ptrace(PTRACE_CONT, pid, 0L, (long)(((st >> 16) == 0) ? WSTOPSIG(st) : 0));
	}
	finish(pid, NULL);
	return ok;
}
