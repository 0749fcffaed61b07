/*
 * The state engine: applies each event to the thread and fd tables the way
 * libsinsp's parsers do, so that formatters and filters see what sysdig
 * sees.  This file holds the dispatch and the process life cycle (clone,
 * execve, procexit, cwd/root, credentials); fd-creating events live in
 * state/fd.c.  Failed syscalls change nothing.
 */
#include <stdlib.h>
#include <string.h>
#include "state-int.h"
#include "../evt-int.h"

const struct udig_evt *state_enter_of(const udig_capture *c, const struct udig_evt *ev, struct udig_evt *enter)
{
	(void)enter; /* the thread's own copy is returned: it lives as long as the event */
	if (udig_event_is_enter(ev->type))
		return NULL;
	return state_thread_enter(tables_thread_get(&c->tables, (int64_t)ev->tid), ev);
}

const struct udig_fdinfo *state_evt_fdinfo(const udig_capture *c, const struct udig_evt *ev, int64_t *fdp)
{
	int64_t fd = udig_evt_fd(c, ev);
	if (fdp)
		*fdp = fd;
	if (fd < 0)
		return NULL;
	return udig_get_fd(c, (int64_t)ev->tid, fd);
}

static inline void flush_pending(udig_capture *c)
{
	if (c->pending.has_close) {
		tables_fd_remove(&c->tables, c->pending.close_tid, c->pending.close_fd);
		c->pending.has_close = 0;
	}
	if (c->pending.has_exit) {
		tables_thread_remove(&c->tables, c->pending.exit_tid);
		c->pending.has_exit = 0;
	}
}

void state_flush_pending(udig_capture *c)
{
	flush_pending(c);
}

/* An entry for a tid the capture never described: libsinsp creates one so
 * that fds opened by the thread can still be named; it prints as <NA>. */
static struct thread_entry *placeholder_thread(udig_capture *c, int64_t tid)
{
	struct udig_threadinfo ti;
	memset(&ti, 0, sizeof ti);
	ti.tid = tid;
	ti.pid = tid;
	ti.ptid = -1;
	ti.vtid = tid;
	ti.vpid = tid;
	ti.comm = "<NA>";
	ti.exe = "<NA>";
	ti.cwd = ""; /* libsinsp's fake entry has none: relative names stay relative */
	ti.loginuid = -1;
	ti.uid = ti.gid = UINT32_MAX;
	return tables_thread_add(&c->tables, &ti);
}

/* A tid the table does not know.  Live, it is a thread that started after
 * the /proc scan (the first image of `udig run`'s command, a process forked
 * by an untraced parent): /proc knows it while it runs, so ask there first,
 * as libsinsp does.  Files describe another moment, maybe another machine:
 * never.  The child side of a clone does not come here: its event carries
 * the thread's data itself. */
static struct thread_entry *unknown_thread(udig_capture *c, int64_t tid)
{
	struct thread_entry *te = c->lookup ? proc_lookup_thread(c, tid) : NULL;
	return te ? te : placeholder_thread(c, tid);
}

static int64_t param_int(const struct udig_evt *ev, unsigned i, int64_t dflt)
{
	return evt_int(ev, i, dflt);
}

static void set_str_param(char **field, const struct udig_evt *ev, unsigned i)
{
	const char *s = evt_str(ev, i);
	if (s)
		tables_set_str(field, s, strlen(s));
}

static void set_blob_param(struct udig_blob *field, const struct udig_evt *ev, unsigned i)
{
	if (i < ev->nvals)
		tables_set_blob(field, (const char *)ev->val[i], ev->vlen[i]);
}

/* clone/fork/vfork/clone3 exit parameter positions */
enum { CL_RES, CL_EXE, CL_ARGS, CL_TID, CL_PID, CL_PTID, CL_CWD, CL_FDLIMIT, CL_PGFT_MAJ, CL_PGFT_MIN,
       CL_VMSIZE, CL_VMRSS, CL_VMSWAP, CL_COMM, CL_CGROUPS, CL_FLAGS, CL_UID, CL_GID, CL_VTID, CL_VPID };

