/*
 * Fillers: from one syscall (number, arguments, result) to the enter and exit
 * records the reference driver would produce.  Table-driven by native syscall
 * number (udig_syscall_table); one decoder per syscall family.  Shared by every
 * engine: the engine says how to reach the traced process through
 * udig_tracee_ops, so the same code runs in a SIGSYS handler (in-process,
 * async-signal-safe, syscalls only through sys.h) and in a tracer.
 */
#ifndef UDIG_FILLERS_H
#define UDIG_FILLERS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

struct udig_tracee_ops {
	/* Copy up to len bytes from the tracee's address space.  Returns bytes
	 * copied (short at an unmapped page), or -1.  Must not fault. */
	long (*read_mem)(void *ctx, void *dst, uint64_t addr, size_t len);
	/* getsockname (peer = 0) / getpeername (peer = 1) of the tracee's fd;
	 * 0 or negative errno. */
	int (*sock_name)(void *ctx, int fd, int peer, struct sockaddr_storage *ss, uint32_t *len);
	/* fstat-like facts of a tracee fd for dev/ino parameters; 0 or negative errno. */
	int (*fd_stat)(void *ctx, int fd, uint64_t *dev, uint64_t *ino);
	/* "/proc/self" in-process, "/proc/<tid>" from outside: where the process
	 * facts of clone/execve exits are read. */
	const char *procdir;
};

struct udig_syscall_ctx {
	uint64_t ts;
	int64_t tid, pid;       /* host ids */
	long nr;                /* native x86_64 syscall number */
	uint64_t args[6];
	int64_t ret;            /* exit events only: raw kernel result (-errno on failure) */
	uint32_t snaplen;       /* I/O payload limit (the consumer's) */
	/* Process facts (clone and execve exits) of a writer in a PID
	 * namespace of its own, whose tid and pid above are its ids in the
	 * consumer's namespace (udig/encode/ring_pidns.h): its /proc shows the
	 * namespace's, so the facts take the thread group from pid and the
	 * parent from here (-1: not known).  0: the ids are the process's own. */
	int32_t ref_ppid;
	const struct udig_tracee_ops *ops;
	void *opsctx;
	/* The consumer's I/O controls (udig_rw_dyn_snaplen, udig_rw_tracers):
	 * all 0 = the fixed snaplen alone, as before. */
	uint8_t dyn_snaplen;    /* do_dynamic_snaplen: the drivers' protocol and port rules */
	uint8_t tracers;        /* writes to /dev/null keep UDIG_SNAPLEN_EVENT bytes */
	uint16_t fullcap_lo, fullcap_hi; /* full-capture port range (dynamic snaplen only) */
	uint16_t statsd_port;
	/* If set, counts reads of the program's memory that failed (a bad
	 * pointer): the producer adds them to n_drops_pf. */
	uint32_t *pf;
};

/* The drivers' drop_nostate_event rule for dropping mode: 1 when the event
 * carries no state worth keeping (a failed close or bind, a close of an fd
 * that is not open, an fcntl that does not duplicate). */
int udig_fill_nostate(const struct udig_syscall_ctx *sc, int is_exit);

/* Enter / exit records of sc->nr into buf; returns the length or 0 when the
 * record could not be built (buffer too small, encoder misuse). */
size_t udig_fill_enter(const struct udig_syscall_ctx *sc, void *buf, size_t cap);
size_t udig_fill_exit(const struct udig_syscall_ctx *sc, void *buf, size_t cap);

/* The event types udig_fill_enter / udig_fill_exit will produce for nr. */
uint16_t udig_fill_enter_type(long nr);
uint16_t udig_fill_exit_type(long nr);

/* The child side of the fork by which an uncaptured launcher (`udig run`)
 * starts the command: the clone exit the reference driver records for a
 * glibc fork(), with the process facts read through sc->ops from the child
 * before it execs.  Consumers create the command's process from it with the
 * launcher's fds, as for any fork they see, instead of guessing from /proc
 * once the command may be gone.  The caller sets ts, tid, pid, snaplen, ops;
 * nr, args and ret are the fork's. */
size_t udig_fill_launch_fork(const struct udig_syscall_ctx *sc, void *buf, size_t cap);

/* Process-exit event (PPME_PROCEXIT_1_E) for a thread that ends with the
 * wait(2)-style status (exit code or signal). */
size_t udig_fill_procexit(uint64_t ts, int64_t tid, int wstatus, void *buf, size_t cap);

#endif
