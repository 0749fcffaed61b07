/*
 * Event record encoder.  Runs inside signal handlers: no allocation, no
 * stdio, no locks; memcpy is the only libc call and it makes no syscall.
 */
#include <string.h>
#include <udig/encode.h>

/* Records are little-endian, as x86_64 is (the only target: Syscall User
 * Dispatch, the trampolines); fixed-width stores compile to one move each,
 * where a byte loop was the encoder's largest cost per record. */
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "records are little-endian");
static inline void put16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }
static inline void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static inline void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

static void fail(struct udig_enc *e, enum udig_enc_status s)
{
	if (e->status == UDIG_ENC_OK)
		e->status = (uint8_t)s;
}

void udig_enc_begin(struct udig_enc *e, void *buf, size_t cap, uint16_t type, uint64_t ts, uint64_t tid)
{
	const struct udig_event_info *info = udig_event_info(type);

	e->buf = buf;
	e->cap = cap;
	e->pos = 0;
	e->next = 0;
	e->nparams = 0;
	e->lensize = 2;
	e->status = UDIG_ENC_OK;
	if (!info) {
		fail(e, UDIG_ENC_BADTYPE);
		return;
	}
	e->nparams = info->nparams;
	if (info->flags & UDIG_EF_LARGE_PAYLOAD)
		e->lensize = 4;
	e->pos = UDIG_HDR_SIZE + (size_t)e->lensize * e->nparams;
	if (e->pos > cap) {
		fail(e, UDIG_ENC_NOSPACE);
		return;
	}
	put64(e->buf + 0, ts);
	put64(e->buf + 8, tid);
	put16(e->buf + 20, type);
	put32(e->buf + 22, e->nparams);
}

uint8_t *udig_enc_reserve(struct udig_enc *e, size_t *max)
{
	size_t limit = e->lensize == 2 ? 0xffff : 0xffffffffu;

	if (e->status != UDIG_ENC_OK)
		return NULL;
	if (e->next >= e->nparams) {
		fail(e, UDIG_ENC_TOOMANY);
		return NULL;
	}
	if (e->cap - e->pos < limit)
		limit = e->cap - e->pos;
	*max = limit;
	return e->buf + e->pos;
}

void udig_enc_commit(struct udig_enc *e, size_t used)
{
	size_t limit = e->lensize == 2 ? 0xffff : 0xffffffffu;

	if (e->status != UDIG_ENC_OK)
		return;
	if (e->next >= e->nparams) {
		fail(e, UDIG_ENC_TOOMANY);
		return;
	}
	if (used > limit) {
		fail(e, UDIG_ENC_TOOBIG);
		return;
	}
	if (used > e->cap - e->pos) {
		fail(e, UDIG_ENC_NOSPACE);
		return;
	}
	uint8_t *lp = e->buf + UDIG_HDR_SIZE + (size_t)e->lensize * e->next;
	if (e->lensize == 4)
		put32(lp, (uint32_t)used);
	else
		put16(lp, (uint16_t)used);
	e->pos += used;
	e->next++;
}

void udig_enc_raw(struct udig_enc *e, const void *val, size_t len)
{
	size_t max;
	uint8_t *dst = udig_enc_reserve(e, &max);

	if (!dst)
		return;
	if (len > max) {
		fail(e, len > (e->lensize == 2 ? 0xffffu : 0xffffffffu) ? UDIG_ENC_TOOBIG : UDIG_ENC_NOSPACE);
		return;
	}
	if (len)
		memcpy(dst, val, len);
	udig_enc_commit(e, len);
}

void udig_enc_u8(struct udig_enc *e, uint8_t v) { udig_enc_raw(e, &v, 1); }

void udig_enc_u16(struct udig_enc *e, uint16_t v)
{
	uint8_t b[2];
	put16(b, v);
	udig_enc_raw(e, b, 2);
}

void udig_enc_u32(struct udig_enc *e, uint32_t v)
{
	uint8_t b[4];
	put32(b, v);
	udig_enc_raw(e, b, 4);
}

void udig_enc_u64(struct udig_enc *e, uint64_t v)
{
	uint8_t b[8];
	put64(b, v);
	udig_enc_raw(e, b, 8);
}

void udig_enc_str(struct udig_enc *e, const char *s, size_t max)
{
	size_t room, n = 0;
	uint8_t *dst;

	if (!s)
		s = "(NULL)";
	if (max == 0 || max > UDIG_MAX_ARG_SIZE)
		max = UDIG_MAX_ARG_SIZE;
	dst = udig_enc_reserve(e, &room);
	if (!dst)
		return;
	if (room < max)
		max = room;
	if (max == 0) {
		fail(e, UDIG_ENC_NOSPACE);
		return;
	}
	/* Copy up to max-1 bytes, then always terminate: the length counts the NUL. */
	while (n + 1 < max && s[n]) {
		dst[n] = (uint8_t)s[n];
		n++;
	}
	dst[n++] = 0;
	udig_enc_commit(e, n);
}

void udig_enc_buf(struct udig_enc *e, const void *p, size_t len, size_t snaplen)
{
	if (snaplen == 0 || snaplen > UDIG_MAX_ARG_SIZE)
		snaplen = UDIG_MAX_ARG_SIZE;
	if (len > snaplen)
		len = snaplen;
	udig_enc_raw(e, p, p ? len : 0);
}

size_t udig_enc_end(struct udig_enc *e)
{
	if (e->status == UDIG_ENC_OK && e->next != e->nparams)
		fail(e, UDIG_ENC_TOOFEW);
	if (e->status != UDIG_ENC_OK)
		return 0;
	put32(e->buf + 16, (uint32_t)e->pos);
	return e->pos;
}

const char *udig_enc_strerror(enum udig_enc_status s)
{
	switch (s) {
	case UDIG_ENC_OK: return "ok";
	case UDIG_ENC_NOSPACE: return "record does not fit in the buffer";
	case UDIG_ENC_BADTYPE: return "unknown event type";
	case UDIG_ENC_TOOMANY: return "more parameters than the event declares";
	case UDIG_ENC_TOOFEW: return "fewer parameters than the event declares";
	case UDIG_ENC_TOOBIG: return "parameter longer than its length field allows";
	}
	return "unknown encoder status";
}
