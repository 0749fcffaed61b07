/* Field values, and their text as `sysdig -p` prints it and `sysdig -j` writes it. */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fields-int.h"

int fv_owned(struct udig_field_value *v, char *s)
{
	if (!s)
		return 0;
	free(v->alloc);
	v->alloc = s;
	return fv_str(v, s);
}

int fv_param(udig_capture *c, const struct udig_evt *ev, unsigned i, const struct param_render *r,
	     struct udig_field_value *v)
{
	struct fmtbuf val, res;
	fb_init(&val);
	fb_init(&res);
	format_param(c, ev, i, &val, &res, r);
	int ok = !val.oom && !res.oom;
	if (ok && res.len) {
		fb_free(&val);
		return fv_owned(v, res.p);
	}
	fb_free(&res);
	if (!ok) {
		fb_free(&val);
		return 0;
	}
	return fv_owned(v, val.p);
}

int udig_field_extract(udig_capture *c, const struct udig_evt *ev, const udig_field *f, struct udig_field_value *v)
{
	if (!c || !ev || !f || !v)
		return -1;
	v->alloc = NULL;
	v->str = NULL;
	v->type = f->info->type;
	return f->def->extract(c, ev, f, v) ? 1 : 0;
}

void udig_field_value_done(struct udig_field_value *v)
{
	if (v) {
		free(v->alloc);
		v->alloc = NULL;
	}
}

/* libsinsp's rawval_to_string for the field's type and print format. */
static void value_text(const udig_field *f, const struct udig_field_value *v, struct fmtbuf *b)
{
	switch (v->type) {
	case UDIG_FT_STRING: fb_puts(b, v->str ? v->str : ""); break;
	case UDIG_FT_INT64:
		if (f->def->print == FP_HEX)
			fb_printf(b, "%" PRIX32, (uint32_t)v->i);
		else
			fb_printf(b, "%" PRId64, v->i);
		break;
	case UDIG_FT_UINT64: fb_printf(b, "%" PRIu64, v->u); break;
	case UDIG_FT_PORT: fb_printf(b, "%" PRIu64, v->u); break;
	case UDIG_FT_BOOL: fb_puts(b, v->i ? "true" : "false"); break;
	case UDIG_FT_IPADDR: {
		char s[INET6_ADDRSTRLEN];
		if (v->ip_len == 4)
			snprintf(s, sizeof s, "%u.%u.%u.%u", v->ip[0], v->ip[1], v->ip[2], v->ip[3]);
		else if (!inet_ntop(AF_INET6, v->ip, s, sizeof s))
			snprintf(s, sizeof s, "<NA>");
		fb_puts(b, s);
		break;
	}
	}
}

int fields_put(udig_capture *c, const struct udig_evt *ev, const udig_field *f, struct fmtbuf *b)
{
	struct udig_field_value v;
	int has = udig_field_extract(c, ev, f, &v) == 1;
	if (has)
		value_text(f, &v, b);
	else
		fb_puts(b, "<NA>");
	udig_field_value_done(&v);
	return has;
}

/* libsinsp's rawval_to_json: numbers printed in decimal (and ports) are
 * JSON numbers, booleans JSON booleans; hex numbers (fd.dev), addresses
 * and text are strings. */
static int json_bare(const udig_field *f, const struct udig_field_value *v)
{
	switch (v->type) {
	case UDIG_FT_INT64: case UDIG_FT_UINT64: return f->def->print != FP_HEX;
	case UDIG_FT_PORT: case UDIG_FT_BOOL: return 1;
	case UDIG_FT_STRING: case UDIG_FT_IPADDR: return 0;
	}
	return 0;
}

int fields_put_json(udig_capture *c, const struct udig_evt *ev, const udig_field *f, struct fmtbuf *b)
{
	struct udig_field_value v;
	int has = udig_field_extract(c, ev, f, &v) == 1;
	if (!has) {
		fb_puts(b, "null");
	} else if (json_bare(f, &v)) {
		value_text(f, &v, b);
	} else {
		struct fmtbuf t;
		fb_init(&t);
		value_text(f, &v, &t);
		json_put_string(b, t.p);
		b->oom |= t.oom;
		fb_free(&t);
	}
	udig_field_value_done(&v);
	return has;
}

size_t udig_field_format(udig_capture *c, const struct udig_evt *ev, const udig_field *f, char *buf, size_t size)
{
	if (!c || !ev || !f) {
		if (buf && size)
			buf[0] = 0;
		return 0;
	}
	struct fmtbuf b;
	fb_init(&b);
	fields_put(c, ev, f, &b);
	size_t n = fb_export(&b, buf, size);
	fb_free(&b);
	return n;
}