/* Fills the child's descriptor from a clone exit; `parent` (may be NULL)
 * supplies what the event does not carry (cwd when empty, exepath, root). */
static void child_from_clone(struct udig_threadinfo *ti, const struct udig_evt *ev, int64_t tid,
			     const struct thread_entry *parent)
{
	uint32_t flags = (uint32_t)evt_uint(ev, CL_FLAGS, 0);
	memset(ti, 0, sizeof *ti);
	ti->tid = tid;
	ti->pid = (flags & UDIG_CLONE_THREAD) ? param_int(ev, CL_PID, tid) : tid;
	ti->ptid = (flags & UDIG_CLONE_THREAD) ? (parent ? parent->ti.ptid : param_int(ev, CL_PTID, -1))
					    : param_int(ev, CL_PTID, -1);
	ti->comm = (char *)(evt_str(ev, CL_COMM) ? evt_str(ev, CL_COMM) : "");
	ti->exe = (char *)(evt_str(ev, CL_EXE) ? evt_str(ev, CL_EXE) : "");
	ti->exepath = parent ? parent->ti.exepath : ti->exe;
	/* libsinsp takes the cwd from the parent it knows, else from the event */
	const char *cwd = evt_str(ev, CL_CWD);
	ti->cwd = (char *)(parent ? parent->ti.cwd : (cwd && cwd[0]) ? cwd : "/");
	ti->root = parent ? parent->ti.root : "/";
	if (CL_ARGS < ev->nvals)
		ti->args = (struct udig_blob){ (char *)ev->val[CL_ARGS], ev->vlen[CL_ARGS] };
	if (CL_CGROUPS < ev->nvals)
		ti->cgroups = (struct udig_blob){ (char *)ev->val[CL_CGROUPS], ev->vlen[CL_CGROUPS] };
	if (parent)
		ti->env = parent->ti.env;
	ti->fdlimit = param_int(ev, CL_FDLIMIT, 0);
	ti->pfmajor = evt_uint(ev, CL_PGFT_MAJ, 0);
	ti->pfminor = evt_uint(ev, CL_PGFT_MIN, 0);
	ti->vmsize_kb = (uint32_t)evt_uint(ev, CL_VMSIZE, 0);
	ti->vmrss_kb = (uint32_t)evt_uint(ev, CL_VMRSS, 0);
	ti->vmswap_kb = (uint32_t)evt_uint(ev, CL_VMSWAP, 0);
	ti->flags = flags;
	ti->uid = (uint32_t)evt_uint(ev, CL_UID, 0);
	ti->gid = (uint32_t)evt_uint(ev, CL_GID, 0);
	ti->vtid = param_int(ev, CL_VTID, tid);
	ti->vpid = param_int(ev, CL_VPID, ti->pid);
	ti->sid = parent ? parent->ti.sid : 0;
	ti->vpgid = parent ? parent->ti.vpgid : 0;
	ti->loginuid = parent ? parent->ti.loginuid : -1;
	ti->tty = parent ? parent->ti.tty : 0;
	/* the clone exit that makes the entry, the parent's or the child's */
	ti->clone_ts = ev->ts;
}

/* Creates the child and gives it its fds: threads share the process table
 * (nothing to do), processes get a copy of the parent's. */
static void add_child(udig_capture *c, const struct udig_threadinfo *ti, int64_t parent_tid, uint32_t extra_flags)
{
	struct thread_entry *child = tables_thread_add(&c->tables, ti);
	if (!child)
		return;
	child->ti.flags |= extra_flags;
	if (!(ti->flags & UDIG_CLONE_THREAD) && parent_tid >= 0)
		tables_fd_copy(&c->tables, parent_tid, ti->tid);
}

