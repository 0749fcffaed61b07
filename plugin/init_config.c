/* The init config (see init_config.h): a small JSON reader for one flat object. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "init_config.h"

#ifndef UDIG_BINDIR
#define UDIG_BINDIR "/usr/local/bin"
#endif

const char plugin_config_schema[] =
	"{\"$schema\":\"http://json-schema.org/draft-04/schema#\",\"type\":\"object\","
	"\"additionalProperties\":false,\"properties\":{"
	"\"snaplen\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":65000,"
	"\"description\":\"I/O data bytes kept per event (default 80)\"},"
	"\"lossless\":{\"type\":\"boolean\",\"description\":\"producers wait for ring space instead of dropping "
	"events (default false)\"},"
	"\"engine\":{\"type\":\"string\",\"enum\":[\"auto\",\"preload\",\"ptrace\",\"unotify\"],"
	"\"description\":\"engine for run= (default auto)\"},"
	"\"event_types\":{\"type\":\"array\",\"items\":{\"type\":\"string\"},\"description\":\"only these event "
	"types (plus those that keep process and fd state), pushed down to the producers\"},"
	"\"udig\":{\"type\":\"string\",\"description\":\"path of the udig program that launches run= and "
	"attach= (default: bin/udig of the plugin's prefix, else " UDIG_BINDIR "/udig)\"},"
	"\"batch_ms\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":1000,\"description\":\"longest wait of "
	"next_batch on an idle ring, ms (default 30)\"},"
	"\"open\":{\"type\":\"string\",\"description\":\"open parameters used when the host opens the "
	"capture with none (ring, ring=BUF[,DESCS], run=CMD..., attach=PID)\"}}}";

struct rd {
	const char *p;
	char *err;
	size_t errlen;
};

static int fail(struct rd *r, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(r->err, r->errlen, "init config: ");
	va_start(ap, fmt);
	if (n > 0 && (size_t)n < r->errlen)
		vsnprintf(r->err + n, r->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

static void ws(struct rd *r)
{
	while (isspace((unsigned char)*r->p))
		r->p++;
}

/* A JSON string into out (escapes decoded; \u only for ASCII). */
static int str(struct rd *r, char *out, size_t len)
{
	size_t n = 0;
	if (*r->p != '"')
		return -1;
	r->p++;
	while (*r->p != '"') {
		unsigned char c = (unsigned char)*r->p++;
		if (!c || c < 0x20)
			return -1;
		if (c == '\\') {
			char e = *r->p++;
			switch (e) {
			case '"': case '\\': case '/': c = (unsigned char)e; break;
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			case 'r': c = '\r'; break;
			case 'b': c = '\b'; break;
			case 'f': c = '\f'; break;
			case 'u': {
				char hex[5] = { 0 };
				for (int i = 0; i < 4; i++)
					if (!isxdigit((unsigned char)(hex[i] = *r->p++)))
						return -1;
				unsigned long v = strtoul(hex, NULL, 16);
				if (v == 0 || v > 0x7f)
					return -1;
				c = (unsigned char)v;
				break;
			}
			default: return -1;
			}
		}
		if (n + 1 >= len)
			return -2;
		out[n++] = (char)c;
	}
	r->p++;
	out[n] = 0;
	return 0;
}

static int integer(struct rd *r, const char *key, long lo, long hi, uint32_t *out)
{
	char *end;
	errno = 0;
	long v = strtol(r->p, &end, 10);
	if (end == r->p || errno || v < lo || v > hi || *end == '.' || *end == 'e' || *end == 'E')
		return fail(r, "\"%s\" must be an integer from %ld to %ld", key, lo, hi);
	r->p = end;
	*out = (uint32_t)v;
	return 0;
}

static int boolean(struct rd *r, const char *key, int *out)
{
	if (!strncmp(r->p, "true", 4))
		*out = 1, r->p += 4;
	else if (!strncmp(r->p, "false", 5))
		*out = 0, r->p += 5;
	else
		return fail(r, "\"%s\" must be true or false", key);
	return 0;
}

static int string(struct rd *r, const char *key, char *out, size_t len)
{
	int rc = str(r, out, len);
	if (rc == -2)
		return fail(r, "\"%s\" is too long (at most %zu bytes)", key, len - 1);
	if (rc)
		return fail(r, "\"%s\" must be a string", key);
	return 0;
}

