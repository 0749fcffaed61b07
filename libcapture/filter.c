/*
 * Filters: sysdig's (0.29) language over the field table (fields/).
 *
 *   group   := item (BOOL item)*          BOOL all 'and' or all 'or'
 *   item    := 'not'* ( '(' group ')' | check )
 *   check   := FIELD OP VALUE | FIELD 'exists' | FIELD (in|pmatch) '(' VALUE (',' VALUE)* ')'
 *   OP      := = != < <= > >= contains icontains startswith endswith glob
 *   VALUE   := a bare word or a '...' / "..." string (\\ \" \xHH escapes)
 *
 * sysdig gives 'and' and 'or' no precedence: a group that mixes them is
 * an error, and so it is here.  Like sysdig, a run of 'not's negates once.
 * Values are checked when the filter is compiled, with sysdig's messages
 * (unknown event types, numbers, booleans, addresses, ports).  A field an
 * event does not have makes every check on it false, 'exists' included.
 *
 * Filters come from the command line and from programs we do not control,
 * so nothing here recurses on the length of the input: a chain of 'and' or
 * 'or' is one node with a list of operands, and only parentheses and 'not'
 * nest, at most MAX_DEPTH levels.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <fnmatch.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include "filter-int.h"

enum node_kind { N_AND, N_OR, N_NOT, N_CHECK };

/* Deep enough for any filter a person writes; shallow enough that the
 * parser's frames a level stay far below any thread's stack. */
#define MAX_DEPTH 256
#define STR_(x) #x
#define STR(x) STR_(x)
/* libsinsp keeps a value in 256 bytes */
#define MAX_VALUE 256

struct node {
	enum node_kind kind;
	struct node **kids;         /* N_AND, N_OR: the operands; N_NOT: one */
	size_t nkids;
	udig_field *field;
	enum filter_op op;
	struct filter_operand *vals; /* one value, or the in/pmatch list */
	size_t nvals;
};

struct udig_filter {
	struct node *root;
};

struct parser {
	const char *s;
	size_t pos;
	char *err;
	int failed;
	unsigned depth;
	unsigned flags; /* UDIG_FORMAT_*: how buffer fields render */
};

static void perr(struct parser *p, size_t col, const char *fmt, const char *what)
{
	if (p->failed)
		return;
	p->failed = 1;
	char msg[UDIG_ERRBUF_SIZE];
	snprintf(msg, sizeof msg, fmt, what);
	udig_errf(p->err, "filter: %s at column %zu", msg, col + 1);
}

static int blank(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

static void skip_ws(struct parser *p)
{
	while (blank(p->s[p->pos]))
		p->pos++;
}

/* Does the keyword kw start here as a whole word? */
static int keyword(struct parser *p, const char *kw)
{
	size_t n = strlen(kw);
	if (strncmp(p->s + p->pos, kw, n)) /* stops at the text's end: only then is s[pos + n] ours to read */
		return 0;
	char next = p->s[p->pos + n];
	if (next && !blank(next) && next != '(' && next != ')')
		return 0;
	p->pos += n;
	return 1;
}

/* Scans a value, unescaped as sysdig does, into out (NULL: only measure);
 * `in_list`: ',' ends a bare value.  Returns its length, or -1 (reported). */
static long scan_value(struct parser *p, int in_list, char *out)
{
	size_t start = p->pos;
	char q = p->s[p->pos];
	int quoted = q == '\'' || q == '"';
	long n = 0;
#define PUT(ch) do { if (out) out[n] = (ch); n++; } while (0)
	if (quoted)
		p->pos++;
	for (;;) {
		char ch = p->s[p->pos];
		if (!ch) {
			if (quoted) {
				perr(p, start, "%s", "filter error: unclosed quotes");
				return -1;
			}
			break;
		}
		if (quoted ? (ch == '"' || ch == '\'') : (blank(ch) || ch == '(' || ch == ')' || (in_list && ch == ','))) {
			if (quoted)
				p->pos++;
			break;
		}
		if (ch == '\\') {
			char e = p->s[p->pos + 1];
			if (e == '\\' || e == '"') {
				PUT(e);
				p->pos += 2;
				continue;
			}
			const char *h = p->s + p->pos + 2;
			/* a trailing backslash or a bad \x: sysdig's escape state never ends */
			if (!e || (e == 'x' && (!isxdigit((unsigned char)h[0]) || !isxdigit((unsigned char)h[1])))) {
				perr(p, p->pos, "%s", "filter error: unrecognized escape sequence");
				return -1;
			}
			if (e == 'x') {
				char hex[3] = { h[0], h[1], 0 };
				PUT((char)strtol(hex, NULL, 16));
				p->pos += 4;
				continue;
			}
			PUT('\\');
			PUT(e);
			p->pos += 2;
			continue;
		}
		PUT(ch);
		p->pos++;
	}
#undef PUT
	if (out)
		out[n] = 0;
	return n;
}

/* The value at the cursor, malloc'ed at its own size (a value costs what
 * it holds, however long the rest of the filter). */
static char *value(struct parser *p, int in_list)
{
	skip_ws(p);
	size_t start = p->pos;
	long n = scan_value(p, in_list, NULL);
	if (n < 0)
		return NULL;
	char *out = malloc((size_t)n + 1);
	if (!out)
		return NULL;
	p->pos = start;
	scan_value(p, in_list, out);
	return out;
}

static void node_free(struct node *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n->nkids; i++)
		node_free(n->kids[i]);
	free(n->kids);
	for (size_t i = 0; i < n->nvals; i++)
		free(n->vals[i].str);
	free(n->vals);
	udig_field_free(n->field);
	free(n);
}

