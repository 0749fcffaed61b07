/*
 * The filter fields, one extractor each, with sysdig's meaning:
 * evt.type is the name sysdig prints, fd.* refer to the fd the event is
 * about (an exit's from its enter, a created fd from the exit), evt.res is
 * "SUCCESS" or the errno name, evt.failed is true/false.
 */
#include <stdlib.h>
#include <string.h>
#include "filter-int.h"
#include "format-int.h"
#include "state-int.h"

/* Threads the capture never described still exist (pid = tid), as in
 * libsinsp, so proc.* checks see them. */
static struct thread_entry *thread_of(udig_capture *c, const struct udig_evt *ev)
{
	return tables_thread_get(&c->tables, (int64_t)ev->tid);
}

/* The return value of an exit event: parameter 0 when it is res/fd. */
static int result_of(const struct udig_evt *ev, int64_t *res)
{
	const struct udig_event_info *info = udig_event_info(ev->type);
	if (!info || udig_event_is_enter(ev->type) || ev->nvals == 0)
		return 0;
	uint8_t t = info->params[0].type;
	/* any integer result counts (mmap's UINT64 res fails when negative) */
	if (t != UDIG_PT_ERRNO && t != UDIG_PT_FD && t != UDIG_PT_PID && t != UDIG_PT_UINT64 && t != UDIG_PT_INT64)
		return 0;
	if (strcmp(info->params[0].name, "res") && strcmp(info->params[0].name, "fd"))
		return 0;
	*res = udig_evt_int(ev, 0, 0);
	return 1;
}

/* Exits whose parser takes the fd from a parameter of their own, or whose
 * result is a new fd (the last one made, for pairs): libsinsp's
 * "last event fd" then names it. */
static const struct {
	uint16_t type;
	uint8_t param;
} exit_fd_params[] = {
	{ UEV_SOCKET_GETSOCKOPT_X, 1 }, { UEV_SYSCALL_PIPE_X, 2 }, { UEV_SOCKET_SOCKETPAIR_X, 2 },
	{ UEV_SYSCALL_DUP_X, 0 },
};

static int64_t fd_of(udig_capture *c, const struct udig_evt *ev)
{
	int64_t res;
	for (size_t i = 0; i < sizeof exit_fd_params / sizeof exit_fd_params[0]; i++)
		if (exit_fd_params[i].type == ev->type) {
			if (ev->type != UEV_SOCKET_GETSOCKOPT_X && udig_evt_int(ev, 0, -1) < 0)
				break;
			return udig_evt_int(ev, exit_fd_params[i].param, -1);
		}
	if (ev->type == UEV_SYSCALL_FCNTL_X && (res = udig_evt_int(ev, 0, -1)) >= 0) {
		struct udig_evt enter;
		const struct udig_evt *en = state_enter_of(c, ev, &enter);
		uint64_t cmd = en ? udig_evt_uint(en, 1, 0) : 0;
		if (cmd == UDIG_F_DUPFD || cmd == UDIG_F_DUPFD_CLOEXEC)
			return res;
	}
	const struct udig_event_info *info = udig_event_info(ev->type);
	if (info && (info->flags & UDIG_EF_CREATES_FD) && result_of(ev, &res) && res >= 0)
		return res;
	return udig_evt_fd(c, ev);
}

/* A failed open has no fd; fd.name is then the path it tried, resolved. */
static const struct {
	uint16_t type;
	uint8_t name, dirfd; /* dirfd 0xff: relative to the cwd */
} open_exits[] = {
	{ UEV_SYSCALL_OPEN_X, 1, 0xff }, { UEV_SYSCALL_CREAT_X, 1, 0xff },
	{ UEV_SYSCALL_OPENAT_2_X, 2, 1 }, { UEV_SYSCALL_OPENAT2_X, 2, 1 },
};

static int failed_open_name(udig_capture *c, const struct udig_evt *ev, struct filter_value *v)
{
	struct thread_entry *te = thread_of(c, ev);
	for (size_t i = 0; te && i < sizeof open_exits / sizeof open_exits[0]; i++) {
		if (open_exits[i].type != ev->type)
			continue;
		const char *name = udig_evt_str(ev, open_exits[i].name);
		if (!name)
			return 0;
		char *base = open_exits[i].dirfd == 0xff ? strdup(te->ti.cwd)
			: path_dirfd_base(c, te, udig_evt_int(ev, open_exits[i].dirfd, UDIG_AT_FDCWD));
		char *full = base ? path_join(base, name) : NULL;
		free(base);
		if (!full)
			return 0;
		v->alloc = full; /* freed by the caller after the check */
		v->str = full;
		return 1;
	}
	return 0;
}

