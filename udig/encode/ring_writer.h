/*
 * The producer side of the udig ring (one copy for every engine).
 *
 * Opening may use libc (it runs before interception is armed); everything
 * after — gating, locking, copying, publishing — is async-signal-safe and
 * makes syscalls only through udig/encode/sys.h.
 */
#ifndef UDIG_RING_WRITER_H
#define UDIG_RING_WRITER_H

#include <stdint.h>
#include <udig/ring.h>

#define UDIG_RW_PATH_MAX 320
/* The page granularity of the writer's first-touch probes (x86-64's). */
#define UDIG_RW_PROBE_PAGE 4096u

struct udig_ring_writer {
	uint8_t *ring;                 /* UDIG_RINGBUF_SIZE bytes (mapping strategy is the writer's) */
	struct udig_ring_descs *descs;
	const uint8_t *mask;           /* optional event mask published by our consumer, or NULL */
	struct udig_ctl *ctl;          /* our consumer's .ctl object (UDIG_EXT_CTL), mapped lazily, or NULL */
	int32_t pid;                   /* lock owner id of this process (refreshed after fork) */
	int lossless_forced;           /* environment asked for lossless regardless of the consumer */
	int shared_ok;                 /* the user opted in to a shared ring (UDIG_SHARED_RING) */
	/* Nonzero: never wait longer than this for the lock, lossless or not.
	 * For a tracer whose tracees also write: one of them may hold the lock
	 * while stopped for the tracer (SIGSTOP's group-stop), and only the
	 * tracer can let it go on. */
	uint32_t lock_wait_cap_ms;
	uint32_t euid;                 /* who opened the ring: the trust rule's "us" */
	/* Waits that did not end as they should (see udig_rw_write). */
	uint64_t stuck_owner;          /* a lock owner we gave up on, given up on at once until... */
	uint64_t stuck_until;          /* ...this monotonic ns (UINT64_MAX: for good) */
	int consumer_stalled;          /* shared ring: its consumer freed nothing for long: no lossless waits */
	uint64_t local_drops;          /* drops this process caused (statistics) */
	/* A bit per ring page this process has read before writing it (its
	 * mapping's page table has it, and its neighbours): see copy_in in
	 * ring_writer.c.  A fork child starts over (udig_rw_after_fork). */
	uint8_t pages_probed[UDIG_RINGBUF_SIZE / UDIG_RW_PROBE_PAGE / 8];
	/* "/dev/shm/<descs>.mask": mapped lazily, with raw syscalls, the first
	 * time a consumer publishes UDIG_EXT_MASK (see udig/ring.h). */
	char mask_path[UDIG_RW_PATH_MAX];
	char ctl_path[UDIG_RW_PATH_MAX]; /* "/dev/shm/<descs>.ctl", the same way */
	/* Where the ring and descriptors live, for a producer that must
	 * reopen them (before a privilege drop); empty if opened from fds. */
	char ring_path[UDIG_RW_PATH_MAX], descs_path[UDIG_RW_PATH_MAX];
};

enum udig_rw_result {
	UDIG_RW_WRITTEN = 0,
	UDIG_RW_INACTIVE,  /* no consumer, or capture stopped: event not counted */
	UDIG_RW_MASKED,    /* the consumer's event mask excludes it */
	UDIG_RW_DROPPED,   /* ring full (counted in n_drops_buffer) */
	UDIG_RW_INVALID,   /* record larger than the ring can ever hold */
	UDIG_RW_SAMPLED,   /* left out by the consumer's dropping mode (counted in the .ctl object) */
	UDIG_RW_SUPPRESSED, /* the thread is suppressed (udig_rw_screen; counted in the .ctl object) */
};

/* What the caller knows of a record beyond its bytes, for the consumer's
 * controls.  Records written without it (udig_rw_write) are state that a
 * driver never samples away (UF_NEVER_DROP): procexit, the launch fork. */
struct udig_rw_meta {
	uint16_t uf;     /* UDIG_UF_* of the syscall (udig_syscall_table) */
	uint8_t nostate; /* dropping mode drops it whatever the time (the drivers' drop_nostate_event) */
	uint8_t pf;      /* the filler met memory of the program it could not read: counted in n_drops_pf */
};

