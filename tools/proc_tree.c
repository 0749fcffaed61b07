/*
 * The process tree of a capture (proc_tree.h).  Processes are learnt from
 * what the capture shows of them: a clone/fork exit (either side), an
 * execve exit that succeeded, a procexit.  Their data come from the
 * consumer's thread table at that event, which libcapture keeps as the
 * reference consumer does.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include "proc_tree.h"

/* Printing recurses once per level: deeper chains are cut there. */
#define MAX_DEPTH 200

struct exec_rec {
	uint64_t ts;
	char *exe, *cwd;
	char *args; /* NUL-separated, args_len bytes */
	uint32_t args_len;
};

struct proc {
	int64_t pid, ppid;
	uint64_t start, end; /* end 0: not seen to end */
	int has_start, exited, code, sig;
	struct exec_rec *execs;
	size_t nexecs;
	ssize_t first_child, next_sibling, last_child; /* indices, built when printing */
	int has_parent;
};

struct proc_tree {
	struct proc *v;
	size_t n, cap;
};

struct proc_tree *proc_tree_new(void)
{
	return calloc(1, sizeof(struct proc_tree));
}

/* The live process of that pid: the latest one, unless it has ended (the
 * pid was reused). */
static struct proc *find(struct proc_tree *t, int64_t pid)
{
	for (size_t i = t->n; i-- > 0;)
		if (t->v[i].pid == pid)
			return t->v[i].exited ? NULL : &t->v[i];
	return NULL;
}

static struct proc *add(struct proc_tree *t, int64_t pid, int64_t ppid)
{
	if (t->n == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 64;
		struct proc *v = realloc(t->v, cap * sizeof *v);
		if (!v)
			return NULL;
		t->v = v;
		t->cap = cap;
	}
	struct proc *p = &t->v[t->n++];
	memset(p, 0, sizeof *p);
	p->pid = pid;
	p->ppid = ppid;
	return p;
}

/* The parent process of a thread: its ptid's process. */
static int64_t parent_pid(udig_capture *c, const struct udig_threadinfo *ti)
{
	const struct udig_threadinfo *pt = udig_get_thread(c, ti->ptid);
	return pt ? pt->pid : ti->ptid;
}

static struct proc *get(struct proc_tree *t, udig_capture *c, const struct udig_threadinfo *ti)
{
	struct proc *p = find(t, ti->pid);
	return p ? p : add(t, ti->pid, parent_pid(c, ti));
}

static char *dupmem(const char *s, size_t n)
{
	char *d = malloc(n + 1);
	if (d) {
		memcpy(d, s, n);
		d[n] = 0;
	}
	return d;
}

static int add_exec(struct proc *p, const struct udig_threadinfo *ti, uint64_t ts)
{
	struct exec_rec *v = realloc(p->execs, (p->nexecs + 1) * sizeof *v);
	if (!v)
		return -1;
	p->execs = v;
	struct exec_rec *e = &v[p->nexecs];
	e->ts = ts;
	e->exe = strdup(ti->exe);
	e->cwd = strdup(ti->cwd);
	e->args = dupmem(ti->args.data, ti->args.len);
	e->args_len = ti->args.len;
	if (!e->exe || !e->cwd || !e->args) {
		free(e->exe), free(e->cwd), free(e->args);
		return -1;
	}
	p->nexecs++;
	return 0;
}

static int is_one_of(const char *name, const char *const *names)
{
	for (; *names; names++)
		if (!strcmp(name, *names))
			return 1;
	return 0;
}