static int x_type(udig_capture *c, const struct udig_evt *ev, struct filter_value *v)
{
	(void)c;
	v->str = format_evt_type(ev);
	return 1;
}

static int x_dir(udig_capture *c, const struct udig_evt *ev, struct filter_value *v)
{
	(void)c;
	v->str = udig_event_is_enter(ev->type) ? ">" : "<";
	return 1;
}

static int x_num(udig_capture *c, const struct udig_evt *ev, struct filter_value *v)
{
	(void)c;
	v->num = (int64_t)ev->num;
	return 1;
}

static int x_pname(udig_capture *c, const struct udig_evt *ev, struct filter_value *v)
{
	struct thread_entry *te = thread_of(c, ev);
	if (!te)
		return 0;
	v->str = te->ti.comm;
	return 1;
}

static int x_pid(udig_capture *c, const struct udig_evt *ev, struct filter_value *v)
{
	struct thread_entry *te = thread_of(c, ev);
	if (!te)
		return 0;
	v->num = te->ti.pid;
	return 1;
}

static int x_ppid(udig_capture *c, const struct udig_evt *ev, struct filter_value *v)
{
	struct thread_entry *te = thread_of(c, ev);
	if (!te)
		return 0;
	/* the parent of the process: its main thread's parent */
	struct thread_entry *main = tables_thread_get(&c->tables, te->ti.pid);
	v->num = main ? main->ti.ptid : te->ti.ptid;
	return 1;
}

static int x_tid(udig_capture *c, const struct udig_evt *ev, struct filter_value *v)
{
	(void)c;
	v->num = (int64_t)ev->tid;
	return 1;
}

static int x_fdnum(udig_capture *c, const struct udig_evt *ev, struct filter_value *v)
{
	int64_t fd = fd_of(c, ev);
	if (fd < 0)
		return 0;
	v->num = fd;
	return 1;
}

static int x_fdname(udig_capture *c, const struct udig_evt *ev, struct filter_value *v)
{
	int64_t fd = fd_of(c, ev);
	const struct udig_fdinfo *fi = fd >= 0 ? udig_get_fd(c, (int64_t)ev->tid, fd) : NULL;
	if (!fi)
		return failed_open_name(c, ev, v);
	v->str = fi->name;
	return 1;
}

static int x_res(udig_capture *c, const struct udig_evt *ev, struct filter_value *v)
{
	int64_t res;
	if (!result_of(ev, &res))
		return 0;
	if (res >= 0) {
		v->str = "SUCCESS";
		return 1;
	}
	/* the errno name sysdig resolves, else the value as it prints it */
	struct fmtbuf val, rs;
	fb_init(&val);
	fb_init(&rs);
	format_param(c, ev, 0, &val, &rs, 0);
	snprintf(v->buf, sizeof v->buf, "%s", rs.len ? rs.p : val.p);
	v->str = v->buf;
	fb_free(&val);
	fb_free(&rs);
	return 1;
}

static int x_failed(udig_capture *c, const struct udig_evt *ev, struct filter_value *v)
{
	(void)c;
	int64_t res;
	v->str = (result_of(ev, &res) && res < 0) ? "true" : "false";
	return 1;
}

static const struct filter_field fields[] = {
	{ "evt.type", 0, x_type },   { "evt.dir", 0, x_dir },     { "evt.num", 1, x_num },
	{ "proc.name", 0, x_pname }, { "proc.pid", 1, x_pid },    { "thread.tid", 1, x_tid },
	{ "proc.ppid", 1, x_ppid },  { "fd.num", 1, x_fdnum },    { "fd.name", 0, x_fdname },
	{ "evt.res", 0, x_res },     { "evt.failed", 0, x_failed },
};

const struct filter_field *filter_field_find(const char *name)
{
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
		if (!strcmp(fields[i].name, name))
			return &fields[i];
	return NULL;
}
