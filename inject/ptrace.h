/* The ptrace engine's state: one entry per traced thread. */
#ifndef INJECT_PTRACE_H
#define INJECT_PTRACE_H

#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <sys/types.h>
#include <uthash.h>

#include "inject/engine.h"
#include "inject/image.h"
#include "inject/notif.h"
#include "inject/tracee.h"

/* What the tracer does with a thread (preload-aware runs use all three;
 * otherwise every thread is PT_TRACED). */
enum pt_mode {
	PT_TRACED = 0,  /* capture it */
	PT_PENDING,     /* preloaded, seized at its execve: decided at the exec stop */
	PT_RELEASE,     /* preloaded: detach at its next stop, write nothing */
};

struct pt_thread {
	pid_t tid, tgid;
	long nr;              /* syscall between its enter and exit stops */
	uint64_t args[6];
	unsigned in_syscall : 1;  /* resumed with PTRACE_SYSCALL for the exit stop */
	unsigned recorded : 1;    /* enter written: the exit gets written too */
	unsigned exec_done : 1;   /* execve exit already written at PTRACE_EVENT_EXEC */
	unsigned announced : 1;   /* the consumer can know it (root, attached, clone exit written) */
	unsigned parked : 1;      /* held at its first stop until its parent's clone event */
	unsigned fresh : 1;       /* announced before its first stop arrived */
	unsigned exited : 1;      /* procexit written */
	unsigned prelaunch : 1;   /* the launched child before its execve: our launch code, not the program */
	unsigned mode : 2;        /* enum pt_mode */
	unsigned setid_refused : 1;  /* its exec is being skipped: it returns EPERM */
	int parked_status;        /* wait status of that first stop */
	UT_hash_handle hh;
};

struct pt_state {
	struct pt_thread *threads;   /* uthash by tid */
	struct inj_pidfds pidfds;
	int cpu;                     /* everything pinned here, or -1 */
	cpu_set_t orig_mask;         /* attach: the process's mask, put back at detach */
	cpu_set_t self_mask;         /* ours before pinning */
	int detaching;
	int sigfd;                   /* attach: SIGCHLD signalfd */
	sigset_t waitmask;           /* attach: mask while idle (stop signals open) */
	sigset_t oldmask;
	int mask_saved;
	/* Preload-aware runs (inject_opts.preload_path). */
	int hybrid;
	int every_syscall;           /* traced threads stop at every syscall (attach, hybrid) */
	struct inj_notif n;          /* the execve/execveat listener */
	int listener_gone;           /* POLLHUP: no task uses the filter any more */
	struct inj_preload_lib lib;
	int subreaper_was;           /* PR_GET_CHILD_SUBREAPER before we set it, or -1 */
};

struct pt_thread *pt_find(struct pt_state *st, pid_t tid);
struct pt_thread *pt_add(struct inj_session *s, struct pt_state *st, pid_t tid, pid_t tgid);
void pt_del(struct pt_state *st, struct pt_thread *t);
unsigned pt_count(const struct pt_state *st);

/* The wait-and-dispatch loop and stop handlers (ptrace_stops.c). */
int pt_loop(struct inj_session *s, volatile sig_atomic_t *stop, char *err);
/* One waitpid result. */
void pt_dispatch(struct inj_session *s, struct pt_state *st, pid_t tid, int status);
/* A syscall context for thread t (tid/tgid given: they may differ from t's). */
void pt_ctx(struct inj_session *s, struct pt_state *st, const struct pt_thread *t,
            pid_t tid, pid_t tgid, struct inj_tracee *tr, struct udig_syscall_ctx *sc);

/* Preload-aware runs (ptrace_hybrid.c). */
/* Launch: spawn with the execve listener, seize the root. */
int pt_hybrid_launch(struct inj_session *s, struct pt_state *st, char *const argv[], char *err);
/* At t's exec stop: decide the new image's mode, write execve's exit if it
 * is ours to write. */
void pt_hybrid_exec(struct inj_session *s, struct pt_state *st, struct pt_thread *t);
/* Serve stops and notifications until every process is gone. */
int pt_hybrid_loop(struct inj_session *s, struct pt_state *st, char *err);
void pt_hybrid_cleanup(struct pt_state *st);

/* ptrace options for our tracees. */
unsigned long pt_options(const struct inj_session *s);
/* Seizes the spawned child (still waiting for its go byte) and makes it the
 * session's root, announced.  NULL after aborting the spawn, err set. */
struct inj_spawn;
struct pt_thread *pt_seize_launched(struct inj_session *s, struct pt_state *st, struct inj_spawn *sp, char *err);

#endif
