/* The capture handle: dispatch to the source, numbering, state, statistics. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "capture-int.h"
#include "evt-int.h"
#include "state/state-int.h"

udig_capture *capture_alloc(const struct udig_source_ops *ops, void *src)
{
	udig_capture *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	c->ops = ops;
	c->src = src;
	c->parse_state = 1;
	c->self_pid = -1;
	tables_init(&c->tables);
	return c;
}

void capture_seterr(udig_capture *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->err, sizeof c->err, fmt, ap);
	va_end(ap);
}

udig_capture *udig_open_file(const char *path, char *err)
{
	if (!path) {
		udig_errf(err, "no capture file name");
		return NULL;
	}
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		udig_errf(err, "can't open %s: %s", path, strerror(errno));
		return NULL;
	}
	return scap_file_open(fd, path, err);
}

udig_capture *udig_open_fd(int fd, char *err)
{
	if (fd < 0) {
		udig_errf(err, "invalid file descriptor %d", fd);
		return NULL;
	}
	return scap_file_open(fd, NULL, err);
}

udig_capture *udig_open_live(const struct udig_live_opts *opts, char *err)
{
	struct udig_live_opts dflt;
	if (!opts) {
		memset(&dflt, 0, sizeof dflt);
		opts = &dflt;
	}
	return ring_live_open(opts, err);
}

void capture_scan(udig_capture *c)
{
	char why[UDIG_ERRBUF_SIZE];
	if (c->scan_line_of > 0)
		(void)procscan_ancestry(&c->tables, c->scan_line_of, why);
	else
		(void)procscan_threads(&c->tables, why);
}

/* Only events newer than the open are in the ring for the caller's
 * descendants (started after it): the scan leaves them out, so that the
 * table is what it would have been had it been made at the open, and their
 * fork, exec and every later change come from their events, as for any
 * process started after a scan. */
void capture_scan_late(udig_capture *c)
{
	if (!c->scan_pending)
		return;
	c->scan_pending = 0;
	capture_scan(c);
	procscan_drop_descendants(&c->tables, c->self_pid);
}

uint64_t capture_mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* A record udig_evt_parse() rejects: counted and skipped (returns 0) or
 * reported (the error code).  Out of line: the per-event path needs no
 * message buffer. */
static __attribute__((noinline)) int bad_record(udig_capture *c, const uint8_t *rec, uint32_t len,
						struct udig_evt *ev)
{
	char why[UDIG_ERRBUF_SIZE];
	if (c->ops->skip_invalid) {
		c->stats.drops_invalid++;
		return 0;
	}
	udig_evt_parse(rec, len, ev, why);
	capture_seterr(c, "malformed event %llu: %s", (unsigned long long)c->stats.events + 1, why);
	return UDIG_ILLEGAL_INPUT;
}

/* Is ev a procexit for a thread whose last event was its procexit?  Keeps
 * udig_capture.exited up to date for every event. */
static inline int told_twice(udig_capture *c, const struct udig_evt *ev)
{
	uint64_t *set = c->exited[ev->tid & (CAPTURE_EXITED_SETS - 1)], key = ev->tid + 1;
	int procexit = ev->type == UEV_PROCEXIT_1_E || ev->type == UEV_PROCEXIT_E;
	int way = set[0] == key ? 0 : set[1] == key ? 1 : -1;

	if (__builtin_expect(way >= 0, 0)) {
		if (procexit)
			return 1;
		set[way] = 0;
	}
	if (procexit) {
		set[1] = set[0];
		set[0] = key;
	}
	return 0;
}

/* A fatal signal ends every thread of a process, and so does a successful
 * execve (all but the one that called it), and the drivers write a
 * procexit for each.  The preload engine cannot: a process killed from
 * outside runs nothing of ours, its reaper knows the process, not its
 * threads, and the threads an execve ends run nothing of ours either.  A
 * live consumer knows them from the events: on such an end it ends every
 * other thread of the group its tables hold that has not ended — with a
 * copy of the record that told a death by signal, or, after an execve, an
 * end with status 0 (the kernel's do_group_exit gives the threads an exec
 * kills exit code 0, as the ptrace engine sees them end).
 * The engines that see each thread's end (the tracers) have written those
 * already, and their tables no longer hold them.  Files are left as they
 * were recorded. */
