/*
 * Shared by the state engine's files (state/state.c: dispatch and processes,
 * state/fd.c: file descriptors) and by the formatters and filters, which
 * need the same view of "the thread of this event" and "its enter event".
 */
#ifndef UDIG_STATE_INT_H
#define UDIG_STATE_INT_H

#include "../capture-int.h"

/* PPM_CL_CHILD_IN_PIDNS: set by the driver, absent from the flag name table. */
#define STATE_CL_CHILD_IN_PIDNS 0x20000000u

/* The enter event paired with an exit (the thread's remembered enter when its
 * type is exit - 1); NULL when there is none.  The thread keeps its enter
 * parsed (tables_thread_set_enter), so this is the thread's own copy, valid
 * while the event is the current one; `enter` is not used. */
const struct udig_evt *state_enter_of(const udig_capture *c, const struct udig_evt *ev, struct udig_evt *enter);

/* The same, given the event's thread (may be NULL). */
static inline const struct udig_evt *state_thread_enter(const struct thread_entry *te, const struct udig_evt *ev)
{
	if (!te || te->enter_type == UDIG_EVENT_MAX || te->enter_type + 1 != ev->type || !te->enter)
		return NULL;
	return &te->enter->ev;
}

/* The fd an event is about (enter's fd for exits), as libsinsp's m_fdinfo. */
const struct udig_fdinfo *state_evt_fdinfo(const udig_capture *c, const struct udig_evt *ev, int64_t *fd);

/* Handlers of state/fd.c; each gets the event's thread (never NULL) and the
 * paired enter event (NULL when missing). */
typedef void (*state_handler)(udig_capture *c, struct thread_entry *te, const struct udig_evt *ev,
			      const struct udig_evt *enter);
state_handler state_fd_handler(uint16_t type);
/* The socket-naming handlers (state/net.c), or NULL. */
state_handler state_net_handler(uint16_t type);

/* Every event type's handler (state_fd_handler's or a process one), or NULL. */
extern state_handler state_handlers[UDIG_EVENT_MAX];

/* What state_apply does with an event of each type, given its thread:
 * one lookup decides the inline path below. */
enum state_class {
	SC_PLAIN,       /* nothing (an exit without a handler) */
	SC_ENTER_PLAIN, /* remember it as the thread's enter */
	SC_ENTER,       /* remember it, then its handler */
	SC_EXIT,        /* its handler, with the paired enter (procexit too) */
	SC_SLOW,        /* clone exits: may create the thread itself */
};
extern uint8_t state_class[UDIG_EVENT_MAX];

/* Applies the deferred removals of the previous event (close, procexit). */
void state_flush_pending(udig_capture *c);

/*
 * state_apply() for an event of a known type (< UDIG_EVENT_MAX), with its
 * common cases decided inline: after the previous event's removals, an
 * event of the same live thread as that event (tables.hot), not a clone
 * exit.  For those state_apply would only remember the enter and run the
 * type's handler, which is what happens here; everything else (a thread
 * to find or create, the clone family) goes there, whose own flush then
 * finds nothing left to do.
 */
static inline void state_apply_fast(udig_capture *c, const struct udig_evt *ev)
{
	if (c->pending.has_close || c->pending.has_exit)
		state_flush_pending(c);
	struct thread_entry *te = c->tables.hot;
	if (te && te->ti.tid == (int64_t)ev->tid && !te->exited) {
		switch (state_class[ev->type]) {
		case SC_PLAIN:
			return;
		case SC_ENTER_PLAIN:
			tables_thread_set_enter(te, ev);
			return;
		case SC_ENTER:
			tables_thread_set_enter(te, ev);
			state_handlers[ev->type](c, te, ev, NULL);
			return;
		case SC_EXIT:
			state_handlers[ev->type](c, te, ev, state_thread_enter(te, ev));
			return;
		}
	}
	state_apply(c, ev);
}

/* Joins a possibly relative path to a base directory and normalises "." and
 * ".." and repeated slashes as libsinsp's concatenate_paths does.  The
 * result is malloc'ed (NULL when out of memory). */
char *path_join(const char *base, const char *rel);
/* The directory a *at syscall's dirfd names, with a trailing '/'; malloc'ed,
 * "" when the fd is unknown. AT_FDCWD gives the thread's cwd. */
char *path_dirfd_base(const udig_capture *c, const struct thread_entry *te, int64_t dirfd);
/* The same without allocating: path_join into a reused buffer (NULL when
 * it cannot grow; valid until the buffer's next use), and the directory a
 * dirfd names as stored (cwd, the fd's name, or ""; path_join supplies the
 * '/'). */
const char *path_join_buf(struct scratch *buf, const char *base, const char *rel);
const char *path_dirfd_dir(const udig_capture *c, const struct thread_entry *te, int64_t dirfd);
/* The name libsinsp gives a file opened relative to a dirfd it does not
 * know: "<UNKNOWN>" and the cleaned name, no separator between them (its
 * directory part gets a '/' only from a known fd's name).  In buf. */
const char *path_unknown_dir_buf(struct scratch *buf, const char *rel);

#endif