static const struct {
	const char *text;
	enum filter_op op;
	int word; /* a keyword (whole word) rather than a symbol */
} ops[] = {
	{ "!=", F_NE, 0 }, { "<=", F_LE, 0 }, { ">=", F_GE, 0 }, { "=", F_EQ, 0 }, { "<", F_LT, 0 }, { ">", F_GT, 0 },
	{ "contains", F_CONTAINS, 1 }, { "icontains", F_ICONTAINS, 1 }, { "startswith", F_STARTSWITH, 1 },
	{ "endswith", F_ENDSWITH, 1 }, { "glob", F_GLOB, 1 }, { "in", F_IN, 1 }, { "pmatch", F_PMATCH, 1 },
	{ "exists", F_EXISTS, 1 },
};

static int parse_op(struct parser *p, enum filter_op *op)
{
	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
		size_t n = strlen(ops[i].text);
		if (ops[i].word ? keyword(p, ops[i].text) : !strncmp(p->s + p->pos, ops[i].text, n)) {
			if (!ops[i].word)
				p->pos += n;
			*op = ops[i].op;
			return 1;
		}
	}
	return 0;
}

static const char *op_name(enum filter_op op)
{
	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
		if (ops[i].op == op)
			return ops[i].text;
	return "?";
}

/* Is s an event or syscall name sysdig knows? */
static int known_event_type(const char *s)
{
	for (unsigned t = 0; t < UDIG_EVENT_MAX; t++)
		if (udig_event_table[t].name && !strcmp(udig_event_table[t].name, s))
			return 1;
	for (unsigned sc = 0; sc < USC_MAX; sc++) {
		const char *n = udig_syscall_name((uint16_t)sc);
		if (n && !strcmp(n, s))
			return 1;
	}
	return 0;
}

/* Parses value v of the field's type into o (which takes v). */
static int typed_value(struct parser *p, size_t col, const udig_field *f, char *v, struct filter_operand *o)
{
	o->str = v;
	char what[UDIG_ERRBUF_SIZE - 64];
	switch (f->info->type) {
	case UDIG_FT_STRING:
		if (strlen(v) >= MAX_VALUE) {
			snprintf(what, sizeof what, "filter parameter too long:%.100s", v);
			break;
		}
		if (!strcmp(f->info->name, "evt.type") && !known_event_type(v)) {
			snprintf(what, sizeof what, "unknown event type %.100s", v);
			break;
		}
		return 0;
	case UDIG_FT_INT64:
	case UDIG_FT_UINT64:
		if (!fields_parse_num(v, f->info->type, &o->i, &o->u))
			return 0;
		snprintf(what, sizeof what, "%.100s is not a valid number", v);
		break;
	case UDIG_FT_BOOL:
		if (!strcmp(v, "true") || !strcmp(v, "false")) {
			o->i = v[0] == 't';
			return 0;
		}
		snprintf(what, sizeof what, "filter error: unrecognized boolean value %.100s", v);
		break;
	case UDIG_FT_PORT: {
		if (!*v || strspn(v, "0123456789") == strlen(v)) {
			o->u = (uint16_t)strtoul(v, NULL, 10);
			return 0;
		}
		struct servent *se = getservbyname(v, NULL);
		if (se) {
			o->u = ntohs((uint16_t)se->s_port);
			return 0;
		}
		snprintf(what, sizeof what, "unrecognized protocol %.100s", v);
		break;
	}
	case UDIG_FT_IPADDR:
		if (strchr(v, '.')) {
			if (inet_pton(AF_INET, v, o->ip) == 1) {
				o->ip_len = 4;
				return 0;
			}
			snprintf(what, sizeof what, "unrecognized IPv4 address %.100s", v);
		} else {
			if (inet_pton(AF_INET6, v, o->ip) == 1) {
				o->ip_len = 16;
				return 0;
			}
			snprintf(what, sizeof what, "unrecognized IPv6 address %.100s", v);
		}
		break;
	}
	perr(p, col, "%s", what);
	return -1;
}

