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
/* Environment variables that override the object names (producers and our consumer). */
#define UDIG_ENV_RING_NAME "UDIG_RING"
#define UDIG_ENV_DESCS_NAME "UDIG_DESCS"

/* Counters: written by producers, head by producers, tail by the consumer. */
struct udig_ring_info {
	volatile uint32_t head;
	volatile uint32_t tail;
	volatile uint64_t n_evts;         /* events attempted, including dropped ones */
	volatile uint64_t n_drops_buffer; /* events dropped for lack of space */
	volatile uint64_t n_drops_pf;     /* unused by udig producers */
	volatile uint64_t n_preemptions;  /* unused */
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
	volatile uint64_t buffer_lock; /* writer lock: 0 free, else owner pid (ours) */
	volatile int32_t initialized;
	volatile int32_t capturing_pid; /* consumer pid, 0 = none */
	volatile int32_t stopped;
	struct {
		int64_t tv_sec;
		int64_t tv_nsec;
	} last_print_time; /* unused; kept for the layout */
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
