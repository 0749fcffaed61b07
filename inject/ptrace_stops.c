/*
 * The ptrace engine's event loop: one wait, one stop, one decision.
 *
 * Every stop ends with exactly one resume (or a deliberate hold), and the
 * signal a tracee stopped with is handed back to it, so nothing is lost,
 * duplicated or delayed:
 *   syscall stops (seccomp / entry / exit)  -> records, resume with 0
 *   PTRACE_EVENT_{CLONE,FORK,VFORK,EXEC,EXIT} -> records, resume with 0
 *   PTRACE_EVENT_STOP with a stop signal     -> group-stop: PTRACE_LISTEN
 *   PTRACE_EVENT_STOP otherwise               -> new tracee / interrupt: resume
 *   anything else                             -> signal-delivery-stop: resume
 *                                                with that signal
 * A thread first seen before its creator's clone event is held (parked)
 * until the clone event has let us write the child-side clone exit, so the
 * consumer meets the child before any of its syscalls.
 *
 * Preload-aware runs add two modes (ptrace.h): a preloaded thread is never
 * recorded and is released (detached) at its next stop; one seized at its
 * execve (PT_PENDING) gets its new image's mode at the exec stop, and any
 * other stop means that exec failed and it is released.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/audit.h>
#include <sys/ptrace.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>

#include "inject/pin.h"
#include "inject/ptrace.h"

static int is_stop_signal(int sig)
{
	return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

void pt_ctx(struct inj_session *s, struct pt_state *st, const struct pt_thread *t,
            pid_t tid, pid_t tgid, struct inj_tracee *tr, struct udig_syscall_ctx *sc)
{
	inj_tracee_init(tr, tid, tgid, &st->pidfds);
	memset(sc, 0, sizeof *sc);
	sc->ts = inj_now();
	sc->tid = tid;
	sc->pid = tgid;
	sc->nr = t->nr;
	memcpy(sc->args, t->args, sizeof sc->args);
	sc->snaplen = inj_snaplen(s);
	sc->ops = &tr->ops;
	sc->opsctx = tr;
}

/* Let go of one tracee for good (detach in progress). */
static void release(struct inj_session *s, struct pt_state *st, struct pt_thread *t, int sig)
{
	if (st->cpu >= 0)
		inj_affinity_set(t->tid, &st->orig_mask);
	if (ptrace(PTRACE_DETACH, t->tid, 0L, (long)sig) < 0) {
		if (errno == ESRCH) {
			/* Not in its stop any more: a SIGKILL that came during
			 * the stop woke it.  It is still ours, and its next stop
			 * (PTRACE_EVENT_EXIT) or its death comes to us: released
			 * then.  Forgotten now, that stop would find no entry,
			 * be held as a new thread's, and the process would
			 * never end. */
			t->mode = PT_RELEASE;
			return;
		}
		inj_log(s, "detach %d: %s", (int)t->tid, strerror(errno));
	}
	pt_del(st, t);
}

static void resume(struct inj_session *s, struct pt_state *st, struct pt_thread *t, int sig)
{
	enum __ptrace_request req;

	if (st->detaching || t->mode == PT_RELEASE) {
		release(s, st, t, sig);
		return;
	}
	/* Run mode stops only at the filter's syscalls; PTRACE_SYSCALL is used
	 * just to reach the exit stop of the one in flight.  Attach mode has no
	 * filter, and preload-aware runs filter execve only: every syscall
	 * stops. */
	req = (st->every_syscall || t->in_syscall) ? PTRACE_SYSCALL : PTRACE_CONT;
	if (ptrace(req, t->tid, 0L, (long)sig) < 0 && errno != ESRCH)
		inj_log(s, "resume %d: %s", (int)t->tid, strerror(errno));
}

/* First stop of a thread (or a group-stop): listen or resume. */
static void first_or_group_stop(struct inj_session *s, struct pt_state *st, struct pt_thread *t, int status)
{
	int sig = WSTOPSIG(status);
	if ((status >> 16) == PTRACE_EVENT_STOP && is_stop_signal(sig)) {
		/* Group-stop under SEIZE: stay stopped, but let us see SIGCONT.
		 * Detached in group-stop, it stays stopped all the same. */
		if (st->detaching || t->mode == PT_RELEASE) {
			release(s, st, t, 0);
			return;
		}
		if (ptrace(PTRACE_LISTEN, t->tid, 0L, 0L) < 0 && errno != ESRCH)
			inj_log(s, "listen %d: %s", (int)t->tid, strerror(errno));
		return;
	}
	resume(s, st, t, 0);
}

