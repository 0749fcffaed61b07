/*
 * One renderer per parameter type, producing what libsinsp's
 * get_param_as_str gives sysdig: the value text and an optional "resolved"
 * text that sysdig shows in parentheses (fd names, errno and signal names,
 * flag names, absolute paths, process names).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "format-int.h"
#include "../state/state-int.h"

struct pctx {
	udig_capture *c;
	const struct udig_evt *ev;
	const struct udig_param_info *pi;  /* the (dynamic-resolved) parameter type */
	const struct udig_param_info *top; /* the table entry (print format, names) */
	unsigned idx;
	const uint8_t *v;
	uint32_t len;
	struct fmtbuf *val, *res;
	const struct param_render *r;
};

static uint64_t le(const uint8_t *p, uint32_t n)
{
	uint64_t v = 0;
	for (uint32_t i = 0; i < n && i < 8; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

static struct thread_entry *ev_thread(const struct pctx *p)
{
	return tables_thread_get(&p->c->tables, (int64_t)p->ev->tid);
}

/* Numbers: the print format picks octal ("%#o"), hex ("%X"), padded or
 * plain decimal, with the C type libsinsp formats them as. */
#define NUMFMT(fmt, O, D, X) ((fmt) == UDIG_PF_OCT ? "%#" O : (fmt) == UDIG_PF_HEX ? "%" X \
			      : (fmt) == UDIG_PF_10_PADDED_DEC ? "%09" D : "%" D)

static void r_int(struct pctx *p)
{
	uint8_t f = p->top->fmt;
	uint64_t u = le(p->v, p->len);
	switch (p->pi->type) {
	case UDIG_PT_INT8: fb_printf(p->val, NUMFMT(f, PRIo8, PRId8, PRIX8), (int8_t)u); break;
	case UDIG_PT_INT16: fb_printf(p->val, NUMFMT(f, PRIo16, PRId16, PRIX16), (int16_t)u); break;
	case UDIG_PT_INT32: fb_printf(p->val, NUMFMT(f, PRIo32, PRId32, PRIX32), (int32_t)u); break;
	case UDIG_PT_INT64: fb_printf(p->val, NUMFMT(f, PRIo64, PRId64, PRIX64), (int64_t)u); break;
	case UDIG_PT_UINT8: fb_printf(p->val, NUMFMT(f, PRIo8, PRId8, PRIX8), (uint8_t)u); break;
	case UDIG_PT_UINT16: fb_printf(p->val, NUMFMT(f, PRIo16, PRId16, PRIX16), (uint16_t)u); break;
	case UDIG_PT_UINT32: fb_printf(p->val, NUMFMT(f, PRIo32, PRId32, PRIX32), (uint32_t)u); break;
	/* libsinsp prints UINT64 through a signed value */
	case UDIG_PT_UINT64: fb_printf(p->val, NUMFMT(f, PRIo64, PRId64, PRIX64), (int64_t)u); break;
	}
}


static void r_errno(struct pctx *p)
{
	int64_t v = (int64_t)le(p->v, p->len);
	fb_printf(p->val, "%" PRId64, v);
	const char *n = format_errno_name(v);
	if (n)
		fb_puts(p->res, n);
}

static void r_fd(struct pctx *p)
{
	int64_t fd = (int64_t)le(p->v, p->len);
	fb_printf(p->val, "%" PRId64, fd);
	struct thread_entry *te = ev_thread(p);
	if (!te)
		return;
	if (fd >= 0) {
		struct fd_entry *f = tables_fd_get(&p->c->tables, te->ti.tid, fd);
		if (!f)
			return;
		char l4 = fd_l4char(&f->fi);
		fb_putc(p->res, '<');
		fb_putc(p->res, fd_typechar(&f->fi));
		if (l4)
			fb_putc(p->res, l4);
		fb_putc(p->res, '>');
		for (const char *s = f->fi.name; *s; s++)
			if ((unsigned char)*s >= 0x20 && (unsigned char)*s < 0x7f)
				fb_putc(p->res, *s);
	} else if (fd == UDIG_AT_FDCWD) {
		fb_puts(p->res, "AT_FDCWD");
	} else {
		const char *n = format_errno_name(fd);
		if (n)
			fb_puts(p->res, n);
	}
}

static void r_pid(struct pctx *p)
{
	int64_t pid = (int64_t)le(p->v, p->len);
	fb_printf(p->val, "%" PRId64, pid);
	struct thread_entry *te = tables_thread_get(&p->c->tables, pid);
	if (te && strcmp(te->ti.comm, "<NA>") != 0)
		fb_puts(p->res, te->ti.comm);
}

static void r_charbuf(struct pctx *p)
{
	/* printed up to the first NUL, unsanitised */
	fb_putn(p->val, (const char *)p->v, strnlen((const char *)p->v, p->len));
}

static void put_path_sanitized(struct fmtbuf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n && s[i]; i++)
		if ((unsigned char)s[i] >= 0x20 && (unsigned char)s[i] < 0x7f)
			fb_putc(b, s[i]);
}

