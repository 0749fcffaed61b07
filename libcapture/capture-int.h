/*
 * Internals of libcapture: the capture handle and the vtable each event
 * source (file, live ring) implements.
 */
#ifndef UDIG_CAPTURE_INT_H
#define UDIG_CAPTURE_INT_H

#include <stdarg.h>
#include <udig/capture.h>
#include "tables.h"
#include "evt-int.h"

struct udig_source_ops {
	const char *name;
	/* Records that fail udig_evt_parse(): 1 = count in drops_invalid and go on
	 * (live rings: a traced program may scribble on its mapping), 0 = error. */
	int skip_invalid;
	/* The source's threads are this machine's (live rings): /proc speaks
	 * for them (udig_refresh_proc_table, udig_is_thread_alive).  0 for
	 * files, whose threads lived on the recording machine. */
	int proc_local;
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
	/* Reads the source again from its start (files), or says why not. */
	int (*restart)(udig_capture *c);
	/* Bytes published and unread: the most seen, and now (rings). */
	int (*buf_used)(udig_capture *c, uint64_t *peak, uint64_t *now);
	/* Optional: cuts short a wait in next() running in another thread
	 * (udig_break_wait has already set c->break_wait). */
	void (*wake)(udig_capture *c);
};

/* A growable scratch buffer, reused from event to event. */
struct scratch {
	char *p;
	size_t cap;
};

struct proc_lookup; /* procscan/lookup.c */

/*
 * Event blocks of a .scap read buffer (specs/scap-file.md): the 8-byte block
 * header (id, total length), the cpu id (2 bytes), the dump flags (4 bytes)
 * in EVF blocks, the record, padding and the 4-byte trailer.  A window is
 * the unread part of the buffer plus what a block must be for udig_next to
 * take it without the source: the block type the file has been using, a
 * total length in [min, max] that fits, an event type in our table and an
 * event length that fits its block — the source's own checks, so that
 * anything else reaches the source, which takes or reports it as before.
 * Per event this saves the call into the source and a second look at each
 * block.  Only the file source sets one up (scap/read.c), and it leaves the
 * buffer alone while p is set; min > max disarms it.
 */
struct evt_window {
	const uint8_t *p, *end; /* unread blocks; p NULL: no window */
	uint32_t id, prefix;    /* block type; bytes between block header and record (2 or 6) */
	uint32_t min, max;      /* accepted block lengths */
};

/* Takes the block at w->p if it qualifies (1), else leaves the window as is (0). */
static inline int evt_window_take(struct evt_window *w, const uint8_t **rec, uint32_t *len, uint16_t *cpu,
				  uint32_t *dump_flags)
{
	const uint8_t *p = w->p;
	size_t avail = (size_t)(w->end - p);
	if (avail < 8)
		return 0;
	uint32_t tl = (uint32_t)evt_le(p + 4, 4);
	if ((uint32_t)evt_le(p, 4) != w->id || tl < w->min || tl > w->max || tl > avail)
		return 0;
	const uint8_t *ev = p + 8 + w->prefix;
	uint32_t elen = (uint32_t)evt_le(ev + 16, 4);
	if (evt_le(ev + 20, 2) >= UDIG_EVENT_MAX || elen < UDIG_HDR_SIZE || elen > tl - 12 - w->prefix)
		return 0;
	*rec = ev;
	*len = elen;
	*cpu = (uint16_t)evt_le(p + 8, 2);
	*dump_flags = w->prefix == 6 ? (uint32_t)evt_le(p + 10, 4) : 0;
	w->p = p + tl;
	return 1;
}

#define CAPTURE_EXITED_SETS 512u

