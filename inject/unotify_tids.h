/*
 * The unotify supervisor's threads: tid -> tgid for the notifications,
 * which name the thread only, and the end of every thread it has seen.
 *
 * Each thread that notifies us gets a thread pidfd (PIDFD_THREAD, Linux
 * 6.9).  It says when the cached tgid went stale (the thread exited, its
 * tid may come back as someone else) and, in an epoll set, when the
 * thread is gone for good: EPOLLHUP once the kernel has released the task
 * (a thread at its exit, a process's leader when it is reaped).  Then its
 * exit status is the pidfd's (PIDFD_GET_INFO with PIDFD_INFO_EXIT, Linux
 * 6.15), and it gets its procexit — whoever reaped it, so a child killed
 * from outside and reaped by its own parent is told too.  On an older
 * kernel the status cannot be known: no procexit is invented.
 *
 * Asking the pidfd costs a syscall per notification, so an entry checked
 * once stays trusted until the next task creation: a tid comes back inside
 * the captured tree (the only tasks that notify us) only through a clone,
 * fork or vfork, of any ABI, that notifies us first (inj_filter_build
 * selects them all) and starts a new generation.
 */
#ifndef INJECT_UNOTIFY_TIDS_H
#define INJECT_UNOTIFY_TIDS_H

#include <sys/types.h>
#include "inject/engine.h"

struct un_tid;

struct un_tids {
	struct un_tid *h;
	int epfd;            /* the entries' pidfds, waiting for EPOLLHUP; -1: no end is watched */
	unsigned long gen;   /* task-creating notifications served */
	unsigned long ends_unknown; /* threads gone whose status the kernel could not tell */
};

int un_tids_init(struct un_tids *t, char *err);
void un_tids_close(struct un_tids *t);

/* A clone, fork or vfork is about to run: cached entries must be checked again. */
static inline void un_tids_new_task(struct un_tids *t)
{
	t->gen++;
}

/* The tgid of tid; *from_proc says whether /proc was read for it (a read
 * that must be re-validated with the notification). */
pid_t un_tids_tgid(struct inj_session *s, struct un_tids *t, pid_t tid, int *from_proc);

/* Readable (POLLIN) when some watched thread is gone. */
static inline int un_tids_fd(const struct un_tids *t)
{
	return t->epfd;
}

/* Writes the procexit of every watched thread that is gone, and forgets it. */
void un_tids_ends(struct inj_session *s, struct un_tids *t);

/* We reaped tid ourselves and wrote its procexit: not to be told again. */
void un_tids_forget(struct un_tids *t, pid_t tid);

#endif
