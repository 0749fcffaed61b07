/*
 * The live udig ring source, private to libcapture: ring/read.c opens and
 * controls it, ring/next.c reads records out of it.
 */
#ifndef UDIG_RING_LIVE_H
#define UDIG_RING_LIVE_H

#include <stdint.h>
#include <udig/ring.h>
#include "../capture-int.h"

struct ring_src {
	uint8_t *ring;                 /* UDIG_RINGBUF_SIZE bytes, one mapping */
	struct udig_ring_descs *descs;
	int32_t pid;                   /* ours, as stored in capturing_pid */
	int owner;                     /* we hold capturing_pid */
	int32_t stopped;               /* what we last stored in status.stopped */
	uint32_t ext_flags;            /* UDIG_EXT_* we publish */
	mode_t mode;                   /* for objects we create */
	int shared_ok;                 /* objects other users may open are acceptable */
	int create;                    /* enum udig_shm_create for our objects */
	char mask_name[288];
	uint8_t *mask;                 /* the shared mask object, once created */
	uint8_t want[UDIG_MASK_BYTES]; /* our private copy, for filtering here too */
	char ctl_name[288];
	struct udig_ctl *ctl;          /* the shared .ctl object (UDIG_EXT_CTL), once created */
	/* What we asked for in it.  Producers can write that object too, so
	 * these are never read back from it (a scribbled count would send us
	 * past its lists): ours are the truth, the shared copy is rewritten
	 * from them (ring_ctl_repair). */
	struct {
		uint32_t flags, n_comms, n_tids;
		char comms[UDIG_CTL_MAX_COMMS][UDIG_CTL_COMM_LEN];
		int64_t tids[UDIG_CTL_MAX_TIDS];
	} req;

	/* Reading.  The tail is ours: we never read it back from the shared
	 * word, so a scribbled tail is simply overwritten by the next release. */
	uint32_t tail;                 /* next unread byte */
	uint32_t span_end;             /* head as last read: [tail, span_end) is published */
	uint32_t unreleased;           /* bytes read since tail was last stored */
	uint32_t bad_head;             /* last out-of-range head seen (counted once) */
	uint64_t bad_heads;            /* out-of-range heads seen (reported as invalid) */
	long backoff_ns;               /* current idle sleep */
	uint64_t idle_since_ns;        /* monotonic time the ring went empty, 0 while data flows */
	uint32_t peak_used;            /* most bytes seen published and unread (udig_max_buf_used) */
	uint32_t populated;            /* a ring we created: its bytes [0, populated) exist (ring_populate) */
	uint8_t *scratch;              /* the record handed out, copied out of the ring */
	uint32_t scratch_cap;
};

extern const struct udig_source_ops ring_live_ops;

void ring_wake(udig_capture *c);

/* ring/next.c */
int ring_next(udig_capture *c, const uint8_t **rec, uint32_t *len, uint16_t *cpu, uint32_t *dump_flags,
	      int timeout_ms);
/* Stores the private tail into the shared word. */
void ring_release(struct ring_src *s);
/* Bytes published at head h and not yet read by us; counted into the peak. */
static inline uint32_t ring_note_used(struct ring_src *s, uint32_t h)
{
	uint32_t used = h < UDIG_RINGBUF_SIZE ? udig_ring_used(h, s->tail) : 0;
	if (used > s->peak_used)
		s->peak_used = used;
	return used;
}
/* ring/use.c: udig_max_buf_used for rings. */
int ring_buf_used(udig_capture *c, uint64_t *peak, uint64_t *now);

/* ring/ctl.c: "<descs>.ctl" from "<descs>.mask" (0, or -1 if too long),
 * the producers' counters of the .ctl object into st, and our requests
 * written back over whatever a producer scribbled on them. */
int ring_ctl_name(const char *mask_name, char *out, size_t size);
void ring_ctl_stats(const struct ring_src *s, struct udig_stats *st);
void ring_ctl_repair(struct ring_src *s);

#endif
