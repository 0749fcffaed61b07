/*
 * udig/ring.h — the udig shared-memory ring, as libscap's udig engine reads it.
 *
 * Two POSIX shared-memory objects: the ring itself (exactly UDIG_RINGBUF_SIZE
 * bytes of back-to-back event records, no header) and a 128-byte descriptor
 * object holding the head/tail/counters and the consumer's control fields.
 * The layouts below are the wire contract (tests/schema checks them against
 * the reference headers); see specs/udig-ring.md for the protocol.
 */
#ifndef UDIG_RING_H
#define UDIG_RING_H

#include <stdint.h>
#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The reference consumer computes offsets with this constant, not with the
 * mapped size: a ring of any other size cannot be shared with it. */
#define UDIG_RINGBUF_SIZE (8u * 1024u * 1024u)
#define UDIG_RING_NAME_DEFAULT "udig_buf"
#define UDIG_DESCS_NAME_DEFAULT "udig_descs"
/* Names of the private rings `udig run` and `udig attach` make: created
 * only by their consumer, with O_EXCL and an unguessable rest; a producer
 * joins such a ring but never creates one (what it would create, after the
 * consumer ended, nobody would read or remove). */
#define UDIG_SESSION_PREFIX "udig-session."
/* Environment variables that override the object names (producers and our consumer). */
#define UDIG_ENV_RING_NAME "UDIG_RING"
#define UDIG_ENV_DESCS_NAME "UDIG_DESCS"

/* Counters: written by producers, head by producers, tail by the consumer. */
struct udig_ring_info {
	volatile uint32_t head;
	volatile uint32_t tail;
	volatile uint64_t n_evts;         /* events attempted, including dropped ones */
	volatile uint64_t n_drops_buffer; /* events dropped for lack of space */
	volatile uint64_t n_drops_pf;     /* records whose filler could not read the program's memory */
	volatile uint64_t n_preemptions;  /* unused: a producer cannot observe its preemptions */
	volatile uint64_t n_context_switches; /* unused */
};

/* Control block the consumer fills; producers re-read it for every event. */
struct udig_consumer {
	uint32_t snaplen;
	uint32_t sampling_ratio;
	bool do_dynamic_snaplen;
	uint32_t sampling_interval;
	int32_t is_dropping;
	int32_t dropping_mode;
	volatile int32_t need_to_insert_drop_e;
	volatile int32_t need_to_insert_drop_x;
	uint16_t fullcapture_port_range_start;
	uint16_t fullcapture_port_range_end;
	uint16_t statsd_port;
};

struct udig_ring_status {
	volatile uint64_t buffer_lock; /* writer lock: 0 free, else owner (pid << 32 | tid) */
	volatile int32_t initialized;
	volatile int32_t capturing_pid; /* consumer pid, 0 = none */
	volatile int32_t stopped;
	struct {
		int64_t tv_sec;
		int64_t tv_nsec;
	} last_print_time; /* unused by the reference; carries our extension and wake-up words (below) */
	struct udig_consumer consumer;
};

/* The whole descriptor object: info immediately followed by status. */
struct udig_ring_descs {
	struct udig_ring_info info;
	struct udig_ring_status status;
};

#define UDIG_DESCS_SIZE 128u

_Static_assert(sizeof(struct udig_ring_info) == 48, "ring info is 48 bytes");
_Static_assert(sizeof(struct udig_ring_descs) == UDIG_DESCS_SIZE, "descriptors are 128 bytes");

/*
 * ---- udig extensions, invisible to the reference ------------------------
 *
 * Our consumer can ask producers for two things libscap has no field for:
 * lossless delivery (wait for space instead of dropping) and an event mask
 * applied before the record is written.  The request lives in an
 * "extension word" that overlays last_print_time.tv_sec (descs offset 72):
 * neither libscap nor pdig reads that field, and libscap's begin-capture
 * zeroes it right after taking capturing_pid (acquire_and_init_ring_status_buffer
 * in the Debian libscap.so stores 0 at status+0x18 and +0x20 — checked by
 * disassembly), so under a reference consumer the word is always 0.
 *
 *   bits  0..31  pid of the consumer that wrote it
 *   bits 32..47  UDIG_EXT_* flags
 *   bits 48..63  UDIG_EXT_MAGIC
 *
 * Producers honour the flags only while the pid equals capturing_pid, so a
 * word left behind by a dead consumer never applies to the next one.
 *
 * The mask itself is a third shm object named "<descs name>.mask" (same
 * directory as the others), UDIG_MASK_BYTES long: bit t (byte t/8, bit t%8)
 * set = events of type t are wanted.  The consumer creates and fills it
 * before it publishes UDIG_EXT_MASK; producers map it read-only.
 */
#define UDIG_EXT_MAGIC 0x7564u /* "ud" */
#define UDIG_EXT_LOSSLESS 0x1u /* wait for space; give up only if the consumer is gone */
#define UDIG_EXT_MASK 0x2u     /* the .mask object is in force */
#define UDIG_MASK_SUFFIX ".mask"
#define UDIG_MASK_BYTES 512u   /* 4096 event types */
/*
 * UDIG_EXT_CTL: the ".ctl" object ("<descs name>.ctl", UDIG_CTL_BYTES) is
 * in force: the requests of ours that the consumer block has no room for
 * (suppressed comms and tids, simple mode, tracer capture) and the counters
 * of what producers kept out because of them.  Same trust rule as the ring
 * (producers map it read-write: they count into it); every field is
 * clamped by the reader, and a comm is at most 15 bytes whatever it holds.
 * The consumer bumps `gen` after each change so that producers re-judge
 * the verdict they cache per thread.
 */
