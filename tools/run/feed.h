/*
 * `udig run --ring BUF[,DESCS] -- CMD` (and `udig attach --ring BUF[,DESCS]
 * PID`): launch CMD under the chosen engine (or attach to PID)
 * as `udig run` does (launch record, preload, tracer), but produce into a
 * ring that another consumer created and drains — the Falco plugin's
 * `run=` (plugin/), which keeps the consumer side (its own private session
 * ring, O_EXCL and 0600) and lets this process be launcher and tracer.
 * Nothing is printed but errors; the exit status is CMD's, as for run.
 */
#ifndef UDIG_RUN_FEED_H
#define UDIG_RUN_FEED_H
#include "../capture_opts.h"
#include "engine.h"

struct live_consumer;
struct inject_stats;

/* --ring's argument: BUF, or BUF,DESCS (default DESCS: BUF with a trailing
 * "buf" replaced by "descs").  Returns 0, or -1 after printing why. */
int capture_opts_feed(struct capture_opts *o, const char *arg, int which);

/* For a producer: k's ring names from --ring, after checking that its
 * consumer made it and that no consumer option was given.  0, or -1 after
 * printing why. */
int feed_open(const struct capture_opts *o, struct live_consumer *k, const char *cmd);

/* The producing half of cmd_run() (engine and preload library chosen). */
int run_feed(const struct capture_opts *o, enum run_engine engine, const char *lib, char **cmd);

/* tools/cmd/run.c's launchers, shared with run_feed(): they use only the ring
 * names of `k`. */
int run_preloaded(const struct live_consumer *k, char **cmd, int *wstatus);
int run_injected(enum run_engine e, const struct live_consumer *k, const struct capture_opts *o, const char *lib,
		 char **cmd, int *wstatus, struct inject_stats *st);

#endif
