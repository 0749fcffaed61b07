/*
 * `udig run [options] -- CMD [ARGS]`: run CMD under capture and print its
 * events live (sysdig text or JSON lines), or write them to a capture file.
 * CMD keeps its stdin/stdout/stderr; udig exits with CMD's status (128+N when
 * CMD died of signal N, as shells report it).
 *
 * The consumer drains the ring in its own thread; the main thread either
 * waits for CMD (preload) or is the tracer (ptrace, unotify), which must
 * be the thread that launched the tracees.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include "../capture_opts.h"
#include "../cli.h"
#include "inject/inject.h"
#include "../live_consumer.h"
#include "../run/child.h"
#include "../run/engine.h"
#include "../run/feed.h"
#include "udig/encode/fillers.h"
#include "udig/encode/ring_writer.h"

/* Writes a procexit for a process we reaped.  It may have written its own
 * (libudig does at exit_group and at a fatal signal it raised itself); the
 * consumer skips a second procexit for a thread whose last event was one. */
static void reaped(struct udig_ring_writer *w, pid_t pid, int status)
{
	uint8_t rec[256];
	size_t len = w ? udig_fill_procexit(0, pid, status, rec, sizeof rec) : 0;
	if (len)
		udig_rw_write(w, rec, (uint32_t)len);
}

/* Preload only: start CMD with the library and wait for it — and, as its
 * subreaper, for every descendant that outlives it, so that orphans are
 * captured until they exit.  Every process we reap gets a procexit with its
 * real status, which is how a process killed from outside (SIGKILL) gets
 * one at all: its library never ran again. */
int run_preloaded(const struct live_consumer *k, char **cmd, int *wstatus)
{
	char err[UDIG_ERRBUF_SIZE], path[PATH_MAX];
	struct udig_ring_writer w;
	if (inject_resolve(cmd[0], path, sizeof path)) {
		cli_error("%s: command not found", cmd[0]);
		return 127;
	}
	/* Our own producer handle, for the launch's execve enter event and
	 * the procexit of what we reap. */
	int have_w = udig_rw_open(&w, k->ring, k->descs, err) == 0;
	int was = 1;
	int subreaper = prctl(PR_GET_CHILD_SUBREAPER, &was) == 0 && !was && prctl(PR_SET_CHILD_SUBREAPER, 1) == 0;
	pid_t child = run_spawn(path, cmd, have_w ? &w : NULL, err, sizeof err);
	if (child < 0) {
		int e = errno;
		if (have_w)
			udig_rw_close(&w);
		if (subreaper)
			prctl(PR_SET_CHILD_SUBREAPER, 0);
		cli_error("%s", err);
		return e == ENOENT ? 127 : 126;
	}
	int rc = 0, root_done = 0;
	for (;;) {
		int st;
		pid_t p = waitpid(-1, &st, 0);
		if (p < 0) {
			if (errno == EINTR)
				continue;
			if (errno != ECHILD) {
				cli_error("waitpid: %s", strerror(errno));
				rc = 1;
			}
			break;
		}
		reaped(have_w ? &w : NULL, p, st);
		if (p == child) {
			*wstatus = st;
			root_done = 1;
		}
	}
	if (!root_done && !rc) {
		cli_error("waitpid: the command was never reaped");
		rc = 1;
	}
	if (have_w)
		udig_rw_close(&w);
	if (subreaper)
		prctl(PR_SET_CHILD_SUBREAPER, 0);
	return rc;
}

/* inject_opts.notice: a set-ID exec the tracer refused (or let go). */
static void setid_notice(void *arg, const char *line)
{
	(void)arg;
	fprintf(stderr, "udig: %s; run udig as root to capture it, or use --engine=preload to run set-ID "
		"programs natively, uncaptured\n", line);
}

int run_injected(enum run_engine e, const struct live_consumer *k, const struct capture_opts *o,
			const char *lib, char **cmd, int *wstatus, struct inject_stats *st)
{
	char err[INJECT_ERRBUF_SIZE];
	struct inject_opts io;
	inject_opts_init(&io);
	io.engine = e == RUN_UNOTIFY ? INJECT_ENGINE_UNOTIFY : INJECT_ENGINE_PTRACE;
	io.ring_name = k->ring;
	io.descs_name = k->descs;
	io.syscalls = o->syscalls;
	io.verbose = o->verbose;
	io.stats = st;
	io.notice = setid_notice;
	if (e == RUN_HYBRID) {
		/* Preloaded programs keep every CPU; the tracer only follows them. */
		io.preload_path = lib;
		io.cpu = INJECT_CPU_NONE;
	}
	if (inject_run(&io, cmd, wstatus, err) < 0) {
		cli_error("run: %s", err);
		return 1;
	}
	return 0;
}

