/* udig records into the current layout (see convert.h). */
#include <stdlib.h>
#include <string.h>
#include <uthash.h>
#include "convert.h"
#include "fill.h"

unsigned cv_type_width(unsigned pt)
{
	switch (pt) {
	case T025_PT_INT8: case T025_PT_UINT8: case T025_PT_SIGTYPE: case T025_PT_L4PROTO:
	case T025_PT_SOCKFAMILY: case T025_PT_FLAGS8: case T025_PT_ENUMFLAGS8:
		return 1;
	case T025_PT_INT16: case T025_PT_UINT16: case T025_PT_SYSCALLID: case T025_PT_PORT:
	case T025_PT_FLAGS16: case T025_PT_ENUMFLAGS16:
		return 2;
	case T025_PT_INT32: case T025_PT_UINT32: case T025_PT_BOOL: case T025_PT_IPV4ADDR:
	case T025_PT_FLAGS32: case T025_PT_UID: case T025_PT_GID: case T025_PT_SIGSET:
	case T025_PT_MODE: case T025_PT_ENUMFLAGS32: case T025_PT_FD32: case T025_PT_PID32:
		return 4;
	case T025_PT_INT64: case T025_PT_UINT64: case T025_PT_ERRNO: case T025_PT_FD: case T025_PT_PID:
	case T025_PT_RELTIME: case T025_PT_ABSTIME: case T025_PT_DOUBLE:
		return 8;
	case T025_PT_IPV6ADDR:
		return 16;
	default:
		return 0;
	}
}

static int type_signed(unsigned pt)
{
	return pt == T025_PT_INT8 || pt == T025_PT_INT16 || pt == T025_PT_INT32 || pt == T025_PT_INT64 ||
	       pt == T025_PT_ERRNO || pt == T025_PT_FD || pt == T025_PT_PID || pt == T025_PT_FD32 ||
	       pt == T025_PT_PID32;
}

/* Integers of another width are carried by value (an fd as FD32, say);
 * anything else must keep its width, or be variable-length on both sides. */
static int carriable(unsigned from, unsigned to)
{
	unsigned a = cv_type_width(from), b = cv_type_width(to);
	if (a == b)
		return 1;
	return a && b && a <= 8 && b <= 8 && from != T025_PT_DOUBLE && to != T025_PT_DOUBLE;
}

static int find_param(const struct udig_event_info *ei, const char *name)
{
	for (uint32_t i = 0; ei && i < ei->nparams; i++)
		if (!strcmp(ei->params[i].name, name))
			return (int)i;
	return -1;
}

/* The current version of an event that the current table keeps only as an
 * old one (dup -> dup_1): same name, same direction, neither old nor unused. */
static int current_version(uint16_t t)
{
	const char *name = t025_events[t].name;
	for (unsigned c = 0; c < T025_EVENT_MAX; c++)
		if ((c & 1) == (t & 1u) && !(t025_events[c].flags & (T025_EF_OLD_VERSION | T025_EF_UNUSED)) &&
		    !strcmp(t025_events[c].name, name))
			return (int)c;
	return -1;
}

