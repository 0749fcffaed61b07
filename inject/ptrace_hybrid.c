/*
 * Preload-aware runs of the ptrace engine (inject_opts.preload_path; the
 * contract is in inject.h).
 *
 * Why preloaded processes are detached rather than merely left unrecorded:
 * libudig intercepts every syscall with a SIGSYS (Syscall User Dispatch),
 * and ptrace turns every signal into a signal-delivery-stop, so staying
 * attached costs a tracer round trip per syscall (measured on `find
 * /usr/include`, 13k syscalls: 13,204 tracer stops instead of 10, and 3-5x
 * the time of libudig alone) — the price of full ptrace capture, for
 * nothing.  Instead a filter hands us each execve/execveat as
 * a user notification; a thread we do not trace is seized right then, so
 * that its exec stop shows us the new image before it runs.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "inject/ptrace.h"
#include "inject/spawn.h"

/* Notifications are looked at between stops at least this often, so a
 * busy traced process cannot keep an exec'ing one waiting. */
#define NOTIF_EVERY 32
/* SIGCHLD is process-directed: another thread of the caller that does not
 * block it may take it from our signalfd.  Then we look anyway after this
 * long: late, never stuck. */
#define SIGCHLD_SAFETY_MS 100

static int is_exec(long nr)
{
	return nr == SYS_execve || nr == SYS_execveat;
}

/* SIGCHLD through a signalfd, so that one poll waits for tracee stops
 * and notifications alike. */
static int sigchld_fd(struct pt_state *st, char *err)
{
	sigset_t block;

	sigemptyset(&block);
	sigaddset(&block, SIGCHLD);
	if (sigprocmask(SIG_BLOCK, &block, &st->oldmask) < 0) {
		inj_err(err, "sigprocmask: %s", strerror(errno));
		return -1;
	}
	st->mask_saved = 1;
	st->sigfd = signalfd(-1, &block, SFD_NONBLOCK | SFD_CLOEXEC);
	if (st->sigfd < 0) {
		inj_err(err, "signalfd: %s", strerror(errno));
		return -1;
	}
	return 0;
}

int pt_hybrid_launch(struct inj_session *s, struct pt_state *st, char *const argv[], char *err)
{
	uint8_t mask[INJECT_MASK_BYTES];
	struct inj_spawn sp;
	struct pt_thread *t;
	int pidfd, r, was = 0;

	st->hybrid = 1;
	st->every_syscall = 1;
	inj_preload_lib_init(&st->lib, s->o.preload_path);
	if (inj_notif_init(&st->n, err) < 0)
		return -1;
	inject_mask_clear(mask);
	inject_mask_set(mask, SYS_execve, 1);
	inject_mask_set(mask, SYS_execveat, 1);
	if (inj_spawn_start(&sp, argv, mask, SECCOMP_RET_USER_NOTIF, SECCOMP_FILTER_FLAG_NEW_LISTENER, 0, err) < 0)
		return -1;
	/* The listener is close-on-exec in the child: copy it now. */
	pidfd = (int)syscall(SYS_pidfd_open, sp.pid, 0);
	r = inj_notif_take(&st->n, pidfd, (int)sp.filter_result, err);
	if (pidfd >= 0)
		close(pidfd);
	if (r < 0) {
		inj_spawn_abort(&sp);
		return -1;
	}
	s->st.sync_wake_up = st->n.sync_wake_up;
	t = pt_seize_launched(s, st, &sp, err);
	if (!t)
		return -1;
	t->prelaunch = 1;
	/* The launched process is traced until its first exec: make it stop
	 * once, so that it goes on under PTRACE_SYSCALL (a seized tracee runs
	 * untouched) and its execve, failed PATH attempts included, has both
	 * records.  It is still before its exec, waiting for the go byte. */
	ptrace(PTRACE_INTERRUPT, sp.pid, 0L, 0L);
	/* Only now: the child must not inherit a blocked SIGCHLD. */
	if (sigchld_fd(st, err) < 0) {
		inj_spawn_abort(&sp);
		return -1;
	}
	/* Orphans stay our descendants, which Yama's ptrace_scope 1 requires
	 * for seizing them at their exec (and we reap them, which the
	 * listener needs to see its last user go). */
	st->subreaper_was = -1;
	if (prctl(PR_GET_CHILD_SUBREAPER, &was) == 0 && !was && prctl(PR_SET_CHILD_SUBREAPER, 1) == 0)
		st->subreaper_was = 0;
	inj_emit_launch_fork(s, sp.pid);
	if (inj_spawn_go(&sp, err) < 0) {
		inj_spawn_abort(&sp);
		return -1;
	}
	inj_log(s, "ptrace: launched %s as %d, preload-aware (%s)%s", argv[0], (int)sp.pid,
	        s->o.preload_path, s->st.sync_wake_up ? ", SYNC_WAKE_UP" : "");
	return 0;
}

