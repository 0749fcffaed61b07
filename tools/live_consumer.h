/*
 * The consumer side of `udig run` and `udig attach`: a private ring, a
 * thread that drains it into text, JSON lines or a capture file, and the
 * final statistics line.  The producers (the preload library in the
 * program, or the tracer in our main thread) run meanwhile; the consumer
 * thread must keep reading whatever happens to the output, so that a
 * program is never held up by us.
 */
#ifndef UDIG_LIVE_CONSUMER_H
#define UDIG_LIVE_CONSUMER_H
#include <pthread.h>
#include <stdatomic.h>
#include <sys/types.h>
#include "capture_opts.h"
#include "cli.h"

struct live_consumer {
	udig_capture *c;
	udig_filter *flt;
	udig_dumper *d;
	int wfd;                   /* -w: the capture's descriptor (for -w -, our duplicate of
	                            * stdout), the dumper's; -1 without -w */
	int wgzip;                 /* -w FILE.gz */
	FILE *out;                 /* events: stderr, -o FILE or -o - (stdout) */
	const char *out_name;
	struct syscall_summary *summary; /* -c, -C */
	struct proc_tree *tree;    /* run --tree */
	const struct capture_opts *o;
	struct cli_printer pr;
	char ring[128], descs[128], mask[136], ctl[136];
	int janitor_fd;            /* keeps the ring's janitor waiting; -1 once released */
	pthread_t thread;
	int started;
	atomic_int producers_done; /* set once nothing will write any more */
	int status;                /* 0, or 1 after an output or ring error */
};

/* Creates the private ring (0600, O_EXCL, unguessable names removed by a
 * janitor process if we die), becomes its
 * consumer and opens the output.  launches: the caller starts its program
 * right after (udig run), and the /proc scan is left to the draining
 * thread, overlapping the launch (lossless captures only).  line_of: every
 * event will come from this process and its descendants (udig run: udig
 * itself; attach: the target), so the scan reads only it and its
 * ancestors.  Returns 0, or -1 after printing why. */
int live_consumer_open(struct live_consumer *k, const struct capture_opts *o, const char *cmd, int launches,
		       pid_t line_of);

/* Starts the draining thread with every signal blocked (signals are for the
 * main thread: the tracer waits for SIGCHLD and SIGINT there). */
int live_consumer_start(struct live_consumer *k);

/* Tells the thread that the producers are gone; it stops once it has read
 * the ring empty, and we join it. */
void live_consumer_finish(struct live_consumer *k);

/* The one-line summary on stderr: events, drops by cause, engine. */
void live_consumer_report(struct live_consumer *k, const char *engine);

/* Closes output, capture file and ring; returns 0 or 1 (an error was printed). */
int live_consumer_close(struct live_consumer *k);

#endif
