/* evt.* fields, with libsinsp's meaning (filterchecks.cpp, 0.29.3). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "fields-int.h"
#include "../state/state-int.h"

#define UNUSED(x) (void)(x)

int fx_evt_num(udig_capture *c, const struct udig_evt *ev, const struct udig_field *f, struct udig_field_value *v)
{
	UNUSED(c), UNUSED(f);
	return fv_u64(v, ev->num);
}

/* In JSON, sysdig writes the time fields as the timestamp in nanoseconds,
 * a number (libsinsp's extract_as_js). */
int fx_evt_time(udig_capture *c, const struct udig_evt *ev, const struct udig_field *f, struct udig_field_value *v)
{
	UNUSED(c);
	if (f->json)
		return fv_u64(v, ev->ts);
	time_t sec = (time_t)(ev->ts / 1000000000ULL);
	struct tm tm;
	localtime_r(&sec, &tm);
	snprintf(v->buf, sizeof v->buf, "%02d:%02d:%02d.%09" PRIu64, tm.tm_hour, tm.tm_min, tm.tm_sec,
		 (uint64_t)(ev->ts % 1000000000ULL));
	return fv_str(v, v->buf);
}

int fx_evt_latency(udig_capture *c, const struct udig_evt *ev, const struct udig_field *f, struct udig_field_value *v)
{
	UNUSED(f);
	const struct udig_event_info *info = udig_event_info(ev->type);
	if (info && (info->category & UDIG_EC_INTERNAL))
		return 0;
	/* libsinsp: the time since the thread's last enter, 0 for enters */
	struct thread_entry *te = fields_thread(c, ev);
	uint64_t lat = 0;
	if (te && te->enter && !udig_event_is_enter(ev->type) && ev->ts >= te->enter->ev.ts)
		lat = ev->ts - te->enter->ev.ts;
	return fv_u64(v, lat);
}

int fx_evt_dir(udig_capture *c, const struct udig_evt *ev, const struct udig_field *f, struct udig_field_value *v)
{
	UNUSED(c), UNUSED(f);
	return fv_str(v, udig_event_is_enter(ev->type) ? ">" : "<");
}

int fx_evt_type(udig_capture *c, const struct udig_evt *ev, const struct udig_field *f, struct udig_field_value *v)
{
	UNUSED(c), UNUSED(f);
	return fv_str(v, format_evt_type(ev));
}

static const char *const categories[] = {
	[UDIG_EC_UNKNOWN] = "unknown", [UDIG_EC_OTHER] = "other",     [UDIG_EC_FILE] = "file",
	[UDIG_EC_NET] = "net",         [UDIG_EC_IPC] = "IPC",         [UDIG_EC_MEMORY] = "memory",
	[UDIG_EC_PROCESS] = "process", [UDIG_EC_SLEEP] = "sleep",     [UDIG_EC_SYSTEM] = "system",
	[UDIG_EC_SIGNAL] = "signal",   [UDIG_EC_USER] = "user",       [UDIG_EC_TIME] = "time",
	[UDIG_EC_PROCESSING] = "processing",
};

/* I/O events take their category from the fd they work on. */
static const char *io_category(udig_capture *c, const struct udig_evt *ev)
{
	int64_t fd;
	const struct udig_fdinfo *fi = state_evt_fdinfo(c, ev, &fd);
	if (!fi)
		return "unknown";
	switch (fi->type) {
	case UDIG_FD_FILE: case UDIG_FD_FILE_V2: case UDIG_FD_DIRECTORY: return "file";
	case UDIG_FD_IPV4_SOCK: case UDIG_FD_IPV6_SOCK: case UDIG_FD_IPV4_SERVSOCK: case UDIG_FD_IPV6_SERVSOCK:
		return "net";
	case UDIG_FD_FIFO: case UDIG_FD_UNIX_SOCK: case UDIG_FD_EVENT: case UDIG_FD_SIGNALFD: case UDIG_FD_INOTIFY:
		return "ipc";
	}
	return "unknown";
}

int fx_evt_category(udig_capture *c, const struct udig_evt *ev, const struct udig_field *f,
		    struct udig_field_value *v)
{
	UNUSED(f);
	unsigned cat;
	if (ev->type == UEV_GENERIC_E || ev->type == UEV_GENERIC_X) {
		uint16_t sc = (uint16_t)udig_evt_uint(ev, 0, 0);
		cat = sc < USC_MAX ? udig_syscall_info_table[sc].category : UDIG_EC_UNKNOWN;
	} else {
		const struct udig_event_info *info = udig_event_info(ev->type);
		cat = info ? info->category : UDIG_EC_UNKNOWN;
	}
	if (cat & UDIG_EC_IO_BASE)
		return fv_str(v, io_category(c, ev));
	if (cat == UDIG_EC_WAIT)
		return fv_str(v, "wait");
	if (cat == UDIG_EC_SCHEDULER)
		return fv_str(v, "scheduler");
	return fv_str(v, cat < sizeof categories / sizeof categories[0] && categories[cat] ? categories[cat] : "unknown");
}

int fx_evt_cpu(udig_capture *c, const struct udig_evt *ev, const struct udig_field *f, struct udig_field_value *v)
{
	UNUSED(c), UNUSED(f);
	return fv_i64(v, (int16_t)ev->cpu);
}