/* The syscall t stopped in at entry is not run; it returns -e (set at
 * the exit stop too: skipped at a syscall-entry stop, the kernel leaves
 * -ENOSYS there).  0, or -1 when the registers cannot be changed. */
static int skip_syscall(struct pt_thread *t, int e)
{
	struct user_regs_struct regs;

	if (ptrace(PTRACE_GETREGS, t->tid, 0L, &regs) < 0)
		return -1;
	regs.orig_rax = (unsigned long long)-1;
	regs.rax = (unsigned long long)(long long)-e;
	return ptrace(PTRACE_SETREGS, t->tid, 0L, &regs) < 0 ? -1 : 0;
}

static void set_result(struct pt_thread *t, long ret)
{
	struct user_regs_struct regs;

	if (ptrace(PTRACE_GETREGS, t->tid, 0L, &regs) == 0) {
		regs.rax = (unsigned long long)ret;
		ptrace(PTRACE_SETREGS, t->tid, 0L, &regs);
	}
}

/*
 * An exec that would lose set-ID privileges because we trace it (see
 * inject.h, inject_opts.notice).  Run mode: the program's filter stays
 * with it, so it cannot run natively: refuse it (EPERM).  Attach mode: no
 * filter, so let go of the thread and the exec runs natively, uncaptured.
 * Returns 1 when t was let go (nothing more to do with it).
 */
static int guard_setid(struct inj_session *s, struct pt_state *st, struct pt_thread *t, uint32_t arch)
{
	char msg[INJECT_ERRBUF_SIZE * 2];

	if (arch != AUDIT_ARCH_X86_64 || t->mode != PT_TRACED || st->detaching ||
	    !inj_setid_exec_check(&s->setid, t->tid, t->nr, t->args, 1, s->attach_mode, msg, sizeof msg))
		return 0;
	if (s->attach_mode) {
		s->st.setid_detached++;
		inj_notice(s, msg);
		t->mode = PT_RELEASE;
		resume(s, st, t, 0);
		return 1;
	}
	if (skip_syscall(t, EPERM) < 0) {
		inj_log(s, "exec in %d: cannot refuse it: %s", (int)t->tid, strerror(errno));
		return 0;
	}
	t->setid_refused = 1;
	s->st.setid_refused++;
	inj_notice(s, msg);
	return 0;
}

static void on_syscall_stop(struct inj_session *s, struct pt_state *st, struct pt_thread *t)
{
	struct __ptrace_syscall_info info;
	struct udig_syscall_ctx sc;
	struct inj_tracee tr;
	long r;

	if (t->mode != PT_TRACED) {
		resume(s, st, t, 0);
		return;
	}
	memset(&info, 0, sizeof info);
	r = ptrace(PTRACE_GET_SYSCALL_INFO, t->tid, (void *)sizeof info, &info);
	if (r <= 0) {
		resume(s, st, t, 0);
		return;
	}
	switch (info.op) {
	case PTRACE_SYSCALL_INFO_ENTRY:
	case PTRACE_SYSCALL_INFO_SECCOMP:
		if (info.op == PTRACE_SYSCALL_INFO_ENTRY) {
			t->nr = (long)info.entry.nr;
			memcpy(t->args, info.entry.args, sizeof t->args);
		} else {
			t->nr = (long)info.seccomp.nr;
			memcpy(t->args, info.seccomp.args, sizeof t->args);
		}
		t->in_syscall = 1;
		t->exec_done = 0;
		t->setid_refused = 0;
		if (guard_setid(s, st, t, info.arch))
			return;
		/* i386 / x32 numbers name other syscalls: not captured. */
		t->recorded = info.arch == AUDIT_ARCH_X86_64 && !st->detaching && inj_selected(s, t->nr);
		if (t->prelaunch) {
			/* The program's capture starts with its execve. */
			if (t->nr == SYS_execve || t->nr == SYS_execveat)
				t->prelaunch = 0;
			else
				t->recorded = 0;
		}
		if (t->recorded) {
			pt_ctx(s, st, t, t->tid, t->tgid, &tr, &sc);
			inj_emit_enter(s, &sc);
		}
		break;
	case PTRACE_SYSCALL_INFO_EXIT:
		/* An exit without our enter (attached mid-syscall) writes nothing:
		 * a lone exit would invert the consumer's enter/exit pairing. */
		if (t->setid_refused)
			set_result(t, -EPERM);
		if (t->in_syscall && t->recorded && !t->exec_done) {
			pt_ctx(s, st, t, t->tid, t->tgid, &tr, &sc);
			sc.ret = t->setid_refused ? -EPERM : info.exit.rval;
			inj_emit_exit(s, &sc);
		}
		t->setid_refused = 0;
		t->in_syscall = 0;
		t->recorded = 0;
		t->exec_done = 0;
		break;
	default:
		break;
	}
	resume(s, st, t, 0);
}