static __attribute__((noinline)) void group_end(udig_capture *c, const struct udig_evt *ev)
{
	uint64_t v = 0, pid = 0;
	struct thread_entry *me = tables_thread_get(&c->tables, (int64_t)ev->tid), *te, *tmp;
	if (ev->type == UEV_PROCEXIT_1_E) {
		if (!me || !evt_int_param(ev, 2, &v) || v == 0 || ev->len > sizeof c->ends.rec)
			return; /* not a death by signal */
		pid = (uint64_t)me->ti.pid;
	} else if (!evt_int_param(ev, 0, &v) || v != 0 || !evt_int_param(ev, 4, &pid)) {
		return; /* a failed execve */
	}
	/* (after an execve the process's id is its own: the leader's end,
	 * told before it by a tracer, may have taken the entry already) */
	if ((int64_t)pid <= 0)
		return;
	c->ends.n = 0;
	HASH_ITER(hh, c->tables.threads, te, tmp) {
		if (te == me || te->exited || te->ti.pid != (int64_t)pid || te->ti.tid == (int64_t)ev->tid)
			continue;
		if (c->ends.n == c->ends.cap) {
			size_t cap = c->ends.cap ? c->ends.cap * 2 : 16;
			int64_t *t = realloc(c->ends.tids, cap * sizeof *t);
			if (!t)
				break; /* the threads we could not list stay as they are */
			c->ends.tids = t;
			c->ends.cap = cap;
		}
		c->ends.tids[c->ends.n++] = te->ti.tid;
	}
	if (!c->ends.n)
		return;
	if (ev->type == UEV_PROCEXIT_1_E) {
		memcpy(c->ends.rec, ev->raw, ev->len);
		c->ends.len = ev->len;
		return;
	}
	/* procexit: status, ret (ERRNO, 8 bytes each), sig, core (1 byte each) */
	static const uint16_t lens[4] = { 8, 8, 1, 1 };
	struct udig_evt_hdr h = { ev->ts, 0, UDIG_HDR_SIZE + sizeof lens + 18, UEV_PROCEXIT_1_E, 4 };
	int64_t status = 0, ret = 0;
	uint8_t *p = c->ends.rec;
	memcpy(p, &h, UDIG_HDR_SIZE);
	memcpy(p + UDIG_HDR_SIZE, lens, sizeof lens);
	p += UDIG_HDR_SIZE + sizeof lens;
	memcpy(p, &status, 8);
	memcpy(p + 8, &ret, 8);
	p[16] = 0; /* sig */
	p[17] = 0; /* core */
	c->ends.len = h.len;
}

/* The per-event path of udig_next and udig_next_wait, inlined into both.
 * The source writes cpu and dump flags straight into *ev (whatever it
 * leaves there for a record that is then skipped is overwritten by the
 * next one, and *ev means nothing unless UDIG_OK is returned). */
static inline int next_event(udig_capture *c, struct udig_evt *ev, int timeout_ms)
{
	for (;;) {
		const uint8_t *rec;
		uint32_t len;
		int rc, made = 0;
		if (__builtin_expect(c->ends.n != 0, 0)) {
			uint64_t tid = (uint64_t)c->ends.tids[--c->ends.n];
			memcpy(c->ends.rec + 8, &tid, sizeof tid);
			rec = c->ends.rec;
			len = c->ends.len;
			made = 1;
			ev->cpu = 0;
			ev->dump_flags = 0;
		} else if (!(c->win.p && evt_window_take(&c->win, &rec, &len, &ev->cpu, &ev->dump_flags))) {
			ev->cpu = 0;
			ev->dump_flags = 0;
			if ((rc = c->ops->next(c, &rec, &len, &ev->cpu, &ev->dump_flags, timeout_ms)) != UDIG_OK)
				return rc;
		}
		if (__builtin_expect(evt_parse(rec, len, ev, NULL) != UDIG_OK, 0)) {
			if ((rc = bad_record(c, rec, len, ev)) != 0)
				return rc;
			continue;
		}
		/* Types newer than our table are skipped, as the reference does. */
		if (ev->type >= UDIG_EVENT_MAX)
			continue;
		if (c->self_pid > 0 && (int64_t)ev->tid == c->self_pid)
			continue;
		if (__builtin_expect(told_twice(c, ev), 0))
			continue;
		if (__builtin_expect(ev->type == UEV_PROCEXIT_1_E || ev->type == UEV_SYSCALL_EXECVE_19_X ||
					     ev->type == UEV_SYSCALL_EXECVEAT_X, 0) && c->lookup && !made)
			group_end(c, ev);
		ev->num = ++c->stats.events;
		c->stats.bytes += ev->len;
		if (c->parse_state)
			state_apply_fast(c, ev);
		return UDIG_OK;
	}
}

int udig_next_wait(udig_capture *c, struct udig_evt *ev, int timeout_ms)
{
	return next_event(c, ev, timeout_ms);
}

int udig_next(udig_capture *c, struct udig_evt *ev)
{
	return next_event(c, ev, -1);
}

int udig_break_wait(udig_capture *c)
{
	if (!c)
		return UDIG_ILLEGAL_INPUT;
	__atomic_store_n(&c->break_wait, 1, __ATOMIC_RELEASE);
	if (c->ops->wake)
		c->ops->wake(c);
	return UDIG_OK;
}

const char *udig_geterr(const udig_capture *c)
{
	return c ? c->err : "no capture";
}

void udig_close(udig_capture *c)
{
	if (!c)
		return;
	if (c->ops && c->ops->close)
		c->ops->close(c);
	proc_lookup_free(c->lookup);
	free(c->ends.tids);
	udig_format_free(c->json_default);
	tables_free(&c->tables);
	free(c->path.p);
	free(c);
}

