/*
 * The janitor of a private ring: a detached process that removes the
 * ring's names from /dev/shm as soon as udig is gone, however it goes
 * (SIGKILL included).  Programs that still have the ring mapped keep
 * their mapping; none can join it any more, and nothing is left behind.
 */
#ifndef UDIG_RING_JANITOR_H
#define UDIG_RING_JANITOR_H

#include <stddef.h>

#define JANITOR_MAX_NAMES 4

/* Starts the janitor for these shm object names (without /dev/shm/).
 * Returns 0 and in *fd the descriptor that keeps it waiting (close-on-exec;
 * closing it, or our death, makes it remove the names and exit) — or -1
 * there when no janitor is started because none could outlive us (we are
 * the init of a pid namespace) — or -1 with a message in err. */
int ring_janitor_start(const char *const names[], int n, int *fd, char *err, size_t errlen);

#endif
