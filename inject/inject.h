/*
 * inject/inject.h — capture programs from outside: the out-of-process engines.
 *
 * The `udig run` / `udig attach` commands are built on this.  Two engines:
 *
 *  ptrace   A seccomp filter installed in the launched program returns
 *           SECCOMP_RET_TRACE for the selected syscalls only (everything else
 *           runs at full speed); the tracer reads arguments at the seccomp
 *           stop, lets the syscall run to its exit stop and writes an enter
 *           AND an exit record with the real result.  Follows threads, fork,
 *           vfork, clone, clone3 and execve (static binaries too); writes the
 *           child-side clone exit (res = 0) before the child runs, the
 *           parent-side one (res = child tid), the execve exit with the new
 *           image's facts, and PPME_PROCEXIT_1_E with the real wait status of
 *           every thread.  Attaching to a running process cannot add a filter
 *           (a RET_TRACE filter left behind would make its syscalls fail with
 *           ENOSYS after we detach), so attach mode stops on every syscall and
 *           writes only the selected ones.
 *
 *  unotify  A seccomp user-notification filter; a supervisor receives the
 *           selected syscalls, reads their arguments, re-checks that the
 *           notification is still live (SECCOMP_IOCTL_NOTIF_ID_VALID) and lets
 *           the kernel run the syscall (SECCOMP_USER_NOTIF_FLAG_CONTINUE).
 *           Works where ptrace cannot (the program is already under strace or
 *           a debugger).  Run mode only.
 *
 * What the consumer sees from unotify: ENTER records only.  The supervisor
 * never learns a syscall's result, so no syscall exit record is written —
 * none is invented.  The one exit-side fact it knows exactly is the wait
 * status of the process it launched: PPME_PROCEXIT_1_E for that pid is
 * written when it is reaped.  A consumer recognises unotify captures by
 * enter records never followed by their exit on the same thread; use
 * inject_engine_writes_exits() to know in advance.
 *
 * Pointer arguments read by unotify are racy: another thread of the target
 * can change the memory after the read (the kernel's documented TOCTOU for
 * user notification); the notification is re-validated after the read, so
 * a record is never built from a syscall that was already gone.
 *
 * Errors: functions return -1 and write a one-line message into `err`
 * (INJECT_ERRBUF_SIZE bytes).
 */
#ifndef UDIG_INJECT_H
#define UDIG_INJECT_H

#include <signal.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define INJECT_ERRBUF_SIZE 256

enum inject_engine {
	INJECT_ENGINE_PTRACE = 0,
	INJECT_ENGINE_UNOTIFY = 1,
};

/* Syscall selection: one bit per native x86_64 syscall number. */
#define INJECT_NSYSCALLS 512
#define INJECT_MASK_BYTES (INJECT_NSYSCALLS / 8)

/* CPU pinning (the tracer/tracee hand-off costs ~17 us on one CPU and
 * 60-135 us across CPUs on small VMs). */
#define INJECT_CPU_AUTO (-1)   /* ptrace: pin tracer and tracees to one CPU the tracee may use */
#define INJECT_CPU_NONE (-2)   /* leave affinity alone */

struct inject_stats {
	uint64_t events;    /* records written (ring and/or debug sink) */
	uint64_t drops;     /* records the ring refused: full */
	uint64_t inactive;  /* records not written: no consumer capturing, or masked by it */
	uint64_t failed;    /* records not built: encoder refused, tracee gone, notification stale */
	uint64_t stops;     /* ptrace stops / seccomp notifications handled */
	uint64_t threads;   /* threads followed (ptrace) or distinct notifying threads seen (unotify) */
	int sync_wake_up;   /* unotify: SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP was accepted */
	int cpu;            /* CPU everything was pinned to, or -1 */
};

