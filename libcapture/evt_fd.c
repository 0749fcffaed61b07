/* Which fd an event operates on: its own fd parameter for enter events, the
 * thread's pending enter for exits (exit records of read/write/close carry
 * no fd; libsinsp pairs them the same way). */
#include "capture-int.h"

int64_t udig_evt_fd(const udig_capture *c, const struct udig_evt *ev)
{
	const struct udig_event_info *info = udig_event_info(ev->type);
	if (!info || !(info->flags & UDIG_EF_USES_FD))
		return -1;
	if (udig_event_is_enter(ev->type))
		return (ev->nvals > 0 && info->params[0].type == UDIG_PT_FD) ? udig_evt_int(ev, 0, -1) : -1;
	struct thread_entry *te = tables_thread_get(&c->tables, (int64_t)ev->tid);
	if (te && te->enter_type + 1 == ev->type)
		return te->enter_fd;
	return -1;
}
