/*
 * libFuzzer target for the live ring reader (libcapture/ring/) facing a
 * hostile producer: every shared word a producer can write — ring bytes,
 * head, the whole descriptor block, the .ctl object — is the fuzzer's.
 *
 * Each input gets a consumer of its own on a fresh private ring (O_EXCL
 * names with our pid and a counter), whose objects this file maps a second
 * time, as another process would, and unlinks at once: nothing is left in
 * /dev/shm even if the run crashes, and no input sees another's bytes.
 * The input is then a script for the producer, step after step:
 *
 *   op 0  RING   u32 off, u16 n, n bytes  bytes anywhere in the ring (wrapping at its end)
 *   op 1  APPEND u16 n, n bytes           bytes at head, then head += n (how producers publish)
 *   op 2  HEAD   u32 v                    head = v, out-of-range values too
 *   op 3  DESCS  u8 off, u8 n, n bytes    any bytes of the 128-byte descriptor block
 *   op 4  CTL    u16 off, u8 n, n bytes   any bytes of the .ctl object
 *   op 5  READ                            read until the reader stops (timeout 0: it never sleeps)
 *   op 6  CALL   u8 which, u32 arg        a consumer call that reads shared words (ctl.c, read.c)
 *   op 7  MASK   u16 type, u8 on          udig_set_eventmask (the reader filters on it too)
 *   op 8  WAIT   u8 ms                    read with a timeout of 1 to 3 ms until it expires
 *                                         (the idle paths: naps, the futex sleep on head)
 *
 * (op = byte % 9, numbers little-endian; a step cut short ends the script)
 * and a last READ.  Beyond "no crash, no leak, no hang" it aborts on broken
 * promises: an event handed out has its parameters inside its record, the
 * events counter counts what was handed out, calls answer with a status.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <udig/capture.h>
#include <udig/ring.h>
#include "fuzz.h"

#define R UDIG_RINGBUF_SIZE

struct names {
	char ring[64], descs[64], mask[80], ctl[80];
};

struct run {
	const uint8_t *p, *end;
	udig_capture *c;
	uint8_t *ring;
	struct udig_ring_descs *descs;
	uint8_t *ctl;
	uint64_t events; /* handed out by udig_next_wait */
};

/* Little-endian fields of the script; 0 when the input ends first. */
static int take(struct run *r, void *out, size_t n)
{
	if ((size_t)(r->end - r->p) < n)
		return 0;
	memcpy(out, r->p, n); /* the build targets are little-endian, as the ring is */
	r->p += n;
	return 1;
}

static void *map_object(const char *name, size_t size)
{
	int fd = shm_open(name, O_RDWR | O_CLOEXEC, 0);
	void *p = fd < 0 ? MAP_FAILED : mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (fd >= 0)
		close(fd);
	if (p == MAP_FAILED) {
		perror(name);
		abort();
	}
	return p;
}

static void unlink_all(const struct names *n)
{
	shm_unlink(n->ring);
	shm_unlink(n->descs);
	shm_unlink(n->mask);
	shm_unlink(n->ctl);
}

/* A consumer on a ring no other input has seen, the mask and .ctl objects
 * made now (later they would be created under names already unlinked). */
static void open_ring(struct run *r)
{
	static unsigned seq;
	struct names n;
	snprintf(n.ring, sizeof n.ring, "udigfuzz-%d-%u-buf", (int)getpid(), seq);
	snprintf(n.descs, sizeof n.descs, "udigfuzz-%d-%u-descs", (int)getpid(), seq);
	snprintf(n.mask, sizeof n.mask, "%s" UDIG_MASK_SUFFIX, n.descs);
	snprintf(n.ctl, sizeof n.ctl, "%s" UDIG_CTL_SUFFIX, n.descs);
	seq++;
	static uint8_t all[UDIG_MASK_BYTES];
	memset(all, 0xff, sizeof all);
	struct udig_live_opts o = { .ring_name = n.ring, .descs_name = n.descs, .new_ring = 1,
				    .event_mask = all, .no_proc_scan = 1 };
	char err[UDIG_ERRBUF_SIZE];
	r->c = udig_open_live(&o, err);
	if (!r->c) {
		unlink_all(&n);
		fprintf(stderr, "udig_open_live: %s\n", err);
		abort();
	}
	if (udig_enable_tracers_capture(r->c) != UDIG_OK) {
		unlink_all(&n);
		fprintf(stderr, "the .ctl object: %s\n", udig_geterr(r->c));
		abort();
	}
	r->ring = map_object(n.ring, R);
	r->descs = map_object(n.descs, UDIG_DESCS_SIZE);
	r->ctl = map_object(n.ctl, UDIG_CTL_BYTES);
	unlink_all(&n);
}

static void close_ring(struct run *r)
{
	udig_close(r->c);
	munmap(r->ring, R);
	munmap(r->descs, UDIG_DESCS_SIZE);
	munmap(r->ctl, UDIG_CTL_BYTES);
}

/* n bytes into the ring at off, wrapping at its end. */
static void ring_put(struct run *r, uint32_t off, const uint8_t *src, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		r->ring[(off + i) % R] = src[i];
}

/* What an event handed out must be: its parameters inside its record. */
static void check_event(const struct udig_evt *ev)
{
	if (ev->len < UDIG_HDR_SIZE || ev->nvals > UDIG_MAX_EVENT_PARAMS || ev->nvals > ev->nparams)
		abort();
	for (unsigned i = 0; i < ev->nvals; i++)
		if (ev->val[i] < ev->raw || ev->vlen[i] > ev->len ||
		    ev->val[i] + ev->vlen[i] > ev->raw + ev->len)
			abort();
}