static void plan_one(struct cv_plan *p, uint16_t t, void (*why)(void *, uint16_t, const char *), void *arg)
{
	struct cv_event *ce = &p->ev[t];
	const struct udig_event_info *u = udig_event_info(t);
	const struct t025_event *n = t < T025_EVENT_MAX ? &t025_events[t] : NULL;
	char msg[160];
	memset(ce, 0, sizeof *ce);
	ce->enter = 0xffff;
	if (!u || !n || (n->flags & T025_EF_UNUSED) || (u->flags & UDIG_EF_UNUSED))
		return;
	if (strcmp(u->name, n->name)) {
		snprintf(msg, sizeof msg, "%s became %s", u->name, n->name);
		goto refuse;
	}
	int is_enter = !(t & 1);
	/* Enter events of the syscalls the converter handles are folded into
	 * their exits (libsinsp 0.25 gets exits only), as are old versions. */
	if (is_enter && (n->flags & (T025_EF_CONVERTER_MANAGED | T025_EF_OLD_VERSION))) {
		ce->action = CV_STORE;
		return;
	}
	ce->type = t;
	int renumbered = 0;
	if (n->flags & T025_EF_OLD_VERSION) {
		int c = current_version(t);
		if (c < 0) {
			snprintf(msg, sizeof msg, "an old version in the current table, and no current one");
			goto refuse;
		}
		ce->type = (uint16_t)c;
		n = &t025_events[c];
		renumbered = 1;
	}
	if (n->nparams > CV_MAX_PARAMS || (!renumbered && u->nparams > n->nparams)) {
		snprintf(msg, sizeof msg, "%u parameters, the current layout %u", u->nparams, n->nparams);
		goto refuse;
	}
	const struct udig_event_info *en = NULL;
	if (!is_enter && t > 0 && (en = udig_event_info((uint16_t)(t - 1))) && en->nparams)
		ce->enter = (uint16_t)(t - 1);
	ce->n = (uint8_t)n->nparams;
	ce->large = (n->flags & T025_EF_LARGE_PAYLOAD) != 0;
	for (uint32_t i = 0; i < n->nparams; i++) {
		struct cv_param *cp = &ce->p[i];
		const struct t025_param *np = &n->params[i];
		int j;
		cp->newtype = np->type;
		if (i < u->nparams && (!renumbered || !strcmp(u->params[i].name, np->name))) {
			cp->src = CV_OLD, cp->idx = (uint8_t)i, cp->oldtype = u->params[i].type;
		} else if ((j = find_param(u, np->name)) >= 0) {
			cp->src = CV_OLD, cp->idx = (uint8_t)j, cp->oldtype = u->params[j].type;
		} else if (ce->enter != 0xffff && (j = find_param(en, np->name)) >= 0) {
			cp->src = CV_ENTER, cp->idx = (uint8_t)j, cp->oldtype = en->params[j].type;
		} else if ((j = (int)fill_find(n->name, np->name)) != FILL_NONE) {
			cp->src = CV_FILL, cp->idx = (uint8_t)j;
			continue;
		} else {
			cp->src = np->dflt ? CV_DEFAULT : CV_EMPTY;
			continue;
		}
		if (!carriable(cp->oldtype, cp->newtype)) {
			snprintf(msg, sizeof msg, "parameter %s: type %u cannot become %u", np->name, cp->oldtype,
				 cp->newtype);
			goto refuse;
		}
	}
	ce->action = CV_EMIT;
	return;
refuse:
	ce->action = CV_DROP;
	if (why)
		why(arg, t, msg);
}

void cv_plan_build(struct cv_plan *p, void (*why)(void *, uint16_t, const char *), void *arg)
{
	for (unsigned t = 0; t < UDIG_EVENT_MAX; t++)
		plan_one(p, (uint16_t)t, why, arg);
}

/* ------------------------------------------------------------ conversion */

/* The last stored enter event of a thread. */
struct enter_slot {
	uint64_t tid;
	UT_hash_handle hh;
	struct udig_evt ev; /* val[] point into rec */
	uint32_t cap;
	uint8_t *rec;
};

struct cv_state {
	const struct cv_plan *plan;
	struct enter_slot *enters;
	unsigned nenters;
};

/* Enough threads for any workload; beyond, the table starts over (an
 * exit that lost its enter gets empty enter parameters, as in the converter). */
#define MAX_ENTERS 65536

cv_state *cv_state_new(const struct cv_plan *p)
{
	cv_state *s = calloc(1, sizeof *s);
	if (s)
		s->plan = p;
	return s;
}

static void drop_enters(cv_state *s)
{
	struct enter_slot *e, *tmp;
	HASH_ITER(hh, s->enters, e, tmp) {
		HASH_DEL(s->enters, e);
		free(e->rec);
		free(e);
	}
	s->nenters = 0;
}

void cv_state_free(cv_state *s)
{
	if (!s)
		return;
	drop_enters(s);
	free(s);
}

static void store_enter(cv_state *s, const struct udig_evt *ev)
{
	struct enter_slot *e;
	HASH_FIND(hh, s->enters, &ev->tid, sizeof ev->tid, e);
	if (!e) {
		if (s->nenters >= MAX_ENTERS)
			drop_enters(s);
		if (!(e = calloc(1, sizeof *e)))
			return;
		e->tid = ev->tid;
		HASH_ADD(hh, s->enters, tid, sizeof e->tid, e);
		s->nenters++;
	}
	if (e->cap < ev->len) {
		uint8_t *r = realloc(e->rec, ev->len);
		if (!r) {
			e->ev.len = 0;
			return;
		}
		e->rec = r, e->cap = ev->len;
	}
	memcpy(e->rec, ev->raw, ev->len);
	if (udig_evt_parse(e->rec, ev->len, &e->ev, NULL) != UDIG_OK)
		e->ev.len = 0;
}

