/*
 * Shared by the state engine's files (state.c: dispatch and processes,
 * state_fd.c: file descriptors) and by the formatters and filters, which
 * need the same view of "the thread of this event" and "its enter event".
 */
#ifndef UDIG_STATE_INT_H
#define UDIG_STATE_INT_H

#include "capture-int.h"

/* PPM_CL_CHILD_IN_PIDNS: set by the driver, absent from the flag name table. */
#define STATE_CL_CHILD_IN_PIDNS 0x20000000u

/* The enter event paired with an exit (the thread's remembered enter when its
 * type is exit - 1), parsed into *enter; NULL when there is none. */
const struct udig_evt *state_enter_of(const udig_capture *c, const struct udig_evt *ev, struct udig_evt *enter);

/* The fd an event is about (enter's fd for exits), as libsinsp's m_fdinfo. */
const struct udig_fdinfo *state_evt_fdinfo(const udig_capture *c, const struct udig_evt *ev, int64_t *fd);

/* Handlers of state_fd.c; each gets the event's thread (never NULL) and the
 * paired enter event (NULL when missing). */
typedef void (*state_handler)(udig_capture *c, struct thread_entry *te, const struct udig_evt *ev,
			      const struct udig_evt *enter);
state_handler state_fd_handler(uint16_t type);

/* Applies the deferred removals of the previous event (close, procexit). */
void state_flush_pending(udig_capture *c);

/* Joins a possibly relative path to a base directory and normalises "." and
 * ".." and repeated slashes as libsinsp's concatenate_paths does.  The
 * result is malloc'ed (NULL when out of memory). */
char *path_join(const char *base, const char *rel);
/* The directory a *at syscall's dirfd names, with a trailing '/'; malloc'ed,
 * "" when the fd is unknown. AT_FDCWD gives the thread's cwd. */
char *path_dirfd_base(const udig_capture *c, const struct thread_entry *te, int64_t dirfd);

#endif