struct udig_capture {
	const struct udig_source_ops *ops;
	void *src;                 /* the source's private state */
	struct udig_tables tables; /* threads, fds, users, groups, interfaces, machine */
	struct udig_stats stats;
	int64_t self_pid;          /* live: events of this pid are not ours to show */
	int parse_state;           /* keep tables current from events (default 1) */
	/* udig_break_wait: the next wait for events returns UDIG_TIMEOUT at
	 * once (set from any thread, taken by the reading one). */
	int break_wait;
	/* udig_live_opts.proc_scan_late: the /proc scan is still to be made
	 * (capture_scan_late), by the thread that reads. */
	int scan_pending;
	int64_t scan_line_of;      /* udig_live_opts.proc_scan_line_of */
	/* State changes libsinsp applies one event late, so that the event that
	 * causes them still sees the fd / thread (state/state.c). */
	struct {
		int64_t close_tid, close_fd; /* valid when has_close */
		int64_t exit_tid;            /* valid when has_exit */
		uint8_t has_close, has_exit;
	} pending;
	/* Live captures: a thread the table has never seen is read from /proc
	 * before a placeholder is made for it, as libsinsp does in live mode
	 * (set by the ring source).  NULL for files: their threads lived on
	 * the recording machine, not in this one's /proc. */
	struct proc_lookup *lookup;
	/* Threads whose last event was their procexit (tid + 1; 0 is empty),
	 * two ways per set chosen by tid, the newer first: a second procexit
	 * for such a thread is a duplicate and is skipped.  Reapers write one
	 * for every process they reap (udig run, the preloaded parent's wait,
	 * the tracers), not knowing whether the process wrote its own; any
	 * other event of the tid (a new thread under a reused id) clears its
	 * way.  The duplicate comes right after the process's end, so it is
	 * missed only when two other ends of the same set came in between. */
	uint64_t exited[CAPTURE_EXITED_SETS][2];
	/* Live captures: the other threads of a process that died of a signal
	 * or exec'd, one procexit each, still to be handed out (capture.c,
	 * group_end). */
	struct {
		uint8_t rec[128];
		uint32_t len;
		int64_t *tids;
		size_t n, cap;
	} ends;
	struct scratch path; /* the state engine builds fd names here */
	/* The file source's read buffer, opened to udig_next (struct
	 * evt_window below): while p is set, udig_next takes the event blocks
	 * there itself, each checked as the source would, and calls next()
	 * only for a block it does not take. */
	struct evt_window win;
	udig_format *json_default; /* udig_format_json's format, compiled on first use */
	char err[UDIG_ERRBUF_SIZE];
};

/* CLOCK_MONOTONIC in ns (capture.c): the naps, retries and ages of the
 * live source and the /proc scanner. */
uint64_t capture_mono_ns(void);

/* Allocates a handle with empty tables for a source to fill. */
udig_capture *capture_alloc(const struct udig_source_ops *ops, void *src);
void capture_seterr(udig_capture *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* snprintf into an UDIG_ERRBUF_SIZE buffer; tolerates err == NULL. */
void udig_errf(char *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Sources. */
udig_capture *scap_file_open(int fd, const char *name, char *err); /* scap/read.c */
udig_capture *ring_live_open(const struct udig_live_opts *o, char *err); /* ring/read.c */

/* State engine (state/state.c): applies one event to c->tables, as libsinsp's parsers do. */
void state_apply(udig_capture *c, const struct udig_evt *ev);

/* /proc scanner (procscan/scan.c): fills tables with this machine's state. */
int procscan_machine(struct udig_machine_info *mi, char *err);
int procscan_threads(struct udig_tables *t, char *err);
/* Only the process of thread pid (its threads and fds) and the main
 * threads of its ancestors, up to init or the edge of our pid namespace. */
int procscan_ancestry(struct udig_tables *t, int64_t pid, char *err);
int procscan_users(struct udig_tables *t, char *err);
int procscan_ifaces(struct udig_tables *t, char *err);
/* Removes the threads of every process descended from pid anc (not anc's own). */
void procscan_drop_descendants(struct udig_tables *t, int64_t anc);
/* The thread table's seed from /proc, of the machine or of one process's
 * line (udig_live_opts.proc_scan_line_of); a partial one is kept. */
void capture_scan(udig_capture *c);
/* The scan udig_live_opts.proc_scan_late put off, if still to be made. */
void capture_scan_late(udig_capture *c);

/* On-demand /proc lookups of unknown threads (procscan/lookup.c). */
struct proc_lookup *proc_lookup_new(void);
void proc_lookup_free(struct proc_lookup *pl);
/* Adds tid (and, when unknown, its process's main thread with its fds)
 * from /proc to c->tables.  NULL when /proc has nothing for it; such a
 * miss is remembered for a while, so that a thread that is gone costs one
 * failed read, not one per event. */
struct thread_entry *proc_lookup_thread(udig_capture *c, int64_t tid);
/* How many times /proc was read for a thread (for tests). */
uint64_t proc_lookup_reads(const struct proc_lookup *pl);

#endif
