/*
 * The `sysdig -p` format engine: literal text and %field tokens, each
 * field the longest name the text starts with (so "%evt.num:" ends at the
 * ':'), with its argument.  %Nfield pads or cuts the value to N
 * columns.  A leading '*' shows every event; without it, only the events
 * that have every field (sysdig's rule).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "fields-int.h"
#include "../format/format-int.h"

int fields_put(udig_capture *c, const struct udig_evt *ev, const udig_field *f, struct fmtbuf *b);

struct token {
	char *text;     /* literal text, or NULL for a field */
	udig_field *field;
	unsigned width; /* %N: minimum columns */
};

struct udig_format {
	struct token *toks;
	size_t n;
	int all; /* leading '*' */
};

void udig_format_free(udig_format *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->n; i++) {
		free(f->toks[i].text);
		udig_field_free(f->toks[i].field);
	}
	free(f->toks);
	free(f);
}

static int add_token(udig_format *f, char *text, udig_field *field, unsigned width)
{
	struct token *t = realloc(f->toks, (f->n + 1) * sizeof *t);
	if (!t || (!text && !field)) {
		if (t)
			f->toks = t;
		free(text);
		udig_field_free(field);
		return -1;
	}
	f->toks = t;
	f->toks[f->n++] = (struct token){ text, field, width };
	return 0;
}

/* The longest field name (with its argument) at s: letters, digits, '.',
 * '_' and one [..] argument; the field table decides what is a field. */
static size_t field_span(const char *s)
{
	size_t n = 0;
	while (isalnum((unsigned char)s[n]) || s[n] == '.' || s[n] == '_')
		n++;
	if (s[n] == '[') {
		const char *close = strchr(s + n, ']');
		if (close)
			n = (size_t)(close - s) + 1;
	}
	return n;
}

/* The field that starts s, trying ever shorter names so that "%fd.name:"
 * or "%evt.num." work as in sysdig; *used = the characters it took. */
static udig_field *longest_field(const char *s, size_t *used, char *err)
{
	size_t n = field_span(s);
	char name[256];
	if (n >= sizeof name)
		n = sizeof name - 1;
	for (; n > 0; n--) {
		memcpy(name, s, n);
		name[n] = 0;
		if (name[n - 1] == '.')
			continue;
		udig_field *fld = udig_field_compile(name, NULL);
		if (fld) {
			*used = n;
			return fld;
		}
	}
	size_t show = strcspn(s, " \t");
	udig_errf(err, "format: invalid formatting token %.*s", (int)(show > 100 ? 100 : show), s);
	return NULL;
}

udig_format *udig_format_compile(const char *fmt, char *err)
{
	if (!fmt || !*fmt) {
		udig_errf(err, "format: empty formatting token");
		return NULL;
	}
	udig_format *f = calloc(1, sizeof *f);
	if (!f) {
		udig_errf(err, "format: out of memory");
		return NULL;
	}
	if (*fmt == '*') {
		f->all = 1;
		fmt++;
	}
	const char *lit = fmt;
	for (const char *p = fmt; *p;) {
		if (*p != '%') {
			p++;
			continue;
		}
		if (p > lit && add_token(f, strndup(lit, (size_t)(p - lit)), NULL, 0))
			goto oom;
		p++;
		if (!*p) {
			udig_errf(err, "format: invalid formatting syntax: formatting cannot end with a %%");
			goto fail;
		}
		unsigned width = 0;
		while (isdigit((unsigned char)*p)) {
			if (width < 10000)
				width = width * 10 + (unsigned)(*p - '0');
			p++;
		}
		if (!*p) {
			udig_errf(err, "format: invalid formatting syntax: formatting cannot end with a number");
			goto fail;
		}
		size_t used;
		udig_field *fld = longest_field(p, &used, err);
		if (!fld)
			goto fail;
		if ((fld->info->flags & UDIG_FIELD_FILTER_ONLY) && fld->index < 0) {
			udig_errf(err, "format: %s is filter only and cannot be used as a display field", fld->info->name);
			udig_field_free(fld);
			goto fail;
		}
		if (add_token(f, NULL, fld, width))
			goto oom;
		p += used;
		lit = p;
	}
	if (*lit && add_token(f, strdup(lit), NULL, 0))
		goto oom;
	return f;
oom:
	udig_errf(err, "format: out of memory");
fail:
	udig_format_free(f);
	return NULL;
}

int udig_format_event(const udig_format *f, udig_capture *c, const struct udig_evt *ev, char *buf, size_t size,
		      size_t *len)
{
	if (!f || !c || !ev)
		return -1;
	struct fmtbuf b;
	fb_init(&b);
	int show = 1;
	for (size_t i = 0; i < f->n; i++) {
		const struct token *t = &f->toks[i];
		if (t->text) {
			fb_puts(&b, t->text);
			continue;
		}
		size_t start = b.len;
		if (!fields_put(c, ev, t->field, &b) && !f->all)
			show = 0;
		/* sysdig resizes the value to exactly N columns */
		if (t->width && b.len - start > t->width && !b.oom) {
			b.len = start + t->width;
			b.p[b.len] = 0;
		}
		while (b.len - start < t->width && !b.oom)
			fb_putc(&b, ' ');
	}
	size_t n = fb_export(&b, buf, size);
	if (len)
		*len = n;
	fb_free(&b);
	return show;
}
