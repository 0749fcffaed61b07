/*
 * Record parsing and typed parameter access, inlinable.  udig_evt_parse()
 * and udig_evt_int() are the public forms; the library's own per-event
 * paths (udig_next, the state engine) use these so that the work of
 * indexing a record and reading a few integers out of it is not spread
 * over out-of-line calls that each look the event type up again.
 */
#ifndef UDIG_EVT_INT_H
#define UDIG_EVT_INT_H

#include <string.h>
#include <udig/capture.h>

void udig_errf(char *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Little-endian loads of 1, 2, 4 or 8 bytes from unaligned, untrusted
 * memory.  On a little-endian host a fixed-size memcpy is one move. */
static inline uint64_t evt_le(const uint8_t *p, unsigned n)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	switch (n) {
	case 1: return p[0];
	case 2: { uint16_t v; memcpy(&v, p, 2); return v; }
	case 4: { uint32_t v; memcpy(&v, p, 4); return v; }
	case 8: { uint64_t v; memcpy(&v, p, 8); return v; }
	}
#endif
	uint64_t v = 0;
	for (unsigned i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

/* The parameter types whose values are sign-extended (INT8..INT64, ERRNO,
 * FD, PID), as a bit set over the type numbers (all below 32). */
#define EVT_SIGNED_TYPES ((1u << UDIG_PT_INT8) | (1u << UDIG_PT_INT16) | (1u << UDIG_PT_INT32) | \
			  (1u << UDIG_PT_INT64) | (1u << UDIG_PT_ERRNO) | (1u << UDIG_PT_FD) | (1u << UDIG_PT_PID))

static inline int evt_type_signed(uint8_t type)
{
	return type < 32 && ((EVT_SIGNED_TYPES >> type) & 1);
}

/*
 * Parameter i as an integer: 0 when it is absent or not 1/2/4/8 bytes long.
 * ev->nvals > 0 implies a type inside the event table (the parser gives
 * unknown types no values), so the table is indexed without a check.
 */
static inline int evt_int_param(const struct udig_evt *ev, unsigned i, uint64_t *v)
{
	if (i >= ev->nvals)
		return 0;
	uint32_t n = ev->vlen[i];
	if (n != 1 && n != 2 && n != 4 && n != 8)
		return 0;
	*v = evt_le(ev->val[i], n);
	if (n < 8 && ((*v >> (8 * n - 1)) & 1) && evt_type_signed(udig_event_table[ev->type].params[i].type))
		*v |= ~0ull << (8 * n);
	return 1;
}

static inline int64_t evt_int(const struct udig_evt *ev, unsigned i, int64_t dflt)
{
	uint64_t v;
	return evt_int_param(ev, i, &v) ? (int64_t)v : dflt;
}

static inline uint64_t evt_uint(const struct udig_evt *ev, unsigned i, uint64_t dflt)
{
	uint64_t v;
	return evt_int_param(ev, i, &v) ? v : dflt;
}

static inline const char *evt_str(const struct udig_evt *ev, unsigned i)
{
	if (i >= ev->nvals || ev->vlen[i] == 0 || ev->val[i][ev->vlen[i] - 1] != 0)
		return NULL;
	return (const char *)ev->val[i];
}

/* What the parser needs of each event type, packed so that it takes one
 * load from a table of the library's own (no GOT indirection) that fits in
 * a few cache lines: the parameter count (at most UDIG_MAX_EVENT_PARAMS)
 * and the width of the length slots.  Filled when the library is loaded
 * (evt.c), from udig_event_table. */
struct evt_desc {
	uint8_t nparams;
	uint8_t lensize; /* 2, or 4 for EF_LARGE_PAYLOAD types */
};
extern struct evt_desc evt_descs[UDIG_EVENT_MAX] __attribute__((visibility("hidden")));

/* Error path of evt_parse, kept out of line: finds the first parameter
 * that overruns the record and says so (err may be NULL). */
int evt_parse_overrun(const uint8_t *p, uint32_t len, uint16_t type, uint32_t nparams, unsigned lensize, char *err);

/*
 * udig_evt_parse() (see capture.h).  One pass over the length array: the
 * first nvals lengths index the values, any further ones (a record with more
 * parameters than our table knows) are only summed; every running offset is
 * compared with the record length, and the message for a failure is built
 * only then (never when err is NULL, which the per-event path passes).
 */
static inline __attribute__((always_inline)) int evt_parse(const void *rec, size_t avail, struct udig_evt *ev, char *err)
{
	const uint8_t *p = rec;

	if (__builtin_expect(avail < UDIG_HDR_SIZE, 0)) {
		if (err)
			udig_errf(err, "record of %zu bytes is shorter than the %u-byte event header", avail, UDIG_HDR_SIZE);
		return UDIG_ILLEGAL_INPUT;
	}
	/* field by field: copying the packed header whole and reading it back
	 * makes the loads wait on the stores (no store forwarding) */
	uint32_t len = (uint32_t)evt_le(p + 16, 4);
	uint16_t type = (uint16_t)evt_le(p + 20, 2);
	uint32_t nparams = (uint32_t)evt_le(p + 22, 4);
	if (__builtin_expect(len < UDIG_HDR_SIZE || len > avail, 0)) {
		if (err)
			udig_errf(err, "event length %u outside [%u, %zu]", len, UDIG_HDR_SIZE, avail);
		return UDIG_ILLEGAL_INPUT;
	}
	ev->ts = evt_le(p, 8);
	ev->tid = evt_le(p + 8, 8);
	ev->len = len;
	ev->type = type;
	ev->nparams = nparams;
	ev->raw = p;
	ev->nvals = 0;
	if (type >= UDIG_EVENT_MAX)
		return UDIG_OK; /* a newer event type: readable, not decodable */

	struct evt_desc d = evt_descs[type];
	unsigned lensize = d.lensize;
	uint64_t off = UDIG_HDR_SIZE + (uint64_t)lensize * nparams;
	if (__builtin_expect(off > len, 0)) {
		if (err)
			udig_errf(err, "event type %u: %u parameter lengths do not fit in %u bytes", type, nparams, len);
		return UDIG_ILLEGAL_INPUT;
	}
	/* off <= len now, so nparams < 2^31 */
	uint32_t nvals = nparams < d.nparams ? nparams : d.nparams;
	const uint8_t *lp = p + UDIG_HDR_SIZE;
	uint32_t i;
	/* off <= len < 2^32 before each step and a length is < 2^32, so the
	 * sums cannot wrap. */
	if (lensize == 2) {
		/* v walks the values, room is what the record has left after v */
		const uint8_t *v = p + off;
		size_t room = len - off;
		for (i = 0; i < nvals; i++) {
			uint32_t l = (uint32_t)evt_le(lp + 2 * (size_t)i, 2);
			if (__builtin_expect(l > room, 0))
				return evt_parse_overrun(p, len, type, nparams, lensize, err);
			ev->val[i] = v;
			ev->vlen[i] = l;
			v += l;
			room -= l;
		}
		if (__builtin_expect(i < nparams, 0)) {
			/* fewer than 2^31 lengths below 2^16: no wrap, and one
			 * check at the end covers every prefix */
			uint64_t rest = 0;
			for (; i < nparams; i++)
				rest += evt_le(lp + 2 * (size_t)i, 2);
			if (rest > room)
				return evt_parse_overrun(p, len, type, nparams, lensize, err);
		}
	} else {
		for (i = 0; i < nvals; i++) {
			uint32_t l = (uint32_t)evt_le(lp + 4 * (size_t)i, 4);
			if (__builtin_expect(off + l > len, 0))
				return evt_parse_overrun(p, len, type, nparams, lensize, err);
			ev->val[i] = p + off;
			ev->vlen[i] = l;
			off += l;
		}
		for (; i < nparams; i++) {
			off += evt_le(lp + 4 * (size_t)i, 4);
			if (__builtin_expect(off > len, 0))
				return evt_parse_overrun(p, len, type, nparams, lensize, err);
		}
	}
	ev->nvals = nvals;
	return UDIG_OK;
}

#endif
