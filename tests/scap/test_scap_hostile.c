/*
 * Hostile input: a small valid capture cut at every offset, with every
 * single bit flipped, and as a cut gzip stream.  The reader must never
 * crash or hang (the sanitizer build checks memory), and must give either
 * the right events or one clean error line.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <udig/capture.h>
#include "sgx.h"
#include "util.h"

static struct sgbuf sample;      /* the plain sample */
static size_t ev_end[SGX_NEVENTS]; /* offset just past each event block */
static size_t first_ev;          /* offset of the first event block */

struct outcome { int open_ok, rc; size_t n; char err[UDIG_ERRBUF_SIZE]; };

/* Reads bytes through a memfd and udig_open_fd, touching the tables too. */
static void run(const uint8_t *p, size_t n, struct outcome *o)
{
	memset(o, 0, sizeof *o);
	int fd = memfd_create("scap", MFD_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, p, n), (ssize_t)n);
	ck_assert_int_eq(lseek(fd, 0, SEEK_SET), 0);
	udig_capture *c = udig_open_fd(fd, o->err);
	if (!c) {
		o->rc = -100;
		return;
	}
	o->open_ok = 1;
	struct udig_evt ev;
	/* The sample holds 12 events; no input may make more appear than bytes allow. */
	while ((o->rc = udig_next(c, &ev)) == UDIG_OK) {
		ck_assert_uint_le(++o->n, n / 38 + 1);
		udig_get_thread(c, (int64_t)ev.tid);
	}
	if (o->rc != UDIG_EOF)
		snprintf(o->err, sizeof o->err, "%s", udig_geterr(c));
	udig_close(c);
}

static void clean_error(const struct outcome *o, const char *ctx)
{
	ck_assert_msg(o->err[0], "%s: error without a message", ctx);
	ck_assert_msg(!strchr(o->err, '\n'), "%s: multi-line error '%s'", ctx, o->err);
	ck_assert_msg(strstr(o->err, "offset ") || strstr(o->err, "malformed event "),
		      "%s: error names no position: '%s'", ctx, o->err);
}

static void setup(void)
{
	struct scapgen g;
	struct sgx_opts o = { 0 };
	sg_init(&g, NULL, 0);
	sgx_sample(&g, &o);
	sample = g.out;
	/* Walk the blocks to learn where the events end. */
	size_t off = 0, k = 0;
	while (off < sample.len) {
		uint32_t t = sample.p[off] | sample.p[off + 1] << 8 | sample.p[off + 2] << 16 | (uint32_t)sample.p[off + 3] << 24;
		uint32_t l = sample.p[off + 4] | sample.p[off + 5] << 8 | sample.p[off + 6] << 16 | (uint32_t)sample.p[off + 7] << 24;
		if (t == 0x216) {
			if (!k)
				first_ev = off;
			ev_end[k++] = off + l;
		}
		off += l;
	}
	ck_assert_uint_eq(k, SGX_NEVENTS);
}

static void teardown(void) { sgb_free(&sample); }

START_TEST(t_truncate_everywhere)
{
	struct outcome o;
	char ctx[64];
	for (size_t cut = 0; cut <= sample.len; cut++) {
		snprintf(ctx, sizeof ctx, "cut at %zu", cut);
		run(sample.p, cut, &o);
		size_t whole = 0;
		while (whole < SGX_NEVENTS && ev_end[whole] <= cut)
			whole++;
		if (cut < first_ev + 8) {
			/* Cut before the first event header is whole: the open fails
			 * (at a block boundary: "no events in file"). */
			ck_assert_msg(!o.open_ok, "%s: open succeeded", ctx);
			clean_error(&o, ctx);
			continue;
		}
		ck_assert_msg(o.open_ok, "%s: %s", ctx, o.err);
		ck_assert_msg(o.n == whole, "%s: %zu events, expected %zu", ctx, o.n, whole);
		if (whole && ev_end[whole - 1] == cut) {
			ck_assert_int_eq(o.rc, UDIG_EOF);
		} else {
			ck_assert_int_eq(o.rc, UDIG_FAILURE);
			ck_assert_msg(strstr(o.err, "truncated"), "%s: '%s'", ctx, o.err);
			clean_error(&o, ctx);
		}
	}
}
END_TEST

START_TEST(t_flip_every_bit)
{
	struct outcome o;
	char ctx[64];
	uint8_t *copy = malloc(sample.len);
	size_t good = 0, bad = 0;
	for (size_t i = 0; i < sample.len * 8; i++) {
		memcpy(copy, sample.p, sample.len);
		copy[i / 8] ^= (uint8_t)(1u << (i % 8));
		snprintf(ctx, sizeof ctx, "bit %zu of byte %zu", i % 8, i / 8);
		run(copy, sample.len, &o);
		if (o.open_ok && o.rc == UDIG_EOF) {
			good++;
			ck_assert_msg(o.n <= SGX_NEVENTS + 1, "%s: %zu events", ctx, o.n);
		} else {
			bad++;
			clean_error(&o, ctx);
		}
	}
	/* Both outcomes must occur: padding and names flip harmlessly, lengths do not. */
	ck_assert_uint_gt(good, 0);
	ck_assert_uint_gt(bad, 0);
	free(copy);
}
END_TEST

/* A gzip stream cut at every offset: never more events than before the cut, never a clean end. */
START_TEST(t_truncate_gzip_everywhere)
{
	const char *p = rd_tmp("h.gz");
	struct scapgen g;
	struct sgx_opts opt = { 0 };
	sg_init(&g, p, 1);
	sgx_sample(&g, &opt);
	ck_assert_int_eq(sg_close(&g, 0), 0);
	FILE *f = fopen(p, "rb");
	uint8_t gz[8192];
	size_t n = fread(gz, 1, sizeof gz, f);
	fclose(f);
	ck_assert_uint_lt(n, sizeof gz);
	struct outcome o;
	char ctx[64];
	size_t last = 0;
	for (size_t cut = 1; cut < n; cut++) {
		snprintf(ctx, sizeof ctx, "gzip cut at %zu", cut);
		run(gz, cut, &o);
		ck_assert_msg(!(o.open_ok && o.rc == UDIG_EOF), "%s: clean end", ctx);
		clean_error(&o, ctx);
		ck_assert_uint_ge(o.n, o.open_ok ? last : 0);
		if (o.open_ok)
			last = o.n;
	}
	run(gz, n, &o);
	ck_assert_int_eq(o.rc, UDIG_EOF);
	ck_assert_uint_eq(o.n, SGX_NEVENTS);
}
END_TEST

int main(void)
{
	rd_tmp("init");
	Suite *s = suite_create("scap_hostile");
	TCase *tc = tcase_create("hostile");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, t_truncate_everywhere);
	tcase_add_test(tc, t_flip_every_bit);
	tcase_add_test(tc, t_truncate_gzip_everywhere);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	rd_cleanup();
	return failed ? 1 : 0;
}
