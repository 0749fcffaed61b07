/*
 * Filters: a small sysdig-style language.
 *
 *   expr    := and ('or' and)*
 *   and     := unary ('and' unary)*
 *   unary   := 'not' unary | '(' expr ')' | check
 *   check   := FIELD OP VALUE | FIELD 'in' '(' VALUE (',' VALUE)* ')'
 *   OP      := = | == | != | < | <= | > | >= | contains | startswith
 *   VALUE   := a bare word or a '...' / "..." quoted string
 *
 * Fields are extracted by filter_field.c with sysdig's semantics; a field
 * the event does not have (fd.num of a getpid) makes every check on it
 * false, as in sysdig.  Parse errors name the column (1-based).
 *
 * Filters come from the command line and from programs we do not control,
 * so nothing here recurses on the length of the input: a chain of 'and' or
 * 'or' is one node with a list of operands, and only parentheses and 'not'
 * nest, at most MAX_DEPTH levels.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "filter-int.h"

enum node_kind { N_AND, N_OR, N_NOT, N_CHECK };

/* Deep enough for any filter a person writes; shallow enough that the
 * parser's three frames a level stay far below any thread's stack. */
#define MAX_DEPTH 256
#define STR_(x) #x
#define STR(x) STR_(x)

struct node {
	enum node_kind kind;
	struct node **kids;         /* N_AND, N_OR: the operands; N_NOT: one */
	size_t nkids;
	const struct filter_field *field;
	enum filter_op op;
	char **vals;                /* one value, or the 'in' list */
	int64_t *nums;              /* the values as numbers (numeric fields) */
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

static void skip_ws(struct parser *p)
{
	while (isspace((unsigned char)p->s[p->pos]))
		p->pos++;
}

static int is_word_char(char ch)
{
	return ch && !isspace((unsigned char)ch) && !strchr("()=!<>,'\"", ch);
}

/* Reads a bare word (field names, keywords, unquoted values). */
static char *word(struct parser *p)
{
	size_t start = p->pos;
	while (is_word_char(p->s[p->pos]))
		p->pos++;
	return strndup(p->s + start, p->pos - start);
}

/* Does the keyword kw (case-insensitive) start here as a whole word? */
static int keyword(struct parser *p, const char *kw)
{
	size_t n = strlen(kw);
	if (strncasecmp(p->s + p->pos, kw, n) || is_word_char(p->s[p->pos + n]))
		return 0;
	p->pos += n;
	return 1;
}

static char *value(struct parser *p)
{
	skip_ws(p);
	char q = p->s[p->pos];
	if (q == '\'' || q == '"') {
		size_t start = ++p->pos;
		while (p->s[p->pos] && p->s[p->pos] != q)
			p->pos++;
		if (!p->s[p->pos]) {
			perr(p, start - 1, "%s", "unterminated string");
			return NULL;
		}
		return strndup(p->s + start, p->pos++ - start);
	}
	/* bare values may hold operator characters: evt.dir=> */
	size_t start = p->pos;
	while (p->s[p->pos] && !isspace((unsigned char)p->s[p->pos]) && !strchr("(),'\"", p->s[p->pos]))
		p->pos++;
	if (p->pos == start) {
		perr(p, p->pos, "%s", q ? "expected a value" : "expected a value, found the end");
		return NULL;
	}
	return strndup(p->s + start, p->pos - start);
}

static void node_free(struct node *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n->nkids; i++)
		node_free(n->kids[i]);
	free(n->kids);
	for (size_t i = 0; i < n->nvals; i++)
		free(n->vals[i]);
	free(n->vals);
	free(n->nums);
	free(n);
}

static const struct {
	const char *text;
	enum filter_op op;
} ops[] = {
	{ "==", F_EQ }, { "!=", F_NE }, { "<=", F_LE }, { ">=", F_GE }, { "=", F_EQ }, { "<", F_LT }, { ">", F_GT },
};

static int parse_op(struct parser *p, enum filter_op *op)
{
	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
		size_t n = strlen(ops[i].text);
		if (!strncmp(p->s + p->pos, ops[i].text, n)) {
			p->pos += n;
			*op = ops[i].op;
			return 1;
		}
	}
	if (keyword(p, "contains"))
		return *op = F_CONTAINS, 1;
	if (keyword(p, "startswith"))
		return *op = F_STARTSWITH, 1;
	if (keyword(p, "in"))
		return *op = F_IN, 1;
	return 0;
}

static int add_value(struct node *n, char *v)
{
	char **vals = realloc(n->vals, (n->nvals + 1) * sizeof *vals);
	if (!vals) {
		free(v);
		return -1;
	}
	n->vals = vals;
	n->vals[n->nvals++] = v;
	return 0;
}

