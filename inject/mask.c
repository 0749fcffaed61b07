/* Syscall selection masks and engine names (the public helpers of inject.h). */
#include <string.h>

#include <udig/event.h>
#include "inject/engine.h"

void inject_mask_clear(uint8_t *mask)
{
	memset(mask, 0, INJECT_MASK_BYTES);
}

void inject_mask_set(uint8_t *mask, long nr, int on)
{
	if (nr < 0 || nr >= INJECT_NSYSCALLS)
		return;
	if (on)
		mask[nr >> 3] |= (uint8_t)(1u << (nr & 7));
	else
		mask[nr >> 3] &= (uint8_t)~(1u << (nr & 7));
}

int inject_mask_test(const uint8_t *mask, long nr)
{
	return nr >= 0 && nr < INJECT_NSYSCALLS && (mask[nr >> 3] & (1u << (nr & 7)));
}

static int modifies_state(uint16_t type)
{
	const struct udig_event_info *ei = udig_event_info(type);
	return ei && (ei->flags & UDIG_EF_MODIFIES_STATE);
}

void inject_mask_default(uint8_t *mask)
{
	long nr;
	inject_mask_clear(mask);
	for (nr = 0; nr < INJECT_NSYSCALLS && nr < UDIG_SYSCALL_TABLE_SIZE; nr++) {
		const struct udig_syscall_entry *e = &udig_syscall_table[nr];
		if ((e->flags & UDIG_UF_USED) && (modifies_state(e->enter) || modifies_state(e->exit)))
			inject_mask_set(mask, nr, 1);
	}
}

void inject_mask_all_used(uint8_t *mask)
{
	long nr;
	inject_mask_clear(mask);
	for (nr = 0; nr < INJECT_NSYSCALLS && nr < UDIG_SYSCALL_TABLE_SIZE; nr++)
		if (udig_syscall_table[nr].flags & UDIG_UF_USED)
			inject_mask_set(mask, nr, 1);
}

void inject_mask_all(uint8_t *mask)
{
	memset(mask, 0xff, INJECT_MASK_BYTES);
}

int inject_mask_add_event(uint8_t *mask, uint16_t type)
{
	long nr;
	int n = 0;
	for (nr = 0; nr < INJECT_NSYSCALLS && nr < UDIG_SYSCALL_TABLE_SIZE; nr++) {
		const struct udig_syscall_entry *e = &udig_syscall_table[nr];
		if (!(e->flags & UDIG_UF_USED))
			continue;
		if (e->enter == type || e->exit == type) {
			inject_mask_set(mask, nr, 1);
			n++;
		}
	}
	return n;
}

int inject_engine_from_name(const char *name, enum inject_engine *e)
{
	if (strcmp(name, "ptrace") == 0)
		*e = INJECT_ENGINE_PTRACE;
	else if (strcmp(name, "unotify") == 0)
		*e = INJECT_ENGINE_UNOTIFY;
	else
		return -1;
	return 0;
}

const char *inject_engine_name(enum inject_engine e)
{
	switch (e) {
	case INJECT_ENGINE_PTRACE: return inj_ptrace_engine.name;
	case INJECT_ENGINE_UNOTIFY: return inj_unotify_engine.name;
	}
	return "unknown";
}

int inject_engine_writes_exits(enum inject_engine e)
{
	switch (e) {
	case INJECT_ENGINE_PTRACE: return inj_ptrace_engine.writes_exits;
	case INJECT_ENGINE_UNOTIFY: return inj_unotify_engine.writes_exits;
	}
	return 0;
}
