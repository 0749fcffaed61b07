/*
 * Prints raw back-to-back records (the inject debug sink) one per line, for
 * the shell tests:
 *   EVT <tid> <E|X> <name> k=v ...        every record
 *   CALL <tid> <name> <res|?> <path|->    enter and exit paired per thread
 * Generic events are named after their syscall.  Exits the test with 1 on
 * a malformed record.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <udig/capture.h>
#include <udig/event.h>

struct pending {
	uint64_t tid;
	char name[64];
	char path[512];
	int used;
};

#define MAXP 4096
static struct pending pend[MAXP];

static const char *sc_name(uint64_t code)
{
	if (code < USC_MAX && udig_syscall_info_table[code].name)
		return udig_syscall_info_table[code].name;
	return "unknown";
}

static void event_name(const struct udig_evt *ev, char *out, size_t n)
{
	const struct udig_event_info *ei = udig_event_info(ev->type);
	if (ev->type == UEV_GENERIC_E || ev->type == UEV_GENERIC_X)
		snprintf(out, n, "%s", sc_name(udig_evt_uint(ev, 0, 0)));
	else
		snprintf(out, n, "%s", ei ? ei->name : "?");
}

static int is_str(uint8_t t)
{
	return t == UDIG_PT_CHARBUF || t == UDIG_PT_FSPATH || t == UDIG_PT_FSRELPATH;
}

static struct pending *slot(uint64_t tid, int create)
{
	unsigned i, fr = MAXP;
	for (i = 0; i < MAXP; i++) {
		if (pend[i].used && pend[i].tid == tid)
			return &pend[i];
		if (!pend[i].used && fr == MAXP)
			fr = i;
	}
	if (!create || fr == MAXP)
		return NULL;
	memset(&pend[fr], 0, sizeof pend[fr]);
	pend[fr].used = 1;
	pend[fr].tid = tid;
	return &pend[fr];
}

static const char *path_of(const struct udig_evt *ev, const struct udig_event_info *ei)
{
	unsigned i;
	for (i = 0; ei && i < ev->nvals && i < ei->nparams; i++) {
		const char *pn = ei->params[i].name;
		if (is_str(ei->params[i].type) &&
		    (!strcmp(pn, "name") || !strcmp(pn, "filename") || !strcmp(pn, "path") || !strcmp(pn, "pathname")))
			return udig_evt_str(ev, i);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	FILE *f;
	uint8_t *data;
	size_t size = 0, cap = 1 << 20, off = 0;
	unsigned i;

	if (argc != 2 || !(f = fopen(argv[1], "rb"))) {
		fprintf(stderr, "usage: evdump FILE\n");
		return 2;
	}
	data = malloc(cap);
	for (;;) {
		size_t n;
		if (size == cap)
			data = realloc(data, cap *= 2);
		n = fread(data + size, 1, cap - size, f);
		if (n == 0)
			break;
		size += n;
	}
	fclose(f);
	while (off < size) {
		struct udig_evt ev;
		char err[UDIG_ERRBUF_SIZE], name[64];
		const struct udig_event_info *ei;
		const char *path;
		int dir;

		memset(&ev, 0, sizeof ev);
		if (udig_evt_parse(data + off, size - off, &ev, err) != UDIG_OK) {
			fprintf(stderr, "evdump: bad record at %zu: %s\n", off, err);
			return 1;
		}
		off += ev.len;
		ei = udig_event_info(ev.type);
		dir = (ev.type & 1) ? 'X' : 'E';
		event_name(&ev, name, sizeof name);
		printf("EVT %llu %c %s", (unsigned long long)ev.tid, dir, name);
		for (i = 0; ei && i < ev.nvals && i < ei->nparams; i++) {
			const struct udig_param_info *pi = &ei->params[i];
			if (is_str(pi->type)) {
				const char *s = udig_evt_str(&ev, i);
				printf(" %s=%s", pi->name, s ? s : "<bad>");
			} else if (ev.vlen[i] == 1 || ev.vlen[i] == 2 || ev.vlen[i] == 4 || ev.vlen[i] == 8) {
				printf(" %s=%lld", pi->name, (long long)udig_evt_int(&ev, i, 0));
			} else {
				printf(" %s=<%u>", pi->name, ev.vlen[i]);
			}
		}
		printf("\n");
		if (ev.type == UEV_PROCEXIT_1_E)
			continue;
		path = path_of(&ev, ei);
		if (dir == 'E') {
			struct pending *p = slot(ev.tid, 1);
			if (p && p->name[0])   /* an enter never closed: print it alone */
				printf("CALL %llu %s ? %s\n", (unsigned long long)p->tid, p->name, p->path[0] ? p->path : "-");
			if (p) {
				snprintf(p->name, sizeof p->name, "%s", name);
				snprintf(p->path, sizeof p->path, "%s", path ? path : "");
			}
		} else {
			struct pending *p = slot(ev.tid, 0);
			char res[32] = "?";
			if (ev.type != UEV_GENERIC_X && ev.nvals > 0)
				snprintf(res, sizeof res, "%lld", (long long)udig_evt_int(&ev, 0, 0));
			if (p && strcmp(p->name, name) == 0) {
				printf("CALL %llu %s %s %s\n", (unsigned long long)ev.tid, name, res,
				       p->path[0] ? p->path : path ? path : "-");
				p->used = 0;
			} else {
				printf("CALL %llu %s %s %s\n", (unsigned long long)ev.tid, name, res, path ? path : "-");
			}
		}
	}
	for (i = 0; i < MAXP; i++)
		if (pend[i].used && pend[i].name[0])
			printf("CALL %llu %s ? %s\n", (unsigned long long)pend[i].tid, pend[i].name,
			       pend[i].path[0] ? pend[i].path : "-");
	free(data);
	return 0;
}