/* The per-thread verdict a caller caches for udig_rw_screen (zeroed = unknown). */
struct udig_rw_self {
	uint32_t gen;     /* the .ctl generation `suppressed` was judged for (0: never) */
	uint8_t suppressed;
	uint8_t counted;  /* already counted in n_tids_suppressed */
	char comm[UDIG_CTL_COMM_LEN]; /* the thread's comm; "" = to be read again (exec, PR_SET_NAME) */
};
/* Fills out[UDIG_CTL_COMM_LEN] with the thread's comm (NUL-terminated); 0 or -1. */
typedef int (*udig_rw_comm_fn)(void *ctx, char *out);

/* Maps the ring objects after the trust rule (udig/encode/ring_shm.h); names
 * NULL = environment, then defaults.  Created if absent, unless a session
 * ring (UDIG_SESSION_PREFIX).  Returns 0, or -1 with a message in err (UDIG_ERRBUF_SIZE
 * bytes) and errno: EPERM when an object is not to be trusted, ENOENT when
 * a named ring does not exist (any more). */
int udig_rw_open(struct udig_ring_writer *w, const char *ring_name, const char *descs_name, char *err);
/* The same on objects already open (inherited across a privilege drop, see
 * udig/preload/creds.c); descs_name locates the mask object.  The fds stay open. */
int udig_rw_open_fds(struct udig_ring_writer *w, int ring_fd, int descs_fd, const char *descs_name, char *err);
void udig_rw_close(struct udig_ring_writer *w);

/* Is a consumer attached and capturing?  Cheap: two loads. */
int udig_rw_active(const struct udig_ring_writer *w);
/* The consumer's snaplen, clamped to a sane range. */
uint32_t udig_rw_snaplen(const struct udig_ring_writer *w);
/* Does the consumer want events of this type? (always 1 without a mask) */
int udig_rw_wants(const struct udig_ring_writer *w, uint16_t type);

/* Appends one complete record (len bytes); handles gating, locking, wrap,
 * drop counting or (lossless) waiting.  */
enum udig_rw_result udig_rw_write(struct udig_ring_writer *w, const void *rec, uint32_t len);
/* The same for a syscall record: dropping mode (sampling, with the drop
 * markers the drivers write) and the page-fault counter apply. */
enum udig_rw_result udig_rw_write_meta(struct udig_ring_writer *w, const void *rec, uint32_t len,
				       const struct udig_rw_meta *m);

/* The consumer's controls that act before a record is built.
 * udig_rw_screen: 0 to build the record of syscall nr (-1: not a syscall)
 * for thread tid; UDIG_RW_SUPPRESSED (counted) when the thread's comm or
 * tid is suppressed, UDIG_RW_MASKED in simple mode for a syscall the
 * simple driver does not keep.  Without UDIG_EXT_CTL: two loads. */
int udig_rw_screen(struct udig_ring_writer *w, struct udig_rw_self *self, long nr, int64_t tid,
		   udig_rw_comm_fn comm, void *ctx);
/* Does the consumer show a thread's end once, skipping a procexit that
 * comes right after the thread's own (UDIG_EXT_ENDS_ONCE)? */
int udig_rw_ends_once(const struct udig_ring_writer *w);
/* Is dropping mode on (the drop_nostate rule worth computing)? */
int udig_rw_dropping(const struct udig_ring_writer *w);
/* Dynamic snaplen: 1 if asked, with the full-capture port range and the
 * statsd port (all 0 when not set). */
int udig_rw_dyn_snaplen(const struct udig_ring_writer *w, uint16_t *lo, uint16_t *hi, uint16_t *statsd);
/* Tracer capture (UDIG_CTL_TRACERS) asked? */
int udig_rw_tracers(struct udig_ring_writer *w);
/* A record the fillers could not build: counted as n_drops_bug (.ctl). */
void udig_rw_count_bug(struct udig_ring_writer *w);

/* After fork(), in the child: the child takes a new lock owner id (the
 * calling thread's id is cached per thread).  Not after vfork() or a
 * CLONE_VM clone without its own TLS: those share the parent's memory, and
 * the parent would resume under the child's id. */
void udig_rw_after_fork(struct udig_ring_writer *w);

#endif