/* "event_types": an array of names (a comma-separated string is taken too). */
static int types(struct rd *r, struct plugin_config *c)
{
	char name[64];
	size_t used = 0;
	if (*r->p == '"')
		return string(r, "event_types", c->types, sizeof c->types);
	if (*r->p != '[')
		return fail(r, "\"event_types\" must be an array of event type names");
	r->p++;
	ws(r);
	while (*r->p != ']') {
		if (str(r, name, sizeof name) || !name[0] || strchr(name, ','))
			return fail(r, "\"event_types\" must be an array of event type names");
		int n = snprintf(c->types + used, sizeof c->types - used, "%s%s", used ? "," : "", name);
		if (n < 0 || (size_t)n >= sizeof c->types - used)
			return fail(r, "\"event_types\" is too long");
		used += (size_t)n;
		ws(r);
		if (*r->p == ',') {
			r->p++;
			ws(r);
		} else if (*r->p != ']') {
			return fail(r, "\"event_types\": expected ',' or ']'");
		}
	}
	r->p++;
	return 0;
}

/* The events that keep the consumer's process and fd state right are
 * always delivered (the rule of `udig run -t`, tools/capture_types.c). */
static int build_mask(struct plugin_config *c, struct rd *r)
{
	memset(c->evmask, 0, sizeof c->evmask);
	for (unsigned t = 0; t < UDIG_EVENT_MAX; t++) {
		const struct udig_event_info *ei = udig_event_info((uint16_t)t);
		if (ei && ei->name &&
		    ((ei->flags & (UDIG_EF_CREATES_FD | UDIG_EF_DESTROYS_FD | UDIG_EF_MODIFIES_STATE)) ||
		     !strcmp(ei->name, "procexit")))
			c->evmask[t / 8] |= (uint8_t)(1u << (t % 8));
	}
	for (const char *p = c->types; *p;) {
		size_t len = strcspn(p, ","), found = 0;
		for (unsigned t = 0; t < UDIG_EVENT_MAX; t++) {
			const struct udig_event_info *ei = udig_event_info((uint16_t)t);
			if (ei && ei->name && strlen(ei->name) == len && !strncmp(ei->name, p, len)) {
				c->evmask[t / 8] |= (uint8_t)(1u << (t % 8));
				found = 1;
			}
		}
		if (!found)
			return fail(r, "\"event_types\": unknown event type '%.*s' (see `udig events`)", (int)len, p);
		p += len;
		if (*p == ',')
			p++;
	}
	return 0;
}

int plugin_config_parse(const char *json, struct plugin_config *c, char *err, size_t errlen)
{
	struct rd r = { json ? json : "", err, errlen };
	memset(c, 0, sizeof *c);
	strcpy(c->engine, "auto");
	plugin_default_udig(c->udig, sizeof c->udig);
	c->batch_ms = 30;
	ws(&r);
	if (!*r.p)
		return 0;
	if (*r.p != '{')
		return fail(&r, "expected a JSON object, e.g. {\"snaplen\": 256}");
	r.p++;
	ws(&r);
	while (*r.p != '}') {
		char key[32];
		if (str(&r, key, sizeof key))
			return fail(&r, "expected a key (a string) at offset %ld", (long)(r.p - json));
		ws(&r);
		if (*r.p++ != ':')
			return fail(&r, "expected ':' after \"%s\"", key);
		ws(&r);
		int rc;
		if (!strcmp(key, "snaplen"))
			rc = integer(&r, key, 1, UDIG_MAX_ARG_SIZE, &c->snaplen);
		else if (!strcmp(key, "lossless"))
			rc = boolean(&r, key, &c->lossless);
		else if (!strcmp(key, "engine")) {
			rc = string(&r, key, c->engine, sizeof c->engine);
			if (!rc && strcmp(c->engine, "auto") && strcmp(c->engine, "preload") &&
			    strcmp(c->engine, "ptrace") && strcmp(c->engine, "unotify"))
				rc = fail(&r, "\"engine\" must be auto, preload, ptrace or unotify, not '%s'", c->engine);
		} else if (!strcmp(key, "event_types"))
			rc = types(&r, c);
		else if (!strcmp(key, "udig"))
			rc = string(&r, key, c->udig, sizeof c->udig);
		else if (!strcmp(key, "open"))
			rc = string(&r, key, c->open, sizeof c->open);
		else if (!strcmp(key, "batch_ms"))
			rc = integer(&r, key, 1, 1000, &c->batch_ms);
		else
			return fail(&r, "unknown key \"%s\" (known: snaplen, lossless, engine, event_types, udig, "
					"batch_ms, open)", key);
		if (rc)
			return -1;
		ws(&r);
		if (*r.p == ',') {
			r.p++;
			ws(&r);
			if (*r.p == '}')
				return fail(&r, "trailing ',' before '}'");
		} else if (*r.p != '}') {
			return fail(&r, "expected ',' or '}' at offset %ld", (long)(r.p - json));
		}
	}
	r.p++;
	ws(&r);
	if (*r.p)
		return fail(&r, "unexpected text after the object");
	return c->types[0] ? build_mask(c, &r) : 0;
}
