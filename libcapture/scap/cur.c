/* A bounds-checked reader of little-endian fields (see scap/format.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "format.h"

void scap_cur_init(struct scap_cur *c, const uint8_t *p, size_t len, uint64_t off, const char *what, char *err)
{
	c->p = c->origin = p;
	c->end = p + len;
	c->origin_off = off;
	c->what = what;
	c->err = err;
	c->bad = 0;
}

void scap_cur_fail(struct scap_cur *c, const char *fmt, ...)
{
	char msg[UDIG_ERRBUF_SIZE];
	va_list ap;
	if (c->bad)
		return;
	c->bad = 1;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	udig_errf(c->err, "offset %llu: %s: %s", (unsigned long long)scap_cur_off(c), c->what, msg);
}

static int need(struct scap_cur *c, size_t n, const char *field)
{
	if (c->bad)
		return 0;
	if (scap_cur_left(c) < n) {
		scap_cur_fail(c, "%s needs %zu bytes but only %zu are left", field, n, scap_cur_left(c));
		return 0;
	}
	return 1;
}

int scap_cur_sub(struct scap_cur *c, struct scap_cur *sub, size_t len, const char *what)
{
	*sub = *c;
	sub->what = what;
	if (!need(c, len, what)) {
		sub->bad = 1;
		return -1;
	}
	sub->end = c->p + len;
	c->p += len;
	return 0;
}

int scap_cur_entry(struct scap_cur *c, struct scap_cur *e, int entrylen, uint32_t fixed, const char *what,
		   int *have_len)
{
	*have_len = 0;
	*e = *c;
	e->what = what;
	if (!entrylen)
		return 0;
	const uint8_t *start = c->p;
	uint32_t elen = scap_cur_u32(c, "entry length");
	c->p = start;
	if (c->bad)
		return -1;
	if (elen == 0) {
		e->p += 4;
		return 0;
	}
	if (elen < fixed) {
		scap_cur_fail(c, "%s length %u is shorter than its fixed fields (%u bytes)", what, elen, fixed);
		return -1;
	}
	if (scap_cur_sub(c, e, elen, what))
		return -1;
	e->p += 4;
	*have_len = 1;
	return 0;
}

const uint8_t *scap_cur_bytes(struct scap_cur *c, size_t n, const char *field)
{
	if (!need(c, n, field))
		return NULL;
	const uint8_t *p = c->p;
	c->p += n;
	return p;
}

uint8_t scap_cur_u8(struct scap_cur *c, const char *field)
{
	const uint8_t *p = scap_cur_bytes(c, 1, field);
	return p ? p[0] : 0;
}

uint16_t scap_cur_u16(struct scap_cur *c, const char *field)
{
	const uint8_t *p = scap_cur_bytes(c, 2, field);
	return p ? scap_le16(p) : 0;
}

uint32_t scap_cur_u32(struct scap_cur *c, const char *field)
{
	const uint8_t *p = scap_cur_bytes(c, 4, field);
	return p ? scap_le32(p) : 0;
}

uint64_t scap_cur_u64(struct scap_cur *c, const char *field)
{
	const uint8_t *p = scap_cur_bytes(c, 8, field);
	return p ? scap_le64(p) : 0;
}

int scap_cur_str16(struct scap_cur *c, size_t max, const char *field, const char **s, size_t *len)
{
	*s = "";
	*len = 0;
	uint16_t n = scap_cur_u16(c, field);
	if (c->bad)
		return -1;
	if (n > max) {
		c->p -= 2; /* report the length field's own offset */
		scap_cur_fail(c, "%s length %u exceeds %zu", field, n, max);
		return -1;
	}
	const uint8_t *p = scap_cur_bytes(c, n, field);
	if (!p)
		return -1;
	*s = (const char *)p;
	*len = n;
	return 0;
}

int scap_cur_cstr16(struct scap_cur *c, size_t max, const char *field, char *out)
{
	const char *s;
	size_t n;
	out[0] = 0;
	if (scap_cur_str16(c, max, field, &s, &n))
		return -1;
	memcpy(out, s, n);
	out[n] = 0;
	return 0;
}
