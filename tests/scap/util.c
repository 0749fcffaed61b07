/* See util.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "util.h"

void rd_file(const char *path, struct rd_result *r, size_t max_events)
{
	memset(r, 0, sizeof *r);
	udig_capture *c = udig_open_file(path, r->err);
	if (!c) {
		r->rc = -100;
		return;
	}
	r->open_ok = 1;
	struct udig_evt ev;
	for (;;) {
		r->rc = udig_next(c, &ev);
		if (r->rc != UDIG_OK)
			break;
		if (r->n < sizeof r->ev / sizeof r->ev[0])
			r->ev[r->n] = (struct rd_ev){ ev.num, ev.type, ev.cpu, ev.tid, ev.nparams, ev.dump_flags };
		if (++r->n >= max_events)
			break;
	}
	if (r->rc != UDIG_OK && r->rc != UDIG_EOF)
		snprintf(r->err, sizeof r->err, "%s", udig_geterr(c));
	udig_close(c);
}

const char *rd_tmp(const char *name)
{
	static char dir[64], path[4][256];
	static unsigned k;
	if (!dir[0]) {
		snprintf(dir, sizeof dir, "/tmp/udig-scap-test-XXXXXX");
		if (!mkdtemp(dir))
			abort();
	}
	k = (k + 1) % 4;
	snprintf(path[k], sizeof path[k], "%s/%s", dir, name);
	return path[k];
}

void rd_write(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(p, 1, n, f) != n || fclose(f))
		abort();
}

#include <ftw.h>
static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st; (void)flag; (void)ftw;
	return remove(p);
}

void rd_cleanup(void)
{
	const char *p = rd_tmp("x");
	char dir[256];
	snprintf(dir, sizeof dir, "%s", p);
	char *slash = strrchr(dir, '/');
	if (slash)
		*slash = 0;
	nftw(dir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
}
