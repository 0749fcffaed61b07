/*
 * The ptrace engine: launching, attaching and detaching (the stop handling
 * is in ptrace_stops.c).
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/seccomp.h>
#include <sys/ptrace.h>
#include <sys/signalfd.h>
#include <sys/wait.h>

#include "inject/pin.h"
#include "inject/ptrace.h"
#include "inject/spawn.h"

unsigned long pt_options(const struct inj_session *s)
{
	unsigned long o = PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACESECCOMP | PTRACE_O_TRACECLONE |
	                  PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACEEXEC |
	                  PTRACE_O_TRACEEXIT;
	/* Run mode: the tracees carry a RET_TRACE filter that would turn their
	 * selected syscalls into ENOSYS without us, so they die with us. */
	if (!s->attach_mode)
		o |= PTRACE_O_EXITKILL;
	return o;
}

static struct pt_state *state_new(struct inj_session *s, char *err)
{
	struct pt_state *st = calloc(1, sizeof *st);
	if (!st) {
		inj_err(err, "out of memory");
		return NULL;
	}
	inj_pidfds_init(&st->pidfds);
	st->cpu = -1;
	st->sigfd = -1;
	st->n.fd = -1;
	st->subreaper_was = -1;
	st->every_syscall = s->attach_mode;
	s->engine = st;
	return st;
}

static void pin_self(struct inj_session *s, struct pt_state *st, pid_t target)
{
	char perr[INJECT_ERRBUF_SIZE];
	int cpu;

	if (s->o.cpu == INJECT_CPU_NONE || inj_affinity_get(0, &st->self_mask) < 0)
		return;
	cpu = inj_pin_pick(target, s->o.cpu, perr);
	if (cpu < 0 || inj_pin_task(0, cpu) < 0) {
		/* Slower, not wrong: carry on unpinned. */
		inj_log(s, "not pinning: %s", cpu < 0 ? perr : strerror(errno));
		return;
	}
	st->cpu = cpu;
	s->st.cpu = cpu;
	inj_log(s, "tracer and tracees pinned to CPU %d", cpu);
}

struct pt_thread *pt_seize_launched(struct inj_session *s, struct pt_state *st, struct inj_spawn *sp, char *err)
{
	struct pt_thread *t;

	if (ptrace(PTRACE_SEIZE, sp->pid, 0L, pt_options(s)) < 0) {
		inj_err(err, "PTRACE_SEIZE %d: %s", (int)sp->pid, strerror(errno));
		inj_spawn_abort(sp);
		return NULL;
	}
	t = pt_add(s, st, sp->pid, sp->pid);
	if (!t) {
		inj_err(err, "out of memory");
		inj_spawn_abort(sp);
		return NULL;
	}
	t->announced = 1;
	s->root = sp->pid;
	return t;
}

static int pt_launch(struct inj_session *s, char *const argv[], char *err)
{
	struct pt_state *st = state_new(s, err);
	struct inj_spawn sp;

	if (!st)
		return -1;
	if (s->o.preload_path)
		return pt_hybrid_launch(s, st, argv, err);
	/* The child inherits the mask we pin ourselves to. */
	pin_self(s, st, 0);
	if (inj_spawn_start(&sp, argv, s->mask, SECCOMP_RET_TRACE, 0, 0, err) < 0)
		return -1;
	/* The child waits for us in read(): seize it while it cannot have
	 * reached a RET_TRACE syscall yet. */
	if (!pt_seize_launched(s, st, &sp, err))
		return -1;
	inj_emit_launch_fork(s, sp.pid);
	if (inj_spawn_go(&sp, err) < 0) {
		inj_spawn_abort(&sp);
		return -1;
	}
	inj_log(s, "ptrace: launched %s as %d", argv[0], (int)sp.pid);
	return 0;
}

/* Seize every thread of pid, rescanning until a pass finds no new one
 * (threads may be created while we scan; those created by an already
 * seized thread are attached by the kernel and show up on their own). */
