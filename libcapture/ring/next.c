/*
 * Reading records out of the live udig ring (specs/udig-ring.md §6, made
 * robust).
 *
 * Every record is copied out of the shared ring before it is handed on: a
 * traced program can write its mapping at any moment, and a private copy
 * cannot change between validation and use.  The copy also frees the ring
 * space at once, so we release it promptly (every RELEASE_EVERY bytes and
 * whenever the published span is used up) instead of per batch as libscap.
 *
 * Validation here is of the framing only: the header must fit in what head
 * publishes and its length must cover the header and stay inside that span.
 * The core then checks the parameters (udig_evt_parse) and counts failures.
 *
 * Resynchronisation: a record whose length does not fit leaves us with no
 * trustworthy way to find the next record boundary (the format has no
 * markers), so the rest of the published span is dropped and reading
 * resumes at head — the one offset producers guarantee to be a boundary.
 * The bad header itself is handed to the core, which rejects and counts it
 * (drops_invalid), so each resync shows as one invalid record.
 */
#include <limits.h>
#include <linux/futex.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "live.h"

#define R UDIG_RINGBUF_SIZE
#define RELEASE_EVERY (16u * 1024u)
/* Idle, we never spin on head: a reader that polls the descriptors'
 * cache line takes it away from the producer at every event, and each
 * record then costs its writer two cross-CPU transfers (measured: +320 ns
 * per record on these VMs, more than the rest of the write).  Sleeping in
 * naps (below) lets events pile up and be read in one sweep.  The sleep
 * bound of the later phase doubles between these values while nothing
 * arrives and matters only for producers that do not wake us. */
#define BACKOFF_MIN_NS 500000L
#define BACKOFF_MAX_NS 10000000L
/* For this long after the ring went empty we nap instead of sleeping on
 * head: a producer wakes a sleeping consumer with a futex syscall, which
 * costs it more than recording the event did (measured: most records of a
 * busy single-threaded program paid one), while a nap costs the producer
 * nothing and the reader at most NAP_NS of latency. */
#define NAP_PHASE_NS 5000000ull
#define NAP_NS 500000L

/* n bytes from ring offset off (< R, n < R), split at the ring end. */
static void ring_copy(const struct ring_src *s, uint32_t off, void *dst, uint32_t n)
{
	uint32_t first = R - off;
	if (first >= n) {
		memcpy(dst, s->ring + off, n);
	} else {
		memcpy(dst, s->ring + off, first);
		memcpy((uint8_t *)dst + first, s->ring, n - first);
	}
}

static void advance(struct ring_src *s, uint32_t n)
{
	uint32_t t = s->tail + n;
	s->tail = t >= R ? t - R : t;
	s->unreleased += n;
}

void ring_release(struct ring_src *s)
{
	if (!s->unreleased)
		return;
	__atomic_store_n(&s->descs->info.tail, s->tail, __ATOMIC_SEQ_CST);
	s->unreleased = 0;
	/* The fill peaks right before a release: what producers added while
	 * we read the span is measured here (every RELEASE_EVERY bytes), not
	 * only when the span runs out. */
	ring_note_used(s, __atomic_load_n(&s->descs->info.head, __ATOMIC_RELAXED));
	/* A lossless writer may sleep on tail (see UDIG_WAIT_WRITER). */
	if (__atomic_load_n(udig_ring_wait_word(s->descs), __ATOMIC_SEQ_CST) & UDIG_WAIT_WRITER)
		syscall(SYS_futex, &s->descs->info.tail, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
}

/* Sleeps until a producer publishes (our producers wake us through the
 * UDIG_WAIT_CONSUMER bit) or sleep_ns pass (producers that do not know the
 * bit, like pdig, are seen at the next poll). */
static void sleep_on_head(struct ring_src *s, uint32_t h, long sleep_ns)
{
	volatile uint64_t *ww = udig_ring_wait_word(s->descs);
	__atomic_fetch_or(ww, UDIG_WAIT_CONSUMER, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&s->descs->info.head, __ATOMIC_SEQ_CST) == h) {
		struct timespec ts = { sleep_ns / 1000000000L, sleep_ns % 1000000000L };
		syscall(SYS_futex, &s->descs->info.head, FUTEX_WAIT, h, &ts, NULL, 0);
	}
	__atomic_fetch_and(ww, ~(uint64_t)UDIG_WAIT_CONSUMER, __ATOMIC_SEQ_CST);
}

