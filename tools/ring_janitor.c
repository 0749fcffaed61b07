/* A detached process that removes a private ring's names when udig dies (see ring_janitor.h). */
#include "ring_janitor.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "udig/encode/ring_shm.h"

static void close_all_but(int keep)
{
	/* close_range where the kernel has it; the rest by hand, bounded. */
	if (keep > 0 && syscall(SYS_close_range, 0, (unsigned)keep - 1, 0) == 0 &&
	    syscall(SYS_close_range, (unsigned)keep + 1, ~0u, 0) == 0)
		return;
	long max = sysconf(_SC_OPEN_MAX);
	for (long fd = 0; fd < (max > 0 && max < 65536 ? max : 65536); fd++)
		if (fd != keep)
			close((int)fd);
}

/* The janitor itself: only async-signal-safe calls (we are a fork of a
 * process that may have threads), and nothing it inherited kept open — it
 * must hold neither udig's output nor the program's terminal. */
static void __attribute__((noreturn)) janitor(int rfd, char paths[][300], int n)
{
	close_all_but(rfd);
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_IGN;
	/* ^C, a hangup or a TERM for the group is for udig and the program;
	 * the janitor leaves when udig does, and only then. */
	int ignored[] = { SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGPIPE, SIGTSTP, SIGTTIN, SIGTTOU, SIGUSR1, SIGUSR2 };
	for (size_t i = 0; i < sizeof ignored / sizeof ignored[0]; i++)
		sigaction(ignored[i], &sa, NULL);
	if (chdir("/") < 0) {
		/* stays where it is: it opens nothing by relative name */
	}
	char c;
	while (read(rfd, &c, 1) < 0 && errno == EINTR)
		;
	for (int i = 0; i < n; i++)
		unlink(paths[i]);
	_exit(0);
}

int ring_janitor_start(const char *const names[], int n, int *fd, char *err, size_t errlen)
{
	char paths[JANITOR_MAX_NAMES][300];
	*fd = -1;
	/* The init of a pid namespace (udig as a container's entry point, or
	 * under unshare -pf) is every orphan's parent: the janitor would be
	 * our own child, which the wait for the command's descendants would
	 * wait for while it waits for us; and when we die the kernel kills it
	 * with the rest of the namespace before it could remove anything.
	 * Our own exit still removes the names. */
	if (getpid() == 1)
		return 0;
	if (n > JANITOR_MAX_NAMES) {
		snprintf(err, errlen, "janitor: too many names");
		return -1;
	}
	for (int i = 0; i < n; i++)
		if (udig_shm_path(names[i], paths[i], sizeof paths[i]) < 0) {
			snprintf(err, errlen, "janitor: name too long: %s", names[i]);
			return -1;
		}
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0) {
		snprintf(err, errlen, "janitor: pipe: %s", strerror(errno));
		return -1;
	}
	/* Twice, so that the janitor is nobody's child here: a tracer's
	 * wait for any child, or our own wait for CMD, never sees it. */
	pid_t mid = fork();
	if (mid < 0) {
		snprintf(err, errlen, "janitor: fork: %s", strerror(errno));
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (mid == 0) {
		setsid();
		pid_t j = fork();
		if (j == 0)
			janitor(p[0], paths, n);
		_exit(j < 0 ? 1 : 0);
	}
	close(p[0]);
	int st;
	while (waitpid(mid, &st, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		snprintf(err, errlen, "janitor: could not start");
		close(p[1]);
		return -1;
	}
	*fd = p[1];
	return 0;
}