static void r_path(struct pctx *p)
{
	size_t n = strnlen((const char *)p->v, p->len);
	put_path_sanitized(p->val, (const char *)p->v, n);
	struct thread_entry *te = ev_thread(p);
	if (!te || n == 0 || p->v[0] == '/' || !strcmp(p->val->p, "<NA>"))
		return;
	char *base;
	if (p->pi->type == UDIG_PT_FSRELPATH && p->top->dirfd < p->ev->nvals) {
		int64_t dirfd = udig_evt_int(p->ev, p->top->dirfd, UDIG_AT_FDCWD);
		base = path_dirfd_base(p->c, te, dirfd);
	} else {
		base = strdup(te->ti.cwd);
	}
	char rel[n + 1];
	memcpy(rel, p->v, n);
	rel[n] = 0;
	char *full = base ? path_join(base, rel) : NULL;
	if (full)
		put_path_sanitized(p->res, full, strlen(full));
	free(base);
	free(full);
}

/* libsinsp's binary_buffer_to_asciionly_string (-A): a leading newline,
 * printable ASCII kept, CR shown as a newline, LF kept unless it ends a
 * CRLF, every other byte dropped. */
static void bytebuf_ascii(struct fmtbuf *b, const uint8_t *v, uint32_t n)
{
	fb_putc(b, '\n');
	for (uint32_t i = 0; i < n; i++) {
		uint8_t ch = v[i];
		if (ch >= 0x20 && ch < 0x7f)
			fb_putc(b, (char)ch);
		else if (ch == '\r' || (ch == '\n' && i > 0 && v[i - 1] != '\r'))
			fb_putc(b, '\n');
	}
}

/* sysdig's default buffer rendering: printable ASCII kept, the rest '.';
 * the plain text line (no -v) cuts longer renderings to 80 characters
 * ending in "...".  udig read -s N shows the first N bytes of I/O data
 * instead, whole. */
#define OUTPUT_MAX 80
static void r_bytebuf(struct pctx *p)
{
	static const struct param_render text = { 0, 0, 0 };
	const struct param_render *r = p->r ? p->r : &text;
	uint32_t len = p->len, cut = r->whole || r->ascii ? UINT32_MAX : OUTPUT_MAX;
	if (r->datalen && !strcmp(p->top->name, "data")) {
		len = len < r->datalen ? len : r->datalen;
		cut = UINT32_MAX;
	}
	if (r->ascii) {
		bytebuf_ascii(p->val, p->v, len);
		return;
	}
	uint32_t n = len > cut ? cut : len;
	for (uint32_t i = 0; i < n; i++) {
		uint8_t ch = p->v[i];
		fb_putc(p->val, (ch >= 0x20 && ch < 0x7f) ? (char)ch : '.');
	}
	if (len > cut && !p->val->oom)
		memset(p->val->p + p->val->len - 3, '.', 3);
}

static void r_sockaddr(struct pctx *p)
{
	net_sockaddr_str(p->val, p->v, p->len);
}

static void r_socktuple(struct pctx *p)
{
	net_socktuple_str(p->val, p->v, p->len);
}

static void r_fdlist(struct pctx *p)
{
	struct thread_entry *te = ev_thread(p);
	if (!te || p->len < 2)
		return;
	uint16_t n = (uint16_t)le(p->v, 2);
	uint32_t pos = 2;
	for (uint32_t j = 0; j < n && pos + 10 <= p->len; j++, pos += 10) {
		int64_t fd = (int64_t)le(p->v + pos, 8);
		int16_t fl = (int16_t)le(p->v + pos + 8, 2);
		struct fd_entry *f = tables_fd_get(&p->c->tables, te->ti.tid, fd);
		fb_printf(p->val, "%" PRIu64 ":%c%x", (uint64_t)fd, f ? fd_typechar(&f->fi) : '?', (uint32_t)fl);
		if (j + 1 < n)
			fb_putc(p->val, ' ');
	}
}

static void r_syscallid(struct pctx *p)
{
	uint16_t sc = (uint16_t)le(p->v, p->len);
	if (sc >= USC_MAX) {
		fb_puts(p->val, "<unknown syscall>");
		return;
	}
	fb_printf(p->val, "%" PRIu16, sc);
	fb_puts(p->res, udig_syscall_name(sc));
}

static void r_sigtype(struct pctx *p)
{
	uint8_t sig = (uint8_t)le(p->v, p->len);
	fb_printf(p->val, "%" PRIu8, sig);
	const char *n = format_signal_name(sig);
	if (n)
		fb_puts(p->res, n);
}