int fx_evt_args(udig_capture *c, const struct udig_evt *ev, const struct udig_field *f, struct udig_field_value *v)
{
	struct fmtbuf b;
	fb_init(&b);
	format_args_sb(c, ev, &b, &f->render);
	if (b.oom) {
		fb_free(&b);
		return 0;
	}
	return fv_owned(v, b.p); /* the buffer is malloc'ed: handed over */
}

/* One parameter as libsinsp shows it alone: its resolved text if any. */
int fx_evt_arg(udig_capture *c, const struct udig_evt *ev, const struct udig_field *f, struct udig_field_value *v)
{
	const struct udig_event_info *info = udig_event_info(ev->type);
	if (!info)
		return 0;
	int64_t i = f->index;
	if (f->argname) {
		i = -1;
		for (uint32_t k = 0; k < ev->nvals && k < info->nparams; k++)
			if (!strcmp(info->params[k].name, f->argname)) {
				i = k;
				break;
			}
	}
	if (i < 0 || i >= (int64_t)ev->nvals)
		return 0;
	return fv_param(c, ev, (unsigned)i, &f->render, v);
}

/* The index of the parameter named `name`, or -1. */
static int param_named(const struct udig_evt *ev, const char *name)
{
	const struct udig_event_info *info = udig_event_info(ev->type);
	for (uint32_t k = 0; info && k < ev->nvals && k < info->nparams; k++)
		if (!strcmp(info->params[k].name, name))
			return (int)k;
	return -1;
}

/* The return value sysdig sees: "res", or "fd" of an fd-creating exit. */
static int result_param(const struct udig_evt *ev)
{
	int i = param_named(ev, "res");
	if (i >= 0)
		return i;
	const struct udig_event_info *info = udig_event_info(ev->type);
	if (info && (info->flags & UDIG_EF_CREATES_FD) && !udig_event_is_enter(ev->type))
		return param_named(ev, "fd");
	return -1;
}

int fx_evt_buflen(udig_capture *c, const struct udig_evt *ev, const struct udig_field *f, struct udig_field_value *v)
{
	UNUSED(f);
	const struct udig_event_info *info = udig_event_info(ev->type);
	int64_t fd;
	if (!info || !(info->category & UDIG_EC_IO_BASE) || udig_event_is_enter(ev->type) || ev->nvals == 0 ||
	    !state_evt_fdinfo(c, ev, &fd))
		return 0;
	int64_t res = udig_evt_int(ev, 0, -1);
	return res >= 0 ? fv_u64(v, (uint64_t)res) : 0;
}

int fx_evt_res(udig_capture *c, const struct udig_evt *ev, const struct udig_field *f, struct udig_field_value *v)
{
	UNUSED(f);
	int i = result_param(ev);
	if (i < 0)
		return 0;
	if (udig_evt_int(ev, (unsigned)i, 0) >= 0)
		return fv_str(v, "SUCCESS");
	struct fmtbuf val, rs;
	fb_init(&val);
	fb_init(&rs);
	format_param(c, ev, (unsigned)i, &val, &rs, NULL);
	snprintf(v->buf, sizeof v->buf, "%s", rs.len ? rs.p : val.p);
	fb_free(&val);
	fb_free(&rs);
	return fv_str(v, v->buf);
}

int fx_evt_rawres(udig_capture *c, const struct udig_evt *ev, const struct udig_field *f, struct udig_field_value *v)
{
	UNUSED(c), UNUSED(f);
	int i = result_param(ev);
	return i < 0 ? 0 : fv_i64(v, udig_evt_int(ev, (unsigned)i, 0));
}

int fx_evt_failed(udig_capture *c, const struct udig_evt *ev, const struct udig_field *f, struct udig_field_value *v)
{
	UNUSED(c), UNUSED(f);
	int i = result_param(ev);
	return fv_bool(v, i >= 0 && udig_evt_int(ev, (unsigned)i, 0) < 0);
}

static int has_flag(const struct udig_evt *ev, unsigned flags)
{
	const struct udig_event_info *info = udig_event_info(ev->type);
	return info && (info->flags & flags);
}

int fx_evt_is_io(udig_capture *c, const struct udig_evt *ev, const struct udig_field *f, struct udig_field_value *v)
{
	UNUSED(c), UNUSED(f);
	return fv_bool(v, has_flag(ev, UDIG_EF_READS_FROM_FD | UDIG_EF_WRITES_TO_FD));
}

int fx_evt_is_io_read(udig_capture *c, const struct udig_evt *ev, const struct udig_field *f,
		      struct udig_field_value *v)
{
	UNUSED(c), UNUSED(f);
	return fv_bool(v, has_flag(ev, UDIG_EF_READS_FROM_FD));
}

int fx_evt_is_io_write(udig_capture *c, const struct udig_evt *ev, const struct udig_field *f,
		       struct udig_field_value *v)
{
	UNUSED(c), UNUSED(f);
	return fv_bool(v, has_flag(ev, UDIG_EF_WRITES_TO_FD));
}

int fx_evt_is_wait(udig_capture *c, const struct udig_evt *ev, const struct udig_field *f, struct udig_field_value *v)
{
	UNUSED(c), UNUSED(f);
	return fv_bool(v, has_flag(ev, UDIG_EF_WAITS));
}
