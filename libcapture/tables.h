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

#include <uthash.h>
#include <udig/capture.h>

struct fd_entry {
	struct udig_fdinfo fi;
	UT_hash_handle hh;
};

struct thread_entry {
	struct udig_threadinfo ti;
	struct fd_entry *fds;   /* the fd table; threads use their main thread's (see tables_fd_owner) */
	/* The last enter event of this thread, so its exit can be paired (libsinsp
	 * keeps the same): a copy of the record, its type and its fd parameter. */
	uint8_t *enter;
	uint32_t enter_len, enter_cap;
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
struct thread_entry *tables_thread_get(const struct udig_tables *t, int64_t tid);
/* Inserts a copy of *ti (replacing any entry with that tid, whose fd table is dropped). */
struct thread_entry *tables_thread_add(struct udig_tables *t, const struct udig_threadinfo *ti);
void tables_thread_remove(struct udig_tables *t, int64_t tid);
/* Replaces one string field of a thread (e.g. &te->ti.cwd) with a copy of s[0..len). */
int tables_set_str(char **field, const char *s, size_t len);
int tables_set_blob(struct udig_blob *field, const char *s, size_t len);
/* Remembers an enter event for pairing with the exit. */
int tables_thread_set_enter(struct thread_entry *te, const struct udig_evt *ev);

/* fds: the table that holds tid's fds (its main thread's if that is known). */
struct thread_entry *tables_fd_owner(const struct udig_tables *t, int64_t tid);
struct fd_entry *tables_fd_get(const struct udig_tables *t, int64_t tid, int64_t fd);
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
