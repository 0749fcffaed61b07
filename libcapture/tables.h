/*
 * The state tables of a capture, in uthash: threads (each with the last
 * enter event it made), fd tables, users, groups, interfaces, machine info.
 * Filled by the file reader (process/fd/user/interface blocks), the /proc
 * scanner and the state engine; read by formatters, filters and the writer.
 *
 * Strings handed in are copied; NULL strings are stored as "".  Functions
 * that allocate return NULL / -1 when memory runs out.
 */
#ifndef UDIG_TABLES_H
#define UDIG_TABLES_H

#include <stdint.h>
#include <string.h>
#include <uthash.h>
#include <udig/capture.h>
#include "evt-int.h"

/*
 * Every key in these tables is a 4- or 8-byte integer (tid, fd, uid, gid,
 * inode).  uthash's default (Jenkins) hash costs more than the rest of a
 * lookup, and a lookup is made several times per event; a multiplicative
 * hash mixes such keys well enough.  uthash picks the bucket from the low
 * bits of the hash, so the well-mixed high half of the product is used.
 * Defined after uthash.h, so it wins whichever header came first; every
 * file that touches these tables does so through this header.
 */
static inline unsigned udig_tables_hash(const void *key, size_t len)
{
	uint64_t k;
	if (len == 8) {
		memcpy(&k, key, 8);
	} else if (len == 4) {
		uint32_t k4;
		memcpy(&k4, key, 4);
		k = k4;
	} else {
		unsigned h;
		HASH_JEN(key, len, h);
		return h;
	}
	return (unsigned)((k * 0x9E3779B97F4A7C15ull) >> 32);
}
#undef HASH_FUNCTION
#define HASH_FUNCTION(keyptr, keylen, hashv) ((hashv) = udig_tables_hash((keyptr), (keylen)))

struct fd_entry {
	struct udig_fdinfo fi;
	uint32_t name_cap; /* bytes allocated for fi.name (reused when the entry is) */
	UT_hash_handle hh;
};

/* A thread's last enter event, kept parsed: ev's value pointers point into
 * raw, so pairing an exit with it costs no parsing. */
struct thread_enter {
	struct udig_evt ev;
	uint32_t cap; /* bytes of raw */
	uint8_t raw[];
};

struct thread_entry {
	struct udig_threadinfo ti;
	struct fd_entry *fds;   /* the fd table; threads use their main thread's (see tables_fd_owner) */
	/* The last enter event of this thread, so its exit can be paired (libsinsp
	 * keeps the same): a copy of the record, its type and its fd parameter. */
	struct thread_enter *enter; /* NULL until the thread's first enter */
	uint16_t enter_type;    /* UDIG_EVENT_MAX when none */
	int64_t enter_fd;       /* fd param of an EF_USES_FD enter event, else -1 */
	uint8_t exited;         /* procexit seen; removed at the thread's next event or the next procexit */
	UT_hash_handle hh;
};

struct user_entry { struct udig_user u; UT_hash_handle hh; };
struct group_entry { struct udig_group g; UT_hash_handle hh; };

struct udig_tables {
	struct udig_machine_info machine;
	int have_machine;
	struct thread_entry *threads;
	/* The thread of the event being applied: consecutive events mostly
	 * come from one thread and each needs its entry several times (state,
	 * pairing, fd table, formatting).  Set by tables_thread_hot(), cleared
	 * when that entry goes away. */
	struct thread_entry *hot;
	/* Removed fd entries kept for reuse (with their name buffers): opening
	 * and closing files is the commonest state change. */
	struct fd_entry *fd_pool;
	unsigned fd_pool_n;
	struct user_entry *users;
	struct group_entry *groups;
	struct udig_iface4 *if4;
	size_t n_if4;
	struct udig_iface6 *if6;
	size_t n_if6;
};

void tables_init(struct udig_tables *t);
void tables_free(struct udig_tables *t);

/* Threads. */
static inline struct thread_entry *tables_thread_get(const struct udig_tables *t, int64_t tid)
{
	struct thread_entry *te = t->hot;
	if (te && te->ti.tid == tid)
		return te;
	HASH_FIND(hh, t->threads, &tid, sizeof tid, te);
	return te;
}
/* Makes te (an entry of t, or NULL) the one tables_thread_get tries first. */
static inline void tables_thread_hot(struct udig_tables *t, struct thread_entry *te)
{
	t->hot = te;
}
/* Inserts a copy of *ti (replacing any entry with that tid, whose fd table is dropped). */
struct thread_entry *tables_thread_add(struct udig_tables *t, const struct udig_threadinfo *ti);
/* A copy of *ti that is in no table yet (for tables_thread_adopt), or NULL. */
struct thread_entry *tables_thread_new(struct udig_tables *t, const struct udig_threadinfo *ti);
/* Inserts te (from tables_thread_new or another table), replacing the entry
 * with its tid, whose pending enter it takes over (and, with keep_fds, its
 * fd table instead of te's own). */
void tables_thread_adopt(struct udig_tables *t, struct thread_entry *te, int keep_fds);
/* t's threads become from's (which is left without threads): the threads
 * from lacks are removed, the others replaced, keeping their pending enters. */