/* A thread we do not trace is about to exec: take it, so that its exec
 * stop is ours.  Its table entry exists before the seize, so that no stop
 * of it can arrive for an unknown thread. */
static struct pt_thread *seize_exec(struct inj_session *s, struct pt_state *st, pid_t tid)
{
	pid_t tgid = inj_tgid_of(tid);
	struct pt_thread *t = pt_add(s, st, tid, tgid > 0 ? tgid : tid);

	if (!t)
		return NULL;
	if (ptrace(PTRACE_SEIZE, tid, 0L, pt_options(s)) < 0) {
		inj_log(s, "exec in %d not followed: PTRACE_SEIZE: %s", (int)tid, strerror(errno));
		pt_del(st, t);
		s->st.threads--;
		return NULL;
	}
	t->mode = PT_PENDING;
	t->announced = 1;
	/* The notification went stale between receiving it and seizing: the
	 * thread died (and we may hold whoever got its tid) or a signal
	 * interrupted the call (it will call again).  Let go at its next stop. */
	if (!inj_notif_valid(&st->n)) {
		t->mode = PT_RELEASE;
		ptrace(PTRACE_INTERRUPT, tid, 0L, 0L);
	}
	return t;
}

/* A thread we do not trace would lose set-ID privileges at this exec
 * once seized (and has no_new_privs anyway when we are unprivileged): it
 * fails with EPERM instead, unseized.  Traced threads were looked at in
 * their syscall-entry stop. */
static int refuse_setid(struct inj_session *s, struct pt_state *st)
{
	const struct seccomp_notif *req = st->n.req;
	char msg[INJECT_ERRBUF_SIZE * 2];
	uint64_t args[6];
	unsigned i;

	if (req->data.arch != AUDIT_ARCH_X86_64 || !is_exec(req->data.nr))
		return 0;
	for (i = 0; i < 6; i++)
		args[i] = req->data.args[i];
	if (!inj_setid_exec_check(&s->setid, (pid_t)req->pid, req->data.nr, args, 1, 0, msg, sizeof msg) ||
	    !inj_notif_valid(&st->n))
		return 0;
	s->st.setid_refused++;
	inj_notice(s, msg);
	return 1;
}

static void serve(struct inj_session *s, struct pt_state *st)
{
	const struct seccomp_notif *req = st->n.req;
	struct pt_thread *t;
	int r;

	if (inj_notif_recv(&st->n) < 0)
		return;
	s->st.stops++;
	/* A traced thread had its syscall-entry stop already: nothing to do
	 * but let the call go on. */
	t = pt_find(st, (pid_t)req->pid);
	if ((!t || t->mode != PT_TRACED) && refuse_setid(s, st)) {
		r = inj_notif_fail(&st->n, EPERM);
		if (r < 0 && r != -ENOENT)
			inj_log(s, "answer to %d: %s", (int)req->pid, strerror(-r));
		return;
	}
	if (!t && req->data.arch == AUDIT_ARCH_X86_64 && is_exec(req->data.nr))
		t = seize_exec(s, st, (pid_t)req->pid);
	if (t && t->mode != PT_TRACED) {
		t->nr = req->data.nr;
		memcpy(t->args, req->data.args, sizeof t->args);
	}
	r = inj_notif_continue(&st->n);
	if (r < 0 && r != -ENOENT)
		inj_log(s, "answer to %d: %s", (int)req->pid, strerror(-r));
}