/* Which operators a field type takes; the message sysdig gives otherwise. */
static const char *op_refused(const udig_field *f, enum filter_op op)
{
	static char msg[96];
	switch (f->info->type) {
	case UDIG_FT_STRING:
		return NULL;
	case UDIG_FT_IPADDR:
		if (op == F_EQ || op == F_NE || op == F_IN || op == F_EXISTS)
			return NULL;
		break;
	default:
		if (op <= F_GE || op == F_IN || op == F_EXISTS)
			return NULL;
	}
	if (op == F_PMATCH)
		return "pmatch requires all charbuf arguments";
	snprintf(msg, sizeof msg, "'%s' not supported for %s filters", op_name(op),
		 f->info->type == UDIG_FT_IPADDR ? "ip address" : "numeric");
	return msg;
}

static int add_value(struct parser *p, size_t col, struct node *n, char *v)
{
	struct filter_operand *vals = realloc(n->vals, (n->nvals + 1) * sizeof *vals);
	if (!vals) {
		free(v);
		return -1;
	}
	n->vals = vals;
	memset(&n->vals[n->nvals], 0, sizeof n->vals[0]);
	if (typed_value(p, col, n->field, v, &n->vals[n->nvals])) {
		free(v);
		return -1;
	}
	n->nvals++;
	return 0;
}

static struct node *parse_check(struct parser *p)
{
	skip_ws(p);
	size_t col = p->pos;
	/* the field ends at a blank or an operator character, as in sysdig */
	while (p->s[p->pos] && !blank(p->s[p->pos]) && !strchr("()!=<>", p->s[p->pos]))
		p->pos++;
	if (p->pos == col) {
		char c1[2] = { p->s[col], 0 };
		if (c1[0])
			perr(p, col, "filter error: unexpected '%s'", c1);
		else
			perr(p, col, "%s", "filter error: unexpected end of filter");
		return NULL;
	}
	char *name = strndup(p->s + col, p->pos - col);
	if (!name)
		return NULL;
	char ferr[UDIG_ERRBUF_SIZE];
	udig_field *f = udig_field_compile(name, ferr);
	free(name);
	if (!f) {
		perr(p, col, "%s", ferr);
		return NULL;
	}
	fields_render_as(f, p->flags, 0);
	struct node *n = calloc(1, sizeof *n);
	if (!n) {
		udig_field_free(f);
		return NULL;
	}
	n->kind = N_CHECK;
	n->field = f;
	skip_ws(p);
	size_t opcol = p->pos;
	if (!parse_op(p, &n->op)) {
		char what[160];
		snprintf(what, sizeof what, "filter error: unrecognized comparison operator after %.100s", f->info->name);
		perr(p, opcol, "%s", what);
		node_free(n);
		return NULL;
	}
	const char *refused = op_refused(f, n->op);
	if (refused) {
		perr(p, opcol, "%s", refused);
		node_free(n);
		return NULL;
	}
	if (n->op == F_EXISTS)
		return n;
	if (n->op == F_IN || n->op == F_PMATCH) {
		skip_ws(p);
		if (p->s[p->pos] != '(') {
			perr(p, p->pos, "%s", "expected '(' after 'in/intersects/pmatch' operand");
			node_free(n);
			return NULL;
		}
		p->pos++;
		for (;;) {
			skip_ws(p);
			size_t vcol = p->pos;
			char *v = value(p, 1);
			if (!v || add_value(p, vcol, n, v)) {
				node_free(n);
				return NULL;
			}
			skip_ws(p);
			if (p->s[p->pos] == ',') {
				p->pos++;
				continue;
			}
			if (p->s[p->pos] == ')') {
				p->pos++;
				break;
			}
			perr(p, p->pos, "%s", "expected either ')' or ',' after a value inside the 'in' clause");
			node_free(n);
			return NULL;
		}
		return n;
	}
	skip_ws(p);
	size_t vcol = p->pos;
	char *v = value(p, 0);
	if (!v || add_value(p, vcol, n, v)) {
		node_free(n);
		return NULL;
	}
	return n;
}

static struct node *parse_group(struct parser *p);