/* The child-side clone exit (res = 0, header tid = child): written before
 * the child runs, from the parent's syscall and the child's /proc. */
static void announce(struct inj_session *s, struct pt_state *st, const struct pt_thread *parent,
                     struct pt_thread *c, int event)
{
	struct pt_thread fake = *parent;
	struct udig_syscall_ctx sc;
	struct inj_tracee tr;

	if (!parent->in_syscall) {
		/* Attached in the middle of the parent's clone: the kind of event
		 * still tells which syscall family it was. */
		memset(fake.args, 0, sizeof fake.args);
		fake.nr = event == PTRACE_EVENT_FORK ? SYS_fork : event == PTRACE_EVENT_VFORK ? SYS_vfork : SYS_clone;
	}
	pt_ctx(s, st, &fake, c->tid, c->tgid, &tr, &sc);
	sc.ret = 0;
	inj_emit_exit(s, &sc);
	c->announced = 1;
}

static void on_clone_event(struct inj_session *s, struct pt_state *st, struct pt_thread *t, int event)
{
	unsigned long msg = 0;
	struct pt_thread *c;
	pid_t child, tgid;

	if (ptrace(PTRACE_GETEVENTMSG, t->tid, 0L, &msg) < 0) {
		resume(s, st, t, 0);
		return;
	}
	child = (pid_t)msg;
	tgid = inj_tgid_of(child);
	if (tgid <= 0)   /* already gone; /proc cannot tell, the event kind can */
		tgid = event == PTRACE_EVENT_CLONE ? t->tgid : child;
	c = pt_find(st, child);
	if (!c)
		c = pt_add(s, st, child, tgid);
	if (c) {
		c->tgid = tgid;
		/* A preloaded parent's libudig announces the child itself, and
		 * the child is preloaded too. */
		if (t->mode != PT_TRACED)
			c->mode = PT_RELEASE;
		if (!c->announced && !st->detaching && t->mode == PT_TRACED)
			announce(s, st, t, c, event);
		c->announced = 1;
		if (st->cpu >= 0 && s->attach_mode)
			inj_pin_task(child, st->cpu);  /* inherited anyway; makes it explicit */
		if (c->parked) {
			c->parked = 0;
			first_or_group_stop(s, st, c, c->parked_status);
		}
	}
	resume(s, st, t, 0);
}

/* The exec is done: write execve's exit with the new image's facts.  A
 * non-leader that execs takes over the leader's tid (ptrace(2), "execve
 * under ptrace"); its syscall state moves with it. */
static void on_exec_event(struct inj_session *s, struct pt_state *st, struct pt_thread *t)
{
	unsigned long former = 0;
	struct udig_syscall_ctx sc;
	struct inj_tracee tr;

	if (ptrace(PTRACE_GETEVENTMSG, t->tid, 0L, &former) == 0 && (pid_t)former != t->tid) {
		struct pt_thread *f = pt_find(st, (pid_t)former);
		if (f) {
			t->nr = f->nr;
			memcpy(t->args, f->args, sizeof t->args);
			t->in_syscall = f->in_syscall;
			t->recorded = f->recorded;
			t->mode = f->mode;
			pt_del(st, f);
		}
	}
	t->exited = 0;  /* the tid lives on in the new image */
	t->announced = 1;
	if (st->hybrid) {
		pt_hybrid_exec(s, st, t);
		resume(s, st, t, 0);
		return;
	}
	if (t->in_syscall && t->recorded) {
		pt_ctx(s, st, t, t->tid, t->tgid, &tr, &sc);
		sc.ret = 0;
		inj_emit_exit(s, &sc);
		t->exec_done = 1;
	}
	resume(s, st, t, 0);
}

static void on_exit_event(struct inj_session *s, struct pt_state *st, struct pt_thread *t)
{
	unsigned long status = 0;
	if (t->mode == PT_TRACED && !t->exited && !st->detaching && ptrace(PTRACE_GETEVENTMSG, t->tid, 0L, &status) == 0) {
		inj_emit_procexit(s, t->tid, (int)status);
		t->exited = 1;
	}
	resume(s, st, t, 0);
}