static void forget_thread(cv_state *s, uint64_t tid)
{
	struct enter_slot *e;
	HASH_FIND(hh, s->enters, &tid, sizeof tid, e);
	if (e) {
		HASH_DEL(s->enters, e);
		free(e->rec);
		free(e);
		s->nenters--;
	}
}

/* An integer value of width `from` as one of width `to`. */
static void put_int(uint8_t *out, unsigned to, const uint8_t *in, unsigned from, int sgn)
{
	uint64_t v = 0;
	int64_t sv = 0;
	switch (from) {
	case 1: { uint8_t x; memcpy(&x, in, 1); v = x; sv = (int8_t)x; break; }
	case 2: { uint16_t x; memcpy(&x, in, 2); v = x; sv = (int16_t)x; break; }
	case 4: { uint32_t x; memcpy(&x, in, 4); v = x; sv = (int32_t)x; break; }
	default: memcpy(&v, in, 8); sv = (int64_t)v; break;
	}
	if (sgn)
		v = (uint64_t)sv;
	memcpy(out, &v, to); /* little-endian: the low bytes */
}

long cv_convert(cv_state *s, const struct udig_evt *ev, uint8_t *out, size_t cap, int *dropped)
{
	*dropped = 0;
	if (ev->type >= UDIG_EVENT_MAX) {
		*dropped = 1;
		return 0;
	}
	const struct cv_event *ce = &s->plan->ev[ev->type];
	if (ce->action == CV_STORE) {
		store_enter(s, ev);
		return 0;
	}
	if (ce->action != CV_EMIT) {
		*dropped = 1;
		return 0;
	}
	const struct udig_evt *en = NULL;
	if (ce->enter != 0xffff) {
		struct enter_slot *e;
		HASH_FIND(hh, s->enters, &ev->tid, sizeof ev->tid, e);
		if (e && e->ev.len && e->ev.type == ce->enter)
			en = &e->ev;
	}
	size_t lsz = ce->large ? 4 : 2, off = UDIG_HDR_SIZE + lsz * ce->n;
	if (cap < off)
		return -1;
	for (unsigned i = 0; i < ce->n; i++) {
		const struct cv_param *cp = &ce->p[i];
		unsigned nw = cv_type_width(cp->newtype);
		const uint8_t *src = NULL;
		uint32_t slen = 0;
		long len = 0;
		if (cp->src == CV_OLD && cp->idx < ev->nvals)
			src = ev->val[cp->idx], slen = ev->vlen[cp->idx];
		else if (cp->src == CV_ENTER && en && cp->idx < en->nvals)
			src = en->val[cp->idx], slen = en->vlen[cp->idx];
		if (src) {
			unsigned ow = cv_type_width(cp->oldtype);
			if (slen == 0) {
				len = 0; /* empty stays empty */
			} else if (nw && ow && nw != ow && slen == ow) {
				if (cap - off < nw)
					return -1;
				put_int(out + off, nw, src, ow, type_signed(cp->oldtype));
				len = nw;
			} else {
				if (cap - off < slen)
					return -1;
				memcpy(out + off, src, slen);
				len = slen;
			}
		} else if (cp->src == CV_FILL) {
			len = fill_value((enum fill_id)cp->idx, ev, out + off, cap - off);
			if (len < 0)
				len = 0;
		} else if (cp->src == CV_DEFAULT && nw) {
			/* The converter's defaults: zero, and "no value" for ids. */
			uint64_t d = cp->newtype == T025_PT_UID || cp->newtype == T025_PT_GID ? 0xffffffffu : 0;
			if (cap - off < nw)
				return -1;
			memset(out + off, 0, nw);
			memcpy(out + off, &d, nw < 8 ? nw : 8);
			len = nw;
		}
		if (lsz == 2) {
			if (len > 0xffff)
				return -1;
			uint16_t l = (uint16_t)len;
			memcpy(out + UDIG_HDR_SIZE + 2 * i, &l, 2);
		} else {
			uint32_t l = (uint32_t)len;
			memcpy(out + UDIG_HDR_SIZE + 4 * i, &l, 4);
		}
		off += (size_t)len;
	}
	struct udig_evt_hdr h = { .ts = ev->ts, .tid = ev->tid, .len = (uint32_t)off, .type = ce->type,
				  .nparams = ce->n };
	memcpy(out, &h, UDIG_HDR_SIZE);
	if (ev->type == UEV_PROCEXIT_1_E)
		forget_thread(s, ev->tid);
	return (long)off;
}