static void on_clone_exit(udig_capture *c, struct thread_entry *te, const struct udig_evt *ev,
			  const struct udig_evt *enter)
{
	(void)enter;
	int64_t res = param_int(ev, CL_RES, -1);
	uint32_t flags = (uint32_t)evt_uint(ev, CL_FLAGS, 0);
	struct udig_threadinfo ti;

	if (res < 0)
		return;
	if (res > 0) {
		/* Parent side: the child is res.  In a pid namespace the child's
		 * own event is authoritative, and one made by it already wins. */
		if ((flags & STATE_CL_CHILD_IN_PIDNS) || param_int(ev, CL_VTID, -1) != param_int(ev, CL_TID, -1))
			return;
		struct thread_entry *old = tables_thread_get(&c->tables, res);
		if (old && (old->ti.flags & UDIG_CLONE_INVERTED))
			return;
		child_from_clone(&ti, ev, res, te);
		/* the parameters describe the parent: take identity from it */
		ti.ptid = (flags & UDIG_CLONE_THREAD) ? te->ti.ptid : te->ti.pid;
		ti.pid = (flags & UDIG_CLONE_THREAD) ? te->ti.pid : res;
		ti.vtid = res;
		ti.vpid = ti.pid;
		add_child(c, &ti, te->ti.tid, 0);
		return;
	}
	/* Child side ("inverted clone"): header tid is the child. */
	int64_t tid = (int64_t)ev->tid;
	struct thread_entry *cur = tables_thread_get(&c->tables, tid);
	if (cur && !(cur->ti.flags & UDIG_CLONE_INVERTED) && strcmp(cur->ti.comm, "<NA>") != 0)
		return; /* already created by the parent's event */
	int64_t ptid = (flags & UDIG_CLONE_THREAD) ? param_int(ev, CL_PID, -1) : param_int(ev, CL_PTID, -1);
	struct thread_entry *parent = ptid != tid ? tables_thread_get(&c->tables, ptid) : NULL;
	child_from_clone(&ti, ev, tid, parent);
	add_child(c, &ti, parent ? parent->ti.tid : -1, UDIG_CLONE_INVERTED);
}

/* execve/execveat exit parameter positions (beyond the clone ones) */
enum { EX_ENV = 15, EX_TTY = 16, EX_PGID = 17, EX_LOGINUID = 18, EX_FLAGS = 19 };

static void on_execve_exit(udig_capture *c, struct thread_entry *te, const struct udig_evt *ev,
			   const struct udig_evt *enter)
{
	if (param_int(ev, 0, -1) != 0)
		return;
	struct udig_threadinfo *ti = &te->ti;
	set_str_param(&ti->exe, ev, CL_EXE);
	set_blob_param(&ti->args, ev, CL_ARGS);
	set_str_param(&ti->comm, ev, CL_COMM);
	const char *cwd = evt_str(ev, CL_CWD);
	if (cwd && cwd[0]) {
		char *p = path_join("/", cwd);
		if (p) {
			size_t n = strlen(p);
			if (n && p[n - 1] != '/') {
				char *q = realloc(p, n + 2);
				if (q) {
					q[n] = '/', q[n + 1] = 0;
					p = q;
				}
			}
			free(ti->cwd);
			ti->cwd = p;
		}
	}
	set_blob_param(&ti->cgroups, ev, CL_CGROUPS);
	set_blob_param(&ti->env, ev, EX_ENV);
	ti->pid = param_int(ev, CL_PID, ti->pid);
	ti->fdlimit = param_int(ev, CL_FDLIMIT, ti->fdlimit);
	ti->pfmajor = evt_uint(ev, CL_PGFT_MAJ, ti->pfmajor);
	ti->pfminor = evt_uint(ev, CL_PGFT_MIN, ti->pfminor);
	ti->vmsize_kb = (uint32_t)evt_uint(ev, CL_VMSIZE, ti->vmsize_kb);
	ti->vmrss_kb = (uint32_t)evt_uint(ev, CL_VMRSS, ti->vmrss_kb);
	ti->vmswap_kb = (uint32_t)evt_uint(ev, CL_VMSWAP, ti->vmswap_kb);
	ti->vpgid = param_int(ev, EX_PGID, ti->vpgid);
	ti->loginuid = (int32_t)param_int(ev, EX_LOGINUID, ti->loginuid);
	ti->tty = (int32_t)param_int(ev, EX_TTY, ti->tty);
	ti->exe_writable = (evt_uint(ev, EX_FLAGS, 0) & UDIG_EXE_WRITABLE) != 0;
	/* exepath: the enter's filename (execveat: relative to its dirfd). */
	if (enter) {
		const char *fn = NULL;
		char *base = NULL;
		if (enter->type == UEV_SYSCALL_EXECVE_19_E) {
			fn = evt_str(enter, 0);
			base = strdup(ti->cwd);
		} else if (enter->type == UEV_SYSCALL_EXECVEAT_E) {
			fn = evt_str(enter, 1);
			base = path_dirfd_base(c, te, param_int(enter, 0, UDIG_AT_FDCWD));
		}
		if (fn && base) {
			char *p = path_join(base, fn);
			if (p) {
				free(ti->exepath);
				ti->exepath = p;
			}
		}
		free(base);
	}
}