#define OPTIONAL_OP(call, ...)                                                        \
	do {                                                                          \
		if (!c->ops->call) {                                                  \
			capture_seterr(c, "%s captures do not support " #call, c->ops->name); \
			return UDIG_NOT_SUPPORTED;                                    \
		}                                                                     \
		return c->ops->call(c, ##__VA_ARGS__);                                \
	} while (0)

int udig_start(udig_capture *c) { OPTIONAL_OP(start); }
int udig_stop(udig_capture *c) { OPTIONAL_OP(stop); }
int udig_live_set_snaplen(udig_capture *c, uint32_t snaplen) { OPTIONAL_OP(set_snaplen, snaplen); }
int udig_set_eventmask(udig_capture *c, uint16_t type, int enabled) { OPTIONAL_OP(set_eventmask, type, enabled); }

int udig_restart_capture(udig_capture *c)
{
	if (!c)
		return UDIG_ILLEGAL_INPUT;
	OPTIONAL_OP(restart);
}

int udig_max_buf_used(udig_capture *c, uint64_t *peak, uint64_t *now)
{
	if (!c)
		return UDIG_ILLEGAL_INPUT;
	if (!peak) {
		capture_seterr(c, "udig_max_buf_used: peak must not be NULL");
		return UDIG_ILLEGAL_INPUT;
	}
	if (!c->ops->buf_used) {
		capture_seterr(c, "%s captures have no buffer whose fill could be measured", c->ops->name);
		return UDIG_NOT_SUPPORTED;
	}
	return c->ops->buf_used(c, peak, now);
}

int udig_get_stats(const udig_capture *c, struct udig_stats *st)
{
	*st = c->stats;
	if (c->ops->stats)
		c->ops->stats(c, st);
	return UDIG_OK;
}

int udig_is_live(const udig_capture *c)
{
	return c->ops->start != NULL;
}

const struct udig_machine_info *udig_get_machine_info(const udig_capture *c)
{
	return c->tables.have_machine ? &c->tables.machine : NULL;
}

const struct udig_threadinfo *udig_get_thread(const udig_capture *c, int64_t tid)
{
	struct thread_entry *te = tables_thread_get(&c->tables, tid);
	return te ? &te->ti : NULL;
}

const struct udig_fdinfo *udig_get_fd(const udig_capture *c, int64_t tid, int64_t fd)
{
	struct fd_entry *f = tables_fd_get(&c->tables, tid, fd);
	return f ? &f->fi : NULL;
}

const struct udig_user *udig_get_user(const udig_capture *c, uint32_t uid)
{
	struct user_entry *e;
	HASH_FIND(hh, c->tables.users, &uid, sizeof uid, e);
	return e ? &e->u : NULL;
}

const struct udig_group *udig_get_group(const udig_capture *c, uint32_t gid)
{
	struct group_entry *e;
	HASH_FIND(hh, c->tables.groups, &gid, sizeof gid, e);
	return e ? &e->g : NULL;
}

size_t udig_foreach_thread(const udig_capture *c, int (*cb)(const struct udig_threadinfo *, void *), void *arg)
{
	struct thread_entry *te, *tmp;
	size_t n = 0;
	HASH_ITER(hh, c->tables.threads, te, tmp) {
		n++;
		if (cb(&te->ti, arg))
			break;
	}
	return n;
}

size_t udig_foreach_fd(const udig_capture *c, int64_t tid, int (*cb)(const struct udig_fdinfo *, void *), void *arg)
{
	struct thread_entry *te = tables_thread_get(&c->tables, tid);
	struct fd_entry *f, *tmp;
	size_t n = 0;
	if (!te)
		return 0;
	HASH_ITER(hh, te->fds, f, tmp) {
		n++;
		if (cb(&f->fi, arg))
			break;
	}
	return n;
}

size_t udig_foreach_user(const udig_capture *c, int (*cb)(const struct udig_user *, void *), void *arg)
{
	struct user_entry *e, *tmp;
	size_t n = 0;
	HASH_ITER(hh, c->tables.users, e, tmp) {
		n++;
		if (cb(&e->u, arg))
			break;
	}
	return n;
}

size_t udig_foreach_group(const udig_capture *c, int (*cb)(const struct udig_group *, void *), void *arg)
{
	struct group_entry *e, *tmp;
	size_t n = 0;
	HASH_ITER(hh, c->tables.groups, e, tmp) {
		n++;
		if (cb(&e->g, arg))
			break;
	}
	return n;
}

size_t udig_foreach_iface4(const udig_capture *c, int (*cb)(const struct udig_iface4 *, void *), void *arg)
{
	size_t i;
	for (i = 0; i < c->tables.n_if4; i++)
		if (cb(&c->tables.if4[i], arg))
			return i + 1;
	return i;
}

size_t udig_foreach_iface6(const udig_capture *c, int (*cb)(const struct udig_iface6 *, void *), void *arg)
{
	size_t i;
	for (i = 0; i < c->tables.n_if6; i++)
		if (cb(&c->tables.if6[i], arg))
			return i + 1;
	return i;
}
