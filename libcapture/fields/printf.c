/*
 * The `sysdig -p` format engine: literal text and %field tokens, each
 * field the longest name the text starts with (so "%evt.num:" ends at the
 * ':'), with its argument.  %Nfield pads or cuts the value to N
 * columns.  A leading '*' shows every event; without it, only the events
 * that have every field (sysdig's rule).  A JSON format (sysdig -j) writes
 * one object instead: each distinct field a key, as written, in jsoncpp's
 * key order (byte order), absent values null; literal text and widths
 * have no place in it.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "fields-int.h"

struct token {
	char *text;     /* literal text, or the field's name as written (its JSON key) */
	udig_field *field; /* NULL for literal text */
	unsigned width; /* %N: minimum columns */
};

struct udig_format {
	struct token *toks;
	size_t n;
	int all; /* leading '*' */
	unsigned flags; /* UDIG_FORMAT_* */
	size_t *keys;   /* JSON: the field tokens, one per name, in key order */
	size_t nkeys;
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
	free(f->keys);
	free(f);
}

static int add_token(udig_format *f, char *text, udig_field *field, unsigned width)
{
	struct token *t = realloc(f->toks, (f->n + 1) * sizeof *t);
	if (!t || !text) {
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

/* The fields a JSON object has: one key per distinct name (jsoncpp's map
 * keeps one), in jsoncpp's order (memcmp, then length: strcmp for names);
 * an insertion sort, formats being short. */
static int json_keys(udig_format *f)
{
	f->keys = malloc((f->n ? f->n : 1) * sizeof *f->keys);
	if (!f->keys)
		return -1;
	for (size_t i = 0; i < f->n; i++) {
		if (!f->toks[i].field)
			continue;
		size_t k = 0;
		int cmp = 1;
		while (k < f->nkeys && (cmp = strcmp(f->toks[f->keys[k]].text, f->toks[i].text)) < 0)
			k++;
		if (k < f->nkeys && cmp == 0)
			continue;
		memmove(f->keys + k + 1, f->keys + k, (f->nkeys - k) * sizeof *f->keys);
		f->keys[k] = i;
		f->nkeys++;
	}
	return 0;
}

udig_format *udig_format_compile(const char *fmt, char *err)
{
	return udig_format_compile_flags(fmt, 0, err);
}

udig_format *udig_format_compile_flags(const char *fmt, unsigned flags, char *err)
{
	if (flags & ~(UDIG_FORMAT_JSON | UDIG_FORMAT_ASCII)) {
		udig_errf(err, "format: unknown flags %#x", flags);
		return NULL;
	}
	if (!fmt || !*fmt) {
		udig_errf(err, "format: empty formatting token");
		return NULL;
	}
	udig_format *f = calloc(1, sizeof *f);
	if (!f) {
		udig_errf(err, "format: out of memory");
		return NULL;
	}
	f->flags = flags;
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
		fields_render_as(fld, flags, 1);
		if (add_token(f, strndup(p, used), fld, width))
			goto oom;
		p += used;
		lit = p;
	}
	if (*lit && add_token(f, strdup(lit), NULL, 0))
		goto oom;
	if ((flags & UDIG_FORMAT_JSON) && json_keys(f))
		goto oom;
	return f;
oom:
	udig_errf(err, "format: out of memory");
fail:
	udig_format_free(f);
	return NULL;
}

int udig_format_set_datalen(udig_format *f, uint32_t n)
{
	if (!f)
		return -1;
	for (size_t i = 0; i < f->n; i++)
		if (f->toks[i].field)
			f->toks[i].field->render.datalen = n;
	return 0;
}

/* jsoncpp's FastWriter: {"key":value,...}, or null for an object without
 * keys (a format of literal text only). */
static int json_object(const udig_format *f, udig_capture *c, const struct udig_evt *ev, struct fmtbuf *b)
{
	int show = 1;
	if (!f->nkeys)
		fb_puts(b, "null");
	for (size_t k = 0; k < f->nkeys; k++) {
		const struct token *t = &f->toks[f->keys[k]];
		fb_putc(b, k ? ',' : '{');
		json_put_string(b, t->text);
		fb_putc(b, ':');
		if (!fields_put_json(c, ev, t->field, b) && !f->all)
			show = 0;
	}
	if (f->nkeys)
		fb_putc(b, '}');
	return show;
}

/* sysdig -p's line: literal text and field values, %N widths applied. */
static int text_line(const udig_format *f, udig_capture *c, const struct udig_evt *ev, struct fmtbuf *b)
{
	int show = 1;
	for (size_t i = 0; i < f->n; i++) {
		const struct token *t = &f->toks[i];
		if (!t->field) {
			fb_puts(b, t->text);
			continue;
		}
		size_t start = b->len;
		if (!fields_put(c, ev, t->field, b) && !f->all)
			show = 0;
		/* sysdig resizes the value to exactly N columns */
		if (t->width && b->len - start > t->width && !b->oom) {
			b->len = start + t->width;
			b->p[b->len] = 0;
		}
		if (b->len - start < t->width && !b->oom)
			fb_pad(b, ' ', t->width - (b->len - start));
	}
	return show;
}

int udig_format_event(const udig_format *f, udig_capture *c, const struct udig_evt *ev, char *buf, size_t size,
		      size_t *len)
{
	if (!f || !c || !ev)
		return -1;
	struct fmtbuf b;
	fb_init(&b);
	int show = (f->flags & UDIG_FORMAT_JSON) ? json_object(f, c, ev, &b) : text_line(f, c, ev, &b);
	size_t n = fb_export(&b, buf, size);
	if (len)
		*len = n;
	fb_free(&b);
	return show;
}