/* Appends `kid` to n's operands (n takes it, and frees it on failure). */
static int add_kid(struct node *n, struct node *kid)
{
	/* capacity doubles (at each power of two): a 100 000-term chain costs
	 * 17 reallocations, not 100 000 */
	if (!(n->nkids & (n->nkids - 1))) {
		struct node **k = realloc(n->kids, (n->nkids ? 2 * n->nkids : 1) * sizeof *k);
		if (!k) {
			node_free(kid);
			return -1;
		}
		n->kids = k;
	}
	n->kids[n->nkids++] = kid;
	return 0;
}

static struct node *node_new(enum node_kind k, struct node *first)
{
	struct node *n = calloc(1, sizeof *n);
	if (!n || add_kid(n, first) < 0) {
		if (!n)
			node_free(first);
		free(n);
		return NULL;
	}
	n->kind = k;
	return n;
}

static int too_deep(struct parser *p, size_t col)
{
	if (p->depth < MAX_DEPTH)
		return 0;
	perr(p, col, "%s", "nested deeper than " STR(MAX_DEPTH) " levels of '(' and 'not'");
	return 1;
}

static struct node *parse_item(struct parser *p)
{
	unsigned depth0 = p->depth;
	int negate = 0;
	for (;;) {
		skip_ws(p);
		size_t col = p->pos;
		if (!keyword(p, "not"))
			break;
		if (too_deep(p, col)) {
			p->depth = depth0;
			return NULL;
		}
		p->depth++;
		negate = 1; /* sysdig: 'not not x' is 'not x' */
	}
	skip_ws(p);
	size_t col = p->pos;
	struct node *n;
	if (p->s[p->pos] == '(') {
		if (too_deep(p, col)) {
			p->depth = depth0;
			return NULL;
		}
		p->depth++;
		p->pos++;
		n = parse_group(p);
		skip_ws(p);
		if (n && p->s[p->pos] != ')') {
			perr(p, p->pos, "%s", "filter error: unexpected end of filter");
			node_free(n);
			n = NULL;
		} else if (n) {
			p->pos++;
		}
	} else {
		n = parse_check(p);
	}
	p->depth = depth0;
	return n && negate ? node_new(N_NOT, n) : n;
}

/* item (BOOL item)*: one node however long the chain, one BOOL throughout. */
static struct node *parse_group(struct parser *p)
{
	struct node *first = parse_item(p);
	if (!first)
		return NULL;
	skip_ws(p);
	enum node_kind k = N_AND;
	if (keyword(p, "and"))
		k = N_AND;
	else if (keyword(p, "or"))
		k = N_OR;
	else
		return first;
	struct node *n = node_new(k, first);
	while (n) {
		struct node *b = parse_item(p);
		if (!b || add_kid(n, b) < 0) {
			node_free(n);
			return NULL;
		}
		skip_ws(p);
		size_t col = p->pos;
		int is_and = keyword(p, "and"), is_or = !is_and && keyword(p, "or");
		if (!is_and && !is_or)
			break;
		if ((k == N_AND) != is_and) {
			perr(p, col, "%s", "expression mixes 'and' and 'or' in an ambiguous way. Please use brackets.");
			node_free(n);
			return NULL;
		}
	}
	return n;
}

udig_filter *udig_filter_compile(const char *expr, char *err)
{
	return udig_filter_compile_flags(expr, 0, err);
}

udig_filter *udig_filter_compile_flags(const char *expr, unsigned flags, char *err)
{
	if (flags & ~(UDIG_FORMAT_JSON | UDIG_FORMAT_ASCII)) {
		udig_errf(err, "filter: unknown flags %#x", flags);
		return NULL;
	}
	struct parser p = { .s = expr ? expr : "", .err = err, .flags = flags };
	struct node *root = parse_group(&p);
	if (root) {
		skip_ws(&p);
		if (p.s[p.pos]) {
			perr(&p, p.pos, p.s[p.pos] == ')' ? "filter error: unexpected '%.1s'" : "syntax error in filter near '%.40s'",
			     p.s + p.pos);
			node_free(root);
			return NULL;
		}
	}
	if (!root) {
		if (!p.failed)
			udig_errf(err, "filter: out of memory");
		return NULL;
	}
	udig_filter *f = malloc(sizeof *f);
	if (!f) {
		node_free(root);
		udig_errf(err, "filter: out of memory");
		return NULL;
	}
	f->root = root;
	return f;
}

