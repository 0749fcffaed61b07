/* Event and syscall masks from `-t` (see capture_types.h). */
#include <stdio.h>
#include <string.h>
#include "capture_types.h"

static void set_bit(uint8_t *m, unsigned i)
{
	m[i >> 3] |= (uint8_t)(1u << (i & 7));
}

/* Events the state engine learns from: without them a filtered capture
 * would print <NA> for process names and fd paths. */
static int keeps_state(const struct udig_event_info *ei)
{
	return ei->flags & (UDIG_EF_CREATES_FD | UDIG_EF_DESTROYS_FD | UDIG_EF_MODIFIES_STATE);
}

static int add_name(const char *name, size_t len, uint8_t *evmask, uint8_t *scmask)
{
	int found = 0;
	for (unsigned t = 0; t < UDIG_EVENT_MAX; t++) {
		const struct udig_event_info *ei = udig_event_info((uint16_t)t);
		if (!ei || !ei->name || strlen(ei->name) != len || strncmp(ei->name, name, len))
			continue;
		set_bit(evmask, t);
		inject_mask_add_event(scmask, (uint16_t)t);
		found = 1;
	}
	return found;
}

int capture_types_masks(const char *list, uint8_t evmask[CAPTURE_EVMASK_BYTES],
			uint8_t scmask[INJECT_MASK_BYTES], char *err, size_t errlen)
{
	memset(evmask, 0, CAPTURE_EVMASK_BYTES);
	inject_mask_default(scmask);
	for (unsigned t = 0; t < UDIG_EVENT_MAX; t++) {
		const struct udig_event_info *ei = udig_event_info((uint16_t)t);
		if (ei && ei->name && (keeps_state(ei) || !strcmp(ei->name, "procexit")))
			set_bit(evmask, t);
	}
	const char *p = list;
	while (*p) {
		p += strspn(p, ", \t");
		size_t len = strcspn(p, ", \t");
		if (!len)
			break;
		if (!add_name(p, len, evmask, scmask)) {
			snprintf(err, errlen, "unknown event type '%.*s' (udig events lists them)", (int)len, p);
			return -1;
		}
		p += len;
	}
	return 0;
}

void capture_types_add_syscall(unsigned nr, uint8_t evmask[CAPTURE_EVMASK_BYTES],
			       uint8_t scmask[INJECT_MASK_BYTES])
{
	if (nr >= UDIG_SYSCALL_TABLE_SIZE)
		return;
	const struct udig_syscall_entry *e = &udig_syscall_table[nr];
	uint16_t enter = e->enter, exit = e->enter == UEV_GENERIC_E ? UEV_GENERIC_X : e->exit;
	set_bit(evmask, enter);
	set_bit(evmask, exit);
	inject_mask_set(scmask, nr, 1);
}
