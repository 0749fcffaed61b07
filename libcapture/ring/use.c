/*
 * How full the ring gets (udig_max_buf_used).  libscap reports the fill of
 * its fullest per-CPU buffer at the time of the call; a udig ring is one
 * buffer, so that is `now`, and `peak` adds what a single look cannot: the
 * most the consumer has seen published and unread since it opened the
 * ring, measured at every read of head (ring/next.c: when the published
 * span runs out, and at each release of the tail, every 16 KiB read).
 */
#include "live.h"

int ring_buf_used(udig_capture *c, uint64_t *peak, uint64_t *now)
{
	struct ring_src *s = c->src;
	uint32_t used = ring_note_used(s, __atomic_load_n(&s->descs->info.head, __ATOMIC_ACQUIRE));
	if (now)
		*now = used;
	*peak = s->peak_used;
	return UDIG_OK;
}
