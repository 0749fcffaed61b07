/* A growable string for the formatters; out of memory is sticky (oom). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "format-int.h"

void fb_init(struct fmtbuf *b)
{
	b->cap = 256;
	b->len = 0;
	b->oom = 0;
	b->p = malloc(b->cap);
	if (!b->p) {
		b->oom = 1;
		b->cap = 0;
		static char empty[1];
		b->p = empty;
	} else {
		b->p[0] = 0;
	}
}

static int grow(struct fmtbuf *b, size_t extra)
{
	if (b->oom)
		return -1;
	if (b->len + extra + 1 <= b->cap)
		return 0;
	size_t cap = b->cap;
	while (b->len + extra + 1 > cap)
		cap *= 2;
	char *p = realloc(b->p, cap);
	if (!p) {
		b->oom = 1;
		return -1;
	}
	b->p = p;
	b->cap = cap;
	return 0;
}

void fb_putn(struct fmtbuf *b, const char *s, size_t n)
{
	if (grow(b, n))
		return;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = 0;
}

void fb_putc(struct fmtbuf *b, char ch)
{
	fb_putn(b, &ch, 1);
}

void fb_pad(struct fmtbuf *b, char ch, size_t n)
{
	if (!n || grow(b, n))
		return;
	memset(b->p + b->len, ch, n);
	b->len += n;
	b->p[b->len] = 0;
}

void fb_puts(struct fmtbuf *b, const char *s)
{
	fb_putn(b, s, strlen(s));
}

void fb_printf(struct fmtbuf *b, const char *fmt, ...)
{
	va_list ap;
	char tmp[128];
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof tmp) {
		fb_putn(b, tmp, (size_t)n);
		return;
	}
	if (grow(b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void fb_free(struct fmtbuf *b)
{
	if (b->cap)
		free(b->p);
	b->p = NULL;
	b->cap = b->len = 0;
}

size_t fb_export(const struct fmtbuf *b, char *buf, size_t size)
{
	if (size) {
		size_t n = b->len < size - 1 ? b->len : size - 1;
		memcpy(buf, b->p, n);
		buf[n] = 0;
	}
	return b->len;
}
