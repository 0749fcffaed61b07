/*
 * Launching the program to capture: fork, no_new_privs (unprivileged only), seccomp filter,
 * hand-off to the engine, exec.
 */
#ifndef INJECT_SPAWN_H
#define INJECT_SPAWN_H

#include <stdint.h>
#include <sys/types.h>

struct inj_spawn {
	pid_t pid;
	long filter_result;   /* in the child: listener fd number, or 0 */
	int go_w;             /* written once the engine is ready */
};

/*
 * Forks argv[0]; the child installs a filter returning `action` for the
 * selected syscalls (with seccomp `flags`; all_creators: see
 * inj_filter_build), reports the result, then waits
 * for inj_spawn_go() before it execs.  The wait and the report go through
 * syscalls carrying a random cookie as 6th argument, which the filter lets
 * through: they could be among the selected syscalls, and nobody serves the
 * filter yet (a RET_TRACE syscall without tracer fails with ENOSYS, a
 * USER_NOTIF one waits for a supervisor that does not have the listener yet).
 * Returns 0, or -1 with err (no child left behind).
 */
int inj_spawn_start(struct inj_spawn *sp, char *const argv[], const uint8_t *mask,
                    uint32_t action, unsigned flags, int all_creators, char *err);
/* Lets the child exec.  0 or -1 with err. */
int inj_spawn_go(struct inj_spawn *sp, char *err);
/* Kills and reaps a child that will not be released. */
void inj_spawn_abort(struct inj_spawn *sp);

#endif
