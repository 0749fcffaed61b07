/*
 * Whose ids a writer puts in the ring.
 *
 * The kernel drivers write ids of the initial PID namespace in every event
 * header; a consumer (udig, sysdig -u) matches them against its own /proc.
 * A tracer sees those ids, and so does a preloaded process that shares the
 * consumer's namespace.  A preloaded process that runs in a namespace of
 * its own (`unshare -p`, clone(CLONE_NEWPID)) knows only that namespace's
 * ids — unless it holds a descriptor for the namespace it came from (the
 * "reference"), through which the kernel translates ids both ways (nsfs
 * ioctls, Linux 6.11).  The preload library takes such a descriptor right
 * before a call that creates or enters a PID namespace and hands it to
 * the children and the images that inherit it; the writer (lock owners,
 * consumer liveness) and the fillers ask here.
 *
 * Async-signal-safe: raw syscalls only.
 */
#ifndef UDIG_RING_PIDNS_H
#define UDIG_RING_PIDNS_H

#include <stdint.h>

/* Makes fd the reference namespace if the kernel translates through it
 * (fd -1: none, ids are our own).  0, or -errno (ENOTTY/EINVAL: a kernel
 * without the ioctls; the caller keeps its own ids). */
int udig_pidns_use(int fd);
/* The descriptor in use, or -1. */
int udig_pidns_fd(void);

/* Thread `local` of our namespace as the reference namespace knows it (its
 * thread group's id when `tgid`); -1 without a reference, or when the
 * kernel does not answer. */
int32_t udig_pidns_out(int32_t local, int tgid);

/* Thread `ref` of the reference namespace as ours knows it (its thread
 * group's id when `tgid`): 0 when it has none here — gone, or outside our
 * namespace, which we cannot tell apart — or without a reference. */
int32_t udig_pidns_in(int32_t ref, int tgid);

#endif
