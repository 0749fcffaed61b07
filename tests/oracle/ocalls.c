/*
 * ocalls FILE.scap — the open/openat/execve/connect calls of a capture, one
 * line per call, in the shape the strace side of the oracle produces
 * (tests/oracle/lib.sh, strace_calls):
 *
 *     TID <TAB> SYSCALL <TAB> ok|fail|? <TAB> ARG
 *
 * ARG is the path argument as the program passed it (open/openat: name,
 * execve: filename — taken from the enter event, which holds the raw
 * string), or for connect the destination address: "inet A.B.C.D:PORT",
 * "inet6 [ADDR]:PORT", "unix PATH", "family N".  The status comes from the
 * exit event (fd / res); "?" when the call has no exit in the capture
 * (the engine wrote none, or the process died in the call).  An exit whose
 * enter is missing is printed with ARG "<no enter>" so that it shows up as
 * a call strace did not see.
 *
 * Exit status: 0, 1 when the file cannot be read to its end, 2 on usage.
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <udig/capture.h>
#include <udig/event.h>
#include <udig/event_types.h>
#include <udig/flag_values.h>

enum call { C_NONE, C_OPEN, C_OPENAT, C_EXECVE, C_CONNECT };
static const char *const call_name[] = { "", "open", "openat", "execve", "connect" };

struct pending {
	int64_t tid;
	enum call call;
	char *arg;
	struct pending *next;
};
static struct pending *pend;

static enum call call_of(uint16_t type)
{
	const struct udig_event_info *ei = udig_event_info(type);
	if (!ei || !ei->name)
		return C_NONE;
	if (!strcmp(ei->name, "open"))
		return C_OPEN;
	if (!strcmp(ei->name, "openat"))
		return C_OPENAT;
	if (!strcmp(ei->name, "execve"))
		return C_EXECVE;
	if (!strcmp(ei->name, "connect"))
		return C_CONNECT;
	return C_NONE;
}

/* Index of the parameter called `name` in ev's type, or -1. */
static int param(const struct udig_evt *ev, const char *name)
{
	const struct udig_event_info *ei = udig_event_info(ev->type);
	for (uint32_t i = 0; ei && i < ei->nparams && i < ev->nvals; i++)
		if (ei->params[i].name && !strcmp(ei->params[i].name, name))
			return (int)i;
	return -1;
}

static char *strparam(const struct udig_evt *ev, const char *name)
{
	int i = param(ev, name);
	const char *s = i < 0 ? NULL : udig_evt_str(ev, (unsigned)i);
	return strdup(s ? s : "<none>");
}

/* The driver's SOCKADDR value: family byte, then the address. */
static char *sockaddr_text(const uint8_t *v, uint32_t len)
{
	char buf[256], ip[INET6_ADDRSTRLEN];
	uint16_t port;
	if (len < 1)
		return strdup("<none>");
	switch (v[0]) {
	case UDIG_AF_INET:
		if (len < 7)
			break;
		memcpy(&port, v + 5, 2);
		inet_ntop(AF_INET, v + 1, ip, sizeof ip);
		snprintf(buf, sizeof buf, "inet %s:%u", ip, port);
		return strdup(buf);
	case UDIG_AF_INET6:
		if (len < 19)
			break;
		memcpy(&port, v + 17, 2);
		inet_ntop(AF_INET6, v + 1, ip, sizeof ip);
		snprintf(buf, sizeof buf, "inet6 [%s]:%u", ip, port);
		return strdup(buf);
	case UDIG_AF_UNIX:
		snprintf(buf, sizeof buf, "unix %.*s", (int)strnlen((const char *)v + 1, len - 1),
			 (const char *)v + 1);
		return strdup(buf);
	}
	snprintf(buf, sizeof buf, "family %u", v[0]);
	return strdup(buf);
}

/* The destination half of a connect exit's SOCKTUPLE (enter without addr). */
static char *tuple_dest(const uint8_t *v, uint32_t len)
{
	uint8_t a[19];
	if (len >= 13 && v[0] == UDIG_AF_INET) {
		a[0] = UDIG_AF_INET;
		memcpy(a + 1, v + 7, 6);
		return sockaddr_text(a, 7);
	}
	if (len >= 37 && v[0] == UDIG_AF_INET6) {
		a[0] = UDIG_AF_INET6;
		memcpy(a + 1, v + 19, 18);
		return sockaddr_text(a, 19);
	}
	if (len >= 17 && v[0] == UDIG_AF_UNIX) {
		char buf[256];
		snprintf(buf, sizeof buf, "unix %.*s", (int)strnlen((const char *)v + 17, len - 17),
			 (const char *)v + 17);
		return strdup(buf);
	}
	return strdup("<none>");
}

