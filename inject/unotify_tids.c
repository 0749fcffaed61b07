/*
 * The unotify supervisor's threads and their ends (unotify_tids.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <uthash.h>

#include "inject/tracee.h"
#include "inject/unotify_tids.h"

#ifndef PIDFD_THREAD
#define PIDFD_THREAD O_EXCL
#endif

/* linux/pidfd.h of Linux 6.15+ (the build host's headers may be older):
 * PIDFD_GET_INFO accepts any size from the first version's 64 bytes on. */
struct un_pidfd_info {
	uint64_t mask;
	uint64_t cgroupid;
	uint32_t pid, tgid, ppid, ruid, rgid, euid, egid, suid, sgid, fsuid, fsgid;
	int32_t exit_code;
};
#define UN_PIDFD_GET_INFO _IOWR(0xFF, 11, struct un_pidfd_info)
#define UN_PIDFD_INFO_EXIT (1ULL << 3)

struct un_tid {
	pid_t tid, tgid;
	int tpidfd;          /* -1: no thread pidfds here, resolve every time */
	unsigned long gen;   /* generation in which the entry was last checked */
	UT_hash_handle hh;
};

/* Live threads cached at most: past it, new ones are looked up in /proc
 * at each notification and their ends are not watched. */
#define UN_TID_CACHE_MAX 4096

int un_tids_init(struct un_tids *t, char *err)
{
	memset(t, 0, sizeof *t);
	t->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (t->epfd < 0) {
		inj_err(err, "epoll_create1: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static void drop(struct un_tids *t, struct un_tid *e)
{
	HASH_DEL(t->h, e);
	if (e->tpidfd >= 0)
		close(e->tpidfd); /* leaves the epoll set with its last reference */
	free(e);
}

void un_tids_close(struct un_tids *t)
{
	struct un_tid *e, *tmp;

	HASH_ITER(hh, t->h, e, tmp)
		drop(t, e);
	if (t->epfd >= 0)
		close(t->epfd);
	t->epfd = -1;
}

/* e's thread is gone (its pidfd hung up): its procexit, with the status
 * the kernel kept for the pidfd.  None without it: never invented. */
static void ended(struct inj_session *s, struct un_tids *t, struct un_tid *e)
{
	struct un_pidfd_info info;

	memset(&info, 0, sizeof info);
	info.mask = UN_PIDFD_INFO_EXIT;
	if (ioctl(e->tpidfd, UN_PIDFD_GET_INFO, &info) == 0 && (info.mask & UN_PIDFD_INFO_EXIT))
		inj_emit_procexit(s, e->tid, info.exit_code);
	else
		t->ends_unknown++;
	drop(t, e);
}

/* Has e's thread been released (not merely exited: a leader stays until
 * reaped)? */
static int released(const struct un_tid *e)
{
	struct pollfd p = { e->tpidfd, 0, 0 };
	return poll(&p, 1, 0) == 1 && (p.revents & POLLHUP);
}

pid_t un_tids_tgid(struct inj_session *s, struct un_tids *t, pid_t tid, int *from_proc)
{
	struct un_tid *e;
	pid_t tgid;

	*from_proc = 0;
	HASH_FIND_INT(t->h, &tid, e);
	if (e && e->gen == t->gen)
		return e->tgid;
	if (e) {
		struct pollfd p = { e->tpidfd, POLLIN, 0 };
		if (poll(&p, 1, 0) == 0) {
			e->gen = t->gen;
			return e->tgid;   /* still the same thread */
		}
		/* A thread that notifies us under this tid is another one: the
		 * entry's is gone, whether or not its end reached us yet. */
		if (released(e))
			ended(s, t, e);
		else
			drop(t, e);
	}
	*from_proc = 1;
	tgid = inj_tgid_of(tid);
	if (tgid <= 0)
		return tid;
	if (HASH_COUNT(t->h) >= UN_TID_CACHE_MAX)
		return tgid;
	e = calloc(1, sizeof *e);
	if (!e)
		return tgid;
	e->tid = tid;
	e->tgid = tgid;
	e->gen = t->gen;
	e->tpidfd = (int)syscall(SYS_pidfd_open, tid, PIDFD_THREAD);
	if (e->tpidfd < 0) {
		free(e);
		return tgid;
	}
	/* No event asked for: EPOLLHUP is always reported, and is the one
	 * that means released (EPOLLIN comes at a leader's exit already). */
	struct epoll_event ev = { .events = 0, .data.u64 = (uint64_t)tid };
	if (t->epfd >= 0 && epoll_ctl(t->epfd, EPOLL_CTL_ADD, e->tpidfd, &ev) < 0)
		inj_log(s, "unotify: the end of %d will not be told: epoll_ctl: %s", (int)tid, strerror(errno));
	HASH_ADD_INT(t->h, tid, e);
	s->st.threads++;
	return tgid;
}

void un_tids_ends(struct inj_session *s, struct un_tids *t)
{
	struct epoll_event evs[64];
	int n;

	if (t->epfd < 0)
		return;
	do {
		n = epoll_wait(t->epfd, evs, 64, 0);
		for (int i = 0; i < n; i++) {
			pid_t tid = (pid_t)evs[i].data.u64;
			struct un_tid *e;
			/* Only the entry's own pidfd is in the set under its tid
			 * (a dropped entry's left with its close). */
			HASH_FIND_INT(t->h, &tid, e);
			if (e)
				ended(s, t, e);
		}
	} while (n == 64);
}

void un_tids_forget(struct un_tids *t, pid_t tid)
{
	struct un_tid *e;

	HASH_FIND_INT(t->h, &tid, e);
	if (e)
		drop(t, e);
}
