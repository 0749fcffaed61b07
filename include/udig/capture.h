/*
 * udig/capture.h — the consumer library (libcapture).
 *
 * Open a capture — a .scap file (plain or gzip) or a live udig ring — and
 * read its events one by one.  Like libscap, the library keeps the state of
 * the captured system up to date as events go by: a thread table (seeded
 * from the file's process list or from /proc) with each thread's fd table,
 * plus users, groups, interfaces and machine info.  Formatting (sysdig's
 * text and JSON layouts), filtering and writing .scap files build on that.
 *
 * Conventions: functions that can fail return UDIG_OK (0) or a udig_status
 * code and leave a one-line message in udig_geterr(); constructors return
 * NULL and write the message into a caller buffer of UDIG_ERRBUF_SIZE bytes.
 * Every byte read from a ring or a file is treated as hostile.
 */
#ifndef UDIG_CAPTURE_H
#define UDIG_CAPTURE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <udig/event.h>

#ifdef __cplusplus
extern "C" {
#endif

#define UDIG_ERRBUF_SIZE 256

/* Return codes (numerically those of libscap). */
enum udig_status {
	UDIG_OK = 0,
	UDIG_FAILURE = 1,
	UDIG_TIMEOUT = -1,          /* live: nothing arrived in time */
	UDIG_ILLEGAL_INPUT = 3,
	UDIG_NOTFOUND = 4,
	UDIG_INPUT_TOO_SMALL = 5,
	UDIG_EOF = 6,               /* end of file, or live capture closed */
	UDIG_UNEXPECTED_BLOCK = 7,
	UDIG_VERSION_MISMATCH = 8,  /* file from a newer major format version */
	UDIG_NOT_SUPPORTED = 9,
};

typedef struct udig_capture udig_capture;

/* ------------------------------------------------------------------ events */

/*
 * One event.  `raw` points at the record (header, length array, values),
 * which stays valid until the next udig_next() on the same capture.
 */
struct udig_evt {
	uint64_t num;        /* 1-based position in the capture */
	uint64_t ts;
	uint64_t tid;
	uint32_t len;
	uint16_t type;
	uint16_t cpu;
	uint32_t nparams;    /* length slots in the record */
	uint32_t dump_flags; /* .scap EVF flags (UDIG_DF_*), 0 for plain events */
	const uint8_t *raw;
	uint32_t nvals;      /* usable parameters: min(record, table) */
	const uint8_t *val[UDIG_MAX_EVENT_PARAMS];
	uint32_t vlen[UDIG_MAX_EVENT_PARAMS];
};

#define UDIG_DF_STATE_ONLY 1u /* feed the state, do not show */
#define UDIG_DF_TRACER 2u

/*
 * Checks one record of at most `avail` bytes and indexes its parameters:
 * the header length must fit in avail and cover the length array and the
 * values; unknown types are accepted with nvals = 0.  Returns UDIG_OK or
 * UDIG_ILLEGAL_INPUT with a reason in err (if err is not NULL).
 */
int udig_evt_parse(const void *rec, size_t avail, struct udig_evt *ev, char *err);

/* Typed parameter access; out-of-range or wrongly-sized parameters give dflt / NULL. */
int64_t udig_evt_int(const struct udig_evt *ev, unsigned i, int64_t dflt); /* any 1/2/4/8-byte integer, sign-extended by type */
uint64_t udig_evt_uint(const struct udig_evt *ev, unsigned i, uint64_t dflt);
const char *udig_evt_str(const struct udig_evt *ev, unsigned i); /* NUL-terminated inside the record, else NULL */

/* ------------------------------------------------------------------ open */

/* Opens a .scap file, plain or gzip (detected from the content). */
udig_capture *udig_open_file(const char *path, char *err);
/* Same, reading from an open descriptor (taken over: closed by udig_close). */
udig_capture *udig_open_fd(int fd, char *err);

struct udig_live_opts {
	const char *ring_name;   /* NULL: $UDIG_RING, else "udig_buf" */
	const char *descs_name;  /* NULL: $UDIG_DESCS, else "udig_descs" */
	uint32_t snaplen;        /* 0: UDIG_DEFAULT_SNAPLEN */
	int lossless;            /* producers wait for space instead of dropping */
	int shared_ring;         /* create the objects 0666, writable by producers of any user,
	                          * and accept existing ones other users may open (default:
	                          * 0600, and an object that is not is refused) */
	int new_ring;            /* the objects must not exist yet (created with O_EXCL): a
	                          * private ring under names only its creator knows */
	const uint8_t *event_mask; /* NULL: all; else bitmap of UDIG_EVENT_MAX bits, producer-side opt-in */
	int no_proc_scan;        /* skip seeding the thread table from /proc */
	int proc_scan_late;      /* seed it at the first udig_next/udig_next_wait or
	                          * udig_dump_open* instead, leaving out the caller's own
	                          * descendants: a consumer that launches its program right
	                          * after the open (udig run) overlaps the scan with the
	                          * launch, and the program's events describe it from its
	                          * fork on.  Until then the table is empty. */
	int64_t proc_scan_line_of; /* > 0: seed it with this process (threads, fds) and its
	                          * ancestors (main threads) only, not every process of the
	                          * machine: a consumer whose events all come from one
	                          * process and its descendants (udig run: the caller; udig
	                          * attach: the target) needs no one else's state, and then
	                          * neither pays for a scan that grows with the machine nor
	                          * keeps other processes' command lines, environments and
	                          * fds in the capture. */
};
/* Becomes the consumer of a udig ring (creating it if needed).  An existing
 * object is used only if it is owned by the caller's effective uid or by
 * root and, unless shared_ring, open to no one else (README, "Security model"). */
udig_capture *udig_open_live(const struct udig_live_opts *opts, char *err);

/*
 * Next event.  UDIG_OK: *ev filled.  UDIG_TIMEOUT: live capture, nothing yet
 * (call again).  UDIG_EOF: the end.  Anything else: an error; udig_geterr()
 * says what and, for files, at which offset.  Events already returned stay valid
 * data: an error never retracts them.
 */
int udig_next(udig_capture *c, struct udig_evt *ev);
/* Live: wait up to timeout_ms (negative: forever) for an event. */
int udig_next_wait(udig_capture *c, struct udig_evt *ev, int timeout_ms);
/* From any thread (not from a signal handler): the udig_next_wait or
 * udig_next running on c, or the next one to be called, returns
 * UDIG_TIMEOUT as soon as it finds nothing to return, instead of waiting
 * on — events already published are still returned first.  Once per
 * call of this function, like pcap_breakloop.  UDIG_ILLEGAL_INPUT for NULL. */
int udig_break_wait(udig_capture *c);

const char *udig_geterr(const udig_capture *c);
void udig_close(udig_capture *c);

/* Live control (UDIG_NOT_SUPPORTED on files). */
int udig_start(udig_capture *c);
int udig_stop(udig_capture *c);
int udig_live_set_snaplen(udig_capture *c, uint32_t snaplen);
int udig_set_eventmask(udig_capture *c, uint16_t type, int enabled);

struct udig_stats {
	uint64_t events;          /* events returned by udig_next */
	uint64_t producer_events; /* live: events producers attempted (ring counter) */
	uint64_t drops_buffer;    /* live: dropped for lack of ring space */
	uint64_t drops_pf;        /* live: the ring's page-fault drop counter */
	uint64_t drops_invalid;   /* records that failed validation and were skipped */
	uint64_t bytes;           /* record bytes returned */
	/* Live, counted by the producers (the .ctl object; 0 until a control
	 * below is set).  Preemptions a producer cannot observe: always 0. */
	uint64_t drops_bug;       /* records a filler could not build */
	uint64_t preemptions;
	uint64_t suppressed;      /* events kept out because their thread is suppressed */
	uint64_t tids_suppressed; /* threads that found themselves suppressed */
	uint64_t sampled;         /* events left out by dropping mode */
};
int udig_get_stats(const udig_capture *c, struct udig_stats *st);

/*
 * libscap's other capture controls, pushed to the producers through the
 * ring (live captures; UDIG_NOT_SUPPORTED on files, UDIG_ILLEGAL_INPUT on
 * bad arguments).  What each costs: README, "Capture controls".
 */
/* Sampling (scap_start_dropping_mode): producers keep the events of the
 * first 1/ratio of every second, and always those that keep state; DROP_E
 * and DROP_X events bracket each sampled span.  ratio: 1, 2, 4, ..., 128. */
int udig_sampling_start(udig_capture *c, uint32_t ratio);
int udig_sampling_stop(udig_capture *c);
/* Suppression (scap_suppress_events_comm): threads whose comm is `comm`
 * (1..15 bytes; up to 32 names) or whose tid is `tid` (up to 64) write
 * nothing; counted in suppressed / tids_suppressed. */
int udig_suppress_comm(udig_capture *c, const char *comm);
int udig_suppress_tid(udig_capture *c, int64_t tid);
/* Is tid in the suppressed-tid list (scap_check_suppressed_tid)? 1 or 0. */
int udig_check_suppressed_tid(const udig_capture *c, int64_t tid);
/* Dynamic snaplen (scap_enable_dynamic_snaplen): the drivers' rules, I/O
 * of known protocols (HTTP, MySQL, PostgreSQL, MongoDB, statsd) keeps 4096
 * bytes, and I/O on a port of the full-capture range (set with
 * udig_set_fullcapture_port_range: 1 <= lo <= hi) keeps 16000. */
int udig_enable_dynamic_snaplen(udig_capture *c, int enabled);
int udig_set_fullcapture_port_range(udig_capture *c, uint16_t lo, uint16_t hi);
/* Simple mode (scap_enable_simpledriver_mode): only the syscalls the
 * simple driver keeps (state) and, with an event mask, the chosen ones. */
int udig_enable_simple_mode(udig_capture *c);
/* Tracer capture (scap_enable_tracers_capture): writes to /dev/null keep
 * 4096 bytes, for sysdig's tracers. */
int udig_enable_tracers_capture(udig_capture *c);

/* Is this a live capture? */
int udig_is_live(const udig_capture *c);

/* ------------------------------------------------------------------ state */

struct udig_machine_info {
	uint32_t num_cpus;
	uint64_t memory_size_bytes;
	uint64_t max_pid;
	char hostname[128];
};

/* fd types (the SCAP_FD_* values of the reference; stored in .scap fd lists). */
enum udig_fd_type {
	UDIG_FD_UNINITIALIZED = -1,
	UDIG_FD_UNKNOWN = 0,
	UDIG_FD_FILE = 1,
	UDIG_FD_DIRECTORY = 2,
	UDIG_FD_IPV4_SOCK = 3,
	UDIG_FD_IPV6_SOCK = 4,
	UDIG_FD_IPV4_SERVSOCK = 5,
	UDIG_FD_IPV6_SERVSOCK = 6,
	UDIG_FD_FIFO = 7,
	UDIG_FD_UNIX_SOCK = 8,
	UDIG_FD_EVENT = 9,
	UDIG_FD_UNSUPPORTED = 10,
	UDIG_FD_SIGNALFD = 11,
	UDIG_FD_EVENTPOLL = 12,
	UDIG_FD_INOTIFY = 13,
	UDIG_FD_TIMERFD = 14,
	UDIG_FD_NETLINK = 15,
	UDIG_FD_FILE_V2 = 16,
};

/* l4 protocols of socket fds */
enum udig_l4 { UDIG_L4_UNKNOWN = 0, UDIG_L4_NA = 1, UDIG_L4_TCP = 2, UDIG_L4_UDP = 3, UDIG_L4_ICMP = 4, UDIG_L4_RAW = 5 };
/* Which end of a connection an IP socket is: without a role, sysdig shows
 * no l4 protocol in its fd name (<4> rather than <4u>).  UNKNOWN (entries
 * of the initial tables): a socket has a role when it has a name. */
enum udig_fd_role { UDIG_ROLE_UNKNOWN = 0, UDIG_ROLE_NONE = 1, UDIG_ROLE_CLIENT = 2, UDIG_ROLE_SERVER = 3 };

struct udig_fdinfo {
	int64_t fd;
	uint64_t ino;
	int8_t type;          /* enum udig_fd_type */
	uint8_t role;         /* IP sockets: enum udig_fd_role, as libsinsp guesses it */
	uint32_t open_flags;  /* PPM_O_* bits (files) */
	uint32_t dev;
	char *name;           /* path, or the socket's text as sysdig shows it; never NULL */
	union {
		struct { uint8_t sip[4], dip[4]; uint16_t sport, dport; uint8_t l4proto; } v4;  /* addresses network order */
		struct { uint8_t sip[16], dip[16]; uint16_t sport, dport; uint8_t l4proto; } v6;
		struct { uint8_t ip[4]; uint16_t port; uint8_t l4proto; } v4serv;
		struct { uint8_t ip[16]; uint16_t port; uint8_t l4proto; } v6serv;
		struct { uint64_t source, dest; } unix_sock;
	} sock;
};

/* A blob is a NUL-separated list (args, env, cgroups) with its byte length. */
struct udig_blob {
	char *data; /* never NULL; NUL-terminated one past len */
	uint32_t len;
};

struct udig_threadinfo {
	int64_t tid, pid, ptid, sid, vpgid;
	char *comm, *exe, *exepath, *cwd, *root; /* never NULL */
	struct udig_blob args, env, cgroups;
	int64_t fdlimit;
	uint32_t flags; /* PPM_CL_* */
	uint32_t uid, gid;
	uint32_t vmsize_kb, vmrss_kb, vmswap_kb;
	uint64_t pfmajor, pfminor;
	int64_t vtid, vpid;
	int32_t loginuid;
	uint8_t exe_writable;
	uint32_t nfds;
	int32_t tty;       /* controlling terminal (tty_nr), 0 for none */
	uint64_t clone_ts; /* when the capture saw the thread made, 0: before it (sysdig's m_clone_ts) */
};

struct udig_user { uint32_t uid, gid; char *name, *homedir, *shell; };
struct udig_group { uint32_t gid; char *name; };
struct udig_iface4 { char *name; uint8_t addr[4], netmask[4], bcast[4]; uint64_t linkspeed; };
struct udig_iface6 { char *name; uint8_t addr[16], netmask[16], bcast[16]; uint64_t linkspeed; };

const struct udig_machine_info *udig_get_machine_info(const udig_capture *c); /* NULL if unknown */
const struct udig_threadinfo *udig_get_thread(const udig_capture *c, int64_t tid);
const struct udig_fdinfo *udig_get_fd(const udig_capture *c, int64_t tid, int64_t fd); /* the fd table of tid's process */
const struct udig_user *udig_get_user(const udig_capture *c, uint32_t uid);
const struct udig_group *udig_get_group(const udig_capture *c, uint32_t gid);

/* Iteration; the callback returns non-zero to stop.  Returns the number visited. */
size_t udig_foreach_thread(const udig_capture *c, int (*cb)(const struct udig_threadinfo *, void *), void *arg);
size_t udig_foreach_fd(const udig_capture *c, int64_t tid, int (*cb)(const struct udig_fdinfo *, void *), void *arg);
size_t udig_foreach_user(const udig_capture *c, int (*cb)(const struct udig_user *, void *), void *arg);
size_t udig_foreach_group(const udig_capture *c, int (*cb)(const struct udig_group *, void *), void *arg);
size_t udig_foreach_iface4(const udig_capture *c, int (*cb)(const struct udig_iface4 *, void *), void *arg);
size_t udig_foreach_iface6(const udig_capture *c, int (*cb)(const struct udig_iface6 *, void *), void *arg);

/*
 * libscap's process-table calls.  A live capture's threads are this
 * machine's: its table is seeded from /proc and kept current from events.
 * A file's threads lived on the recording machine: /proc here says nothing
 * about them, so the calls that read /proc return UDIG_NOT_SUPPORTED for
 * files (with the reason in udig_geterr).  Bad arguments: UDIG_ILLEGAL_INPUT.
 */
/* Live: rescans /proc (scap_refresh_proc_table).  Every thread /proc has is
 * entered afresh, with its fd table as /proc shows it now; a thread that
 * was known keeps the enter event its next exit pairs with; threads /proc
 * no longer has are removed.  Events still unread in the ring were written
 * before the scan and may describe older state (a thread they name that is
 * gone by now is read from /proc again, and then shown as unknown).  A scan
 * that fails (no /proc, no memory) leaves the table as it was. */
int udig_refresh_proc_table(udig_capture *c);
/* Any capture: puts a copy of *ti into the thread table (scap_proc_add;
 * strings may be NULL, stored as "").  A thread with that tid is replaced,
 * keeping its fd table and its pending enter event.  tid and pid >= 1;
 * strings up to 1024 bytes and args, env, cgroups up to 4096, what a .scap
 * process entry keeps (longer ones are refused, not cut); nfds is ignored. */
int udig_proc_add(udig_capture *c, const struct udig_threadinfo *ti);
/* Live: is thread tid of process pid running, and (comm not NULL) named
 * comm (scap_is_thread_alive)?  *alive = 1 or 0.  The name is compared with
 * /proc's, the first 15 bytes of comm (what the kernel keeps), exactly;
 * libscap takes comm as a prefix.  A zombie (exited, not yet reaped) is
 * not alive.  comm "" is refused (NULL matches any name). */
int udig_is_thread_alive(udig_capture *c, int64_t pid, int64_t tid, const char *comm, int *alive);
/* Live: how full the ring is, in bytes published and not yet read
 * (scap_max_buf_used): *peak, the most the consumer has seen since it
 * opened the ring (looked at whenever it reads the ring's head: at least
 * every 16 KiB it reads, and when it has read all there was); *now, if not
 * NULL, the fill at this call — libscap's value, the fill of its fullest
 * per-CPU buffer now (a udig ring is one buffer of UDIG_RINGBUF_SIZE).
 * Files: UDIG_NOT_SUPPORTED, a file has no buffer to fill. */
int udig_max_buf_used(udig_capture *c, uint64_t *peak, uint64_t *now);
/* Files: reads the capture again from its start (scap_restart_capture),
 * as if just opened: the tables are reloaded from the file's first
 * section, events are numbered from 1 again, the statistics start over;
 * filters, formats and dumpers stay valid.  Also after an error, unless
 * the file's reads failed (a truncated gzip stream can be read again).
 * UDIG_NOT_SUPPORTED for a file read from a pipe or socket (it cannot
 * seek) and for live captures (a ring's events are gone once read). */
int udig_restart_capture(udig_capture *c);

/* The fd an event operates on (EF_USES_FD events: the enter's fd parameter,
 * paired with the thread's enter for exits), or -1. */
int64_t udig_evt_fd(const udig_capture *c, const struct udig_evt *ev);

/* ------------------------------------------------------------------ output */

/*
 * sysdig's default line for an event:
 *   "%evt.num %evt.time %evt.cpu %proc.name (%thread.tid) %evt.dir %evt.type %evt.args"
 * (no trailing newline).  Returns the length the full text needs, like
 * snprintf; call after udig_next() so that the state matches the event.
 */
size_t udig_format_text(udig_capture *c, const struct udig_evt *ev, char *buf, size_t size);
/* evt.args / evt.info alone ("fd=3(<f>/etc/hostname) size=4096"). */
size_t udig_format_args(udig_capture *c, const struct udig_evt *ev, char *buf, size_t size);
/* One JSON object as `sysdig -j` prints it, no newline: the fields of
 * UDIG_FORMAT_DEFAULT (udig_format_compile_flags with UDIG_FORMAT_JSON). */
size_t udig_format_json(udig_capture *c, const struct udig_evt *ev, char *buf, size_t size);

/* ------------------------------------------------------------------ fields */

/*
 * sysdig's event fields (evt.type, proc.name, fd.sip, ...), one table that
 * drives filters, `-p` formats and field values alike.  udig_field_list()
 * lists them as `sysdig -l` does; a field may take an argument:
 * evt.arg.NAME / evt.arg[N], proc.aname[N] / proc.apid[N] (without one,
 * these two match any ancestor, in filters only).
 */
enum udig_field_type {
	UDIG_FT_STRING,  /* text; every string operator */
	UDIG_FT_INT64,   /* signed number */
	UDIG_FT_UINT64,  /* unsigned number (evt.num, evt.latency, ...) */
	UDIG_FT_BOOL,    /* true / false */
	UDIG_FT_IPADDR,  /* an IPv4 or IPv6 address */
	UDIG_FT_PORT,    /* a port: a number or a service name in filters */
};
#define UDIG_FIELD_ARG_REQUIRED 1u /* evt.arg: .NAME or [N] is required */
#define UDIG_FIELD_ARG_INDEX 2u    /* proc.aname, proc.apid: an optional [N] */
#define UDIG_FIELD_FILTER_ONLY 4u  /* without its argument, usable in filters only */

struct udig_field_info {
	const char *name;
	enum udig_field_type type;
	unsigned flags;
	const char *desc;
};
/* Every field, in `sysdig -l` order within each class; *n receives the count. */
const struct udig_field_info *udig_field_list(size_t *n);
/* The field named exactly `name` (no argument), or NULL. */
const struct udig_field_info *udig_field_find(const char *name);

/* A field with its argument resolved ("evt.arg.fd", "proc.aname[2]"). */
typedef struct udig_field udig_field;
udig_field *udig_field_compile(const char *name, char *err);
void udig_field_free(udig_field *f);

struct udig_field_value {
	enum udig_field_type type;
	int64_t i;       /* INT64, BOOL (0/1) */
	uint64_t u;      /* UINT64, PORT */
	uint8_t ip[16];  /* IPADDR: ip_len (4 or 16) bytes, network order */
	uint32_t ip_len;
	const char *str; /* STRING: valid until the next udig_next() or value use */
	char buf[64];    /* storage for short strings */
	char *alloc;     /* internal: text the extractor allocated (freed by the next use) */
};
/* The value of f for ev: 1 and *v set when the event has the field, 0 when
 * not (sysdig's <NA>), -1 on bad arguments.  Call udig_field_value_done(v)
 * once the value is no longer needed. */
int udig_field_extract(udig_capture *c, const struct udig_evt *ev, const udig_field *f,
		       struct udig_field_value *v);
void udig_field_value_done(struct udig_field_value *v);
/* The value as `sysdig -p` prints it ("<NA>" when absent); returns the
 * length the full text needs, like snprintf. */
size_t udig_field_format(udig_capture *c, const struct udig_evt *ev, const udig_field *f, char *buf, size_t size);

/*
 * `sysdig -p` formats: text with %field tokens ("%evt.num %proc.name
 * %fd.name"), %Nfield pads a value to N columns.  Without a leading '*',
 * an event is shown only when it has every field of the format.
 */
typedef struct udig_format udig_format;
udig_format *udig_format_compile(const char *fmt, char *err);

/* sysdig's output format when no -p is given. */
#define UDIG_FORMAT_DEFAULT "*%evt.num %evt.outputtime %evt.cpu %proc.name (%thread.tid) %evt.dir %evt.type %evt.info"
/*
 * Flags of udig_format_compile_flags:
 * UDIG_FORMAT_JSON: `sysdig -j -p FORMAT`: one JSON object of the format's
 *   fields instead of the line — keys the field names as written, sorted;
 *   numbers and booleans bare, text, addresses and hex numbers quoted, an
 *   absent field null (and, without '*', the event not shown); literal
 *   text and widths left out; buffers whole (evt.outputtime becomes the
 *   timestamp in nanoseconds).
 * UDIG_FORMAT_ASCII: `sysdig -A`: byte buffers (I/O data, execve args ...)
 *   as a newline then their printable text, line ends kept, never cut.
 */
#define UDIG_FORMAT_JSON 1u
#define UDIG_FORMAT_ASCII 2u
udig_format *udig_format_compile_flags(const char *fmt, unsigned flags, char *err);
/* I/O data buffers (parameters named data) shown up to n bytes, whole
 * (not cut at 80 columns); 0 restores sysdig's rendering.  An udig
 * extension (`udig read -s N`): sysdig's -s only sets a live snaplen. */
int udig_format_set_datalen(udig_format *f, uint32_t n);
/* Writes the line or JSON object (no newline) into buf like snprintf,
 * *len = the full length; returns 1 when the event is to be shown, 0 when
 * not, -1 on bad arguments. */
int udig_format_event(const udig_format *f, udig_capture *c, const struct udig_evt *ev, char *buf, size_t size,
		      size_t *len);
void udig_format_free(udig_format *f);

/* ------------------------------------------------------------------ filters */

/*
 * sysdig's filter language over the fields above: operators = != < <= > >=
 * contains icontains startswith endswith glob pmatch in exists; 'not',
 * parentheses, and 'and' / 'or' chains, which sysdig (0.29) does not let
 * one group mix.  Example: "evt.type in (open,openat) and proc.name=cat".
 * Errors are sysdig's, with the column: "filter: unknown event type opnat
 * at column 10".
 */
typedef struct udig_filter udig_filter;
udig_filter *udig_filter_compile(const char *expr, char *err);
/* The same for events printed with UDIG_FORMAT_JSON or UDIG_FORMAT_ASCII:
 * as in sysdig, whose buffer format is one for output and filters alike,
 * evt.args, evt.info and evt.arg.* then see buffers as that output shows
 * them (whole under -j, as text under -A: `sysdig -j 'evt.args contains X'`
 * finds X past the 80 columns of the text line). */
udig_filter *udig_filter_compile_flags(const char *expr, unsigned flags, char *err);
int udig_filter_match(const udig_filter *f, udig_capture *c, const struct udig_evt *ev);
void udig_filter_free(udig_filter *f);

/* ------------------------------------------------------------------ writing */

/*
 * A .scap writer.  udig_dump_open() writes the section header and the
 * metadata blocks (machine info, interfaces, users and groups, process
 * list, fd lists) taken from `c`'s current state — or, when c is NULL, from a
 * scan of this machine's /proc — and hands them to the file; then events
 * are appended one by one.
 * compress: write one gzip stream instead of plain bytes.
 */
typedef struct udig_dumper udig_dumper;
udig_dumper *udig_dump_open(udig_capture *c, const char *path, int compress, char *err);
/*
 * The same into a descriptor the caller opened (scap_dump_open_fd): a file,
 * a pipe or a socket, written from its current offset, never seeked.  The
 * descriptor stays the caller's: udig_dump_close() ends the capture in it
 * (gzip: the stream's trailer too) and leaves it open; the caller closes it
 * (the reader of a pipe sees the end only then), and writes nothing else to
 * it while the dumper is open.  A non-blocking descriptor is waited on when
 * it is full; with compress it must be blocking (else NULL and a message,
 * as for a descriptor that is not open for writing).  Writing to a
 * pipe or socket whose reader is gone raises SIGPIPE, as any write does;
 * with SIGPIPE ignored or blocked the dump fails with EPIPE instead.
 */
udig_dumper *udig_dump_open_fd(udig_capture *c, int fd, int compress, char *err);
/*
 * The same into the caller's memory (scap_memory_dump_open): `size` bytes
 * at `buf`, which the caller owns and keeps valid until udig_dump_close();
 * plain .scap, never compressed.  Blocks land in place (udig_dump_flush has
 * nothing to do).  When a block does not fit, nothing of it is written and
 * the call returns UDIG_INPUT_TOO_SMALL — never a write past buf + size —
 * as does every later udig_dump*() and udig_dump_close(): the buffer then
 * holds a readable capture of every event dumped before, whose length is
 * udig_dump_ftell().  A buffer too small for the header fails the open
 * (NULL; what it holds then means nothing).
 */
udig_dumper *udig_dump_open_mem(udig_capture *c, void *buf, size_t size, char *err);
int udig_dump(udig_dumper *d, const struct udig_evt *ev);
/* A raw record (header + lengths + values, `len` bytes) with its cpu and EVF flags. */
int udig_dump_record(udig_dumper *d, const void *rec, uint32_t len, uint16_t cpu, uint32_t dump_flags);
/*
 * Events are buffered (about a MiB) and reach the file in large writes.
 * udig_dump_flush() hands everything dumped so far to the file (gzip: a
 * sync flush of the stream), so that the file as it is on disk — read now,
 * or left behind by a writer that is killed next — reads back with every
 * event dumped before the call; the reader reports the rest as a truncated
 * tail.  Nothing is written when nothing was dumped since the last flush,
 * so a consumer can call it on a timer (about once a second); it is not
 * meant for every event.  Returns UDIG_OK, or UDIG_FAILURE when d is NULL
 * or a write failed (now or earlier: the first error sticks, message from
 * udig_dump_geterr).
 */
int udig_dump_flush(udig_dumper *d);
const char *udig_dump_geterr(const udig_dumper *d);
/*
 * Bytes of the capture written so far (scap_dump_ftell): the length of the
 * uncompressed .scap stream, header included, counting what is still
 * buffered and not yet flushed — compressed or not, so with gzip the file
 * is smaller (its size is not reported: zlib keeps part of it).  For a
 * memory dump, the bytes of the buffer in use.  After a write error, the
 * bytes handed out before it.  -1 when d is NULL.
 */
int64_t udig_dump_ftell(const udig_dumper *d);
/* Flushes, closes and frees; returns UDIG_OK or the first write error (message in err). */
int udig_dump_close(udig_dumper *d, char *err);

const char *udig_version(void);

#ifdef __cplusplus
}
#endif
#endif
