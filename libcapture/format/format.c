/*
 * sysdig's output lines: the default text line
 *   %evt.num %evt.time %evt.cpu %proc.name (%thread.tid) %evt.dir %evt.type %evt.args
 * built from the per-type renderers of format/param.c, and the `sysdig -j`
 * object of the default format (fields/json.c writes it).  Both run after
 * udig_next() applied the event to the state, exactly when libsinsp
 * formats it.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "format-int.h"
#include "../state/state-int.h"

const char *format_evt_type(const struct udig_evt *ev)
{
	const struct udig_event_info *info = udig_event_info(ev->type);
	if (!info)
		return "<unknown>";
	if (ev->type == UEV_GENERIC_E || ev->type == UEV_GENERIC_X)
		return udig_syscall_name((uint16_t)udig_evt_uint(ev, 0, 0));
	return info->name;
}

/* As %proc.name: <NA> only when no thread is known; a thread known with an
 * empty name (made from a clone exit whose parent the filler could not
 * read, in a user namespace being set up) prints empty, as sysdig does. */
const char *format_proc_name(const udig_capture *c, const struct udig_evt *ev)
{
	struct thread_entry *te = tables_thread_get(&c->tables, (int64_t)ev->tid);
	return te ? te->ti.comm : "<NA>";
}

void format_args_sb(udig_capture *c, const struct udig_evt *ev, struct fmtbuf *out, const struct param_render *r)
{
	const struct udig_event_info *info = udig_event_info(ev->type);
	/* sysdig shows generic events with their syscall name and no arguments */
	if (!info || ev->type == UEV_GENERIC_E || ev->type == UEV_GENERIC_X)
		return;
	for (unsigned i = 0; i < ev->nvals; i++) {
		struct fmtbuf val, res;
		fb_init(&val);
		fb_init(&res);
		format_param(c, ev, i, &val, &res, r);
		fb_printf(out, "%s=%s", info->params[i].name, val.p);
		if (res.len)
			fb_printf(out, "(%s)", res.p);
		fb_putc(out, ' ');
		fb_free(&val);
		fb_free(&res);
	}
}

size_t udig_format_args(udig_capture *c, const struct udig_evt *ev, char *buf, size_t size)
{
	struct fmtbuf b;
	fb_init(&b);
	format_args_sb(c, ev, &b, NULL);
	size_t n = fb_export(&b, buf, size);
	fb_free(&b);
	return n;
}

/* evt.time: local wall-clock time with nanoseconds */
static void put_time(struct fmtbuf *b, uint64_t ts)
{
	time_t sec = (time_t)(ts / 1000000000ULL);
	struct tm tm;
	localtime_r(&sec, &tm);
	fb_printf(b, "%02d:%02d:%02d.%09" PRIu64, tm.tm_hour, tm.tm_min, tm.tm_sec, (uint64_t)(ts % 1000000000ULL));
}

size_t udig_format_text(udig_capture *c, const struct udig_evt *ev, char *buf, size_t size)
{
	struct fmtbuf b;
	fb_init(&b);
	fb_printf(&b, "%" PRIu64 " ", ev->num);
	put_time(&b, ev->ts);
	fb_printf(&b, " %u %s (%" PRId64 ") %c %s ", ev->cpu, format_proc_name(c, ev), (int64_t)ev->tid,
		  udig_event_is_enter(ev->type) ? '>' : '<', format_evt_type(ev));
	format_args_sb(c, ev, &b, NULL);
	size_t n = fb_export(&b, buf, size);
	fb_free(&b);
	return n;
}

size_t udig_format_json(udig_capture *c, const struct udig_evt *ev, char *buf, size_t size)
{
	/* sysdig -j without -p: the default format's fields, compiled once
	 * per capture */
	if (!c->json_default && !(c->json_default = udig_format_compile_flags(UDIG_FORMAT_DEFAULT, UDIG_FORMAT_JSON, NULL))) {
		if (buf && size)
			buf[0] = 0;
		return 0;
	}
	size_t len = 0;
	udig_format_event(c->json_default, c, ev, buf, size, &len);
	return len;
}
