/*
 * The seccomp user-notification engine: a supervisor that sees every
 * selected syscall of the launched program and its descendants at entry,
 * writes its enter record and lets the kernel run it
 * (SECCOMP_USER_NOTIF_FLAG_CONTINUE).  No ptrace, so it works under a
 * debugger or strace.  The result of a continued syscall is never reported
 * to the supervisor, so no exit record is written (see inject.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "inject/engine.h"
#include "inject/filter.h"
#include "inject/notif.h"
#include "inject/pin.h"
#include "inject/spawn.h"
#include "inject/tracee.h"
#include "inject/unotify_tids.h"

struct un_state {
	struct inj_notif n;
	int pidfd;                 /* of the launched process, until reaped */
	struct inj_pidfds pidfds;
	struct un_tids tids;       /* the threads seen, and their ends */
	int subreaper;             /* we made ourselves the tree's subreaper */
};

/* Orphans of the tree are ours to reap while we are its subreaper: they
 * are looked for this often (their zombies keep the filter, and so the
 * listener, alive until reaped). */
#define ORPHAN_POLL_MS 20

static int un_launch(struct inj_session *s, char *const argv[], char *err)
{
	struct un_state *st = calloc(1, sizeof *st);
	struct inj_spawn sp;
	int pinerr;

	if (!st) {
		inj_err(err, "out of memory");
		return -1;
	}
	s->engine = st;
	st->n.fd = -1;
	st->pidfd = -1;
	st->tids.epfd = -1;
	inj_pidfds_init(&st->pidfds);
	if (un_tids_init(&st->tids, err) < 0 || inj_notif_init(&st->n, err) < 0)
		return -1;

	if (inj_spawn_start(&sp, argv, s->mask, SECCOMP_RET_USER_NOTIF, SECCOMP_FILTER_FLAG_NEW_LISTENER, 1, err) < 0)
		return -1;
	/* The child holds the listener (fd filter_result) and waits in read():
	 * copy it before the child's exec closes it (it is close-on-exec). */
	st->pidfd = (int)syscall(SYS_pidfd_open, sp.pid, 0);
	if (inj_notif_take(&st->n, st->pidfd, (int)sp.filter_result, err) < 0) {
		inj_spawn_abort(&sp);
		return -1;
	}
	s->st.sync_wake_up = st->n.sync_wake_up;
	if (!s->st.sync_wake_up)
		inj_log(s, "unotify: SYNC_WAKE_UP unavailable");
	/* Pin only when asked, or when the kernel cannot wake us on the
	 * target's CPU itself. */
	if (s->o.cpu >= 0 || (s->o.cpu == INJECT_CPU_AUTO && !s->st.sync_wake_up)) {
		char perr[INJECT_ERRBUF_SIZE];
		int cpu = inj_pin_pick(sp.pid, s->o.cpu, perr);
		if (cpu >= 0 && (pinerr = inj_pin_task(0, cpu)) == 0 && (pinerr = inj_pin_task(sp.pid, cpu)) == 0)
			s->st.cpu = cpu;
		else
			inj_log(s, "not pinning: %s", cpu < 0 ? perr : strerror(-pinerr));
	}
	s->root = sp.pid;
	/* Orphans reparent to us, so that their end (and status) is known:
	 * the one exit-side fact this engine can write, besides the root's. */
	int was = 1;
	st->subreaper = prctl(PR_GET_CHILD_SUBREAPER, &was) == 0 && !was && prctl(PR_SET_CHILD_SUBREAPER, 1) == 0;
	inj_emit_launch_fork(s, sp.pid);
	if (inj_spawn_go(&sp, err) < 0) {
		inj_spawn_abort(&sp);
		return -1;
	}
	inj_log(s, "unotify: launched %s as %d%s", argv[0], (int)sp.pid,
	        s->st.sync_wake_up ? " (SYNC_WAKE_UP)" : "");
	return 0;
}

/* An exec that would run a set-ID program without its privileges (we
 * cannot detach: the filter stays) fails with EPERM instead, and says so. */
static int refuse_setid(struct inj_session *s, struct un_state *st)
{
	const struct seccomp_notif *req = st->n.req;
	char msg[INJECT_ERRBUF_SIZE * 2];
	uint64_t args[6];
	unsigned i;

	if (req->data.arch != AUDIT_ARCH_X86_64)
		return 0;
	for (i = 0; i < 6; i++)
		args[i] = req->data.args[i];
	if (!inj_setid_exec_check(&s->setid, (pid_t)req->pid, req->data.nr, args, 0, 0, msg, sizeof msg))
		return 0;
	/* What we read is the caller's only while it still waits. */
	if (!inj_notif_valid(&st->n))
		return 0;
	s->st.setid_refused++;
	inj_notice(s, msg);
	return 1;
}

