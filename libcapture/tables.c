/* State tables (uthash).  See tables.h. */
#include <stdlib.h>
#include <string.h>
#include "tables.h"

void tables_init(struct udig_tables *t)
{
	memset(t, 0, sizeof *t);
}

static char *dup_n(const char *s, size_t len)
{
	char *p = malloc(len + 1);
	if (!p)
		return NULL;
	if (len)
		memcpy(p, s, len);
	p[len] = 0;
	return p;
}

static char *dup_str(const char *s)
{
	return dup_n(s ? s : "", s ? strlen(s) : 0);
}

int tables_set_str(char **field, const char *s, size_t len)
{
	if (!s)
		len = 0;
	/* execve and the like restate values that mostly did not change */
	if (*field && strlen(*field) == len && !memcmp(*field, s ? s : "", len))
		return 0;
	char *p = dup_n(s ? s : "", len);
	if (!p)
		return -1;
	free(*field);
	*field = p;
	return 0;
}

int tables_set_blob(struct udig_blob *field, const char *s, size_t len)
{
	char *p = dup_n(s ? s : "", s ? len : 0);
	if (!p)
		return -1;
	free(field->data);
	field->data = p;
	field->len = s ? (uint32_t)len : 0;
	return 0;
}

static void fd_free(struct fd_entry *f)
{
	free(f->fi.name);
	free(f);
}

/* Entries kept for reuse: enough for the fds a burst of opens and closes
 * cycles through, few enough that a process exit does not hoard memory. */
#define FD_POOL_MAX 64

/* Recycles a removed (unhashed) entry. */
static void fd_release(struct udig_tables *t, struct fd_entry *f)
{
	if (t->fd_pool_n >= FD_POOL_MAX || f->name_cap > 4096) {
		fd_free(f);
		return;
	}
	f->hh.next = t->fd_pool;
	t->fd_pool = f;
	t->fd_pool_n++;
}

/* Sets f's name to a copy of s, in its own buffer when that is big enough. */
static int fd_set_name(struct fd_entry *f, const char *s)
{
	size_t n = strlen(s);
	if (n >= f->name_cap) {
		size_t cap = n + 1 < 64 ? 64 : n + 1;
		char *p = malloc(cap);
		if (!p)
			return -1;
		memcpy(p, s, n + 1);
		free(f->fi.name);
		f->fi.name = p;
		f->name_cap = (uint32_t)cap;
		return 0;
	}
	memmove(f->fi.name, s, n + 1); /* s may be f's own name */
	return 0;
}

/* A fresh entry holding a copy of *fi: from the pool, else allocated. */
static struct fd_entry *fd_new(struct udig_tables *t, const struct udig_fdinfo *fi)
{
	struct fd_entry *f = t->fd_pool;
	if (f) {
		t->fd_pool = f->hh.next;
		t->fd_pool_n--;
	} else if (!(f = calloc(1, sizeof *f))) {
		return NULL;
	}
	char *name = f->fi.name;
	f->fi = *fi;
	f->fi.name = name;
	if (fd_set_name(f, fi->name ? fi->name : "")) {
		fd_free(f);
		return NULL;
	}
	return f;
}

static void fd_table_free(struct udig_tables *t, struct fd_entry **fds)
{
	struct fd_entry *f, *tmp;
	HASH_ITER(hh, *fds, f, tmp) {
		HASH_DEL(*fds, f);
		fd_release(t, f);
	}
}

static void thread_free(struct udig_tables *t, struct thread_entry *te)
{
	fd_table_free(t, &te->fds);
	free(te->ti.comm);
	free(te->ti.exe);
	free(te->ti.exepath);
	free(te->ti.cwd);
	free(te->ti.root);
	free(te->ti.args.data);
	free(te->ti.env.data);
	free(te->ti.cgroups.data);
	free(te->enter);
	free(te);
}

struct thread_entry *tables_thread_new(struct udig_tables *t, const struct udig_threadinfo *ti)
{
	struct thread_entry *te = calloc(1, sizeof *te);
	if (!te)
		return NULL;
	te->ti = *ti;
	te->ti.nfds = 0;
	te->ti.comm = dup_str(ti->comm);
	te->ti.exe = dup_str(ti->exe);
	te->ti.exepath = dup_str(ti->exepath);
	te->ti.cwd = dup_str(ti->cwd);
	te->ti.root = dup_str(ti->root);
	te->ti.args.data = NULL;
	te->ti.env.data = NULL;
	te->ti.cgroups.data = NULL;
	te->enter_type = UDIG_EVENT_MAX;
	te->enter_fd = -1;
	if (!te->ti.comm || !te->ti.exe || !te->ti.exepath || !te->ti.cwd || !te->ti.root ||
	    tables_set_blob(&te->ti.args, ti->args.data, ti->args.len) ||
	    tables_set_blob(&te->ti.env, ti->env.data, ti->env.len) ||
	    tables_set_blob(&te->ti.cgroups, ti->cgroups.data, ti->cgroups.len)) {
		thread_free(t, te);
		return NULL;
	}
	return te;
}

