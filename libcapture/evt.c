/* Validating and indexing one event record; typed parameter access. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "capture-int.h"

void udig_errf(char *err, const char *fmt, ...)
{
	va_list ap;
	if (!err)
		return;
	va_start(ap, fmt);
	vsnprintf(err, UDIG_ERRBUF_SIZE, fmt, ap);
	va_end(ap);
}

static uint64_t load_le(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

int udig_evt_parse(const void *rec, size_t avail, struct udig_evt *ev, char *err)
{
	const uint8_t *p = rec;
	struct udig_evt_hdr h;

	if (avail < UDIG_HDR_SIZE) {
		udig_errf(err, "record of %zu bytes is shorter than the %u-byte event header", avail, UDIG_HDR_SIZE);
		return UDIG_ILLEGAL_INPUT;
	}
	udig_hdr_load(&h, p);
	if (h.len < UDIG_HDR_SIZE || h.len > avail) {
		udig_errf(err, "event length %u outside [%u, %zu]", h.len, UDIG_HDR_SIZE, avail);
		return UDIG_ILLEGAL_INPUT;
	}
	ev->ts = h.ts;
	ev->tid = h.tid;
	ev->len = h.len;
	ev->type = h.type;
	ev->nparams = h.nparams;
	ev->raw = p;
	ev->nvals = 0;

	const struct udig_event_info *info = udig_event_info(h.type);
	if (!info)
		return UDIG_OK; /* a newer event type: readable, not decodable */

	unsigned lensize = (info->flags & UDIG_EF_LARGE_PAYLOAD) ? 4 : 2;
	uint64_t values = UDIG_HDR_SIZE + (uint64_t)lensize * h.nparams;
	if (values > h.len) {
		udig_errf(err, "event type %u: %u parameter lengths do not fit in %u bytes", h.type, h.nparams, h.len);
		return UDIG_ILLEGAL_INPUT;
	}
	uint32_t nvals = h.nparams < info->nparams ? h.nparams : info->nparams;
	if (nvals > UDIG_MAX_EVENT_PARAMS)
		nvals = UDIG_MAX_EVENT_PARAMS;
	uint64_t off = values;
	for (uint32_t i = 0; i < h.nparams; i++) {
		uint64_t l = load_le(p + UDIG_HDR_SIZE + (size_t)lensize * i, lensize);
		if (off + l > h.len) {
			udig_errf(err, "event type %u: parameter %u (%llu bytes) overruns the %u-byte event",
				  h.type, i, (unsigned long long)l, h.len);
			return UDIG_ILLEGAL_INPUT;
		}
		if (i < nvals) {
			ev->val[i] = p + off;
			ev->vlen[i] = (uint32_t)l;
		}
		off += l;
	}
	ev->nvals = nvals;
	return UDIG_OK;
}

static int is_signed(uint8_t type)
{
	switch (type) {
	case UDIG_PT_INT8: case UDIG_PT_INT16: case UDIG_PT_INT32: case UDIG_PT_INT64:
	case UDIG_PT_ERRNO: case UDIG_PT_FD: case UDIG_PT_PID:
		return 1;
	}
	return 0;
}

static int int_param(const struct udig_evt *ev, unsigned i, uint64_t *v, int *sgn)
{
	if (i >= ev->nvals)
		return 0;
	uint32_t n = ev->vlen[i];
	if (n != 1 && n != 2 && n != 4 && n != 8)
		return 0;
	*v = load_le(ev->val[i], n);
	const struct udig_event_info *info = udig_event_info(ev->type);
	*sgn = is_signed(info->params[i].type);
	if (*sgn && n < 8 && (*v >> (8 * n - 1)) & 1)
		*v |= ~0ull << (8 * n);
	return 1;
}

int64_t udig_evt_int(const struct udig_evt *ev, unsigned i, int64_t dflt)
{
	uint64_t v;
	int sgn;
	return int_param(ev, i, &v, &sgn) ? (int64_t)v : dflt;
}

uint64_t udig_evt_uint(const struct udig_evt *ev, unsigned i, uint64_t dflt)
{
	uint64_t v;
	int sgn;
	return int_param(ev, i, &v, &sgn) ? v : dflt;
}

const char *udig_evt_str(const struct udig_evt *ev, unsigned i)
{
	if (i >= ev->nvals || ev->vlen[i] == 0 || ev->val[i][ev->vlen[i] - 1] != 0)
		return NULL;
	return (const char *)ev->val[i];
}
