/* proc.*, thread.*, user.* and group.* fields: the event's thread. */
#include <stdlib.h>
#include <string.h>
#include "fields-int.h"

#define UNUSED(x) (void)(x)

struct thread_entry *fields_thread(udig_capture *c, const struct udig_evt *ev)
{
	return tables_thread_get(&c->tables, (int64_t)ev->tid);
}

static struct thread_entry *main_of(udig_capture *c, struct thread_entry *te)
{
	struct thread_entry *m = te->ti.pid != te->ti.tid ? tables_thread_get(&c->tables, te->ti.pid) : NULL;
	return m ? m : te;
}

/* Ancestors of the process: its main thread's parent, that one's, ...
 * Parent links come from the capture, so a loop is possible: the walk
 * stops after FIELDS_MAX_ANCESTORS steps. */
struct thread_entry *fields_ancestor(udig_capture *c, struct thread_entry *te, int64_t n)
{
	if (n > FIELDS_MAX_ANCESTORS)
		return NULL;
	for (int64_t i = 0; te && i < n; i++) {
		struct thread_entry *m = main_of(c, te);
		te = m->ti.ptid > 0 && m->ti.ptid != m->ti.tid ? tables_thread_get(&c->tables, m->ti.ptid) : NULL;
	}
	return te;
}

#define THREAD_OR_NA(te) \
	struct thread_entry *te = fields_thread(c, ev); \
	if (!te) \
		return 0

int fx_proc_pid(udig_capture *c, const struct udig_evt *ev, const struct udig_field *f, struct udig_field_value *v)
{
	UNUSED(f);
	THREAD_OR_NA(te);
	return fv_i64(v, te->ti.pid);
}

int fx_proc_exe(udig_capture *c, const struct udig_evt *ev, const struct udig_field *f, struct udig_field_value *v)
{
	UNUSED(f);
	THREAD_OR_NA(te);
	return fv_str(v, te->ti.exe);
}

int fx_proc_name(udig_capture *c, const struct udig_evt *ev, const struct udig_field *f, struct udig_field_value *v)
{
	UNUSED(f);
	THREAD_OR_NA(te);
	return fv_str(v, te->ti.comm);
}

/* The NUL-separated arguments joined with spaces, after `head` if any. */
static int join_args(struct udig_field_value *v, const char *head, const struct udig_blob *args)
{
	size_t hl = head ? strlen(head) : 0;
	char *s = malloc(hl + args->len + 2);
	if (!s)
		return 0;
	size_t n = 0;
	if (head) {
		memcpy(s, head, hl);
		n = hl;
	}
	for (uint32_t i = 0; i < args->len;) {
		size_t al = strnlen(args->data + i, args->len - i);
		if (n)
			s[n++] = ' ';
		memcpy(s + n, args->data + i, al);
		n += al;
		i += (uint32_t)al + 1;
	}
	s[n] = 0;
	return fv_owned(v, s);
}

int fx_proc_args(udig_capture *c, const struct udig_evt *ev, const struct udig_field *f, struct udig_field_value *v)
{
	UNUSED(f);
	THREAD_OR_NA(te);
	return join_args(v, NULL, &te->ti.args);
}

int fx_proc_cmdline(udig_capture *c, const struct udig_evt *ev, const struct udig_field *f,
		    struct udig_field_value *v)
{
	UNUSED(f);
	THREAD_OR_NA(te);
	return join_args(v, te->ti.comm, &te->ti.args);
}

int fx_proc_cwd(udig_capture *c, const struct udig_evt *ev, const struct udig_field *f, struct udig_field_value *v)
{
	UNUSED(f);
	THREAD_OR_NA(te);
	/* libsinsp keeps the cwd with a trailing '/' */
	const char *cwd = main_of(c, te)->ti.cwd;
	size_t n = strlen(cwd);
	if (n && cwd[n - 1] == '/')
		return fv_str(v, cwd);
	char *s = malloc(n + 2);
	if (s) {
		memcpy(s, cwd, n);
		memcpy(s + n, "/", 2);
	}
	return fv_owned(v, s);
}

int fx_proc_ppid(udig_capture *c, const struct udig_evt *ev, const struct udig_field *f, struct udig_field_value *v)
{
	UNUSED(f);
	THREAD_OR_NA(te);
	return fv_i64(v, main_of(c, te)->ti.ptid);
}

