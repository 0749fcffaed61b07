/*
 * `udig attach [options] PID`: capture a running process (every thread, and
 * every process it creates from then on) with the ptrace engine until
 * SIGINT, SIGTERM, SIGHUP or SIGQUIT; then detach and leave it running.
 */
#include <errno.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "../capture_opts.h"
#include "../cli.h"
#include "inject/inject.h"
#include "../live_consumer.h"
#include "../run/feed.h"

static volatile sig_atomic_t stop_requested;

static void on_stop(int sig)
{
	(void)sig;
	stop_requested = 1;
}

/* Reads one number from a /proc file; -1 when absent. */
static long proc_number(const char *path, const char *key)
{
	char line[256];
	long v = -1;
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	size_t klen = key ? strlen(key) : 0;
	while (fgets(line, sizeof line, f)) {
		if (!key || !strncmp(line, key, klen)) {
			v = strtol(line + klen, NULL, 10);
			break;
		}
	}
	fclose(f);
	return v;
}

/* "user NAME (uid N)", or "uid N" when the user has no name. */
static void owner_text(char *out, size_t cap, long uid)
{
	struct passwd *pw = uid >= 0 ? getpwuid((uid_t)uid) : NULL;
	if (pw && pw->pw_name)
		snprintf(out, cap, "user %s (uid %ld)", pw->pw_name, uid);
	else
		snprintf(out, cap, "uid %ld", uid);
}

/* Another user's process: the kernel does not even let us signal it (the
 * kill(2) rule), let alone trace it (ptrace(2): every one of its uids must
 * be ours, or we need CAP_SYS_PTRACE).  Name the owner and the rule. */
static void explain_foreign(pid_t pid)
{
	char path[64], owner[128];
	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	long uid = proc_number(path, "Uid:");
	if (uid < 0) {
		cli_error("attach: process %d belongs to another user (its owner is hidden from uid %ld: "
			  "/proc mounted with hidepid?); only its owner or root (CAP_SYS_PTRACE) may trace it",
			  (int)pid, (long)getuid());
		return;
	}
	owner_text(owner, sizeof owner, uid);
	cli_error("attach: process %d belongs to %s, and udig runs as uid %ld: only a process's owner "
		  "or root (CAP_SYS_PTRACE) may trace it; run udig attach as its owner or as root",
		  (int)pid, owner, (long)getuid());
}

/* Why the kernel refused us, in terms of the setting that decides it. */
static void explain_refusal(pid_t pid)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	long tracer = proc_number(path, "TracerPid:");
	long scope = proc_number("/proc/sys/kernel/yama/ptrace_scope", NULL);
	if (tracer > 0) {
		cli_error("attach: process %d is already traced by process %ld (a debugger or strace?): "
			  "a process has one tracer at a time", (int)pid, tracer);
	} else if (scope >= 1) {
		static const char *const rule[] = {
			"", "only a parent may trace its descendants", "only CAP_SYS_PTRACE may trace",
			"nobody may trace",
		};
		cli_error("attach: kernel.yama.ptrace_scope is %ld (%s); run udig as root, or set "
			  "`sysctl kernel.yama.ptrace_scope=0`%s", scope, rule[scope > 3 ? 3 : scope],
			  scope == 3 ? " (3 cannot be lowered before reboot)" : "");
	} else {
		long uid = proc_number(path, "Uid:");
		if (uid >= 0 && (uid_t)uid != getuid() && getuid() != 0)
			explain_foreign(pid);
		else
			cli_error("attach: the kernel refuses to trace process %d (not dumpable, or a "
				  "security module forbids ptrace)", (int)pid);
	}
}

static int parse_pid(const char *s, pid_t *pid)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || *end || !*s || v <= 0 || v > 0x3fffffff)
		return -1;
	*pid = (pid_t)v;
	return 0;
}

int cmd_attach(int argc, char **argv)
{
	struct capture_opts o;
	pid_t pid;
	int first = capture_opts_parse(argc, argv, &o, CAPTURE_OPTS_ATTACH);
	if (first < 0)
		return 2;
	if (o.attach_pid) { /* -p PID, as strace spells it */
		pid = o.attach_pid;
	} else if (first + 1 != argc || parse_pid(argv[first], &pid)) {
		cli_error("attach: expected exactly one process id, got '%s'%s", argv[first],
			  first + 1 != argc ? " and more" : "");
		return 2;
	}
	return attach_run(&o, pid);
}

int attach_run(struct capture_opts *o_, pid_t pid)
{
	struct capture_opts o = *o_;
	struct live_consumer k;
	char err[INJECT_ERRBUF_SIZE];
	if (pid == getpid()) {
		cli_error("attach: udig cannot trace itself");
		return 2;
	}
	if (kill(pid, 0) < 0 && errno == ESRCH) {
		cli_error("attach: no process %d", (int)pid);
		return 1;
	}
	if (kill(pid, 0) < 0 && errno == EPERM) {
		explain_foreign(pid);
		return 1;
	}
	/* --ring: only the tracer, producing into another consumer's ring
	 * (the Falco plugin's attach=); else our own ring and consumer. */
	int feed = o.feed != NULL;
	if (feed ? feed_open(&o, &k, "attach") < 0 : live_consumer_open(&k, &o, "attach", 0, pid) < 0)
		return feed ? 2 : 1;

	/* No SA_RESTART: the engine's wait must return to look at stop_requested. */
	struct sigaction sa = { .sa_handler = on_stop }, old[4];
	static const int stops[4] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
	sigemptyset(&sa.sa_mask);
	for (int i = 0; i < 4; i++)
		sigaction(stops[i], &sa, &old[i]);

	struct inject_opts io;
	struct inject_stats ist;
	memset(&ist, 0, sizeof ist);
	inject_opts_init(&io);
	io.engine = INJECT_ENGINE_PTRACE;
	io.ring_name = k.ring;
	io.descs_name = k.descs;
	io.syscalls = o.syscalls;
	io.verbose = o.verbose;
	io.stats = &ist;
	int status = 1, rc = -1;
	if (feed || live_consumer_start(&k) == 0) {
		rc = inject_attach(pid, &io, &stop_requested, err);
		if (rc < 0) {
			if (strstr(err, "PTRACE_SEIZE") && strstr(err, strerror(EPERM)))
				explain_refusal(pid);
			else
				cli_error("attach: %s", err);
		} else if (o.verbose) {
			fprintf(stderr, "udig: %s\n", rc == 1 ? "every traced process exited" : "detached");
		}
		if (!feed)
			live_consumer_finish(&k);
		if (rc >= 0) {
			if (!feed)
				live_consumer_report(&k, "ptrace (attached)");
			status = 0;
		}
	}
	for (int i = 0; i < 4; i++)
		sigaction(stops[i], &old[i], NULL);
	if (!feed && live_consumer_close(&k))
		status = 1;
	return status;
}
