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
 * none is invented.  The one exit-side fact it knows exactly is a wait
 * status: PPME_PROCEXIT_1_E is written for the process it launched and the
 * orphans it adopts when it reaps them, and for every other thread it has
 * seen once the kernel has released it, with the status its pidfd keeps
 * (Linux 6.15; unotify_tids.h).  A consumer recognises unotify captures by
 * enter records never followed by their exit on the same thread; use
 * inject_engine_writes_exits() to know in advance.
 *
 * Preload-aware runs (inject_opts.preload_path, ptrace engine, run mode):
 * the launched program carries LD_PRELOAD=libudig.so, which writes every
 * event of the images it is loaded into; the tracer only follows processes
 * and captures, fully, the images libudig cannot enter (static binaries,
 * programs exec'd with an environment scrubbed of LD_PRELOAD).  See
 * preload_path below.
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
	uint64_t setid_refused;   /* run: execs refused, which would have lost set-ID privileges */
	uint64_t setid_detached;  /* attach: threads let go at such an exec, to run it natively */
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
	/*
	 * NULL: off.  Otherwise the path of libudig.so that the caller put in
	 * LD_PRELOAD of its own environment (setenv before inject_run; the
	 * program inherits environ) — inject_run with the ptrace engine only;
	 * inject_run refuses it with unotify, inject_attach ignores it.
	 *
	 * Each process is in one of two modes, decided at every successful
	 * execve from the new image (at the PTRACE_EVENT_EXEC stop, before
	 * ld.so runs) and inherited by its threads and fork/clone children:
	 *   preloaded  the image has an ELF interpreter (PT_INTERP), is not in
	 *              secure-execution mode, and its environment lists
	 *              preload_path (or the same file) in LD_PRELOAD, without
	 *              UDIG_INTERCEPT=off.  libudig writes all of its events;
	 *              the tracer writes none and DETACHES from it, because
	 *              under ptrace every syscall libudig intercepts (a SIGSYS)
	 *              would become a tracer round trip.
	 *   traced     anything else.  Captured like inject_attach does: a stop
	 *              at every syscall, records for the selected ones
	 *              (syscalls, or the default set), clone children
	 *              announced, PPME_PROCEXIT_1_E from the real exit status.
	 * The launched process is traced until its first execve.
	 *
	 * Following without staying attached: the program's seccomp filter
	 * selects only execve and execveat, with SECCOMP_RET_USER_NOTIF.  When a
	 * thread we do not trace calls one, the tracer seizes it before letting
	 * the call go on, so it meets the new image at its exec stop; a failed
	 * exec is released at its next stop.  fork/clone need no hook: children
	 * of traced processes are traced by the kernel, children of preloaded
	 * ones carry the filter.  CPU pinning is off (preloaded programs keep
	 * all their CPUs; inject_opts.cpu is ignored).  The tracer becomes a
	 * child subreaper while it runs, so that orphans stay its descendants
	 * (Yama ptrace_scope 1 allows seizing descendants only).
	 *
	 * Who writes execve's exit (the enter is always written by whoever
	 * captures the old image): libudig in every preloaded new image (with
	 * the syscall of UDIG_EXEC_MARK=<pid>:<nr> when it finds one for its
	 * own pid, else as execve: the announcement it also makes when no
	 * captured image exec'd it); the tracer, at the exec stop, when the new
	 * image is not preloaded and an enter was written: traced->traced and
	 * preloaded->traced are the tracer's.
	 *
	 * PPME_PROCEXIT_1_E of preloaded processes is libudig's (exit,
	 * exit_group, fatal signals a process sends itself); a preloaded
	 * process killed from outside gets none, as without the tracer.
	 *
	 * If the tracer dies, traced processes are killed (PTRACE_O_EXITKILL)
	 * and preloaded ones go on, except that their execve/execveat fail with
	 * ENOSYS (a notification filter without listener).
	 */
	const char *preload_path;
	/*
	 * Set-ID programs.  The kernel runs a set-user-ID, set-group-ID or
	 * file-capability image without its privileges when the process has
	 * no_new_privs (which an unprivileged launcher must set to install
	 * its filter; with CAP_SYS_ADMIN the launcher does not set it) or is
	 * ptraced by a tracer without CAP_SYS_PTRACE.  Where that would
	 * happen, never silently: inject_run refuses such an execve/execveat
	 * with EPERM (the program sees the error), inject_attach detaches
	 * the thread first so that the exec runs natively, uncaptured.  Each
	 * is counted (inject_stats.setid_refused, setid_detached) and told
	 * to notice(notice_arg, line) when set (else logged with verbose): one
	 * line, no newline, called from the thread running the engine.  Nothing is looked at when udig
	 * has those capabilities, or had no_new_privs itself (then so would
	 * the program natively).
	 */
	void (*notice)(void *notice_arg, const char *line);
	void *notice_arg;
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

/* execvp's search for cmd (PATH, or cmd itself when it has a '/'): 0 with
 * the executable's path in out, or -1 when there is none. */
int inject_resolve(const char *cmd, char *out, size_t len);

int inject_engine_from_name(const char *name, enum inject_engine *e);
const char *inject_engine_name(enum inject_engine e);
/* 1 when the engine writes syscall exit records (ptrace), 0 when it writes
 * enters only (unotify). */
int inject_engine_writes_exits(enum inject_engine e);

/*
 * Can this process ptrace a child it launches — PTRACE_SEIZE, then a
 * seccomp SECCOMP_RET_TRACE stop — as the ptrace engine's run mode needs?
 * Probes for real: forks a child that waits on a pipe, seizes it, lets it
 * install a one-syscall RET_TRACE filter and make that syscall, waits for
 * the seccomp stop, then kills and reaps it (no stopped or zombie child is
 * ever left; about a millisecond).  Returns 1, or 0 with a one-line reason
 * in err (INJECT_ERRBUF_SIZE), e.g.
 *   /proc/sys/kernel/yama/ptrace_scope is 3 (no ptrace)
 *   udig is itself being traced (TracerPid N in /proc/self/status): ptrace is taken
 *   seccomp forbids ptrace (...)
 *   PTRACE_SEIZE of a child: Operation not permitted (...)
 * "Being traced" is the usual one: under `strace -f` or a debugger that
 * follows forks, every child is the tracer's before we can seize it.
 * Same rules as inject_run: do not reap children from a SIGCHLD handler
 * meanwhile.
 */
int inject_ptrace_usable(char *err);

/*
 * Does the exec of `path` by us change credentials natively — a
 * set-user-ID, set-group-ID or file-capability image (a secure-execution
 * exec: ld.so ignores LD_PRELOAD paths in it) — and would the program
 * inject_run launches with engine e (preload-aware runs:
 * INJECT_ENGINE_PTRACE) lose those privileges (see inject_opts.notice;
 * inject_run would refuse that exec)?  With a description ("set-user-ID
 * root", "set-group-ID shadow") in what unless INJECT_SETID_NONE, which is
 * also the answer when path cannot be looked at (the exec decides).
 */
enum inject_setid {
	INJECT_SETID_NONE = 0,   /* no credential change */
	INJECT_SETID_KEPT,       /* changes, and the capture keeps them */
	INJECT_SETID_LOST,       /* changes, and the capture would strip them */
};
enum inject_setid inject_setid_check(const char *path, enum inject_engine e, char *what, size_t len);

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
 * calls wait).  Preload-aware runs wait for SIGCHLD on a signalfd in the
 * calling thread (SIGCHLD blocked there meanwhile): other threads of the
 * caller should block SIGCHLD too, or a stop may be noticed up to 100 ms
 * late.  Returns 0, or -1 with err.
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