static void on_procexit(udig_capture *c, struct thread_entry *te, const struct udig_evt *ev,
			const struct udig_evt *enter)
{
	(void)ev, (void)enter;
	te->exited = 1;
	c->pending.exit_tid = te->ti.tid;
	c->pending.has_exit = 1;
}

/* cwd always ends in '/', as libsinsp keeps it. */
static void set_cwd(struct thread_entry *te, const char *path)
{
	char *p = path_join(te->ti.cwd, path);
	if (!p)
		return;
	size_t n = strlen(p);
	char *q = realloc(p, n + 2);
	if (!q) {
		free(p);
		return;
	}
	if (n == 0 || q[n - 1] != '/')
		q[n] = '/', q[n + 1] = 0;
	free(te->ti.cwd);
	te->ti.cwd = q;
}

static void on_chdir_exit(udig_capture *c, struct thread_entry *te, const struct udig_evt *ev,
			  const struct udig_evt *enter)
{
	(void)c, (void)enter;
	const char *path = evt_str(ev, 1);
	if (param_int(ev, 0, -1) == 0 && path)
		set_cwd(te, path);
}

static void on_fchdir_exit(udig_capture *c, struct thread_entry *te, const struct udig_evt *ev,
			   const struct udig_evt *enter)
{
	if (param_int(ev, 0, -1) != 0 || !enter)
		return;
	struct fd_entry *f = tables_fd_get(&c->tables, te->ti.tid, param_int(enter, 0, -1));
	if (f && f->fi.name[0])
		set_cwd(te, f->fi.name);
}

static void on_chroot_exit(udig_capture *c, struct thread_entry *te, const struct udig_evt *ev,
			   const struct udig_evt *enter)
{
	(void)c, (void)enter;
	const char *path = evt_str(ev, 1);
	if (param_int(ev, 0, -1) != 0 || !path)
		return;
	char *p = path_join(te->ti.cwd, path);
	if (p) {
		free(te->ti.root);
		te->ti.root = p;
	}
}

/* Credentials: the new ids are in the enter event. */
static void on_setuid_exit(udig_capture *c, struct thread_entry *te, const struct udig_evt *ev,
			   const struct udig_evt *enter)
{
	(void)c;
	if (param_int(ev, 0, -1) != 0 || !enter)
		return;
	unsigned idx = enter->type == UEV_SYSCALL_SETRESUID_E || enter->type == UEV_SYSCALL_SETRESGID_E ? 1 : 0;
	uint32_t id = (uint32_t)evt_uint(enter, idx, UINT32_MAX);
	if (id == UINT32_MAX)
		return;
	if (enter->type == UEV_SYSCALL_SETUID_E || enter->type == UEV_SYSCALL_SETRESUID_E)
		te->ti.uid = id;
	else
		te->ti.gid = id;
}

