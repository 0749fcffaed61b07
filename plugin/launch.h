/*
 * run= and attach=: the installed `udig` program launches (or attaches to)
 * the target and produces into the plugin's private ring
 * (`udig run --ring BUF,DESCS`, tools/run/feed.c).  It chooses the engine,
 * writes the launch record (the clone and execve that create the
 * processes libsinsp will report) and is the tracer where one is needed —
 * everything `udig run` does but consuming, which stays here.  It runs in a
 * process group of its own, so that closing the capture can stop the
 * command and everything it started.
 */
#ifndef UDIG_PLUGIN_LAUNCH_H
#define UDIG_PLUGIN_LAUNCH_H
#include <stddef.h>
#include <sys/types.h>
#include "init_config.h"
#include "params.h"

struct launch {
	pid_t pid;  /* 0: none */
	int done;   /* it has exited */
	int status; /* its wait status, once done */
};

/* Checks what can be checked before launching (udig and the command can
 * be found), then starts udig.  Returns 0, or -1 with the reason in err. */
int launch_start(struct launch *l, const struct plugin_config *c, const struct open_params *op,
		 const char *ring, const char *descs, char *err, size_t errlen);

/* Non-blocking: has it exited?  (1 once it has.) */
int launch_poll(struct launch *l);

/* Ends it: SIGTERM to the group (attach: udig detaches), a bounded wait,
 * then SIGKILL; always reaps. */
void launch_stop(struct launch *l);

#endif