int proc_tree_add(struct proc_tree *t, udig_capture *c, const struct udig_evt *ev)
{
	static const char *const forks[] = { "clone", "fork", "vfork", "clone3", NULL };
	static const char *const execs[] = { "execve", "execveat", NULL };
	const struct udig_event_info *info = udig_event_info(ev->type);
	if (!info || !info->name)
		return 0;
	int enter = udig_event_is_enter(ev->type);
	const struct udig_threadinfo *ti = udig_get_thread(c, (int64_t)ev->tid);
	if (!ti)
		return 0;
	struct proc *p;
	if (!enter && is_one_of(info->name, forks)) {
		int64_t res = udig_evt_int(ev, 0, -1);
		if (res == 0 && ti->tid == ti->pid) { /* the new process's side */
			p = get(t, c, ti);
		} else if (res > 0) { /* the parent's side: the child may never show itself */
			const struct udig_threadinfo *child = udig_get_thread(c, res);
			if (!child || child->pid != res || find(t, res))
				return 0;
			p = add(t, res, ti->pid);
		} else {
			return 0;
		}
		if (!p)
			return -1;
		if (!p->has_start) {
			p->start = ev->ts;
			p->has_start = 1;
		}
		return 0;
	}
	if (!enter && is_one_of(info->name, execs) && udig_evt_int(ev, 0, -1) == 0) {
		if (!(p = get(t, c, ti)))
			return -1;
		if (!p->has_start) {
			p->start = ev->ts;
			p->has_start = 1;
		}
		return add_exec(p, ti, ev->ts);
	}
	if (!strcmp(info->name, "procexit") && ti->tid == ti->pid && (p = find(t, ti->pid))) {
		int64_t status = udig_evt_int(ev, 0, 0);
		p->exited = 1;
		p->end = ev->ts;
		/* ret and sig where the record has them (procexit_1), else the
		 * wait status */
		p->code = ev->nvals >= 3 ? (int)udig_evt_int(ev, 1, 0) : (int)((status >> 8) & 0xff);
		p->sig = ev->nvals >= 3 ? (int)udig_evt_int(ev, 2, 0) : (int)(status & 0x7f);
	}
	return 0;
}

static void link_children(struct proc_tree *t)
{
	for (size_t i = 0; i < t->n; i++)
		t->v[i].first_child = t->v[i].next_sibling = t->v[i].last_child = -1;
	for (size_t i = 0; i < t->n; i++) {
		struct proc *p = &t->v[i];
		p->has_parent = 0;
		/* the parent: the latest process of that pid created before it */
		for (size_t j = i; j-- > 0;) {
			if (t->v[j].pid != p->ppid)
				continue;
			struct proc *par = &t->v[j];
			if (par->last_child >= 0)
				t->v[par->last_child].next_sibling = (ssize_t)i;
			else
				par->first_child = (ssize_t)i;
			par->last_child = (ssize_t)i;
			p->has_parent = 1;
			break;
		}
	}
}

/* An argument as a shell would need it written. */
static void put_word(FILE *out, const char *w)
{
	if (*w && strspn(w, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./=:,+@%") == strlen(w)) {
		fputs(w, out);
		return;
	}
	fputc('\'', out);
	for (; *w; w++)
		if (*w == '\'')
			fputs("'\\''", out);
		else
			fputc(*w, out);
	fputc('\'', out);
}

static void put_exec_text(FILE *out, const struct exec_rec *e)
{
	put_word(out, e->exe);
	for (uint32_t off = 0; off < e->args_len; off += (uint32_t)strlen(e->args + off) + 1) {
		fputc(' ', out);
		put_word(out, e->args + off);
	}
}

static void put_end_text(FILE *out, const struct proc *p)
{
	if (!p->exited)
		fputs("  (no exit seen)", out);
	else if (p->sig)
		fprintf(out, "  killed by SIG%s", sigabbrev_np(p->sig) ? sigabbrev_np(p->sig) : "?");
	else
		fprintf(out, "  exit %d", p->code);
	if (p->exited && p->has_start && p->end >= p->start)
		fprintf(out, "  %.3f ms", (double)(p->end - p->start) / 1e6);
}

static void print_text(struct proc_tree *t, FILE *out, size_t i, char *prefix, size_t plen, int last, int depth)
{
	const struct proc *p = &t->v[i];
	fprintf(out, "%s%s%lld ", prefix, depth ? (last ? "`- " : "|- ") : "", (long long)p->pid);
	if (p->nexecs)
		put_exec_text(out, &p->execs[0]);
	else
		fputs("(forked, no exec)", out);
	if (p->nexecs)
		fprintf(out, "  [cwd ");
	if (p->nexecs) {
		put_word(out, p->execs[0].cwd);
		fputc(']', out);
	}
	put_end_text(out, p);
	fputc('\n', out);
	size_t sub = plen + (depth ? 3 : 0);
	if (depth)
		memcpy(prefix + plen, last ? "   " : "|  ", 4);
	for (size_t k = 1; k < p->nexecs; k++) {
		fprintf(out, "%s%s  then exec ", prefix, p->first_child >= 0 ? "|" : " ");
		put_exec_text(out, &p->execs[k]);
		fputc('\n', out);
	}
	if (depth >= MAX_DEPTH) {
		if (p->first_child >= 0)
			fprintf(out, "%s`- ... (deeper processes not shown)\n", prefix);
	} else {
		for (ssize_t c = p->first_child; c >= 0; c = t->v[c].next_sibling)
			print_text(t, out, (size_t)c, prefix, sub, t->v[c].next_sibling < 0, depth + 1);
	}
	prefix[plen] = 0;
}

static void put_json_str(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '"' || ch == '\\')
			fprintf(out, "\\%c", ch);
		else if (ch < 0x20)
			fprintf(out, "\\u%04x", ch);
		else
			fputc(ch, out);
	}
	fputc('"', out);
}