static state_handler process_handler(uint16_t type)
{
	switch (type) {
	case UEV_SYSCALL_CLONE_20_X: case UEV_SYSCALL_FORK_20_X: case UEV_SYSCALL_VFORK_20_X:
	case UEV_SYSCALL_CLONE3_X:
		return on_clone_exit;
	case UEV_SYSCALL_EXECVE_19_X: case UEV_SYSCALL_EXECVEAT_X:
		return on_execve_exit;
	case UEV_PROCEXIT_1_E: case UEV_PROCEXIT_E:
		return on_procexit;
	case UEV_SYSCALL_CHDIR_X:
		return on_chdir_exit;
	case UEV_SYSCALL_FCHDIR_X:
		return on_fchdir_exit;
	case UEV_SYSCALL_CHROOT_X:
		return on_chroot_exit;
	case UEV_SYSCALL_SETUID_X: case UEV_SYSCALL_SETGID_X:
	case UEV_SYSCALL_SETRESUID_X: case UEV_SYSCALL_SETRESGID_X:
		return on_setuid_exit;
	}
	return NULL;
}

/* The handler of each event type, or NULL: wanted for every event, so the
 * two switches are folded into one table when the library is loaded. */
state_handler state_handlers[UDIG_EVENT_MAX];
uint8_t state_class[UDIG_EVENT_MAX];

__attribute__((constructor)) static void handlers_init(void)
{
	for (unsigned t = 0; t < UDIG_EVENT_MAX; t++) {
		state_handler h = process_handler((uint16_t)t);
		state_handlers[t] = h ? h : state_fd_handler((uint16_t)t);
		if (t == UEV_PROCEXIT_1_E || t == UEV_PROCEXIT_E)
			state_class[t] = SC_EXIT; /* an enter that is not remembered */
		else if (udig_event_is_enter((uint16_t)t))
			state_class[t] = state_handlers[t] ? SC_ENTER : SC_ENTER_PLAIN;
		else if (t == UEV_SYSCALL_CLONE_20_X || t == UEV_SYSCALL_FORK_20_X || t == UEV_SYSCALL_VFORK_20_X ||
			 t == UEV_SYSCALL_CLONE3_X)
			state_class[t] = SC_SLOW;
		else
			state_class[t] = state_handlers[t] ? SC_EXIT : SC_PLAIN;
	}
}

static state_handler handler_of(uint16_t type)
{
	return type < UDIG_EVENT_MAX ? state_handlers[type] : NULL;
}

static int is_child_clone(const struct udig_evt *ev)
{
	switch (ev->type) {
	case UEV_SYSCALL_CLONE_20_X: case UEV_SYSCALL_FORK_20_X: case UEV_SYSCALL_VFORK_20_X:
	case UEV_SYSCALL_CLONE3_X:
		return evt_int(ev, 0, -1) == 0;
	}
	return 0;
}

void state_apply(udig_capture *c, const struct udig_evt *ev)
{
	flush_pending(c);
	if ((int64_t)ev->tid < 0)
		return; /* not tied to a thread */

	struct udig_tables *t = &c->tables;
	int64_t tid = (int64_t)ev->tid;
	struct thread_entry *te = tables_thread_get(t, tid);
	if (te && te->exited) {
		tables_thread_remove(t, te->ti.tid);
		te = NULL;
	}
	/* The pairing, fd and formatting lookups of this event find it first. */
	tables_thread_hot(t, te);
	state_handler h = handler_of(ev->type);

	if (udig_event_is_enter(ev->type) && ev->type != UEV_PROCEXIT_1_E && ev->type != UEV_PROCEXIT_E) {
		if (!te)
			te = unknown_thread(c, tid);
		tables_thread_hot(t, te);
		if (te)
			tables_thread_set_enter(te, ev);
		if (te && h)
			h(c, te, ev, NULL);
		return;
	}
	/* The child's own clone exit creates its thread itself. */
	if (is_child_clone(ev) && (!te || !strcmp(te->ti.comm, "<NA>"))) {
		struct thread_entry dummy;
		memset(&dummy, 0, sizeof dummy);
		on_clone_exit(c, te ? te : &dummy, ev, NULL);
		tables_thread_hot(t, tables_thread_get(t, tid));
		return;
	}
	if (!te)
		te = unknown_thread(c, tid);
	tables_thread_hot(t, te);
	if (!te || !h)
		return;
	h(c, te, ev, state_thread_enter(te, ev));
}
