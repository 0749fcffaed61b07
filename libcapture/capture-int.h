/*
 * Internals of libcapture: the capture handle and the vtable each event
 * source (file, live ring) implements.
 */
#ifndef UDIG_CAPTURE_INT_H
#define UDIG_CAPTURE_INT_H

#include <stdarg.h>
#include <udig/capture.h>
#include "tables.h"

struct udig_source_ops {
	const char *name;
	/* Records that fail udig_evt_parse(): 1 = count in drops_invalid and go on
	 * (live rings: a traced program may scribble on its mapping), 0 = error. */
	int skip_invalid;
	/*
	 * The next record: *rec stays valid until the next call.  Returns
	 * UDIG_OK, UDIG_TIMEOUT, UDIG_EOF or an error (message via capture_seterr).
	 * timeout_ms < 0 waits forever; files ignore it.
	 */
	int (*next)(udig_capture *c, const uint8_t **rec, uint32_t *len, uint16_t *cpu,
		    uint32_t *dump_flags, int timeout_ms);
	void (*close)(udig_capture *c);
	/* Optional (NULL = UDIG_NOT_SUPPORTED). */
	int (*start)(udig_capture *c);
	int (*stop)(udig_capture *c);
	int (*set_snaplen)(udig_capture *c, uint32_t snaplen);
	int (*set_eventmask)(udig_capture *c, uint16_t type, int enabled);
	/* Adds the source's own counters (ring counters) to *st. */
	void (*stats)(const udig_capture *c, struct udig_stats *st);
};

struct udig_capture {
	const struct udig_source_ops *ops;
	void *src;                 /* the source's private state */
	struct udig_tables tables; /* threads, fds, users, groups, interfaces, machine */
	struct udig_stats stats;
	int64_t self_pid;          /* live: events of this pid are not ours to show */
	int parse_state;           /* keep tables current from events (default 1) */
	/* State changes libsinsp applies one event late, so that the event that
	 * causes them still sees the fd / thread (state.c). */
	struct {
		int64_t close_tid, close_fd; /* valid when has_close */
		int64_t exit_tid;            /* valid when has_exit */
		uint8_t has_close, has_exit;
	} pending;
	char err[UDIG_ERRBUF_SIZE];
};

/* Allocates a handle with empty tables for a source to fill. */
udig_capture *capture_alloc(const struct udig_source_ops *ops, void *src);
void capture_seterr(udig_capture *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* snprintf into an UDIG_ERRBUF_SIZE buffer; tolerates err == NULL. */
void udig_errf(char *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Sources. */
udig_capture *scap_file_open(int fd, const char *name, char *err); /* scap_read.c */
udig_capture *ring_live_open(const struct udig_live_opts *o, char *err); /* ring_read.c */

/* State engine (state.c): applies one event to c->tables, as libsinsp's parsers do. */
void state_apply(udig_capture *c, const struct udig_evt *ev);

/* /proc scanner (procscan.c): fills tables with this machine's state. */
int procscan_machine(struct udig_machine_info *mi, char *err);
int procscan_threads(struct udig_tables *t, char *err);
int procscan_users(struct udig_tables *t, char *err);
int procscan_ifaces(struct udig_tables *t, char *err);

#endif
