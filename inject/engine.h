/*
 * Inside the injector: the capture session every engine writes through, and
 * the engine vtable (one implementation per mechanism, libscap-style).
 */
#ifndef INJECT_ENGINE_H
#define INJECT_ENGINE_H

#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <sys/types.h>

#include "inject/inject.h"
#include "inject/setid.h"
#include "udig/encode/fillers.h"
#include "udig/encode/ring_writer.h"

struct inj_session;

struct inject_engine_ops {
	const char *name;
	int writes_exits;   /* see inject_engine_writes_exits() */
	/* Start argv under capture; s->root becomes its pid. */
	int (*launch)(struct inj_session *s, char *const argv[], char *err);
	/* Take over a running process (NULL: the engine cannot attach). */
	int (*attach)(struct inj_session *s, pid_t pid, char *err);
	/* Serve until every tracee is gone (returns 1) or *stop (returns 0);
	 * stop may be NULL.  Records s->root_status when the root is reaped. */
	int (*loop)(struct inj_session *s, volatile sig_atomic_t *stop, char *err);
	/* Release every tracee, leaving it running. */
	int (*detach)(struct inj_session *s, char *err);
	/* Free engine state; kills nothing. */
	void (*cleanup)(struct inj_session *s);
};

extern const struct inject_engine_ops inj_ptrace_engine;
extern const struct inject_engine_ops inj_unotify_engine;

struct inj_session {
	struct inject_opts o;
	const struct inject_engine_ops *ops;
	void *engine;                 /* the engine's own state */
	uint8_t mask[INJECT_MASK_BYTES];  /* effective selection (lifecycle added) */
	struct udig_ring_writer rw;
	int rw_open;
	uint8_t *buf;                 /* one record under construction */
	size_t bufsize;
	struct inject_stats st;
	pid_t root;                   /* launched or attached process */
	int root_status;              /* its wait status, once reaped */
	int root_reaped;
	int attach_mode;
	struct inj_setid_guard setid;  /* can a set-ID exec lose its privileges here? */
	char last_notice[2 * INJECT_ERRBUF_SIZE];  /* inj_notice says a line once in a row */
	/* The consumer's controls (udig_rw_screen): the record being built's
	 * facts for the writer, and each traced thread's suppression verdict
	 * (direct-mapped by tid; a collision only costs a /proc read). */
	struct udig_rw_meta meta;
	int meta_set;
	struct inj_self { int64_t tid; struct udig_rw_self v; } selves[256];
};

int inj_session_open(struct inj_session *s, const struct inject_opts *o, int attach_mode, char *err);
void inj_session_close(struct inj_session *s);

/* CLOCK_REALTIME in ns, the timestamp of every record. */
uint64_t inj_now(void);

/* The consumer's snaplen, or the default without a ring. */
uint32_t inj_snaplen(const struct inj_session *s);

/* Build and deliver the records of one syscall / one thread exit. */
void inj_emit_enter(struct inj_session *s, const struct udig_syscall_ctx *sc);
void inj_emit_exit(struct inj_session *s, const struct udig_syscall_ctx *sc);
void inj_emit_procexit(struct inj_session *s, pid_t tid, int wstatus);
/* The child side of the fork that launched pid (udig_fill_launch_fork),
 * read from the child while it waits for inj_spawn_go(): its first record,
 * from which consumers give it our fds. */
void inj_emit_launch_fork(struct inj_session *s, pid_t pid);
/* Build the enter record into s->buf without delivering it (unotify
 * re-validates the notification in between); its length or 0. */
size_t inj_build_enter(struct inj_session *s, const struct udig_syscall_ctx *sc);
/* Deliver an already built record (ring and debug sink). */
void inj_deliver(struct inj_session *s, const void *rec, size_t len);
/* Would anyone take a record of this type?  (Saves building it.) */
int inj_wanted(const struct inj_session *s, uint16_t type);

/* Tell the caller (inject_opts.notice) one line; the same line again in a
 * row is not repeated (a shell tries the same program once per PATH
 * entry that leads to it, /bin and /usr/bin). */
void inj_notice(struct inj_session *s, const char *line);

void inj_log(const struct inj_session *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void inj_err(char *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Is nr selected? */
static inline int inj_selected(const struct inj_session *s, long nr)
{
	return nr >= 0 && nr < INJECT_NSYSCALLS && (s->mask[nr >> 3] & (1u << (nr & 7)));
}

#endif