/* The engine as the statistics line names it, with the set-ID programs
 * that were not captured: the one run natively, the execs refused. */
static const char *engine_label(enum run_engine e, int native, const struct inject_stats *st, char *buf,
				size_t len)
{
	int n = snprintf(buf, len, "%s", run_engine_name(e));
	if (native && n >= 0 && (size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, ", set-ID program run uncaptured");
	if (st->setid_refused && n >= 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, ", %llu set-ID exec%s refused",
			 (unsigned long long)st->setid_refused, st->setid_refused == 1 ? "" : "s");
	return buf;
}

int cmd_run(int argc, char **argv)
{
	struct capture_opts o;
	struct live_consumer k;
	enum run_engine engine;
	char why[1024];
	int native = 0, first = capture_opts_parse(argc, argv, &o, CAPTURE_OPTS_RUN);
	if (first < 0)
		return 2;
	if (o.attach_pid) /* strace -p PID */
		return attach_run(&o, o.attach_pid);
	char **cmd = argv + first;
	int rc = run_engine_choose(o.engine, cmd[0], &engine, why, sizeof why, &native);
	if (rc)
		return rc;
	/* Said once, -v or not: its events will be missing. */
	if (native && !o.verbose)
		fprintf(stderr, "udig: %s\n", why);
	const char *lib = NULL;
	if (engine == RUN_PRELOAD || engine == RUN_HYBRID) {
		lib = run_find_preload();
		if (!lib) {
			cli_error("run: libudig.so not found (set UDIG_PRELOAD to its path)");
			return 2;
		}
	}
	if (o.verbose)
		fprintf(stderr, "udig: engine %s (%s)%s%s\n", run_engine_name(engine), why, lib ? "; " : "",
			lib ? lib : "");

	if (o.feed) /* --ring: a producer for another consumer (tools/run/feed.c) */
		return run_feed(&o, engine, lib, cmd);
	if (live_consumer_open(&k, &o, "run", 1, getpid()) < 0)
		return 1;

	char e_preload[4200], e_ring[160], e_descs[160];
	snprintf(e_preload, sizeof e_preload, "LD_PRELOAD=%s", lib ? lib : "");
	snprintf(e_ring, sizeof e_ring, "UDIG_RING=%s", k.ring);
	snprintf(e_descs, sizeof e_descs, "UDIG_DESCS=%s", k.descs);
	/* Lossless needs nothing in the environment: the producers take our
	 * consumer's request from the ring (UDIG_EXT_LOSSLESS), which they
	 * honour only in a private ring whose consumer is alive and theirs. */
	char *env[] = { e_preload, e_ring, e_descs, NULL };
	/* Before the consumer thread exists: setenv is not thread-safe. */
	if (lib)
		run_setenv(env);

	/* Like system(): the terminal's ^C goes to CMD; we keep reading until
	 * it is gone. */
	struct sigaction old_int, old_quit;
	cli_survive_signal(SIGINT, &old_int);
	cli_survive_signal(SIGQUIT, &old_quit);

	int wstatus = 0, status = 1;
	char label[128];
	struct inject_stats ist;
	memset(&ist, 0, sizeof ist);
	if (live_consumer_start(&k) == 0) {
		if (engine == RUN_PRELOAD)
			rc = run_preloaded(&k, cmd, &wstatus);
		else
			rc = run_injected(engine, &k, &o, lib, cmd, &wstatus, &ist);
		live_consumer_finish(&k);
		live_consumer_report(&k, engine_label(engine, native, &ist, label, sizeof label));
		if (o.verbose && engine != RUN_PRELOAD)
			fprintf(stderr, "udig: tracer: %llu records, %llu stops, %llu threads, %llu not built\n",
				(unsigned long long)ist.events, (unsigned long long)ist.stops,
				(unsigned long long)ist.threads, (unsigned long long)ist.failed);
		if (rc)
			status = rc;
		else
			status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
	}
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);
	if (live_consumer_close(&k) && status == 0)
		status = 1;
	return status;
}
