/*
 * Event record encoder.  Runs inside signal handlers: no allocation, no
 * stdio, no locks; memcpy is the only libc call and it makes no syscall.
 */
#include <string.h>
#include <udig/encode.h>

static void put_le(uint8_t *p, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

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
	put_le(e->buf + 0, ts, 8);
	put_le(e->buf + 8, tid, 8);
	put_le(e->buf + 20, type, 2);
	put_le(e->buf + 22, e->nparams, 4);
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
	put_le(e->buf + UDIG_HDR_SIZE + (size_t)e->lensize * e->next, used, e->lensize);
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
	put_le(b, v, 2);
	udig_enc_raw(e, b, 2);
}

void udig_enc_u32(struct udig_enc *e, uint32_t v)
{
	uint8_t b[4];
	put_le(b, v, 4);
	udig_enc_raw(e, b, 4);
}

void udig_enc_u64(struct udig_enc *e, uint64_t v)
{
	uint8_t b[8];
	put_le(b, v, 8);
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
	put_le(e->buf + 16, e->pos, 4);
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