struct thread_entry *tables_thread_add(struct udig_tables *t, const struct udig_threadinfo *ti)
{
	struct thread_entry *te = tables_thread_new(t, ti);
	if (!te)
		return NULL;
	tables_thread_remove(t, ti->tid);
	HASH_ADD(hh, t->threads, ti.tid, sizeof te->ti.tid, te);
	return te;
}

void tables_thread_adopt(struct udig_tables *t, struct thread_entry *te, int keep_fds)
{
	struct thread_entry *old = tables_thread_get(t, te->ti.tid);
	if (old) {
		/* An exit read after this still pairs with the enter read before. */
		free(te->enter);
		te->enter = old->enter;
		te->enter_type = old->enter_type;
		te->enter_fd = old->enter_fd;
		old->enter = NULL;
		if (keep_fds) {
			fd_table_free(t, &te->fds);
			te->fds = old->fds;
			old->fds = NULL;
		}
		tables_thread_remove(t, old->ti.tid);
	}
	HASH_ADD(hh, t->threads, ti.tid, sizeof te->ti.tid, te);
}

void tables_threads_replace(struct udig_tables *t, struct udig_tables *from)
{
	struct thread_entry *te, *tmp, *found;
	/* Threads `from` does not have are gone. */
	HASH_ITER(hh, t->threads, te, tmp) {
		HASH_FIND(hh, from->threads, &te->ti.tid, sizeof te->ti.tid, found);
		if (!found)
			tables_thread_remove(t, te->ti.tid);
	}
	HASH_ITER(hh, from->threads, te, tmp) {
		HASH_DEL(from->threads, te);
		tables_thread_adopt(t, te, 0);
	}
	from->hot = NULL;
}

void tables_thread_remove(struct udig_tables *t, int64_t tid)
{
	struct thread_entry *te = tables_thread_get(t, tid);
	if (!te)
		return;
	HASH_DEL(t->threads, te);
	if (t->hot == te)
		t->hot = NULL;
	thread_free(t, te);
}

int tables_thread_enter_grow(struct thread_entry *te, uint32_t len)
{
	/* room for the usual records at once, so that a thread's buffer is
	 * allocated once, not grown event by event */
	uint32_t cap = len < 256 ? 256 : len;
	struct thread_enter *n = malloc(sizeof *n + cap);
	if (!n)
		return -1;
	free(te->enter);
	te->enter = n;
	n->cap = cap;
	te->enter_type = UDIG_EVENT_MAX;
	return 0;
}

struct fd_entry *tables_fd_add(struct udig_tables *t, int64_t tid, const struct udig_fdinfo *fi)
{
	struct thread_entry *te = tables_fd_owner(t, tid);
	struct fd_entry *f = NULL;
	if (!te)
		return NULL;
	HASH_FIND(hh, te->fds, &fi->fd, sizeof fi->fd, f);
	if (f) {
		/* Replacing: the entry is updated in place but moved to the end,
		 * where a removal and a new insertion would put it (the order is
		 * the one fd lists are written in). */
		struct udig_fdinfo old = f->fi;
		const char *name = fi->name ? fi->name : "";
		f->fi = *fi;
		f->fi.name = old.name;
		if (fd_set_name(f, name)) {
			f->fi = old;
			return NULL;
		}
		HASH_DEL(te->fds, f);
	} else if (!(f = fd_new(t, fi))) {
		return NULL;
	}
	HASH_ADD(hh, te->fds, fi.fd, sizeof f->fi.fd, f);
	te->ti.nfds = HASH_COUNT(te->fds);
	return f;
}

void tables_fd_remove(struct udig_tables *t, int64_t tid, int64_t fd)
{
	struct thread_entry *te = tables_fd_owner(t, tid);
	struct fd_entry *f = NULL;
	if (!te)
		return;
	HASH_FIND(hh, te->fds, &fd, sizeof fd, f);
	if (!f)
		return;
	HASH_DEL(te->fds, f);
	fd_release(t, f);
	te->ti.nfds = HASH_COUNT(te->fds);
}

