/*
 * Old event records (EV/EVF v1 blocks) carry a 22-byte header without
 * nparams.  They are rewritten with the 26-byte header; nparams is inferred
 * exactly as the reference does (specs/scap-file.md §10.2), so that the same
 * files convert and the same files fail.
 */
#include <stdio.h>
#include <string.h>
#include "format.h"

#define V1_HDR 22u

uint32_t scap_ev1_convert(const uint8_t *ev, size_t avail, uint8_t *out, char *why, size_t whylen)
{
	if (avail < V1_HDR) {
		snprintf(why, whylen, "v1 event header needs %u bytes, the block holds %zu", V1_HDR, avail);
		return 0;
	}
	uint32_t v1len = scap_le32(ev + 16);
	uint16_t type = scap_le16(ev + 20);
	if (v1len < V1_HDR || v1len > avail) {
		snprintf(why, whylen, "v1 event length %u outside [%u, %zu]", v1len, V1_HDR, avail);
		return 0;
	}
	memcpy(out, ev, V1_HDR);
	memset(out + V1_HDR, 0, 4);
	memcpy(out + UDIG_HDR_SIZE, ev + V1_HDR, v1len - V1_HDR);
	uint32_t len = v1len + 4;
	/* Old captures stored wrong lengths for these two; the reference
	 * corrects them the same way. */
	if (type == UEV_NOTIFICATION_E || type == UEV_INFRASTRUCTURE_EVENT_E)
		len -= 3;
	if (len < UDIG_HDR_SIZE) {
		snprintf(why, whylen, "cannot convert v1 event block to v2 (event length %u too short)", len);
		return 0;
	}
	/* From the table's count downwards, the first count whose length slots
	 * and values fill the event exactly; a count that fits but leaves bytes
	 * over is a corrupt event, not a hint to try fewer. */
	const struct udig_event_info *info = udig_event_info(type);
	int n = info ? (int)info->nparams : 0;
	const uint8_t *lens = out + UDIG_HDR_SIZE;
	for (; n >= 0; n--) {
		size_t end = UDIG_HDR_SIZE + 2 * (size_t)n;
		if (end > len)
			continue;
		for (int i = 0; i < n; i++)
			end += scap_le16(lens + 2 * i);
		if (end < len) {
			snprintf(why, whylen, "cannot convert v1 event block to v2 (corrupted trace file - can't calculate nparams)");
			return 0;
		}
		if (end == len)
			break;
	}
	if (n < 0) {
		snprintf(why, whylen, "cannot convert v1 event block to v2 (corrupted trace file - can't calculate nparams) (2)");
		return 0;
	}
	out[16] = (uint8_t)len;
	out[17] = (uint8_t)(len >> 8);
	out[18] = (uint8_t)(len >> 16);
	out[19] = (uint8_t)(len >> 24);
	out[22] = (uint8_t)n;
	out[23] = out[24] = out[25] = 0;
	return len;
}