static void serve_one(struct inj_session *s, struct un_state *st)
{
	struct seccomp_notif *req = st->n.req;
	int r;

	if (inj_notif_recv(&st->n) < 0)
		return;   /* ENOENT: the task was killed meanwhile; EINTR */
	s->st.stops++;
	if (inj_filter_creates_task(req->data.arch, req->data.nr))
		un_tids_new_task(&st->tids);
	if (req->data.arch == AUDIT_ARCH_X86_64 && inj_selected(s, req->data.nr)) {
		struct udig_syscall_ctx sc;
		struct inj_tracee tr;
		size_t len;
		unsigned i;
		int from_proc;
		pid_t tid = (pid_t)req->pid, tgid = un_tids_tgid(s, &st->tids, tid, &from_proc);

		inj_tracee_init(&tr, tid, tgid, &st->pidfds);
		memset(&sc, 0, sizeof sc);
		sc.ts = inj_now();
		sc.tid = tid;
		sc.pid = tgid;
		sc.nr = req->data.nr;
		for (i = 0; i < 6; i++)
			sc.args[i] = req->data.args[i];
		sc.snaplen = inj_snaplen(s);
		sc.ops = &tr.ops;
		sc.opsctx = &tr;
		len = inj_build_enter(s, &sc);
		/* What we read of the task (memory, fds, /proc) belongs to this
		 * syscall only if the notification is still pending: otherwise
		 * the task died or was interrupted, and its memory (or tid) may
		 * be someone else's by now.  A record built from the
		 * notification alone is true as it stands: the call was made.
		 * (Enter fillers never read ops.procdir; only exits do.) */
		if (len > 0) {
			if ((!tr.reached && !from_proc) || inj_notif_valid(&st->n))
				inj_deliver(s, s->buf, len);
			else
				s->st.failed++;
		}
	}
	r = refuse_setid(s, st) ? inj_notif_fail(&st->n, EPERM) : inj_notif_continue(&st->n);
	if (r < 0 && r != -ENOENT)
		inj_log(s, "unotify: answer to %d: %s", (int)req->pid, strerror(-r));
}

/* The launched process is gone: its real status, and its procexit. */
static void reap_root(struct inj_session *s, struct un_state *st, int options)
{
	int status;
	pid_t r;

	do
		r = waitpid(s->root, &status, options);
	while (r < 0 && errno == EINTR);
	if (r != s->root)
		return;
	s->root_status = status;
	s->root_reaped = 1;
	inj_emit_procexit(s, s->root, status);
	un_tids_forget(&st->tids, s->root);
	if (st->pidfd >= 0)
		close(st->pidfd);
	st->pidfd = -1;
}

/* Every child that has ended (all of them, with `block`): the launched
 * process (as reap_root) and the orphans we adopted, each with its procexit
 * and real status. */
static void reap_children(struct inj_session *s, struct un_state *st, int block)
{
	for (;;) {
		int status;
		pid_t r = waitpid(-1, &status, (block ? 0 : WNOHANG) | __WALL);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return;
		if (r == s->root) {
			s->root_status = status;
			s->root_reaped = 1;
			if (st->pidfd >= 0)
				close(st->pidfd);
			st->pidfd = -1;
		}
		inj_emit_procexit(s, r, status);
		un_tids_forget(&st->tids, r);
	}
}

static int un_loop(struct inj_session *s, volatile sig_atomic_t *stop, char *err)
{
	struct un_state *st = s->engine;

	for (;;) {
		struct pollfd p[3];
		int n;

		if (stop && *stop)
			return 0;
		p[0].fd = st->n.fd;
		p[0].events = POLLIN;
		p[0].revents = 0;
		/* An unreaped zombie keeps its filter referenced: reap the
		 * launched process as soon as it exits, or the listener never
		 * reports that all users are gone. */
		p[1].fd = st->pidfd;
		p[1].events = POLLIN;
		p[1].revents = 0;
		p[2].fd = un_tids_fd(&st->tids);
		p[2].events = POLLIN;
		p[2].revents = 0;
		n = poll(p, 3, st->subreaper ? ORPHAN_POLL_MS : -1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			inj_err(err, "poll: %s", strerror(errno));
			return -1;
		}
		/* Our own reaps first: they write those procexits themselves
		 * and take the threads off the watch. */
		if (st->subreaper)
			reap_children(s, st, 0);
		else if (p[1].revents & POLLIN)
			reap_root(s, st, WNOHANG);
		/* Ends before the next notification: a parent's wait for its
		 * child returned before the parent's next call. */
		if (p[2].revents & POLLIN)
			un_tids_ends(s, &st->tids);
		if (p[0].revents & POLLIN)
			serve_one(s, st);
		else if (p[0].revents & (POLLHUP | POLLERR)) {
			/* No task uses the filter any more: every descendant is gone. */
			/* Our children: the root, orphans; the kernel lets go of
			 * the filter as a task exits, before it can be reaped. */
			if (st->subreaper)
				reap_children(s, st, 1);
			if (!s->root_reaped)
				reap_root(s, st, 0);
			/* The others were reaped by their parents, all gone now. */
			un_tids_ends(s, &st->tids);
			if (st->tids.ends_unknown)
				inj_log(s, "unotify: %lu threads ended with a status the kernel does not tell (Linux < 6.15): no procexit",
					st->tids.ends_unknown);
			return 1;
		}
	}
}

static int un_detach(struct inj_session *s, char *err)
{
	(void)s;
	(void)err;
	/* Nothing can be detached: the filter is the tasks' own for life.
	 * Closing the listener (cleanup) makes their selected syscalls fail
	 * with ENOSYS, which is why run mode never stops early. */
	return 0;
}

static void un_cleanup(struct inj_session *s)
{
	struct un_state *st = s->engine;

	if (!st)
		return;
	un_tids_close(&st->tids);
	inj_pidfds_close(&st->pidfds);
	inj_notif_close(&st->n);
	if (st->subreaper)
		prctl(PR_SET_CHILD_SUBREAPER, 0);
	if (st->pidfd >= 0)
		close(st->pidfd);
	free(st);
	s->engine = NULL;
}

const struct inject_engine_ops inj_unotify_engine = {
	.name = "unotify",
	.writes_exits = 0,
	.launch = un_launch,
	.attach = NULL,
	.loop = un_loop,
	.detach = un_detach,
	.cleanup = un_cleanup,
};