int tables_fd_copy(struct udig_tables *t, int64_t from_tid, int64_t to_tid)
{
	struct thread_entry *from = tables_fd_owner(t, from_tid);
	struct thread_entry *to = tables_thread_get(t, to_tid);
	struct fd_entry *f, *tmp;
	if (!from || !to || from == to)
		return 0;
	HASH_ITER(hh, from->fds, f, tmp) {
		struct fd_entry *n = fd_new(t, &f->fi);
		if (!n)
			return -1;
		struct fd_entry *old = NULL;
		HASH_FIND(hh, to->fds, &n->fi.fd, sizeof n->fi.fd, old);
		if (old) {
			HASH_DEL(to->fds, old);
			fd_release(t, old);
		}
		HASH_ADD(hh, to->fds, fi.fd, sizeof n->fi.fd, n);
	}
	to->ti.nfds = HASH_COUNT(to->fds);
	return 0;
}

static void user_free(struct user_entry *e)
{
	free(e->u.name);
	free(e->u.homedir);
	free(e->u.shell);
	free(e);
}

int tables_user_add(struct udig_tables *t, const struct udig_user *u)
{
	struct user_entry *e = calloc(1, sizeof *e), *old = NULL;
	if (!e)
		return -1;
	e->u.uid = u->uid;
	e->u.gid = u->gid;
	e->u.name = dup_str(u->name);
	e->u.homedir = dup_str(u->homedir);
	e->u.shell = dup_str(u->shell);
	if (!e->u.name || !e->u.homedir || !e->u.shell) {
		user_free(e);
		return -1;
	}
	HASH_FIND(hh, t->users, &u->uid, sizeof u->uid, old);
	if (old) {
		HASH_DEL(t->users, old);
		user_free(old);
	}
	HASH_ADD(hh, t->users, u.uid, sizeof e->u.uid, e);
	return 0;
}

int tables_group_add(struct udig_tables *t, const struct udig_group *g)
{
	struct group_entry *e = calloc(1, sizeof *e), *old = NULL;
	if (!e)
		return -1;
	e->g.gid = g->gid;
	e->g.name = dup_str(g->name);
	if (!e->g.name) {
		free(e);
		return -1;
	}
	HASH_FIND(hh, t->groups, &g->gid, sizeof g->gid, old);
	if (old) {
		HASH_DEL(t->groups, old);
		free(old->g.name);
		free(old);
	}
	HASH_ADD(hh, t->groups, g.gid, sizeof e->g.gid, e);
	return 0;
}

void tables_users_clear(struct udig_tables *t)
{
	struct user_entry *e, *tmp;
	HASH_ITER(hh, t->users, e, tmp) {
		HASH_DEL(t->users, e);
		user_free(e);
	}
}

void tables_groups_clear(struct udig_tables *t)
{
	struct group_entry *e, *tmp;
	HASH_ITER(hh, t->groups, e, tmp) {
		HASH_DEL(t->groups, e);
		free(e->g.name);
		free(e);
	}
}

int tables_iface4_add(struct udig_tables *t, const struct udig_iface4 *i)
{
	struct udig_iface4 *n = realloc(t->if4, (t->n_if4 + 1) * sizeof *n);
	if (!n)
		return -1;
	t->if4 = n;
	n[t->n_if4] = *i;
	n[t->n_if4].name = dup_str(i->name);
	if (!n[t->n_if4].name)
		return -1;
	t->n_if4++;
	return 0;
}

int tables_iface6_add(struct udig_tables *t, const struct udig_iface6 *i)
{
	struct udig_iface6 *n = realloc(t->if6, (t->n_if6 + 1) * sizeof *n);
	if (!n)
		return -1;
	t->if6 = n;
	n[t->n_if6] = *i;
	n[t->n_if6].name = dup_str(i->name);
	if (!n[t->n_if6].name)
		return -1;
	t->n_if6++;
	return 0;
}

void tables_ifaces_clear(struct udig_tables *t)
{
	for (size_t i = 0; i < t->n_if4; i++)
		free(t->if4[i].name);
	for (size_t i = 0; i < t->n_if6; i++)
		free(t->if6[i].name);
	free(t->if4);
	free(t->if6);
	t->if4 = NULL;
	t->if6 = NULL;
	t->n_if4 = t->n_if6 = 0;
}

void tables_free(struct udig_tables *t)
{
	struct thread_entry *te, *tmp;
	HASH_ITER(hh, t->threads, te, tmp) {
		HASH_DEL(t->threads, te);
		thread_free(t, te);
	}
	t->hot = NULL;
	while (t->fd_pool) {
		struct fd_entry *f = t->fd_pool;
		t->fd_pool = f->hh.next;
		fd_free(f);
	}
	t->fd_pool_n = 0;
	tables_users_clear(t);
	tables_groups_clear(t);
	tables_ifaces_clear(t);
}