/* pmatch: the value is one of the paths or lies below one. */
static int path_under(const char *v, const char *dir)
{
	size_t n = strlen(dir);
	while (n > 1 && dir[n - 1] == '/')
		n--;
	return !strncmp(v, dir, n) && (v[n] == 0 || v[n] == '/' || (n == 1 && dir[0] == '/'));
}

static int check_str(enum filter_op op, const char *v, const char *x)
{
	switch (op) {
	case F_EQ: case F_IN: return !strcmp(v, x);
	case F_NE: return strcmp(v, x) != 0;
	case F_LT: return strcmp(v, x) < 0;
	case F_LE: return strcmp(v, x) <= 0;
	case F_GT: return strcmp(v, x) > 0;
	case F_GE: return strcmp(v, x) >= 0;
	case F_CONTAINS: return strstr(v, x) != NULL;
	case F_ICONTAINS: return strcasestr(v, x) != NULL;
	case F_STARTSWITH: return !strncmp(v, x, strlen(x));
	case F_ENDSWITH: {
		size_t lv = strlen(v), lx = strlen(x);
		return lv >= lx && !memcmp(v + lv - lx, x, lx);
	}
	case F_GLOB: return fnmatch(x, v, 0) == 0;
	case F_PMATCH: return path_under(v, x);
	case F_EXISTS: return 1;
	}
	return 0;
}

#define CMP(a, b) ((a) < (b) ? -1 : (a) > (b))

static int check_one(const struct node *n, const struct udig_field_value *v, const struct filter_operand *x)
{
	int cmp;
	switch (v->type) {
	case UDIG_FT_STRING: return check_str(n->op, v->str ? v->str : "", x->str);
	case UDIG_FT_IPADDR:
		cmp = !(v->ip_len == x->ip_len && !memcmp(v->ip, x->ip, v->ip_len));
		break;
	case UDIG_FT_INT64: case UDIG_FT_BOOL:
		cmp = n->field->info->type == UDIG_FT_INT64 || n->field->info->type == UDIG_FT_BOOL ? CMP(v->i, x->i)
			: CMP((uint64_t)v->i, x->u);
		break;
	default:
		cmp = CMP(v->u, x->u);
	}
	switch (n->op) {
	case F_EQ: case F_IN: return cmp == 0;
	case F_NE: return cmp != 0;
	case F_LT: return cmp < 0;
	case F_LE: return cmp <= 0;
	case F_GT: return cmp > 0;
	case F_GE: return cmp >= 0;
	case F_EXISTS: return 1;
	default: return 0;
	}
}

static int check_value(const struct node *n, const struct udig_field_value *v)
{
	if (n->op == F_EXISTS)
		return 1;
	for (size_t i = 0; i < n->nvals; i++)
		if (check_one(n, v, &n->vals[i]))
			return 1;
	return 0;
}

static int check_field(const struct node *n, const udig_field *f, udig_capture *c, const struct udig_evt *ev)
{
	struct udig_field_value v;
	int hit = udig_field_extract(c, ev, f, &v) == 1 && check_value(n, &v);
	udig_field_value_done(&v);
	return hit;
}

static int eval_check(const struct node *n, udig_capture *c, const struct udig_evt *ev)
{
	const udig_field *f = n->field;
	if (!(f->info->flags & UDIG_FIELD_ARG_INDEX) || f->index >= 0)
		return check_field(n, f, c, ev);
	/* proc.aname / proc.apid alone: any ancestor, from the parent up */
	struct udig_field one = *f;
	for (one.index = 1; one.index <= FIELDS_MAX_ANCESTORS; one.index++) {
		struct udig_field_value v;
		int got = udig_field_extract(c, ev, &one, &v) == 1;
		int hit = got && check_value(n, &v);
		udig_field_value_done(&v);
		if (!got)
			return 0;
		if (hit)
			return 1;
	}
	return 0;
}

static int eval(const struct node *n, udig_capture *c, const struct udig_evt *ev)
{
	switch (n->kind) {
	case N_AND:
		for (size_t i = 0; i < n->nkids; i++)
			if (!eval(n->kids[i], c, ev))
				return 0;
		return 1;
	case N_OR:
		for (size_t i = 0; i < n->nkids; i++)
			if (eval(n->kids[i], c, ev))
				return 1;
		return 0;
	case N_NOT: return !eval(n->kids[0], c, ev);
	case N_CHECK: break;
	}
	return eval_check(n, c, ev);
}

int udig_filter_match(const udig_filter *f, udig_capture *c, const struct udig_evt *ev)
{
	return f ? eval(f->root, c, ev) : 1;
}

void udig_filter_free(udig_filter *f)
{
	if (!f)
		return;
	node_free(f->root);
	free(f);
}