static void r_reltime(struct pctx *p)
{
	uint64_t v = le(p->v, p->len);
	fb_printf(p->val, "%" PRIu64, v);
	fb_printf(p->res, "%lgs", (double)v / 1000000000);
}

static void r_abstime(struct pctx *p)
{
	uint64_t v = le(p->v, p->len);
	time_t sec = (time_t)(v / 1000000000ULL);
	struct tm tm;
	char date[40], zone[16], s[80];
	localtime_r(&sec, &tm);
	strftime(date, sizeof date, "%Y-%m-%d %H:%M:%S", &tm);
	strftime(zone, sizeof zone, "%z", &tm);
	snprintf(s, sizeof s, "%s.%09lu %s", date, (unsigned long)(v % 1000000000ULL), zone);
	fb_puts(p->val, s);
}

/* Flag names: each table entry whose bits are all set is named and its
 * bits taken away; a zero entry names only a zero value. */
static void r_flags(struct pctx *p)
{
	uint32_t v = (uint32_t)le(p->v, p->len);
	fb_printf(p->val, "%" PRIu32, v);
	const struct udig_name_value *nv = p->top->names;
	const char *sep = "";
	uint32_t init = v;
	for (; nv && nv->name; nv++) {
		if ((nv->value == 0 && init == 0) || (nv->value != 0 && (v & nv->value) == nv->value && v != 0)) {
			fb_printf(p->res, "%s%s", sep, nv->name);
			sep = "|";
			v &= ~nv->value;
			if (nv->value == init)
				break;
		}
	}
}

static void r_mode(struct pctx *p)
{
	uint32_t v = (uint32_t)le(p->v, p->len);
	fb_printf(p->val, NUMFMT(p->top->fmt, PRIo32, PRId32, PRIX32), v);
	const struct udig_name_value *nv = p->top->names;
	const char *sep = "";
	uint32_t init = v;
	for (; nv && nv->name && nv->value != init; nv++) {
		if ((nv->value == 0 && init == 0) || (nv->value != 0 && (v & nv->value) == nv->value && v != 0)) {
			fb_printf(p->res, "%s%s", sep, nv->name);
			sep = "|";
			v &= ~nv->value;
		}
	}
	if (nv && nv->name)
		fb_printf(p->res, "%s%s", sep, nv->name);
}

/* ids resolve to the user or group name from the capture's lists */
static void r_uid(struct pctx *p)
{
	uint32_t v = (uint32_t)le(p->v, p->len);
	if (v == UINT32_MAX) {
		fb_puts(p->val, "-1");
		fb_puts(p->res, "<NONE>");
		return;
	}
	fb_printf(p->val, "%d", (int)v);
	const char *name = NULL;
	if (p->pi->type == UDIG_PT_UID) {
		const struct udig_user *u = udig_get_user(p->c, v);
		name = u ? u->name : NULL;
	} else {
		const struct udig_group *g = udig_get_group(p->c, v);
		name = g ? g->name : NULL;
	}
	if (name)
		for (const char *s = name; *s; s++)
			if ((unsigned char)*s >= 0x20 && (unsigned char)*s < 0x7f)
				fb_putc(p->res, *s);
	if (!name)
		fb_puts(p->res, "<NA>");
}

/* the names of the signals in the mask, space-separated */
static void r_sigset(struct pctx *p)
{
	uint32_t v = (uint32_t)le(p->v, p->len);
	int first = 1;
	for (unsigned sig = 0; sig < 32; sig++) {
		const char *n = (v & (1u << sig)) ? format_signal_name(sig + 1) : NULL;
		if (n) {
			if (!first)
				fb_putc(p->val, ' ');
			fb_puts(p->val, n);
			first = 0;
		}
	}
}

static void r_double(struct pctx *p)
{
	double d;
	memcpy(&d, p->v, sizeof d);
	fb_printf(p->val, "%lf", d);
}

static void r_bool(struct pctx *p)
{
	fb_puts(p->val, le(p->v, p->len) ? "true" : "false");
}

static void r_ipv4addr(struct pctx *p)
{
	fb_printf(p->val, "%u.%u.%u.%u", p->v[0], p->v[1], p->v[2], p->v[3]);
}

static void r_port(struct pctx *p)
{
	fb_printf(p->val, "%" PRIu16, (uint16_t)le(p->v, p->len));
}

static void r_unknown(struct pctx *p)
{
	fb_puts(p->val, "(n.a.)");
}

typedef void (*renderer)(struct pctx *);

