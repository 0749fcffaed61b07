/*
 * Shared by the formatters (format/format.c, format/param.c), the state engine
 * (which names sockets with the same text sysdig prints) and the filters.
 */
#ifndef UDIG_FORMAT_INT_H
#define UDIG_FORMAT_INT_H

#include "../capture-int.h"

/* A growable string, never NULL after fb_init. */
struct fmtbuf {
	char *p;
	size_t len, cap;
	int oom;
};
void fb_init(struct fmtbuf *b);
void fb_putc(struct fmtbuf *b, char ch);
void fb_puts(struct fmtbuf *b, const char *s);
void fb_putn(struct fmtbuf *b, const char *s, size_t n);
/* n copies of ch, in one step (a %99999 width pads that much per event). */
void fb_pad(struct fmtbuf *b, char ch, size_t n);
void fb_printf(struct fmtbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void fb_free(struct fmtbuf *b);
/* Copies the text into buf as snprintf would; returns the full length. */
size_t fb_export(const struct fmtbuf *b, char *buf, size_t size);

/* Socket addresses as sysdig prints them (no name resolution):
 * "1.2.3.4:80", "::1:80", a unix path; tuples "a:p->b:q" or
 * "<hex src>-><hex dst> <path>".  Return 0, or -1 for a malformed value. */
int net_sockaddr_str(struct fmtbuf *b, const uint8_t *v, uint32_t len);
int net_socktuple_str(struct fmtbuf *b, const uint8_t *v, uint32_t len);

/* sysdig's one-letter fd type ('f', '4', 'u', 'p', ...) and the l4 letter
 * of IP sockets ('t', 'u', 'i', 'r', or 0). */
char fd_typechar(const struct udig_fdinfo *fi);
char fd_l4char(const struct udig_fdinfo *fi);

/* The errno name of a syscall result (negative: -ENOENT gives "ENOENT"),
 * and names of signals; NULL when sysdig has none. */
const char *format_errno_name(int64_t res);
const char *format_signal_name(unsigned sig);

/* evt.type as sysdig names it (generic events: the syscall's name). */
const char *format_evt_type(const struct udig_evt *ev);
/* proc.name of the event's thread, "<NA>" when unknown. */
const char *format_proc_name(const udig_capture *c, const struct udig_evt *ev);

/*
 * How byte buffers (I/O data, execve's args and env, ...) render: libsinsp's
 * buffer formats.  All zero is sysdig's text line: non-printable bytes as
 * '.', cut at 80 columns ending in "...".  Only that plain text format cuts
 * (libsinsp cuts PF_NORMAL alone): JSON and -A show buffers whole.
 */
struct param_render {
	uint8_t whole;    /* no 80-column cut (sysdig -j) */
	uint8_t ascii;    /* sysdig -A: "\n" then the printable text, line ends kept, no cut */
	uint32_t datalen; /* udig read -s N: I/O data (parameters named data) cut to N bytes, no "..." */
};

/* evt.args: "name=value(resolved) " per parameter; r NULL: the text line's rendering. */
void format_args_sb(udig_capture *c, const struct udig_evt *ev, struct fmtbuf *out, const struct param_render *r);

/* Rendering of one parameter: value and resolved text (may stay empty). */
void format_param(udig_capture *c, const struct udig_evt *ev, unsigned i, struct fmtbuf *val, struct fmtbuf *res,
		  const struct param_render *r);

#endif
