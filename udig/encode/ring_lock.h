/*
 * The multi-writer lock on descs->status.buffer_lock, and the small raw-
 * syscall helpers the writer needs while it waits.  Async-signal-safe:
 * atomics and udig_sys* only.
 *
 * The word holds the owner as (pid << 32 | tid), 0 when free.  A waiter that
 * has waited a while asks the kernel whether that thread still exists in
 * that process (tgkill(pid, tid, 0)) and is no zombie; if not — the owner
 * was SIGKILLed (reaped or not), or another thread's execve took it away
 * mid-write — the waiter takes the lock
 * over with a CAS from the dead value, so exactly one waiter inherits it.
 * The ring is consistent at every instant (head is one aligned 32-bit store
 * made after the bytes), so whatever the dead owner left half-written is
 * simply overwritten.
 *
 * Owners are identified by pid/tid of the consumer's PID namespace, also
 * by writers that run in a namespace of their own (ring_pidns.h); such a
 * writer cannot see an owner outside its namespace, never takes the lock
 * from one, and gives a lossless wait up after 2 s of the same unseen owner.
 *
 * Limits: a dead owner whose pid and tid are both reused by a new thread
 * within the detection interval looks alive until that thread exits.
 */
#ifndef UDIG_RING_LOCK_H
#define UDIG_RING_LOCK_H

#include <stdint.h>

/* The calling thread's owner value, cached per thread.  A fork child
 * inherits its parent thread's cache: udig_lock_self_reset() in the child
 * (udig_rw_after_fork does it) makes the next call ask the kernel again. */
uint64_t udig_lock_self(void);
void udig_lock_self_reset(void);

/* What the owner recorded in `v` is: DEAD when certainly gone (or `v` is
 * not a valid owner at all, e.g. scribbled or the reference instrumenter's
 * plain 1); UNSEEN when it runs outside our PID namespace, where we cannot
 * look (ring_pidns.h). */
enum { UDIG_OWNER_ALIVE, UDIG_OWNER_DEAD, UDIG_OWNER_UNSEEN };
int udig_lock_owner_state(uint64_t v);

/* Why udig_lock_acquire may give up instead of taking the lock. */
struct udig_lock_wait {
	int lossless;            /* wait as long as the holder lives */
	uint32_t max_wait_ms;    /* non-lossless: drop after this long */
	int (*keep_waiting)(void *arg); /* lossless: polled ~every ms; 0 = give up */
	void *arg;
	uint64_t give_up_on;     /* non-lossless: give up at once while this owner holds it (0: none) */
	uint64_t last_owner;     /* out: the owner that held it when we gave up */
};

/* 0: acquired.  -1: gave up (nested call on the same thread — a signal handler
 * interrupted our own write — or waited too long).  *broke is set to 1 when
 * the lock was taken over from a dead owner. */
int udig_lock_acquire(volatile uint64_t *word, uint64_t self, struct udig_lock_wait *how, int *broke);
void udig_lock_release(volatile uint64_t *word, uint64_t self);

/* Raw-syscall helpers shared with the writer's lossless wait. */
uint64_t udig_mono_ns(void);
void udig_pause_ns(long ns);
void udig_yield(void);
/* Sleeps while *addr == val, at most timeout_ns; wakes every sleeper on addr. */
void udig_futex_wait(volatile uint32_t *addr, uint32_t val, long timeout_ns);
void udig_futex_wake(volatile uint32_t *addr);
/* Takes an id of the consumer's namespace.  0: the process exists, is no
 * zombie, and runs as `euid` or root; 1: it is outside our PID namespace,
 * where we cannot look; else -1. */
int udig_pid_trusted(int32_t pid, uint32_t euid);

static inline void udig_cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#endif
}

#endif