/* Expected value sizes; 0 = variable. */
static const struct {
	renderer fn;
	uint8_t size;
} renderers[UDIG_PT_MAX] = {
	[UDIG_PT_INT8] = { r_int, 1 },       [UDIG_PT_INT16] = { r_int, 2 },
	[UDIG_PT_INT32] = { r_int, 4 },      [UDIG_PT_INT64] = { r_int, 8 },
	[UDIG_PT_UINT8] = { r_int, 1 },      [UDIG_PT_UINT16] = { r_int, 2 },
	[UDIG_PT_UINT32] = { r_int, 4 },     [UDIG_PT_UINT64] = { r_int, 8 },
	[UDIG_PT_CHARBUF] = { r_charbuf, 0 }, [UDIG_PT_BYTEBUF] = { r_bytebuf, 0 },
	[UDIG_PT_ERRNO] = { r_errno, 8 },    [UDIG_PT_SOCKADDR] = { r_sockaddr, 0 },
	[UDIG_PT_SOCKTUPLE] = { r_socktuple, 0 }, [UDIG_PT_FD] = { r_fd, 8 },
	[UDIG_PT_PID] = { r_pid, 8 },        [UDIG_PT_FDLIST] = { r_fdlist, 0 },
	[UDIG_PT_FSPATH] = { r_path, 0 },    [UDIG_PT_SYSCALLID] = { r_syscallid, 2 },
	[UDIG_PT_SIGTYPE] = { r_sigtype, 1 }, [UDIG_PT_RELTIME] = { r_reltime, 8 },
	[UDIG_PT_ABSTIME] = { r_abstime, 8 }, [UDIG_PT_PORT] = { r_port, 2 },
	[UDIG_PT_L4PROTO] = { r_int, 1 },    [UDIG_PT_SOCKFAMILY] = { r_int, 1 },
	[UDIG_PT_BOOL] = { r_bool, 4 },      [UDIG_PT_IPV4ADDR] = { r_ipv4addr, 4 },
	[UDIG_PT_FLAGS8] = { r_flags, 1 },   [UDIG_PT_FLAGS16] = { r_flags, 2 },
	[UDIG_PT_FLAGS32] = { r_flags, 4 },  [UDIG_PT_UID] = { r_uid, 4 },
	[UDIG_PT_GID] = { r_uid, 4 },        [UDIG_PT_DOUBLE] = { r_double, 8 },
	[UDIG_PT_SIGSET] = { r_sigset, 4 },  [UDIG_PT_MODE] = { r_mode, 4 },
	[UDIG_PT_FSRELPATH] = { r_path, 0 },
};

void format_param(udig_capture *c, const struct udig_evt *ev, unsigned i, struct fmtbuf *val, struct fmtbuf *res,
		  const struct param_render *r)
{
	const struct udig_event_info *info = udig_event_info(ev->type);
	if (!info || i >= ev->nvals)
		return;
	struct pctx p = { c, ev, &info->params[i], &info->params[i], i, ev->val[i], ev->vlen[i], val, res, r };
	if (p.len == 0) {
		/* libsinsp prints an empty string parameter with "%s" from where
		 * its value would be: the bytes of the parameters after it, up to
		 * a NUL (a kernel driver's clone exit has an empty cwd, followed
		 * by fdlimit); bounded here by the end of the record.  Paths
		 * print empty; sockets and the rest "NULL". */
		if (p.pi->type == UDIG_PT_CHARBUF && ev->raw && p.v >= ev->raw && p.v < ev->raw + ev->len) {
			size_t room = (size_t)(ev->raw + ev->len - p.v), n = strnlen((const char *)p.v, room);
			p.len = (uint32_t)(n < room ? n + 1 : n);
			if (n)
				r_charbuf(&p);
		} else if (p.pi->type != UDIG_PT_BYTEBUF && p.pi->type != UDIG_PT_FSPATH &&
			   p.pi->type != UDIG_PT_FSRELPATH && p.pi->type != UDIG_PT_CHARBUF) {
			fb_puts(val, "NULL");
		}
		return;
	}
	if (p.pi->type == UDIG_PT_DYN && p.pi->dyn) {
		if (p.v[0] < p.pi->ndyn) {
			p.pi = &p.pi->dyn[p.v[0]];
			p.v++;
			p.len--;
		} else {
			fb_puts(val, "INVALID DYNAMIC PARAMETER");
			return;
		}
	}
	renderer fn = p.pi->type < UDIG_PT_MAX ? renderers[p.pi->type].fn : NULL;
	uint8_t size = fn ? renderers[p.pi->type].size : 0;
	/* a fixed-size value of the wrong size is shown, never over-read */
	if (!fn || (size && p.len < size)) {
		r_unknown(&p);
		return;
	}
	if (p.pi->type == UDIG_PT_L4PROTO || p.pi->type == UDIG_PT_SOCKFAMILY) {
		fb_printf(val, "%" PRIu8, p.v[0]);
		return;
	}
	fn(&p);
}