static int seize_all(struct inj_session *s, struct pt_state *st, pid_t pid, char *err)
{
	char path[64];
	int added, first = 1;

	snprintf(path, sizeof path, "/proc/%d/task", (int)pid);
	do {
		DIR *d = opendir(path);
		struct dirent *de;
		added = 0;
		if (!d) {
			inj_err(err, "%s: %s", path, strerror(errno));
			return -1;
		}
		while ((de = readdir(d)) != NULL) {
			pid_t tid = (pid_t)strtol(de->d_name, NULL, 10);
			struct pt_thread *t;
			if (tid <= 0 || pt_find(st, tid))
				continue;
			if (ptrace(PTRACE_SEIZE, tid, 0L, pt_options(s)) < 0) {
				if (first && tid == pid) {
					inj_err(err, "PTRACE_SEIZE %d: %s", (int)pid, strerror(errno));
					closedir(d);
					return -1;
				}
				/* Gone, or already ours through a clone event. */
				continue;
			}
			t = pt_add(s, st, tid, pid);
			if (!t) {
				ptrace(PTRACE_DETACH, tid, 0L, 0L);
				continue;
			}
			t->announced = 1;   /* the consumer's /proc scan knows it */
			if (st->cpu >= 0)
				inj_pin_task(tid, st->cpu);
			/* Make it stop once so that we can switch it to
			 * PTRACE_SYSCALL (a seized tracee runs on untouched). */
			ptrace(PTRACE_INTERRUPT, tid, 0L, 0L);
			added++;
		}
		closedir(d);
		first = 0;
	} while (added > 0);
	return 0;
}

static int pt_attach(struct inj_session *s, pid_t pid, char *err)
{
	struct pt_state *st = state_new(s, err);
	sigset_t block;

	if (!st)
		return -1;
	if (pid <= 0 || kill(pid, 0) < 0) {
		inj_err(err, "no process %d: %s", (int)pid, pid <= 0 ? "bad pid" : strerror(errno));
		return -1;
	}
	if (inj_affinity_get(pid, &st->orig_mask) < 0)
		CPU_ZERO(&st->orig_mask);
	pin_self(s, st, pid);

	/* SIGCHLD through a signalfd; the stop signals only inside ppoll. */
	sigemptyset(&block);
	sigaddset(&block, SIGCHLD);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGQUIT);
	if (sigprocmask(SIG_BLOCK, &block, &st->oldmask) < 0) {
		inj_err(err, "sigprocmask: %s", strerror(errno));
		return -1;
	}
	st->mask_saved = 1;
	st->waitmask = st->oldmask;
	sigaddset(&st->waitmask, SIGCHLD);
	sigemptyset(&block);
	sigaddset(&block, SIGCHLD);
	st->sigfd = signalfd(-1, &block, SFD_NONBLOCK | SFD_CLOEXEC);
	if (st->sigfd < 0) {
		inj_err(err, "signalfd: %s", strerror(errno));
		return -1;
	}
	s->root = pid;
	if (seize_all(s, st, pid, err) < 0) {
		char derr[INJECT_ERRBUF_SIZE];
		s->ops->detach(s, derr);
		return -1;
	}
	inj_log(s, "ptrace: attached to %d (%u threads)", (int)pid, pt_count(st));
	return 0;
}

static int pt_detach(struct inj_session *s, char *err)
{
	struct pt_state *st = s->engine;
	struct pt_thread *t, *tmp;

	if (!st)
		return 0;
	st->detaching = 1;
	HASH_ITER(hh, st->threads, t, tmp) {
		if (t->parked) {
			/* Held at its first stop: release it right here. */
			if (st->cpu >= 0)
				inj_affinity_set(t->tid, &st->orig_mask);
			ptrace(PTRACE_DETACH, t->tid, 0L, 0L);
			pt_del(st, t);
			continue;
		}
		/* Every other tracee is running (or listening): make it stop, the
		 * loop detaches it at that stop with whatever signal it carries. */
		if (ptrace(PTRACE_INTERRUPT, t->tid, 0L, 0L) < 0 && errno == ESRCH)
			pt_del(st, t);
	}
	if (pt_loop(s, NULL, err) < 0)
		return -1;
	inj_log(s, "ptrace: detached");
	return 0;
}

static int pt_run_loop(struct inj_session *s, volatile sig_atomic_t *stop, char *err)
{
	return pt_loop(s, stop, err);
}

static void pt_cleanup(struct inj_session *s)
{
	struct pt_state *st = s->engine;
	struct pt_thread *t, *tmp;

	if (!st)
		return;
	HASH_ITER(hh, st->threads, t, tmp)
		pt_del(st, t);
	inj_pidfds_close(&st->pidfds);
	pt_hybrid_cleanup(st);
	if (st->sigfd >= 0)
		close(st->sigfd);
	if (st->mask_saved)
		sigprocmask(SIG_SETMASK, &st->oldmask, NULL);
	/* Give the caller its own affinity back. */
	if (st->cpu >= 0)
		inj_affinity_set(0, &st->self_mask);
	free(st);
	s->engine = NULL;
}

const struct inject_engine_ops inj_ptrace_engine = {
	.name = "ptrace",
	.writes_exits = 1,
	.launch = pt_launch,
	.attach = pt_attach,
	.loop = pt_run_loop,
	.detach = pt_detach,
	.cleanup = pt_cleanup,
};