static void on_death(struct inj_session *s, struct pt_state *st, pid_t tid, int status)
{
	struct pt_thread *t = pt_find(st, tid);
	int written = 0;
	if (t) {
		written = t->exited; /* at its PTRACE_EVENT_EXIT stop */
		/* No PTRACE_EVENT_EXIT stop for SIGKILLed threads: write it now. */
		if (t->mode == PT_TRACED && !t->exited && !st->detaching) {
			inj_emit_procexit(s, tid, status);
			written = 1;
		}
		if (t->tid == t->tgid)
			inj_pidfds_forget(&st->pidfds, t->tgid);
		pt_del(st, t);
	}
	/* Preload-aware runs reap every process of the tree (we are its
	 * subreaper), traced or not: a preloaded one killed from outside never
	 * wrote its procexit.  One that did gets a second, which consumers
	 * skip (a procexit right after the thread's own). */
	if (st->hybrid && !written && !st->detaching)
		inj_emit_procexit(s, tid, status);
	if (tid == s->root) {
		s->root_status = status;
		s->root_reaped = 1;
	}
}

void pt_dispatch(struct inj_session *s, struct pt_state *st, pid_t tid, int status)
{
	struct pt_thread *t;
	int event, sig;

	if (WIFEXITED(status) || WIFSIGNALED(status)) {
		on_death(s, st, tid, status);
		return;
	}
	if (!WIFSTOPPED(status))
		return;
	s->st.stops++;
	event = status >> 16;
	sig = WSTOPSIG(status);
	t = pt_find(st, tid);
	if (!t) {
		/* A new thread whose creator's clone event has not been seen yet
		 * (the wait order between the two is not defined). */
		t = pt_add(s, st, tid, tid);
		if (!t) {
			ptrace(PTRACE_DETACH, tid, 0L, 0L);
			return;
		}
		if (event == PTRACE_EVENT_EXEC) {
			on_exec_event(s, st, t);
			return;
		}
		if (st->detaching) {
			release(s, st, t, 0);
			return;
		}
		t->parked = 1;
		t->parked_status = status;
		return;
	}
	/* Seized at an execve, stopped for anything but its exec event: the
	 * exec failed, the old (preloaded) image goes on. */
	if (t->mode == PT_PENDING && event != PTRACE_EVENT_EXEC)
		t->mode = PT_RELEASE;
	if (sig == (SIGTRAP | 0x80) || event == PTRACE_EVENT_SECCOMP) {
		on_syscall_stop(s, st, t);
		return;
	}
	switch (event) {
	case PTRACE_EVENT_CLONE:
	case PTRACE_EVENT_FORK:
	case PTRACE_EVENT_VFORK:
		on_clone_event(s, st, t, event);
		return;
	case PTRACE_EVENT_EXEC:
		on_exec_event(s, st, t);
		return;
	case PTRACE_EVENT_EXIT:
		on_exit_event(s, st, t);
		return;
	case PTRACE_EVENT_STOP:
		first_or_group_stop(s, st, t, status);
		return;
	case 0:
		/* Signal-delivery-stop: give the signal back. */
		resume(s, st, t, sig);
		return;
	default:
		resume(s, st, t, 0);
		return;
	}
}

/* Attach mode: wait for a tracee event, or for *stop.  SIGCHLD arrives on a
 * signalfd; the stop signals are open only inside ppoll, so a handler that
 * sets *stop either runs before our check or interrupts the sleep. */
static pid_t wait_attached(struct pt_state *st, int *status, volatile sig_atomic_t *stop)
{
	for (;;) {
		struct signalfd_siginfo si;
		struct pollfd pfd;
		pid_t r;

		if (stop && *stop)
			return 0;
		r = waitpid(-1, status, __WALL | WNOHANG);
		if (r != 0)
			return r;
		while (read(st->sigfd, &si, sizeof si) > 0)
			;
		r = waitpid(-1, status, __WALL | WNOHANG);
		if (r != 0)
			return r;
		pfd.fd = st->sigfd;
		pfd.events = POLLIN;
		if (ppoll(&pfd, 1, NULL, &st->waitmask) < 0 && errno != EINTR)
			return -1;
	}
}

int pt_loop(struct inj_session *s, volatile sig_atomic_t *stop, char *err)
{
	struct pt_state *st = s->engine;

	if (st->hybrid && !st->detaching)
		return pt_hybrid_loop(s, st, err);
	while (pt_count(st) > 0) {
		int status = 0;
		pid_t tid;

		if (s->attach_mode && !st->detaching) {
			tid = wait_attached(st, &status, stop);
			if (tid == 0)
				return 0;   /* *stop: the caller detaches */
		} else {
			tid = waitpid(-1, &status, __WALL);
		}
		if (tid < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ECHILD)
				break;
			inj_err(err, "waitpid: %s", strerror(errno));
			return -1;
		}
		pt_dispatch(s, st, tid, status);
	}
	return 1;
}
