/* Which capture engine `udig run` uses for a command, and why. */
#ifndef UDIG_RUN_ENGINE_H
#define UDIG_RUN_ENGINE_H
#include <stddef.h>

enum run_engine {
	RUN_PRELOAD,  /* libudig.so in every process (LD_PRELOAD) */
	RUN_HYBRID,   /* preload, plus a ptrace tracer that follows processes and
	               * captures the images the preload cannot enter */
	RUN_PTRACE,   /* the tracer captures everything (seccomp RET_TRACE stops) */
	RUN_UNOTIFY,  /* seccomp user notification: enter events only */
};

/* The name printed in the statistics line and by -v. */
const char *run_engine_name(enum run_engine e);

/*
 * Resolves --engine=NAME for the program `cmd` (PATH search as execvp).
 * Returns 0 with *e and a one-line reason in why, or an exit status for udig
 * (2: usage or impossible choice, 127: command not found) after printing
 * the error.  *native: cmd is a set-ID program (a secure-execution image)
 * that will run natively, uncaptured (with its privileges); a one-line
 * explanation is in why.
 */
int run_engine_choose(const char *name, const char *cmd, enum run_engine *e, char *why, size_t whylen,
		      int *native);

#endif
