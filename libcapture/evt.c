/* Validating and indexing one event record; typed parameter access. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "capture-int.h"
#include "evt-int.h"

void udig_errf(char *err, const char *fmt, ...)
{
	va_list ap;
	if (!err)
		return;
	va_start(ap, fmt);
	vsnprintf(err, UDIG_ERRBUF_SIZE, fmt, ap);
	va_end(ap);
}

struct evt_desc evt_descs[UDIG_EVENT_MAX];

__attribute__((constructor)) static void evt_descs_init(void)
{
	for (unsigned t = 0; t < UDIG_EVENT_MAX; t++) {
		const struct udig_event_info *info = &udig_event_table[t];
		evt_descs[t].nparams = (uint8_t)(info->nparams < UDIG_MAX_EVENT_PARAMS ? info->nparams
										: UDIG_MAX_EVENT_PARAMS);
		evt_descs[t].lensize = (info->flags & UDIG_EF_LARGE_PAYLOAD) ? 4 : 2;
	}
}

int evt_parse_overrun(const uint8_t *p, uint32_t len, uint16_t type, uint32_t nparams, unsigned lensize, char *err)
{
	uint64_t off = UDIG_HDR_SIZE + (uint64_t)lensize * nparams;
	for (uint32_t i = 0; i < nparams; i++) {
		uint64_t l = evt_le(p + UDIG_HDR_SIZE + (size_t)lensize * i, lensize);
		if (off + l > len) {
			udig_errf(err, "event type %u: parameter %u (%llu bytes) overruns the %u-byte event",
				  type, i, (unsigned long long)l, len);
			break;
		}
		off += l;
	}
	return UDIG_ILLEGAL_INPUT;
}

int udig_evt_parse(const void *rec, size_t avail, struct udig_evt *ev, char *err)
{
	return evt_parse(rec, avail, ev, err);
}

int64_t udig_evt_int(const struct udig_evt *ev, unsigned i, int64_t dflt)
{
	return evt_int(ev, i, dflt);
}

uint64_t udig_evt_uint(const struct udig_evt *ev, unsigned i, uint64_t dflt)
{
	return evt_uint(ev, i, dflt);
}

const char *udig_evt_str(const struct udig_evt *ev, unsigned i)
{
	return evt_str(ev, i);
}
