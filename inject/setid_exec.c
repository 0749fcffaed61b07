/*
 * Would a tracee's exec lose privileges under our capture (see setid.h)?
 * Looked at only where something can be lost: an unprivileged udig, whose
 * filter needs no_new_privs and whose ptrace cannot carry privileges.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#include "inject/inject.h"
#include "inject/setid.h"
#include "inject/tracee.h"

static int has_cap(uint64_t set, int cap)
{
	return (set >> cap) & 1;
}

void inj_setid_guard_init(struct inj_setid_guard *g)
{
	struct inj_setid_creds self;

	memset(g, 0, sizeof *g);
	g->native_nnp = prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1;
	if (inj_setid_creds_of(0, &self) < 0) {
		/* No /proc: assume the unprivileged case, and look. */
		g->filter_nnp = 1;
		g->on = !g->native_nnp;
		return;
	}
	/* seccomp(2): without no_new_privs, a filter needs CAP_SYS_ADMIN
	 * (spawn.c tries without first).  ptrace(2): a traced set-ID exec
	 * keeps its credentials if the tracer has CAP_SYS_PTRACE. */
	g->filter_nnp = !has_cap(self.cap_effective, CAP_SYS_ADMIN);
	g->tracer_capable = has_cap(self.cap_effective, CAP_SYS_PTRACE);
	/* Natively under no_new_privs, no exec raises anything: nothing to lose. */
	g->on = !g->native_nnp && (g->filter_nnp || !g->tracer_capable);
}

/* The path argument of the exec, NUL-terminated, or -1. */
static int exec_path(pid_t tid, uint64_t addr, char *out, size_t len)
{
	long n = inj_read_mem(tid, out, addr, len - 1);
	if (n <= 0)
		return -1;
	out[n] = 0;
	return strlen(out) < (size_t)n ? 0 : -1;   /* unterminated: the kernel says ENAMETOOLONG */
}

static int open_proc(pid_t tid, const char *what, int flags)
{
	char p[64];
	snprintf(p, sizeof p, "/proc/%d/%s", (int)tid, what);
	return open(p, O_PATH | O_CLOEXEC | flags);
}

/* The file the exec would load, opened O_PATH into *fd (with the tracee's
 * root and cwd, kept for a script's interpreter): 0 or -1. */
static int exec_target(pid_t tid, long nr, const uint64_t args[6], int *fd, int *rootfd, int *cwdfd)
{
	char path[PATH_MAX], fdname[32];
	int dirfd = -1, flags = 0, own_dir = 0;

	*fd = -1;
	if (exec_path(tid, nr == SYS_execveat ? args[1] : args[0], path, sizeof path) < 0)
		return -1;
	*rootfd = open_proc(tid, "root", O_DIRECTORY);
	*cwdfd = open_proc(tid, "cwd", O_DIRECTORY);
	if (*rootfd < 0 || *cwdfd < 0)
		return -1;
	dirfd = *cwdfd;
	if (nr == SYS_execveat) {
		flags = (int)args[4] & (AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW);
		if ((int)args[0] != AT_FDCWD && path[0] != '/') {
			/* The tracee's descriptor, through its /proc entry. */
			snprintf(fdname, sizeof fdname, "fd/%d", (int)args[0]);
			dirfd = open_proc(tid, fdname, 0);
			if (dirfd < 0)
				return -1;
			own_dir = 1;
		}
	}
	*fd = inj_setid_open(*rootfd, dirfd, path, flags);
	if (own_dir)
		close(dirfd);
	return *fd < 0 ? -1 : 0;
}

int inj_setid_exec_check(const struct inj_setid_guard *g, pid_t tid, long nr, const uint64_t args[6], int ptraced,
                         int detach, char *msg, size_t len)
{
	struct inj_setid_creds c;
	struct inj_setid_file f;
	char real[PATH_MAX], what[256];
	int fd = -1, rootfd = -1, cwdfd = -1, lost = 0, nnp_now;
	unsigned ch;

	if (!g->on || (nr != SYS_execve && nr != SYS_execveat))
		return 0;
	if (exec_target(tid, nr, args, &fd, &rootfd, &cwdfd) < 0 ||
	    inj_setid_facts(fd, rootfd, cwdfd, &f, real, sizeof real) < 0 || inj_setid_creds_of(tid, &c) < 0)
		goto out;
	/* The tracee has no_new_privs now; natively it would have had ours. */
	nnp_now = c.no_new_privs;
	c.no_new_privs = g->native_nnp;
	ch = inj_setid_changes(&f, &c);
	lost = inj_setid_lost(ch, nnp_now, ptraced, g->tracer_capable);
	if (lost) {
		const char *why = nnp_now ? "no_new_privs, which an unprivileged seccomp filter needs"
		                          : "traced without CAP_SYS_PTRACE";
		inj_setid_describe(ch, &f, what, sizeof what);
		if (detach)
			snprintf(msg, len, "let go of pid %d at its exec of %s (%s), which would run without "
			         "its privileges while traced (%s): it runs natively, uncaptured",
			         (int)tid, real, what, why);
		else
			snprintf(msg, len, "refused the exec of %s (%s) by pid %d: under this capture it would "
			         "run without its privileges (%s)", real, what, (int)tid, why);
	}
out:
	if (fd >= 0)
		close(fd);
	if (rootfd >= 0)
		close(rootfd);
	if (cwdfd >= 0)
		close(cwdfd);
	return lost;
}

enum inject_setid inject_setid_check(const char *path, enum inject_engine e, char *what, size_t len)
{
	struct inj_setid_guard g;
	struct inj_setid_creds c;
	struct inj_setid_file f;
	unsigned ch;
	int fd, r;

	fd = inj_setid_open(-1, AT_FDCWD, path, 0);
	if (fd < 0)
		return INJECT_SETID_NONE;
	r = inj_setid_facts(fd, -1, AT_FDCWD, &f, NULL, 0);
	close(fd);
	if (r < 0 || inj_setid_creds_of(0, &c) < 0)
		return INJECT_SETID_NONE;
	inj_setid_guard_init(&g);
	c.no_new_privs = g.native_nnp;
	ch = inj_setid_changes(&f, &c);
	if (!ch)
		return INJECT_SETID_NONE;
	inj_setid_describe(ch, &f, what, len);
	/* The launched process gets the filter (no_new_privs where needed)
	 * and, under ptrace (preload-aware runs too), is traced at its first
	 * exec. */
	return g.on && inj_setid_lost(ch, g.filter_nnp, e == INJECT_ENGINE_PTRACE, g.tracer_capable)
	       ? INJECT_SETID_LOST : INJECT_SETID_KEPT;
}