static void read_all(struct run *r, int timeout_ms)
{
	struct udig_evt ev;
	int rc;
	char line[512];
	while ((rc = udig_next_wait(r->c, &ev, timeout_ms)) == UDIG_OK) {
		r->events++;
		check_event(&ev);
		for (unsigned i = 0; i < ev.nvals; i++) {
			udig_evt_int(&ev, i, 0);
			udig_evt_str(&ev, i);
		}
		udig_get_thread(r->c, (int64_t)ev.tid);
		udig_evt_fd(r->c, &ev);
		udig_format_text(r->c, &ev, line, sizeof line);
		udig_format_json(r->c, &ev, line, sizeof line);
	}
	if (rc != UDIG_TIMEOUT) {
		fprintf(stderr, "udig_next_wait(%d) gave %d (%s) instead of a timeout\n", timeout_ms, rc,
			udig_geterr(r->c));
		abort();
	}
	struct udig_stats st;
	if (udig_get_stats(r->c, &st) != UDIG_OK || st.events != r->events)
		abort();
}

/* The consumer calls that read words a producer can write. */
static void call(struct run *r, uint8_t which, uint32_t arg)
{
	udig_capture *c = r->c;
	int rc = UDIG_OK;
	switch (which % 13) {
	case 0: {
		char comm[5];
		memcpy(comm, &arg, 4);
		comm[4] = 0;
		rc = udig_suppress_comm(c, comm);
		break;
	}
	case 1: rc = udig_suppress_tid(c, (int32_t)arg); break;
	case 2: {
		int s = udig_check_suppressed_tid(c, (int32_t)arg);
		rc = s == 0 || s == 1 ? UDIG_OK : UDIG_FAILURE;
		break;
	}
	case 3: {
		struct udig_stats st;
		rc = udig_get_stats(c, &st);
		break;
	}
	case 4: rc = udig_sampling_start(c, arg); break;
	case 5: rc = udig_sampling_stop(c); break;
	case 6: rc = udig_set_fullcapture_port_range(c, (uint16_t)arg, (uint16_t)(arg >> 16)); break;
	case 7: rc = udig_enable_dynamic_snaplen(c, arg & 1); break;
	case 8: rc = udig_live_set_snaplen(c, arg); break;
	case 9: rc = udig_stop(c); break;
	case 10: rc = udig_start(c); break;
	case 11: rc = udig_enable_simple_mode(c); break;
	case 12: rc = udig_enable_tracers_capture(c); break;
	}
	/* Bad arguments are refused with a message; nothing else may fail. */
	if (rc != UDIG_OK && (rc != UDIG_ILLEGAL_INPUT || !udig_geterr(c)[0])) {
		fprintf(stderr, "call %u (%#x) gave %d: %s\n", which % 13, arg, rc, udig_geterr(c));
		abort();
	}
}

static void run_script(struct run *r)
{
	uint8_t op;
	while (take(r, &op, 1)) {
		uint32_t u32;
		uint16_t u16;
		uint8_t a, b;
		switch (op % 9) {
		case 0: /* RING */
			if (!take(r, &u32, 4) || !take(r, &u16, 2) || (size_t)(r->end - r->p) < u16)
				return;
			ring_put(r, u32 % R, r->p, u16);
			r->p += u16;
			break;
		case 1: { /* APPEND */
			if (!take(r, &u16, 2) || (size_t)(r->end - r->p) < u16)
				return;
			uint32_t h = r->descs->info.head % R;
			ring_put(r, h, r->p, u16);
			r->p += u16;
			__atomic_store_n(&r->descs->info.head, (h + u16) % R, __ATOMIC_RELEASE);
			break;
		}
		case 2: /* HEAD */
			if (!take(r, &u32, 4))
				return;
			__atomic_store_n(&r->descs->info.head, u32, __ATOMIC_RELEASE);
			break;
		case 3: /* DESCS */
			if (!take(r, &a, 1) || !take(r, &b, 1) || (size_t)(r->end - r->p) < b)
				return;
			for (unsigned i = 0; i < b; i++)
				((uint8_t *)r->descs)[(a + i) % UDIG_DESCS_SIZE] = r->p[i];
			r->p += b;
			break;
		case 4: /* CTL */
			if (!take(r, &u16, 2) || !take(r, &b, 1) || (size_t)(r->end - r->p) < b)
				return;
			for (unsigned i = 0; i < b; i++)
				r->ctl[(u16 + i) % UDIG_CTL_BYTES] = r->p[i];
			r->p += b;
			break;
		case 5: /* READ */
			read_all(r, 0);
			break;
		case 6: /* CALL */
			if (!take(r, &a, 1) || !take(r, &u32, 4))
				return;
			call(r, a, u32);
			break;
		case 7: /* MASK */
			if (!take(r, &u16, 2) || !take(r, &a, 1))
				return;
			if (udig_set_eventmask(r->c, u16, a & 1) != UDIG_OK && u16 < UDIG_EVENT_MAX)
				abort();
			break;
		case 8: /* WAIT */
			if (!take(r, &a, 1))
				return;
			read_all(r, 1 + a % 3);
			break;
		}
	}
}

FUZZ_TARGET(ring)
{
	struct run r = { .p = data, .end = data + size };
	open_ring(&r);
	run_script(&r);
	read_all(&r, 0);
	close_ring(&r);
	return 0;
}
