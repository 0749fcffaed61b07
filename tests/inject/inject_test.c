/*
 * Test driver for the inject library: runs or attaches with a debug sink
 * (raw records to a file, no ring) and passes the program's fate through.
 *
 *   inject_test [--engine=E] [--out=FILE] [--mask=default|used|all] [--cpu=N|none]
 *               [--ring] [--preload=LIB] [--stats] [-v] -- CMD ARGS...
 *   inject_test --attach=PID [options]      (until SIGINT/SIGTERM)
 *   inject_test --probe[=N]                 inject_ptrace_usable() N times (1):
 *               prints "usable" or "unusable: REASON" and the mean time per
 *               call, exits 0 / 1; 3 if a child was left behind
 *
 * --preload=LIB does what `udig run` does for preload-aware capture: puts
 * LIB in LD_PRELOAD of our environment (after we started, so it is not
 * loaded here) for the program to inherit, and sets preload_path.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>

#include "inject/inject.h"

static volatile sig_atomic_t stop_flag;

static void on_stop(int sig)
{
	(void)sig;
	stop_flag = 1;
}

static void print_stats(const struct inject_stats *st)
{
	fprintf(stderr, "inject_test: events=%llu drops=%llu inactive=%llu failed=%llu stops=%llu threads=%llu sync_wake_up=%d cpu=%d\n",
	        (unsigned long long)st->events, (unsigned long long)st->drops,
	        (unsigned long long)st->inactive, (unsigned long long)st->failed,
	        (unsigned long long)st->stops, (unsigned long long)st->threads,
	        st->sync_wake_up, st->cpu);
}

static int probe(int n)
{
	char err[INJECT_ERRBUF_SIZE] = "";
	struct timespec a, b;
	int i, r = 0, st;
	double us;

	if (n < 1)
		n = 1;
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (i = 0; i < n; i++)
		r = inject_ptrace_usable(err);
	clock_gettime(CLOCK_MONOTONIC, &b);
	us = ((double)(b.tv_sec - a.tv_sec) * 1e9 + (double)(b.tv_nsec - a.tv_nsec)) / 1e3 / n;
	if (r)
		printf("usable\n");
	else
		printf("unusable: %s\n", err);
	printf("probe: %.0f us per call\n", us);
	fflush(stdout);
	/* Whatever the verdict: no child of ours may be left, stopped or dead. */
	if (waitpid(-1, &st, __WALL | WNOHANG) != -1 || errno != ECHILD) {
		fprintf(stderr, "inject_test: the probe left a child behind\n");
		return 3;
	}
	return r ? 0 : 1;
}

int main(int argc, char **argv)
{
	struct inject_opts o;
	struct inject_stats st;
	uint8_t mask[INJECT_MASK_BYTES];
	char err[INJECT_ERRBUF_SIZE];
	pid_t attach = 0;
	int i, stats = 0, wstatus = 0, r;

	inject_opts_init(&o);
	o.no_ring = 1;
	o.stats = &st;
	memset(&st, 0, sizeof st);
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--") == 0) {
			i++;
			break;
		} else if (strncmp(a, "--engine=", 9) == 0) {
			if (inject_engine_from_name(a + 9, &o.engine) < 0) {
				fprintf(stderr, "inject_test: unknown engine %s\n", a + 9);
				return 2;
			}
		} else if (strncmp(a, "--out=", 6) == 0) {
			o.debug_fd = open(a + 6, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
			if (o.debug_fd < 0) {
				perror(a + 6);
				return 2;
			}
		} else if (strncmp(a, "--mask=", 7) == 0) {
			if (strcmp(a + 7, "all") == 0)
				inject_mask_all(mask);
			else if (strcmp(a + 7, "used") == 0)
				inject_mask_all_used(mask);
			else
				inject_mask_default(mask);
			o.syscalls = mask;
		} else if (strncmp(a, "--cpu=", 6) == 0) {
			o.cpu = strcmp(a + 6, "none") == 0 ? INJECT_CPU_NONE : atoi(a + 6);
		} else if (strncmp(a, "--attach=", 9) == 0) {
			attach = (pid_t)atoi(a + 9);
		} else if (strncmp(a, "--preload=", 10) == 0) {
			o.preload_path = a + 10;
			if (setenv("LD_PRELOAD", a + 10, 1) < 0) {
				perror("setenv");
				return 2;
			}
		} else if (strcmp(a, "--probe") == 0 || strncmp(a, "--probe=", 8) == 0) {
			return probe(a[7] == '=' ? atoi(a + 8) : 1);
		} else if (strcmp(a, "--ring") == 0) {
			o.no_ring = 0;
		} else if (strcmp(a, "--stats") == 0) {
			stats = 1;
		} else if (strcmp(a, "-v") == 0) {
			o.verbose = 1;
		} else {
			break;
		}
	}
	if (attach > 0) {
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_stop;   /* no SA_RESTART */
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGTERM, &sa, NULL);
		r = inject_attach(attach, &o, &stop_flag, err);
		if (stats)
			print_stats(&st);
		if (r < 0) {
			fprintf(stderr, "inject_test: %s\n", err);
			return 2;
		}
		fprintf(stderr, "inject_test: %s\n", r == 0 ? "detached" : "target exited");
		return 0;
	}
	if (i >= argc) {
		fprintf(stderr, "usage: inject_test [options] -- CMD ARGS...\n");
		return 2;
	}
	/* The terminal's SIGINT/SIGQUIT are the program's business. */
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	r = inject_run(&o, argv + i, &wstatus, err);
	if (stats)
		print_stats(&st);
	if (r < 0) {
		fprintf(stderr, "inject_test: %s\n", err);
		return 2;
	}
	if (WIFSIGNALED(wstatus)) {
		/* Die the same way, without a core file of our own. */
		struct rlimit rl = { 0, 0 };
		setrlimit(RLIMIT_CORE, &rl);
		signal(WTERMSIG(wstatus), SIG_DFL);
		raise(WTERMSIG(wstatus));
		return 128 + WTERMSIG(wstatus);
	}
	return WEXITSTATUS(wstatus);
}
