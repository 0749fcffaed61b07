/* Options shared by the live commands (`udig run`, `udig attach`). */
#ifndef UDIG_CAPTURE_OPTS_H
#define UDIG_CAPTURE_OPTS_H
#include <stdint.h>
#include <stdio.h>
#include "capture_types.h"

struct capture_opts {
	const char *engine;   /* run only: auto, preload, ptrace, unotify */
	uint32_t snaplen;     /* 0: the default */
	int lossless;         /* 1 unless --drop: producers wait for ring space */
	int json, verbose;
	const char *wfile;    /* -w: capture file instead of text */
	const char *ofile;    /* -o: text to this file instead of stdout */
	const char *feed;     /* run --ring BUF[,DESCS]: only produce, into that existing
	                       * private ring of another consumer (run_feed.h) */
	char filter[4096];    /* -f/-t/-p/-c joined with "and" */
	char types[1024];     /* every -t list, comma-joined */
	/* What the producers record: with -t, the listed types and whatever
	 * keeps process and fd names right (capture_types.h); else everything. */
	uint8_t evmask[CAPTURE_EVMASK_BYTES];
	uint8_t syscalls[INJECT_MASK_BYTES];
};

/* What each command accepts. */
enum { CAPTURE_OPTS_RUN = 1, CAPTURE_OPTS_ATTACH = 2 };

/* Parses argv[1..] up to the first operand (getopt "+" mode).  Returns the
 * index of the first operand, or -1 after printing why; exits 0 on --help. */
int capture_opts_parse(int argc, char **argv, struct capture_opts *o, int which);
void capture_opts_usage(FILE *f, int which);

#endif