int fx_proc_pname(udig_capture *c, const struct udig_evt *ev, const struct udig_field *f, struct udig_field_value *v)
{
	UNUSED(f);
	THREAD_OR_NA(te);
	/* libsinsp takes the parent of the thread itself here (a thread's
	 * creator), where proc.ppid and proc.aname start from the process */
	int64_t ptid = te->ti.tid != te->ti.pid ? te->ti.pid : te->ti.ptid; /* our state keeps no creator tid */
	struct thread_entry *p = ptid > 0 ? tables_thread_get(&c->tables, ptid) : NULL;
	return p ? fv_str(v, p->ti.comm) : 0;
}

int fx_proc_apid(udig_capture *c, const struct udig_evt *ev, const struct udig_field *f, struct udig_field_value *v)
{
	THREAD_OR_NA(te);
	struct thread_entry *a = fields_ancestor(c, te, f->index < 0 ? 1 : f->index);
	return a ? fv_i64(v, a->ti.pid) : 0;
}

int fx_proc_aname(udig_capture *c, const struct udig_evt *ev, const struct udig_field *f, struct udig_field_value *v)
{
	THREAD_OR_NA(te);
	struct thread_entry *a = fields_ancestor(c, te, f->index < 0 ? 1 : f->index);
	return a ? fv_str(v, a->ti.comm) : 0;
}

int fx_thread_tid(udig_capture *c, const struct udig_evt *ev, const struct udig_field *f, struct udig_field_value *v)
{
	UNUSED(c), UNUSED(f);
	return fv_i64(v, (int64_t)ev->tid);
}

int fx_thread_ismain(udig_capture *c, const struct udig_evt *ev, const struct udig_field *f,
		     struct udig_field_value *v)
{
	UNUSED(f);
	THREAD_OR_NA(te);
	return fv_bool(v, te->ti.tid == te->ti.pid);
}

int fx_thread_vtid(udig_capture *c, const struct udig_evt *ev, const struct udig_field *f, struct udig_field_value *v)
{
	UNUSED(f);
	THREAD_OR_NA(te);
	return fv_i64(v, te->ti.vtid);
}

int fx_proc_vpid(udig_capture *c, const struct udig_evt *ev, const struct udig_field *f, struct udig_field_value *v)
{
	UNUSED(f);
	THREAD_OR_NA(te);
	return fv_i64(v, te->ti.vpid);
}

int fx_proc_sid(udig_capture *c, const struct udig_evt *ev, const struct udig_field *f, struct udig_field_value *v)
{
	UNUSED(f);
	THREAD_OR_NA(te);
	return fv_i64(v, te->ti.sid);
}

/* PT_INT32 in sysdig: the tty number of the last execve (inherited on clone) */
int fx_proc_tty(udig_capture *c, const struct udig_evt *ev, const struct udig_field *f, struct udig_field_value *v)
{
	UNUSED(f);
	THREAD_OR_NA(te);
	return fv_i64(v, te->ti.tty);
}

/* Since the clone the capture saw (of this thread, not its process);
 * absent for threads that were there before the capture began (a file's
 * process list has no start time).  libsinsp subtracts into a signed
 * number and prints it unsigned. */
int fx_proc_duration(udig_capture *c, const struct udig_evt *ev, const struct udig_field *f,
		     struct udig_field_value *v)
{
	UNUSED(f);
	THREAD_OR_NA(te);
	if (!te->ti.clone_ts)
		return 0;
	return fv_u64(v, ev->ts - te->ti.clone_ts);
}

int fx_proc_exepath(udig_capture *c, const struct udig_evt *ev, const struct udig_field *f,
		    struct udig_field_value *v)
{
	UNUSED(f);
	THREAD_OR_NA(te);
	return fv_str(v, te->ti.exepath);
}

int fx_user_uid(udig_capture *c, const struct udig_evt *ev, const struct udig_field *f, struct udig_field_value *v)
{
	UNUSED(f);
	THREAD_OR_NA(te);
	return fv_u64(v, te->ti.uid);
}

int fx_user_name(udig_capture *c, const struct udig_evt *ev, const struct udig_field *f, struct udig_field_value *v)
{
	UNUSED(f);
	THREAD_OR_NA(te);
	const struct udig_user *u = udig_get_user(c, te->ti.uid);
	return u ? fv_str(v, u->name) : 0;
}

int fx_group_gid(udig_capture *c, const struct udig_evt *ev, const struct udig_field *f, struct udig_field_value *v)
{
	UNUSED(f);
	THREAD_OR_NA(te);
	return fv_u64(v, te->ti.gid);
}

int fx_group_name(udig_capture *c, const struct udig_evt *ev, const struct udig_field *f, struct udig_field_value *v)
{
	UNUSED(f);
	THREAD_OR_NA(te);
	const struct udig_group *g = udig_get_group(c, te->ti.gid);
	return g ? fv_str(v, g->name) : 0;
}