struct inject_opts {
	enum inject_engine engine;
	const char *ring_name;      /* NULL: $UDIG_RING, then the default */
	const char *descs_name;     /* NULL: $UDIG_DESCS, then the default */
	int no_ring;                /* do not open the ring at all (debug sink only) */
	int debug_fd;               /* >= 0: every record is also written here, raw, back to back */
	const uint8_t *syscalls;    /* INJECT_MASK_BYTES; NULL: inject_mask_default().  The
	                             * process-lifecycle syscalls (clone, clone3, fork, vfork,
	                             * execve, execveat) are always added: following processes
	                             * needs them and the consumer needs their records. */
	int cpu;                    /* INJECT_CPU_AUTO, INJECT_CPU_NONE or a CPU number */
	int verbose;                /* progress and anomalies on stderr */
	struct inject_stats *stats; /* filled on return when not NULL */
};

/* Defaults: ptrace, ring on with default names, no debug sink, default
 * syscall set, CPU_AUTO, quiet. */
void inject_opts_init(struct inject_opts *o);

/* Syscall masks. */
void inject_mask_clear(uint8_t *mask);
/* The syscalls whose enter or exit event modifies the consumer's state
 * (files, sockets, processes, credentials: what pdig traces by default). */
void inject_mask_default(uint8_t *mask);
/* Every syscall the event table decodes (UF_USED), not the generic ones. */
void inject_mask_all_used(uint8_t *mask);
/* Every syscall number, generic events included. */
void inject_mask_all(uint8_t *mask);
void inject_mask_set(uint8_t *mask, long nr, int on);
int inject_mask_test(const uint8_t *mask, long nr);
/* Adds every syscall whose enter or exit record has this event type;
 * returns how many were added (0: the type is not a syscall event). */
int inject_mask_add_event(uint8_t *mask, uint16_t type);

int inject_engine_from_name(const char *name, enum inject_engine *e);
const char *inject_engine_name(enum inject_engine e);
/* 1 when the engine writes syscall exit records (ptrace), 0 when it writes
 * enters only (unotify). */
int inject_engine_writes_exits(enum inject_engine e);

/*
 * Launches argv[0] (PATH search) under capture and returns when it and every
 * descendant have exited.  *wstatus receives its wait(2) status, so the
 * caller can exit with the same code or die by the same signal.  ptrace: the
 * tracees are killed if the tracer dies (PTRACE_O_EXITKILL), because the
 * filter left behind would otherwise turn their selected syscalls into
 * ENOSYS.  unotify: if the supervisor dies the selected syscalls fail with
 * ENOSYS (the kernel's rule for a filter without a listener).
 * The caller should ignore SIGINT/SIGQUIT meanwhile (the terminal sends them
 * to the program too) and not reap children itself (no SIGCHLD handler that
 * calls wait).  Returns 0, or -1 with err.
 */
int inject_run(const struct inject_opts *o, char *const argv[], int *wstatus, char *err);

/*
 * Captures the running process `pid` (ptrace only): all its threads, and
 * every thread and process they create from then on, until *stop becomes
 * non-zero; then detaches cleanly: every tracee is released where it
 * stands, pending signals are delivered, group-stopped tracees stay
 * stopped, and the CPU affinity of each is restored to what the process had.
 *
 * *stop is meant to be set by a SIGINT/SIGTERM/SIGHUP/SIGQUIT handler.  Those
 * four signals are blocked while the engine works and unblocked atomically
 * while it waits, so setting *stop from their handlers is never missed; a
 * handler on another signal must be installed without SA_RESTART.
 *
 * If the tracer dies without detaching, the kernel detaches every tracee
 * itself: they keep running (no filter was installed), except that a thread
 * caught in a group-stop stays stopped until it gets SIGCONT, and threads
 * keep the single-CPU affinity they were pinned to (use INJECT_CPU_NONE to
 * avoid that).
 *
 * Returns 0 after a detach on *stop, 1 when every tracee exited first, -1
 * with err (then nothing stays attached).
 */
int inject_attach(pid_t pid, const struct inject_opts *o, volatile sig_atomic_t *stop, char *err);

#ifdef __cplusplus
}
#endif
#endif
