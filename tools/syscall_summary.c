/* The `strace -c` table of `udig run -c` (syscall_summary.h). */
#include <stdlib.h>
#include <string.h>
#include <uthash.h>
#include "strace_set.h"
#include "syscall_summary.h"

struct row {
	const char *name; /* static: strace's or the event table's */
	uint64_t calls, errors, ns;
	UT_hash_handle hh;
};

struct syscall_summary {
	struct row *rows;
	udig_field *latency;
};

struct syscall_summary *syscall_summary_new(void)
{
	char err[UDIG_ERRBUF_SIZE];
	struct syscall_summary *s = calloc(1, sizeof *s);
	if (s && !(s->latency = udig_field_compile("evt.latency", err))) {
		free(s);
		return NULL;
	}
	return s;
}

static struct row *row_of(struct syscall_summary *s, const char *name)
{
	struct row *r;
	HASH_FIND_STR(s->rows, name, r);
	if (!r && (r = calloc(1, sizeof *r))) {
		r->name = name;
		HASH_ADD_KEYPTR(hh, s->rows, r->name, strlen(r->name), r);
	}
	return r;
}

/* A failed call: the exit's first parameter is its result, negative errno. */
static int failed(const struct udig_evt *ev)
{
	const struct udig_event_info *info = udig_event_info(ev->type);
	if (!info || !info->nparams || !ev->nvals)
		return 0;
	uint8_t t = info->params[0].type;
	if (t != UDIG_PT_ERRNO && t != UDIG_PT_FD && t != UDIG_PT_PID)
		return 0;
	int64_t res = udig_evt_int(ev, 0, 0);
	return res < 0 && res > -4096;
}

void syscall_summary_add(struct syscall_summary *s, udig_capture *c, const struct udig_evt *ev)
{
	const char *name = strace_event_name(ev);
	if (!name)
		return;
	struct row *r = row_of(s, name);
	if (!r)
		return;
	/* Counted at the enter, as strace counts a call when it starts: a
	 * clone's second exit (the child's) is no second call, and an engine
	 * that writes no exits (unotify) still counts every call. */
	if (udig_event_is_enter(ev->type)) {
		/* strace tallies a call when it returns: these never do */
		if (strcmp(name, "exit") && strcmp(name, "exit_group"))
			r->calls++;
		return;
	}
	r->errors += (uint64_t)failed(ev);
	struct udig_field_value v;
	memset(&v, 0, sizeof v);
	if (udig_field_extract(c, ev, s->latency, &v) == 1)
		r->ns += v.u;
	udig_field_value_done(&v);
}

static int by_time(struct row *a, struct row *b)
{
	if (a->ns != b->ns)
		return a->ns < b->ns ? 1 : -1;
	if (a->calls != b->calls)
		return a->calls < b->calls ? 1 : -1;
	return strcmp(a->name, b->name);
}

int syscall_summary_print(struct syscall_summary *s, FILE *out)
{
	static const char rule[] = "------ ----------- ----------- --------- --------- ----------------\n";
	uint64_t calls = 0, errors = 0, ns = 0;
	struct row *r, *tmp;
	HASH_SORT(s->rows, by_time);
	HASH_ITER(hh, s->rows, r, tmp) {
		calls += r->calls;
		errors += r->errors;
		ns += r->ns;
	}
	fprintf(out, "%% time     seconds  usecs/call     calls    errors syscall\n%s", rule);
	HASH_ITER(hh, s->rows, r, tmp) {
		if (!r->calls)
			continue; /* exits whose enter the capture missed */
		fprintf(out, "%6.2f %11.6f %11llu %9llu ", ns ? 100.0 * (double)r->ns / (double)ns : 0.0,
			(double)r->ns / 1e9, (unsigned long long)(r->ns / 1000 / r->calls),
			(unsigned long long)r->calls);
		if (r->errors)
			fprintf(out, "%9llu %s\n", (unsigned long long)r->errors, r->name);
		else
			fprintf(out, "%9s %s\n", "", r->name);
	}
	fprintf(out, "%s%6.2f %11.6f %11llu %9llu ", rule, ns ? 100.0 : 0.0, (double)ns / 1e9,
		(unsigned long long)(calls ? ns / 1000 / calls : 0), (unsigned long long)calls);
	if (errors)
		fprintf(out, "%9llu total\n", (unsigned long long)errors);
	else
		fprintf(out, "%9s total\n", "");
	return fflush(out) == EOF ? -1 : 0;
}

void syscall_summary_free(struct syscall_summary *s)
{
	struct row *r, *tmp;
	if (!s)
		return;
	HASH_ITER(hh, s->rows, r, tmp) {
		HASH_DEL(s->rows, r);
		free(r);
	}
	udig_field_free(s->latency);
	free(s);
}
