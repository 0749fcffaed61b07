/* Starting and stopping the udig launcher (see launch.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "launch.h"

extern char **environ;

/* How long a stopped launcher gets to detach and leave before SIGKILL. */
#define STOP_GRACE_MS 3000

static int executable(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

/* As execvp would find it. */
static int command_found(const char *cmd)
{
	if (strchr(cmd, '/'))
		return executable(cmd);
	const char *path = getenv("PATH");
	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin";
	for (const char *p = path; *p;) {
		size_t n = strcspn(p, ":");
		char full[PATH_MAX];
		if (n && (size_t)snprintf(full, sizeof full, "%.*s/%s", (int)n, p, cmd) < sizeof full &&
		    executable(full))
			return 1;
		p += n;
		if (*p == ':')
			p++;
	}
	return 0;
}

int launch_start(struct launch *l, const struct plugin_config *c, const struct open_params *op,
		 const char *ring, const char *descs, char *err, size_t errlen)
{
	memset(l, 0, sizeof *l);
	if (!executable(c->udig)) {
		snprintf(err, errlen, "%s: the udig program is not at %s (set \"udig\" in the init config)",
			 op->kind == SRC_RUN ? "run=" : "attach=", c->udig);
		return -1;
	}
	if (op->kind == SRC_RUN && !command_found(op->argv[0])) {
		snprintf(err, errlen, "run=: %s: command not found", op->argv[0]);
		return -1;
	}
	if (op->kind == SRC_ATTACH && kill(op->pid, 0) < 0 && errno == ESRCH) {
		snprintf(err, errlen, "attach=%d: no such process", (int)op->pid);
		return -1;
	}
	size_t n = 0, nargs = 0;
	while (op->kind == SRC_RUN && op->argv[nargs])
		nargs++;
	char **argv = calloc(nargs + 16, sizeof *argv);
	char feed[300], engine[32], snap[16], pid[16];
	if (!argv) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	snprintf(feed, sizeof feed, "%s,%s", ring, descs);
	argv[n++] = (char *)c->udig;
	argv[n++] = op->kind == SRC_RUN ? "run" : "attach";
	argv[n++] = "--ring";
	argv[n++] = feed;
	if (op->kind == SRC_RUN) {
		snprintf(engine, sizeof engine, "--engine=%s", c->engine);
		argv[n++] = engine;
	}
	if (c->snaplen) {
		snprintf(snap, sizeof snap, "%u", c->snaplen);
		argv[n++] = "-s";
		argv[n++] = snap;
	}
	if (c->lossless)
		argv[n++] = "--lossless";
	if (c->types[0]) {
		argv[n++] = "-t";
		argv[n++] = (char *)c->types;
	}
	argv[n++] = "--";
	if (op->kind == SRC_RUN) {
		for (size_t i = 0; i < nargs; i++)
			argv[n++] = op->argv[i];
	} else {
		snprintf(pid, sizeof pid, "%d", (int)op->pid);
		argv[n++] = pid;
	}
	argv[n] = NULL;

	/* A clean start whatever the host did to its own signals, in a
	 * group of its own; no stdin, and its stdout on our stderr: the
	 * host's stdout carries events or alerts. */
	posix_spawnattr_t at;
	posix_spawn_file_actions_t fa;
	sigset_t none, all;
	sigemptyset(&none);
	sigfillset(&all);
	sigdelset(&all, SIGKILL);
	sigdelset(&all, SIGSTOP);
	posix_spawnattr_init(&at);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	posix_spawnattr_setpgroup(&at, 0);
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawnattr_setsigdefault(&at, &all);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, 2, 1);
	int rc = posix_spawn(&l->pid, c->udig, &fa, &at, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	free(argv);
	if (rc) {
		l->pid = 0;
		snprintf(err, errlen, "%s: cannot start %s: %s", op->kind == SRC_RUN ? "run=" : "attach=", c->udig,
			 strerror(rc));
		return -1;
	}
	return 0;
}

int launch_poll(struct launch *l)
{
	if (!l->pid || l->done)
		return 1;
	pid_t r = waitpid(l->pid, &l->status, WNOHANG);
	if (r == l->pid || (r < 0 && errno == ECHILD))
		l->done = 1;
	return l->done;
}

void launch_stop(struct launch *l)
{
	if (!l->pid || launch_poll(l))
		return;
	kill(-l->pid, SIGTERM);
	kill(l->pid, SIGTERM);
	for (int waited = 0; waited < STOP_GRACE_MS; waited += 10) {
		struct timespec t = { 0, 10 * 1000 * 1000 };
		nanosleep(&t, NULL);
		if (launch_poll(l))
			return;
	}
	kill(-l->pid, SIGKILL);
	while (waitpid(l->pid, &l->status, 0) < 0 && errno == EINTR)
		;
	l->done = 1;
}