static void print_json(struct proc_tree *t, FILE *out, size_t i, int depth)
{
	const struct proc *p = &t->v[i];
	fprintf(out, "{\"pid\":%lld,\"ppid\":%lld,\"start_ns\":", (long long)p->pid, (long long)p->ppid);
	fprintf(out, p->has_start ? "%llu" : "null", (unsigned long long)p->start);
	if (p->exited) {
		fprintf(out, ",\"end_ns\":%llu,\"duration_ns\":", (unsigned long long)p->end);
		fprintf(out, p->has_start && p->end >= p->start ? "%llu" : "null",
			(unsigned long long)(p->end - p->start));
		if (p->sig)
			fprintf(out, ",\"exit_code\":null,\"signal\":\"SIG%s\"",
				sigabbrev_np(p->sig) ? sigabbrev_np(p->sig) : "?");
		else
			fprintf(out, ",\"exit_code\":%d,\"signal\":null", p->code);
	} else {
		fputs(",\"end_ns\":null,\"duration_ns\":null,\"exit_code\":null,\"signal\":null", out);
	}
	fputs(",\"execs\":[", out);
	for (size_t k = 0; k < p->nexecs; k++) {
		const struct exec_rec *e = &p->execs[k];
		fprintf(out, "%s{\"ts_ns\":%llu,\"exe\":", k ? "," : "", (unsigned long long)e->ts);
		put_json_str(out, e->exe);
		fputs(",\"argv\":[", out);
		put_json_str(out, e->exe);
		for (uint32_t off = 0; off < e->args_len; off += (uint32_t)strlen(e->args + off) + 1) {
			fputc(',', out);
			put_json_str(out, e->args + off);
		}
		fputs("],\"cwd\":", out);
		put_json_str(out, e->cwd);
		fputc('}', out);
	}
	fputs("],\"children\":[", out);
	if (depth < MAX_DEPTH)
		for (ssize_t c = p->first_child; c >= 0; c = t->v[c].next_sibling) {
			if (c != p->first_child)
				fputc(',', out);
			print_json(t, out, (size_t)c, depth + 1);
		}
	fputs("]}", out);
}

int proc_tree_print(struct proc_tree *t, FILE *out, int json)
{
	char prefix[3 * MAX_DEPTH + 8];
	prefix[0] = 0;
	link_children(t);
	if (json)
		fputs("{\"processes\":[", out);
	int first = 1;
	for (size_t i = 0; i < t->n; i++) {
		if (t->v[i].has_parent)
			continue;
		if (json) {
			if (!first)
				fputc(',', out);
			print_json(t, out, i, 0);
		} else {
			print_text(t, out, i, prefix, 0, 1, 0);
		}
		first = 0;
	}
	if (json)
		fputs("]}\n", out);
	return fflush(out) == EOF || ferror(out) ? -1 : 0;
}

void proc_tree_free(struct proc_tree *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n; i++) {
		for (size_t k = 0; k < t->v[i].nexecs; k++) {
			free(t->v[i].execs[k].exe);
			free(t->v[i].execs[k].cwd);
			free(t->v[i].execs[k].args);
		}
		free(t->v[i].execs);
	}
	free(t->v);
	free(t);
}
