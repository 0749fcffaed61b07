/* The ptrace engine's state: one entry per traced thread. */
#ifndef INJECT_PTRACE_H
#define INJECT_PTRACE_H

#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <sys/types.h>
#include <uthash.h>

#include "inject/engine.h"
#include "inject/tracee.h"

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
};

struct pt_thread *pt_find(struct pt_state *st, pid_t tid);
struct pt_thread *pt_add(struct inj_session *s, struct pt_state *st, pid_t tid, pid_t tgid);
void pt_del(struct pt_state *st, struct pt_thread *t);
unsigned pt_count(const struct pt_state *st);

/* The wait-and-dispatch loop and stop handlers (ptrace_stops.c). */
int pt_loop(struct inj_session *s, volatile sig_atomic_t *stop, char *err);

/* ptrace options for our tracees. */
unsigned long pt_options(const struct inj_session *s);

#endif
