/* Options shared by the live commands (`udig run`, `udig attach`). */
#ifndef UDIG_CAPTURE_OPTS_H
#define UDIG_CAPTURE_OPTS_H
#include <stdint.h>
#include <stdio.h>
#include "capture_types.h"
#include "strace_set.h"

struct capture_opts {
	const char *engine;   /* run only: auto, preload, ptrace, unotify */
	uint32_t snaplen;     /* 0: the default */
	int lossless;         /* 1 unless --drop: producers wait for ring space */
	int json, verbose;
	const char *wfile;    /* -w: capture file instead of text */
	const char *ofile;    /* -o: text to this file instead of stderr ("-": stdout) */
	const char *feed;     /* run --ring BUF[,DESCS]: only produce, into that existing
	                       * private ring of another consumer (tools/run/feed.h) */
	char filter[4096];    /* --filter/-t/-e/--pid-filter/--comm joined with "and" */
	char types[1024];     /* every -t list, comma-joined */
	/* What the producers record: with -t, the listed types and whatever
	 * keeps process and fd names right (capture_types.h); else everything. */
	uint8_t evmask[CAPTURE_EVMASK_BYTES];
	uint8_t syscalls[INJECT_MASK_BYTES];
	/* The capture controls pushed to the producers (udig/capture.h). */
	uint32_t sampling;    /* --sampling N: dropping-mode ratio, 0 = off */
	const char *suppress[32]; /* --suppress-comm NAME, repeatable */
	int n_suppress;
	int dyn_snaplen;      /* --dynamic-snaplen (also implied by --fullcapture-ports) */
	uint16_t fc_lo, fc_hi; /* --fullcapture-ports LO-HI, 0-0 = none */
	int simple;           /* --simple */
	/* strace's spellings (issue 13). */
	int masked;           /* evmask/syscalls hold a selection (-t, -e trace=) */
	int attach_pid;       /* run -p PID: attach instead of launching (strace -p) */
	int summary;          /* -c: 1 = the strace -c table only; -C: 2 = events too */
	int tstamp;           /* -tt: 2 (the default time of day); -ttt: 3 (epoch seconds) */
	int latency;          /* -T: time spent in each call on exit lines */
	int tree;             /* run --tree: the process tree at the end */
	struct strace_set trace; /* -e trace=SET */
	int have_trace;
};

/* What each command accepts. */
enum { CAPTURE_OPTS_RUN = 1, CAPTURE_OPTS_ATTACH = 2 };

/* Parses argv[1..] up to the first operand (getopt "+" mode).  Returns the
 * index of the first operand, or -1 after printing why; exits 0 on --help. */
int capture_opts_parse(int argc, char **argv, struct capture_opts *o, int which);
void capture_opts_usage(FILE *f, int which);

/* `udig attach` with parsed options (also `udig run -p PID`); the exit status. */
#include <sys/types.h>
int attach_run(struct capture_opts *o, pid_t pid);

#endif