void pt_hybrid_exec(struct inj_session *s, struct pt_state *st, struct pt_thread *t)
{
	int was_traced = t->mode == PT_TRACED, enter_written, libudig_exit;
	struct inj_image im;

	inj_image_inspect(t->tid, &st->lib, &im);
	/* The old image's enter: ours if we traced it; libudig's if it left
	 * its marker (it writes the enter, then builds the new environment). */
	enter_written = was_traced ? (t->in_syscall && t->recorded) : im.mark_nr != 0;
	/* A preloaded new image writes the exit itself: with the syscall of
	 * the marker for its pid (even one left by an earlier image of this
	 * pid), else as execve, libudig's announcement of an image no
	 * captured image exec'd (udig/preload/exec.c). */
	libudig_exit = im.preloaded;
	if (!is_exec(t->nr))
		t->nr = im.mark_nr ? im.mark_nr : SYS_execve;
	if (enter_written && !libudig_exit) {
		struct udig_syscall_ctx sc;
		struct inj_tracee tr;
		pt_ctx(s, st, t, t->tid, t->tgid, &tr, &sc);
		sc.ret = 0;
		inj_emit_exit(s, &sc);
	}
	inj_log(s, "exec in %d: %s image (%s%s%s%s), execve exit by %s", (int)t->tid,
	        im.preloaded ? "preloaded" : "traced", im.dynamic ? "dynamic" : "static",
	        im.lists_lib ? ", LD_PRELOAD" : "", im.intercept_off ? ", UDIG_INTERCEPT=off" : "",
	        im.mark_nr ? ", marker" : "",
	        libudig_exit ? "libudig" : !enter_written ? "nobody (no enter)" : "tracer");
	t->recorded = 0;
	if (im.preloaded) {
		t->mode = PT_RELEASE;
		t->in_syscall = 0;
		t->exec_done = 0;
	} else {
		/* Its exec's own exit stop comes next: nothing left to write. */
		t->mode = PT_TRACED;
		t->in_syscall = 1;
		t->exec_done = 1;
	}
}

static void drain(int fd)
{
	struct signalfd_siginfo si;
	while (read(fd, &si, sizeof si) > 0)
		;
}

int pt_hybrid_loop(struct inj_session *s, struct pt_state *st, char *err)
{
	unsigned since_poll = 0;

	for (;;) {
		struct pollfd p[2];
		int status = 0, n;
		pid_t tid = waitpid(-1, &status, __WALL | WNOHANG);

		if (tid == 0) {
			/* A SIGCHLD after the waitpid but before the drain is
			 * caught by this second look. */
			drain(st->sigfd);
			tid = waitpid(-1, &status, __WALL | WNOHANG);
		}
		if (tid > 0) {
			pt_dispatch(s, st, tid, status);
			if (++since_poll < NOTIF_EVERY || st->listener_gone)
				continue;
		} else if (tid < 0 && errno == EINTR) {
			continue;
		} else if (tid < 0 && errno != ECHILD) {
			inj_err(err, "waitpid: %s", strerror(errno));
			return -1;
		}
		/* Every task that had the filter is gone: nothing can exec any
		 * more.  What is left is reaping: our tracees, and the launched
		 * process even if we had let go of it. */
		if (tid < 0 && st->listener_gone)
			return 1;   /* ECHILD: nobody left to reap */
		/* Not before ECHILD: the kernel lets go of the filter as a task
		 * exits, before it can be reaped, and an orphan we have not
		 * reaped yet would miss its procexit. */
		since_poll = 0;
		p[0].fd = st->sigfd;
		p[0].events = POLLIN;
		p[0].revents = 0;
		p[1].fd = st->n.fd;
		p[1].events = POLLIN;
		p[1].revents = 0;
		/* With events pending, only look; else wait for either. */
		n = poll(p, st->listener_gone ? 1 : 2, tid > 0 ? 0 : SIGCHLD_SAFETY_MS);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			inj_err(err, "poll: %s", strerror(errno));
			return -1;
		}
		if (st->listener_gone)
			continue;
		if (p[1].revents & POLLIN)
			serve(s, st);
		else if (p[1].revents & (POLLHUP | POLLERR))
			st->listener_gone = 1;
	}
}

void pt_hybrid_cleanup(struct pt_state *st)
{
	if (!st->hybrid)
		return;
	inj_notif_close(&st->n);
	if (st->subreaper_was == 0)
		prctl(PR_SET_CHILD_SUBREAPER, 0);
}