static struct pending **find(int64_t tid, enum call call)
{
	for (struct pending **p = &pend; *p; p = &(*p)->next)
		if ((*p)->tid == tid && (*p)->call == call)
			return p;
	return NULL;
}

static void emit(int64_t tid, enum call call, const char *status, const char *arg)
{
	printf("%lld\t%s\t%s\t%s\n", (long long)tid, call_name[call], status, arg);
}

int main(int argc, char **argv)
{
	char err[UDIG_ERRBUF_SIZE];
	struct udig_evt ev;
	int rc, bad = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: ocalls FILE.scap\n");
		return 2;
	}
	udig_capture *c = udig_open_file(argv[1], err);
	if (!c) {
		fprintf(stderr, "ocalls: %s\n", err);
		return 1;
	}
	while ((rc = udig_next(c, &ev)) == UDIG_OK) {
		enum call call = call_of(ev.type);
		if (call == C_NONE)
			continue;
		int64_t tid = (int64_t)ev.tid;
		if (udig_event_is_enter(ev.type)) {
			struct pending *p = calloc(1, sizeof *p), **old = find(tid, call);
			if (old) { /* an enter without its exit: the call never returned */
				struct pending *o = *old;
				emit(o->tid, o->call, "?", o->arg);
				*old = o->next;
				free(o->arg);
				free(o);
			}
			p->tid = tid;
			p->call = call;
			if (call == C_CONNECT) {
				int i = param(&ev, "addr");
				p->arg = i < 0 ? strdup("<none>") : sockaddr_text(ev.val[i], ev.vlen[i]);
			} else {
				p->arg = strparam(&ev, call == C_EXECVE ? "filename" : "name");
			}
			p->next = pend;
			pend = p;
			continue;
		}
		int ri = param(&ev, call == C_OPEN || call == C_OPENAT ? "fd" : "res");
		int64_t res = ri < 0 ? 0 : udig_evt_int(&ev, (unsigned)ri, 0);
		const char *status = ri < 0 ? "?" : res < 0 ? "fail" : "ok";
		struct pending **pp = find(tid, call);
		if (!pp && call == C_EXECVE) {
			/* A thread other than the leader exec'd: the kernel gave it the
			 * leader's tid.  Match an execve pending in the same process. */
			for (struct pending **q = &pend; *q && !pp; q = &(*q)->next) {
				const struct udig_threadinfo *ti = udig_get_thread(c, (*q)->tid);
				if ((*q)->call == C_EXECVE && ti && ti->pid == tid)
					pp = q;
			}
		}
		if (!pp) {
			/* An exit whose enter is not in the capture: show what it has. */
			char arg[600], *what;
			int ti = param(&ev, "tuple");
			if (call == C_CONNECT)
				what = ti < 0 ? strdup("") : tuple_dest(ev.val[ti], ev.vlen[ti]);
			else if (call == C_EXECVE)
				what = strdup("");
			else
				what = strparam(&ev, "name");
			snprintf(arg, sizeof arg, "<no enter> %s", what);
			emit(tid, call, status, arg);
			free(what);
			continue;
		}
		struct pending *p = *pp;
		if (call == C_OPEN || call == C_OPENAT) {
			/* The exit repeats the name; it must be the enter's. */
			char *xname = strparam(&ev, "name");
			if (strcmp(xname, p->arg) && strcmp(xname, "<none>"))
				fprintf(stderr, "ocalls: tid %lld %s: enter name '%s', exit name '%s'\n",
					(long long)tid, call_name[call], p->arg, xname);
			free(xname);
		}
		if (call == C_CONNECT && !strcmp(p->arg, "<none>")) {
			int i = param(&ev, "tuple");
			if (i >= 0) {
				free(p->arg);
				p->arg = tuple_dest(ev.val[i], ev.vlen[i]);
			}
		}
		emit(p->tid, call, status, p->arg);
		*pp = p->next;
		free(p->arg);
		free(p);
	}
	if (rc != UDIG_EOF) {
		fprintf(stderr, "ocalls: %s: %s\n", argv[1], udig_geterr(c));
		bad = 1;
	}
	for (struct pending *p = pend, *n; p; p = n) {
		n = p->next;
		emit(p->tid, p->call, "?", p->arg);
		free(p->arg);
		free(p);
	}
	udig_close(c);
	return bad;
}