#define UDIG_EXT_CTL 0x4u
/*
 * UDIG_EXT_ENDS_ONCE: the consumer shows a thread's end once — a procexit
 * for a thread whose last event was its procexit is skipped (libcapture
 * always does).  A reaper that cannot know whether the process it reaped
 * wrote its own procexit (libudig's wait4/waitid) writes one for every
 * process it reaps to such a consumer; to any other (sysdig -u) only for a
 * death by signal, which the process mostly could not tell itself.
 */
#define UDIG_EXT_ENDS_ONCE 0x8u
#define UDIG_CTL_SUFFIX ".ctl"
#define UDIG_CTL_MAGIC 0x6c746375u /* "uctl" */
#define UDIG_CTL_MAX_COMMS 32u
#define UDIG_CTL_MAX_TIDS 64u
#define UDIG_CTL_COMM_LEN 16u /* TASK_COMM_LEN */
#define UDIG_CTL_SIMPLE 0x1u  /* only syscalls flagged UF_SIMPLEDRIVER_KEEP (and the consumer's mask) */
#define UDIG_CTL_TRACERS 0x2u /* writes to /dev/null keep RW_SNAPLEN_EVENT bytes (sysdig tracers) */
#define UDIG_CTL_BYTES 4096u

struct udig_ctl {
	volatile uint32_t magic;
	volatile uint32_t gen;
	volatile uint32_t flags;   /* UDIG_CTL_* */
	volatile uint32_t n_comms; /* entries of comms[] in force */
	volatile uint32_t n_tids;  /* entries of tids[] in force */
	uint32_t reserved;
	/* Written by producers (atomic adds). */
	volatile uint64_t n_suppressed;      /* events not written: their thread is suppressed */
	volatile uint64_t n_tids_suppressed; /* threads that found themselves suppressed */
	volatile uint64_t n_sampled;         /* events left out by dropping mode (sampling) */
	volatile uint64_t n_drops_bug;       /* records a filler could not build (a producer bug) */
	char comms[UDIG_CTL_MAX_COMMS][UDIG_CTL_COMM_LEN];
	volatile int64_t tids[UDIG_CTL_MAX_TIDS];
};
_Static_assert(sizeof(struct udig_ctl) <= UDIG_CTL_BYTES, "ctl object fits");

/* Dropping mode (specs/udig-ring.md 5.3): the ratios the drivers accept. */
#define UDIG_SAMPLING_MAX 128u
#define UDIG_FULLCAPTURE_SNAPLEN 16000u /* RW_MAX_FULLCAPTURE_PORT_SNAPLEN */
#define UDIG_SNAPLEN_EVENT 4096u        /* RW_SNAPLEN_EVENT: a recognised protocol, a tracer write */

/* Producer-side environment: UDIG_LOSSLESS=1 forces lossless whatever the consumer says. */
#define UDIG_ENV_LOSSLESS "UDIG_LOSSLESS"
/* "UDIG_EXEC_MARK=<pid>:<syscall nr>[:<mask>]" in the environment of an exec
 * made by a captured image: the new image's libudig writes that execve's exit
 * event, and takes back the ignored dispositions of its virtual signals
 * (mask: bit sig-1 per ignored one; see udig/preload/exec.c). */
#define UDIG_ENV_EXEC_MARK "UDIG_EXEC_MARK="

static inline volatile uint64_t *udig_ring_ext_word(struct udig_ring_descs *d)
{
	return (volatile uint64_t *)(void *)&d->status.last_print_time.tv_sec;
}

static inline uint64_t udig_ext_make(int32_t pid, uint32_t flags)
{
	return ((uint64_t)UDIG_EXT_MAGIC << 48) | ((uint64_t)(flags & 0xffffu) << 32) | (uint32_t)pid;
}

/* The flags in force for the consumer `capturing_pid` (0 if none or stale). */
static inline uint32_t udig_ext_flags(uint64_t word, int32_t capturing_pid)
{
	if ((word >> 48) != UDIG_EXT_MAGIC || capturing_pid == 0 || (uint32_t)word != (uint32_t)capturing_pid)
		return 0;
	return (uint32_t)(word >> 32) & 0xffffu;
}

/*
 * Wake-up word: last_print_time.tv_nsec (descs offset 80), also unused by
 * the reference and zeroed by its begin-capture.  A side that is about to
 * sleep sets its bit, re-checks, and waits on a futex (shared, on the
 * 32-bit head or tail word itself) with a timeout; the other side, after
 * moving that word, wakes it if the bit is set.  Only an optimisation:
 * every sleep is bounded, so a peer that ignores the word (sysdig, pdig)
 * or a scribbled word costs latency, never progress.
 */
#define UDIG_WAIT_CONSUMER 0x1u /* the consumer sleeps on head */
#define UDIG_WAIT_WRITER 0x2u   /* a lossless writer sleeps on tail */

static inline volatile uint64_t *udig_ring_wait_word(struct udig_ring_descs *d)
{
	return (volatile uint64_t *)(void *)&d->status.last_print_time.tv_nsec;
}

static inline int udig_mask_wants(const uint8_t *mask, uint16_t type)
{
	if (type >= UDIG_MASK_BYTES * 8u)
		return 1;
	return (mask[type >> 3] >> (type & 7)) & 1;
}

/* Free bytes, keeping one byte unused so that head == tail means empty. */
static inline uint32_t udig_ring_free(uint32_t head, uint32_t tail)
{
	return tail > head ? tail - head - 1 : UDIG_RINGBUF_SIZE + tail - head - 1;
}

/* Bytes published and not yet consumed. */
static inline uint32_t udig_ring_used(uint32_t head, uint32_t tail)
{
	return tail > head ? UDIG_RINGBUF_SIZE - tail + head : head - tail;
}

#ifdef __cplusplus
}
#endif
#endif
