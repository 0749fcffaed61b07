/*
 * sysdig as the peer: for captures of several layouts (plain and gzip), the
 * events udig reads — number, type, direction, tid, cpu and the parameters
 * whose text needs no state — must be what `sysdig -r` prints.  Skipped
 * (exit 77) when sysdig is not installed.
 */
#include <check.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <udig/capture.h>
#include "sgx.h"
#include "util.h"

#define NARGS 5
#define FMT "*%evt.num|%evt.type|%evt.dir|%thread.tid|%evt.cpu|%evt.arg[0]|%evt.arg[1]|%evt.arg[2]|%evt.arg[3]|%evt.arg[4]"

/* Parameter text that is the same in sysdig without any state behind it; NULL = not compared. */
static const char *param_text(const struct udig_evt *ev, unsigned i, char *buf, size_t size)
{
	const struct udig_event_info *info = udig_event_info(ev->type);
	if (i >= ev->nvals)
		return "<NA>";
	switch (info->params[i].type) {
	case UDIG_PT_FSPATH: case UDIG_PT_CHARBUF:
		return udig_evt_str(ev, i);
	case UDIG_PT_BYTEBUF: {
		size_t n = ev->vlen[i] < size - 1 ? ev->vlen[i] : size - 1;
		for (size_t k = 0; k < n; k++)
			buf[k] = isprint(ev->val[i][k]) ? (char)ev->val[i][k] : '.';
		buf[n] = 0;
		return buf;
	}
	case UDIG_PT_ERRNO:
		if (udig_evt_int(ev, i, -1) < 0)
			return NULL;
		snprintf(buf, size, "%lld", (long long)udig_evt_int(ev, i, 0));
		return buf;
	case UDIG_PT_UINT32: case UDIG_PT_UINT64:
		if (info->params[i].fmt != UDIG_PF_DEC)
			return NULL;
		snprintf(buf, size, "%llu", (unsigned long long)udig_evt_uint(ev, i, 0));
		return buf;
	}
	return NULL;
}

static void compare(const char *path)
{
	char cmd[1024], line[4096], ours[4096];
	snprintf(cmd, sizeof cmd, "TZ=UTC sysdig -r '%s' -p '%s' 2>/dev/null", path, FMT);
	FILE *p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	char err[UDIG_ERRBUF_SIZE];
	udig_capture *c = udig_open_file(path, err);
	ck_assert_msg(c != NULL, "%s", err);
	struct udig_evt ev;
	size_t n = 0;
	while (udig_next(c, &ev) == UDIG_OK) {
		n++;
		ck_assert_msg(fgets(line, sizeof line, p), "%s: sysdig printed fewer lines than %zu", path, n);
		line[strcspn(line, "\n")] = 0;
		/* Rebuild sysdig's line from ours, taking sysdig's text where we do not compare. */
		char *save = NULL, *tok = strtok_r(line, "|", &save);
		const char *cols[5 + NARGS] = { 0 };
		for (int k = 0; k < 5 + NARGS && tok; k++, tok = strtok_r(NULL, "|", &save))
			cols[k] = tok;
		int len = snprintf(ours, sizeof ours, "%llu|%s|%s|%llu|%u", (unsigned long long)ev.num,
				   udig_event_info(ev.type)->name, udig_event_is_enter(ev.type) ? ">" : "<",
				   (unsigned long long)ev.tid, ev.cpu);
		char expect[4096];
		int elen = snprintf(expect, sizeof expect, "%s|%s|%s|%s|%s", cols[0], cols[1], cols[2], cols[3], cols[4]);
		for (unsigned i = 0; i < NARGS; i++) {
			char buf[256];
			const char *t = param_text(&ev, i, buf, sizeof buf);
			len += snprintf(ours + len, sizeof ours - (size_t)len, "|%s", t ? t : (cols[5 + i] ? cols[5 + i] : ""));
			elen += snprintf(expect + elen, sizeof expect - (size_t)elen, "|%s", cols[5 + i] ? cols[5 + i] : "");
		}
		ck_assert_msg(!strcmp(ours, expect), "%s event %zu:\n udig   %s\n sysdig %s", path, n, ours, expect);
	}
	ck_assert_msg(!fgets(line, sizeof line, p), "%s: sysdig printed more than %zu lines: %s", path, n, line);
	ck_assert_int_eq(pclose(p), 0);
	ck_assert_uint_ge(n, SGX_NEVENTS);
	udig_close(c);
}

static const struct { const char *name; struct sgx_opts o; int gz, sections; } variants[] = {
	{ "v9.scap", { 0 }, 0, 1 },
	{ "v9.scap.gz", { 0 }, 1, 1 },
	{ "old.scap.gz", { .pl_version = 5, .fdl_v1 = 1, .il_v1 = 1, .ul_v1 = 1, .ev_id = 0x204 }, 1, 1 },
	{ "evf.scap", { .ev_id = 0x217, .cpu0 = 3 }, 0, 1 },
	{ "evf1.scap", { .ev_id = 0x208, .pl_version = 7 }, 0, 1 },
	{ "large.scap", { .ev_id = 0x222, .pl_version = 2 }, 0, 1 },
	{ "bare.scap", { .no_meta = 1, .ev_id = 0x221 }, 0, 1 },
	{ "two.scap.gz", { 0 }, 1, 2 },
};

START_TEST(t_vs_sysdig)
{
	struct scapgen g;
	const char *p = rd_tmp(variants[_i].name);
	sg_init(&g, p, variants[_i].gz);
	for (int s = 0; s < variants[_i].sections; s++)
		sgx_sample(&g, &variants[_i].o);
	ck_assert_int_eq(sg_close(&g, 0), 0);
	compare(p);
}
END_TEST

int main(void)
{
	if (system("sysdig --version >/dev/null 2>&1") != 0) {
		printf("sysdig not installed: skipped\n");
		return 77;
	}
	rd_tmp("init");
	Suite *s = suite_create("scap_vs_sysdig");
	TCase *tc = tcase_create("peer");
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, t_vs_sysdig, 0, (int)(sizeof variants / sizeof variants[0]));
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	rd_cleanup();
	return failed ? 1 : 0;
}
