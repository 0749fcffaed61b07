/* Child side of every run: filter first, then exec once the engine is ready. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "inject/engine.h"
#include "inject/filter.h"
#include "inject/spawn.h"

extern char **environ;

/* A syscall the filter lets through: the cookie rides in the 6th argument,
 * which read, write and close ignore. */
#define COOKIE_SYSCALL(nr, a, b, c, cookie) syscall((nr), (a), (b), (c), 0L, 0L, (long)(cookie))

static void child_fail(const char *what, int e, uint64_t cookie)
{
	char msg[256];
	size_t n = 0;
	const char *parts[4] = { "udig: ", what, ": ", strerror(e) };
	unsigned i;
	for (i = 0; i < 4; i++) {
		size_t l = strlen(parts[i]);
		if (n + l > sizeof msg - 2)
			l = sizeof msg - 2 - n;
		memcpy(msg + n, parts[i], l);
		n += l;
	}
	msg[n++] = '\n';
	COOKIE_SYSCALL(SYS_write, STDERR_FILENO, msg, n, cookie);
}

static void __attribute__((noreturn))
child(const char *path, char *const argv[], const struct sock_filter *prog, unsigned len, unsigned flags,
      uint64_t cookie, int ctl_w, int go_r)
{
	long r;
	char c;

	/* no_new_privs only when the kernel demands it (no CAP_SYS_ADMIN):
	 * it strips set-ID and file-capability privileges from every exec
	 * of the program, which a privileged udig need not inflict. */
	r = inj_filter_install(prog, len, flags);
	if (r == -EACCES) {
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
			r = -errno;
		else
			r = inj_filter_install(prog, len, flags);
	}
	if (COOKIE_SYSCALL(SYS_write, ctl_w, &r, sizeof r, cookie) != (long)sizeof r || r < 0)
		_exit(126);
	/* EOF: the engine gave up on us. */
	if (COOKIE_SYSCALL(SYS_read, go_r, &c, 1, cookie) != 1)
		_exit(126);
	/* From here on the engine serves the filter: the next syscall is the
	 * program's execve, the first event of its capture (the pipes and the
	 * listener fd are close-on-exec: the program never sees them).  The
	 * explicit zero 6th argument wipes the cookie from r9, where the kernel
	 * reads a syscall's 6th argument: execve takes three, and would
	 * otherwise carry the stale cookie through the filter unseen. */
	if (path) {
		syscall(SYS_execve, path, argv, environ, 0L, 0L, 0L);
		r = errno;
		if (r != ENOEXEC)
			goto failed;
	}
	/* Not found in PATH, or a script without #! that execvp hands to sh. */
	syscall(SYS_getpid, 0L, 0L, 0L, 0L, 0L, 0L); /* wipes r9 */
	execvp(argv[0], argv);
	r = errno;
failed:
	child_fail(argv[0], (int)r, cookie);
	_exit(r == ENOENT ? 127 : 126);
}

int inject_resolve(const char *cmd, char *out, size_t len)
{
	const char *p = getenv("PATH");
	struct stat st;

	if (strchr(cmd, '/')) {
		int w = snprintf(out, len, "%s", cmd);
		return w > 0 && (size_t)w < len && access(out, X_OK) == 0 ? 0 : -1;
	}
	if (!p)
		p = "/bin:/usr/bin"; /* execvp's default */
	while (*p) {
		const char *end = strchr(p, ':');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		int w = snprintf(out, len, "%.*s/%s", (int)n, n ? p : ".", cmd);
		if (w > 0 && (size_t)w < len && stat(out, &st) == 0 && S_ISREG(st.st_mode) &&
		    access(out, X_OK) == 0)
			return 0;
		p += n + (end != NULL);
	}
	return -1;
}

int inj_spawn_start(struct inj_spawn *sp, char *const argv[], const uint8_t *mask,
                    uint32_t action, unsigned flags, int all_creators, char *err)
{
	struct sock_filter *prog;
	unsigned len;
	uint64_t cookie = 0;
	int ctl[2], go[2];
	char path[PATH_MAX];
	ssize_t n;

	memset(sp, 0, sizeof *sp);
	sp->go_w = -1;
	/* The PATH search here rather than in the child: the child's failed
	 * attempts would be captured as execve events the program never asked
	 * for (strace, too, resolves before its one execve).  Not found: the
	 * child lets execvp report the error. */
	if (inject_resolve(argv[0], path, sizeof path) < 0)
		path[0] = 0;
	while (cookie == 0)
		if (getrandom(&cookie, sizeof cookie, 0) != (ssize_t)sizeof cookie) {
			inj_err(err, "getrandom: %s", strerror(errno));
			return -1;
		}
	prog = calloc(INJ_FILTER_MAX, sizeof *prog);
	if (!prog) {
		inj_err(err, "out of memory");
		return -1;
	}
	len = inj_filter_build(mask, action, cookie, all_creators, prog);
	if (pipe2(ctl, O_CLOEXEC) < 0 || pipe2(go, O_CLOEXEC) < 0) {
		inj_err(err, "pipe: %s", strerror(errno));
		free(prog);
		return -1;
	}
	sp->pid = fork();
	if (sp->pid < 0) {
		inj_err(err, "fork: %s", strerror(errno));
		close(ctl[0]); close(ctl[1]); close(go[0]); close(go[1]);
		free(prog);
		return -1;
	}
	if (sp->pid == 0) {
		close(ctl[0]);
		close(go[1]);
		child(path[0] ? path : NULL, argv, prog, len, flags, cookie, ctl[1], go[0]);
	}
	free(prog);
	close(ctl[1]);
	close(go[0]);
	sp->go_w = go[1];
	do
		n = read(ctl[0], &sp->filter_result, sizeof sp->filter_result);
	while (n < 0 && errno == EINTR);
	close(ctl[0]);
	if (n != (ssize_t)sizeof sp->filter_result) {
		inj_err(err, "the launched process died before installing its seccomp filter");
		inj_spawn_abort(sp);
		return -1;
	}
	if (sp->filter_result < 0) {
		inj_err(err, "seccomp filter: %s", strerror((int)-sp->filter_result));
		inj_spawn_abort(sp);
		return -1;
	}
	return 0;
}

int inj_spawn_go(struct inj_spawn *sp, char *err)
{
	ssize_t n;
	do
		n = write(sp->go_w, "g", 1);
	while (n < 0 && errno == EINTR);
	close(sp->go_w);
	sp->go_w = -1;
	if (n != 1) {
		inj_err(err, "cannot release the launched process: %s", strerror(errno));
		return -1;
	}
	return 0;
}

void inj_spawn_abort(struct inj_spawn *sp)
{
	if (sp->go_w >= 0)
		close(sp->go_w);
	sp->go_w = -1;
	if (sp->pid > 0) {
		kill(sp->pid, SIGKILL);
		while (waitpid(sp->pid, NULL, __WALL) < 0 && errno == EINTR)
			;
	}
	sp->pid = 0;
}