void ring_wake(udig_capture *c)
{
	struct ring_src *s = c->src;
	/* A wait in sleep_on_head that began before the flag was set; one
	 * that begins between its check and the futex call sleeps its bound
	 * (at most the caller's timeout). Naps re-check the flag every NAP_NS. */
	syscall(SYS_futex, &s->descs->info.head, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
}

static int scratch_fit(udig_capture *c, struct ring_src *s, uint32_t n)
{
	if (n <= s->scratch_cap)
		return 0;
	uint32_t cap = s->scratch_cap ? s->scratch_cap : 4096;
	while (cap < n)
		cap *= 2;
	uint8_t *p = realloc(s->scratch, cap);
	if (!p) {
		capture_seterr(c, "out of memory for a %u-byte event", n);
		return -1;
	}
	s->scratch = p;
	s->scratch_cap = cap;
	return 0;
}

/* Makes the pages of a ring we created ahead of the writers, a megabyte
 * at a time, during its first lap.  A page of a new object comes into
 * being at the first fault on it, one page per fault; a page that exists
 * lets a writer's first read of it map the 64 KB around it at once (the
 * kernel's fault-around; the writer probes each page before writing it,
 * udig/encode/ring_writer.c).  Every producer writes all over the ring,
 * so each used to take a fault of ~1 µs per page: on
 * `tar cf - -C /usr include | wc -c`, tar 2 424 and wc 2 174 in all, 560
 * and 378 with the pages made (bench/pipeline_split.sh).  A megabyte
 * takes ~0.6 ms here, in the draining thread, so it starts only once
 * the producers wrote POPULATE_AFTER: a short capture (`udig run --
 * true` writes ~5 KB) pays nothing.  After a lap every page exists.  A
 * kernel without MADV_POPULATE_WRITE (before 5.14) keeps the old way. */
#define POPULATE_CHUNK (1u << 20)
#define POPULATE_AFTER (256u << 10)
static void ring_populate(struct ring_src *s, uint32_t head)
{
	if (head < POPULATE_AFTER)
		return;
	while (s->populated < R && head + POPULATE_CHUNK / 2 >= s->populated) {
#ifdef MADV_POPULATE_WRITE
		if (madvise(s->ring + s->populated, POPULATE_CHUNK, MADV_POPULATE_WRITE) == 0) {
			s->populated += POPULATE_CHUNK;
			continue;
		}
#endif
		s->populated = R;
	}
}

/* Idle-time repairs of shared words a traced program may have scribbled:
 * our tail, our start/stop state, our claim on the ring if it was wiped
 * or faked, and our requests in the .ctl object. */
static void repair(struct ring_src *s)
{
	struct udig_ring_descs *d = s->descs;
	if (__atomic_load_n(&d->info.tail, __ATOMIC_RELAXED) != s->tail)
		__atomic_store_n(&d->info.tail, s->tail, __ATOMIC_RELEASE);
	if (!s->owner)
		return;
	ring_ctl_repair(s);
	if (__atomic_load_n(&d->status.stopped, __ATOMIC_RELAXED) != s->stopped)
		__atomic_store_n(&d->status.stopped, s->stopped, __ATOMIC_SEQ_CST);
	uint64_t ext = udig_ext_make(s->pid, s->ext_flags);
	if (*udig_ring_ext_word(d) != ext)
		*udig_ring_ext_word(d) = ext;
	int32_t cur = __atomic_load_n(&d->status.capturing_pid, __ATOMIC_RELAXED);
	if (cur != s->pid && (cur == 0 || cur < 0 || kill(cur, 0) < 0))
		__atomic_compare_exchange_n(&d->status.capturing_pid, &cur, s->pid, 0, __ATOMIC_SEQ_CST,
					    __ATOMIC_SEQ_CST);
}

/* One record from the published span, or 0 after a masked one (skipped). */
static int take_record(udig_capture *c, struct ring_src *s, const uint8_t **rec, uint32_t *len)
{
	uint32_t avail = udig_ring_used(s->span_end, s->tail);
	uint8_t hdr[UDIG_HDR_SIZE];
	uint32_t n = avail < UDIG_HDR_SIZE ? avail : UDIG_HDR_SIZE;
	uint32_t rlen = 0;
	ring_copy(s, s->tail, hdr, n);
	if (n == UDIG_HDR_SIZE)
		memcpy(&rlen, hdr + 16, sizeof rlen);
	if (n < UDIG_HDR_SIZE || rlen < UDIG_HDR_SIZE || rlen > avail) {
		if (scratch_fit(c, s, UDIG_HDR_SIZE) < 0)
			return -1;
		memcpy(s->scratch, hdr, n);
		advance(s, avail);
		*rec = s->scratch;
		*len = n; /* shorter than its header or its length: rejected and counted */
		return 1;
	}
	if (scratch_fit(c, s, rlen) < 0)
		return -1;
	ring_copy(s, s->tail, s->scratch, rlen);
	advance(s, rlen);
	if (s->unreleased >= RELEASE_EVERY)
		ring_release(s);
	uint16_t type;
	memcpy(&type, s->scratch + 20, sizeof type);
	/* Producers that do not know our mask (pdig) still send everything. */
	if ((s->ext_flags & UDIG_EXT_MASK) && !udig_mask_wants(s->want, type))
		return 0;
	*rec = s->scratch;
	*len = rlen;
	return 1;
}

int ring_next(udig_capture *c, const uint8_t **rec, uint32_t *len, uint16_t *cpu, uint32_t *dump_flags,
	      int timeout_ms)
{
	struct ring_src *s = c->src;
	uint64_t deadline = 0;
	*cpu = 0; /* the ring has no CPU numbers; libscap reports 0 as well */
	*dump_flags = 0;
	for (;;) {
		if (s->tail != s->span_end) {
			int r = take_record(c, s, rec, len);
			if (r < 0)
				return UDIG_FAILURE;
			if (r > 0)
				return UDIG_OK;
			continue;
		}
		/* Here, where a sweep of the ring begins, rather than per event:
		 * the first call of all comes through before any record. */
		if (__builtin_expect(c->scan_pending, 0))
			capture_scan_late(c);
		ring_release(s);
		uint32_t h = __atomic_load_n(&s->descs->info.head, __ATOMIC_ACQUIRE);
		if (h >= R) {
			/* Out of range: nothing can be read until a producer
			 * rewrites head (ours restart at the tail). */
			if (!s->bad_head) {
				s->bad_head = 1;
				s->bad_heads++;
			}
			h = s->tail;
		} else {
			s->bad_head = 0;
		}
		s->span_end = h;
		ring_note_used(s, h);
		if (__builtin_expect(s->populated < R, 0))
			ring_populate(s, h);
		if (h != s->tail) {
			s->backoff_ns = 0;
			s->idle_since_ns = 0;
			continue;
		}

		if (timeout_ms == 0 || __atomic_exchange_n(&c->break_wait, 0, __ATOMIC_ACQ_REL)) {
			repair(s);
			return UDIG_TIMEOUT;
		}
		repair(s);
		uint64_t t0 = capture_mono_ns();
		if (!s->idle_since_ns)
			s->idle_since_ns = t0;
		int nap = t0 - s->idle_since_ns < NAP_PHASE_NS;
		long sleep_ns = nap ? NAP_NS : s->backoff_ns ? s->backoff_ns : BACKOFF_MIN_NS;
		if (timeout_ms > 0) {
			uint64_t now = t0;
			if (!deadline)
				deadline = now + (uint64_t)timeout_ms * 1000000ull;
			if (now >= deadline)
				return UDIG_TIMEOUT;
			if ((uint64_t)sleep_ns > deadline - now)
				sleep_ns = (long)(deadline - now);
		}
		if (nap) {
			struct timespec ts = { 0, sleep_ns };
			nanosleep(&ts, NULL);
			continue;
		}
		sleep_on_head(s, h, sleep_ns);
		s->backoff_ns = s->backoff_ns ? s->backoff_ns * 2 : BACKOFF_MIN_NS * 2;
		if (s->backoff_ns > BACKOFF_MAX_NS)
			s->backoff_ns = BACKOFF_MAX_NS;
	}
}