static struct node *parse_check(struct parser *p)
{
	skip_ws(p);
	size_t col = p->pos;
	char *name = word(p);
	if (!name || !name[0]) {
		free(name);
		perr(p, col, "%s", p->s[col] ? "expected a field name" : "expected a field name, found the end");
		return NULL;
	}
	const struct filter_field *f = filter_field_find(name);
	if (!f) {
		perr(p, col, "unknown field '%s'", name);
		free(name);
		return NULL;
	}
	free(name);
	struct node *n = calloc(1, sizeof *n);
	if (!n)
		return NULL;
	n->kind = N_CHECK;
	n->field = f;
	skip_ws(p);
	size_t opcol = p->pos;
	if (!parse_op(p, &n->op)) {
		perr(p, opcol, "%s", "expected an operator (=, !=, <, <=, >, >=, contains, startswith, in)");
		node_free(n);
		return NULL;
	}
	if (f->numeric ? (n->op == F_CONTAINS || n->op == F_STARTSWITH)
		       : (n->op == F_LT || n->op == F_LE || n->op == F_GT || n->op == F_GE)) {
		char what[96];
		snprintf(what, sizeof what, "operator not supported on field '%s'", f->name);
		perr(p, opcol, "%s", what);
		node_free(n);
		return NULL;
	}
	if (n->op == F_IN) {
		skip_ws(p);
		if (p->s[p->pos] != '(') {
			perr(p, p->pos, "%s", "expected '(' after in");
			node_free(n);
			return NULL;
		}
		p->pos++;
		for (;;) {
			char *v = value(p);
			if (!v || add_value(n, v)) {
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
			perr(p, p->pos, "%s", "expected ',' or ')' in the list");
			node_free(n);
			return NULL;
		}
	} else {
		char *v = value(p);
		if (!v || add_value(n, v)) {
			node_free(n);
			return NULL;
		}
	}
	if (f->numeric) {
		n->nums = calloc(n->nvals, sizeof *n->nums);
		if (!n->nums) {
			node_free(n);
			return NULL;
		}
		for (size_t i = 0; i < n->nvals; i++) {
			char *end;
			n->nums[i] = strtoll(n->vals[i], &end, 0);
			if (!n->vals[i][0] || *end) {
				char what[96];
				snprintf(what, sizeof what, "'%.40s' is not a number (field %s)", n->vals[i], f->name);
				perr(p, opcol, "%s", what);
				node_free(n);
				return NULL;
			}
		}
	}
	return n;
}

static struct node *parse_or(struct parser *p);

/* Appends `kid` to n's operands (n takes it, and frees it on failure). */
static int add_kid(struct node *n, struct node *kid)
{
	struct node **k = realloc(n->kids, (n->nkids + 1) * sizeof *k);
	if (!k) {
		node_free(kid);
		return -1;
	}
	n->kids = k;
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

static struct node *parse_unary(struct parser *p)
{
	skip_ws(p);
	size_t col = p->pos;
	int is_not = keyword(p, "not");
	if (!is_not && p->s[p->pos] != '(')
		return parse_check(p);
	if (p->depth >= MAX_DEPTH) {
		perr(p, col, "%s", "nested deeper than " STR(MAX_DEPTH) " levels of '(' and 'not'");
		return NULL;
	}
	p->depth++;
	struct node *n;
	if (is_not) {
		struct node *a = parse_unary(p);
		n = a ? node_new(N_NOT, a) : NULL;
	} else {
		p->pos++;
		n = parse_or(p);
		skip_ws(p);
		if (n && p->s[p->pos] != ')') {
			perr(p, col, "%s", "unbalanced '('");
			node_free(n);
			n = NULL;
		} else if (n) {
			p->pos++;
		}
	}
	p->depth--;
	return n;
}

/* operand (KW operand)*: one node however long the chain. */
static struct node *parse_chain(struct parser *p, enum node_kind k, const char *kw,
				struct node *(*operand)(struct parser *))
{
	struct node *first = operand(p);
	if (!first)
		return NULL;
	skip_ws(p);
	if (!keyword(p, kw))
		return first;
	struct node *n = node_new(k, first);
	while (n) {
		struct node *b = operand(p);
		if (!b || add_kid(n, b) < 0) {
			node_free(n);
			return NULL;
		}
		skip_ws(p);
		if (!keyword(p, kw))
			break;
	}
	return n;
}

static struct node *parse_and(struct parser *p)
{
	return parse_chain(p, N_AND, "and", parse_unary);
}

static struct node *parse_or(struct parser *p)
{
	return parse_chain(p, N_OR, "or", parse_and);
}

udig_filter *udig_filter_compile(const char *expr, char *err)
{
	struct parser p = { expr ? expr : "", 0, err, 0, 0 };
	struct node *root = parse_or(&p);
	if (root) {
		skip_ws(&p);
		if (p.s[p.pos]) {
			perr(&p, p.pos, "unexpected '%s'", p.s + p.pos);
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

static int check_str(const struct node *n, const char *v)
{
	for (size_t i = 0; i < n->nvals; i++) {
		const char *x = n->vals[i];
		int hit = 0;
		switch (n->op) {
		case F_EQ: case F_IN: hit = !strcmp(v, x); break;
		case F_NE: hit = strcmp(v, x) != 0; break;
		case F_CONTAINS: hit = strstr(v, x) != NULL; break;
		case F_STARTSWITH: hit = !strncmp(v, x, strlen(x)); break;
		default: break;
		}
		if (hit)
			return 1;
	}
	return 0;
}

static int check_num(const struct node *n, int64_t v)
{
	for (size_t i = 0; i < n->nvals; i++) {
		int64_t x = n->nums[i];
		int hit = 0;
		switch (n->op) {
		case F_EQ: case F_IN: hit = v == x; break;
		case F_NE: hit = v != x; break;
		case F_LT: hit = v < x; break;
		case F_LE: hit = v <= x; break;
		case F_GT: hit = v > x; break;
		case F_GE: hit = v >= x; break;
		default: break;
		}
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
	struct filter_value v;
	v.alloc = NULL;
	if (!n->field->extract(c, ev, &v))
		return 0;
	int hit = n->field->numeric ? check_num(n, v.num) : check_str(n, v.str);
	free(v.alloc);
	return hit;
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