void tables_threads_replace(struct udig_tables *t, struct udig_tables *from);
void tables_thread_remove(struct udig_tables *t, int64_t tid);
/* Replaces one string field of a thread (e.g. &te->ti.cwd) with a copy of s[0..len)
 * (left alone when it already holds exactly that). */
int tables_set_str(char **field, const char *s, size_t len);
int tables_set_blob(struct udig_blob *field, const char *s, size_t len);
/* (Re)allocates te->enter for a record of len bytes (the enter is lost). */
int tables_thread_enter_grow(struct thread_entry *te, uint32_t len);

/* Remembers an enter event (a record udig_evt_parse accepted) for pairing
 * with the exit.  Inline: every enter event comes through here. */
static inline __attribute__((always_inline)) int tables_thread_set_enter(struct thread_entry *te,
									   const struct udig_evt *ev)
{
	struct thread_enter *en = te->enter;
	uint32_t n = ev->len;
	if (__builtin_expect(!en || n > en->cap, 0)) {
		if (tables_thread_enter_grow(te, n))
			return -1;
		en = te->enter;
	}
	/* Enter records are short: a few 16-byte moves, overlapping at the
	 * end (a parsed record has at least its 26-byte header), beat a call. */
	if (n <= 32) {
		memcpy(en->raw, ev->raw, 16);
		memcpy(en->raw + n - 16, ev->raw + n - 16, 16);
	} else if (n <= 64) {
		memcpy(en->raw, ev->raw, 32);
		memcpy(en->raw + n - 32, ev->raw + n - 32, 32);
	} else {
		memcpy(en->raw, ev->raw, n);
	}
	/* The parsed form, its pointers moved from ev's record to the copy.
	 * The header fields are decoded again from the record rather than
	 * copied from *ev: ev was just written field by field, and the wider
	 * loads a compiler makes of neighbouring fields cannot be served from
	 * those narrower stores (a stall of the order of the whole copy). */
	en->ev.ts = evt_le(ev->raw, 8);
	en->ev.tid = evt_le(ev->raw + 8, 8);
	en->ev.len = n;
	en->ev.type = (uint16_t)evt_le(ev->raw + 20, 2);
	en->ev.nparams = (uint32_t)evt_le(ev->raw + 22, 4);
	en->ev.num = ev->num;
	en->ev.cpu = ev->cpu;
	en->ev.dump_flags = ev->dump_flags;
	en->ev.raw = en->raw;
	en->ev.nvals = ev->nvals;
	for (uint32_t i = 0; i < ev->nvals; i++) {
		en->ev.val[i] = en->raw + (ev->val[i] - ev->raw);
		en->ev.vlen[i] = ev->vlen[i];
	}
	te->enter_type = ev->type;
	te->enter_fd = -1;
	/* the fd an EF_USES_FD event works on, for udig_evt_fd on its exit */
	if (ev->nvals > 0 && ev->type < UDIG_EVENT_MAX) {
		const struct udig_event_info *info = &udig_event_table[ev->type];
		if ((info->flags & UDIG_EF_USES_FD) && info->params[0].type == UDIG_PT_FD)
			te->enter_fd = evt_int(ev, 0, -1);
	}
	return 0;
}

/* fds: the table that holds tid's fds (its main thread's if that is known). */
static inline struct thread_entry *tables_fd_owner(const struct udig_tables *t, int64_t tid)
{
	struct thread_entry *te = tables_thread_get(t, tid);
	if (te && te->ti.pid != tid && te->ti.pid > 0) {
		struct thread_entry *main = tables_thread_get(t, te->ti.pid);
		if (main)
			return main;
	}
	return te;
}

static inline struct fd_entry *tables_fd_get(const struct udig_tables *t, int64_t tid, int64_t fd)
{
	struct thread_entry *te = tables_fd_owner(t, tid);
	struct fd_entry *f = NULL;
	if (te)
		HASH_FIND(hh, te->fds, &fd, sizeof fd, f);
	return f;
}
/* Inserts a copy of *fi into tid's fd table, replacing the same fd. */
struct fd_entry *tables_fd_add(struct udig_tables *t, int64_t tid, const struct udig_fdinfo *fi);
void tables_fd_remove(struct udig_tables *t, int64_t tid, int64_t fd);
/* Copies every fd of `from`'s table into `to`'s own table (fork without CLONE_FILES). */
int tables_fd_copy(struct udig_tables *t, int64_t from_tid, int64_t to_tid);

/* Users, groups (a later list replaces an earlier one: call tables_*_clear first). */
int tables_user_add(struct udig_tables *t, const struct udig_user *u);
int tables_group_add(struct udig_tables *t, const struct udig_group *g);
void tables_users_clear(struct udig_tables *t);
void tables_groups_clear(struct udig_tables *t);

/* Interfaces. */
int tables_iface4_add(struct udig_tables *t, const struct udig_iface4 *i);
int tables_iface6_add(struct udig_tables *t, const struct udig_iface6 *i);
void tables_ifaces_clear(struct udig_tables *t);

#endif
