/*
 * The .scap reader on files that must fail, or must still read, in exactly
 * the places the reference does — each case says what to expect: the events
 * before the problem, then one error line naming the offset.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <udig/capture.h>
#include "sgx.h"
#include "util.h"

struct expect {
	int open_fails;
	size_t events;     /* events delivered before the end or the error */
	int rc;            /* status after them (when the open succeeds) */
	const char *msg;   /* substring of the error, NULL for a clean read */
};

static void check_file(const char *name, const struct expect *x)
{
	struct rd_result r;
	rd_file(name, &r, 1000);
	if (x->open_fails) {
		ck_assert_msg(!r.open_ok, "open should fail with '%s'", x->msg);
	} else {
		ck_assert_msg(r.open_ok, "open failed: %s", r.err);
		ck_assert_msg(r.n == x->events, "%zu events, expected %zu (%s)", r.n, x->events, r.err);
		ck_assert_int_eq(r.rc, x->rc);
	}
	if (x->msg) {
		ck_assert_msg(strstr(r.err, x->msg), "error '%s' lacks '%s'", r.err, x->msg);
		ck_assert_msg(strstr(r.err, "offset "), "error '%s' names no offset", r.err);
		ck_assert_ptr_null(strchr(r.err, '\n'));
	}
}

/* Builds the sample, then lets the case patch its bytes. */
static const char *build(void (*patch)(struct scapgen *g), const struct sgx_opts *o)
{
	struct scapgen g;
	const char *p = rd_tmp("e.scap");
	struct sgx_opts dflt = { 0 };
	sg_init(&g, p, 0);
	sgx_sample(&g, o ? o : &dflt);
	if (patch)
		patch(&g);
	ck_assert_int_eq(sg_close(&g, 0), 0);
	return p;
}

static void put32(uint8_t *p, uint32_t v) { for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> 8 * i); }

/* Offset of the n-th block whose type is id (0-based), or -1. */
static long find_block(const struct sgbuf *b, uint32_t id, int nth)
{
	size_t off = 0;
	while (off + 8 <= b->len) {
		uint32_t t = b->p[off] | b->p[off + 1] << 8 | b->p[off + 2] << 16 | (uint32_t)b->p[off + 3] << 24;
		uint32_t l = b->p[off + 4] | b->p[off + 5] << 8 | b->p[off + 6] << 16 | (uint32_t)b->p[off + 7] << 24;
		if (t == id && nth-- == 0)
			return (long)off;
		off += l;
	}
	return -1;
}

static void swap_magic(struct scapgen *g) { put32(g->out.p + 8, 0x4D3C2B1A); }
static void other_magic(struct scapgen *g) { put32(g->out.p + 8, 0x12345678); }
static void major2(struct scapgen *g) { g->out.p[12] = 2; }
static void minor99(struct scapgen *g) { g->out.p[14] = 99; }
static void not_shb(struct scapgen *g) { put32(g->out.p, 0x201); }
static void mi_trailer(struct scapgen *g) { put32(g->out.p + 28 + 192 - 4, 128); }
static void mi_long(struct scapgen *g)
{
	/* A 196-byte MI (body 184): trailer matches, body size does not. */
	struct sgbuf b = g->out;
	memset(&g->out, 0, sizeof g->out);
	sgb_bytes(&g->out, b.p, 28);
	uint8_t body[184] = { 0 };
	sg_block(g, 0x201, body, sizeof body, 0);
	sgb_bytes(&g->out, b.p + 28 + 192, b.len - 28 - 192);
	sgb_free(&b);
}
static void drop_events(struct scapgen *g) { g->out.len = (size_t)find_block(&g->out, 0x216, 0); }
static void event_trailer(struct scapgen *g) { long o = find_block(&g->out, 0x216, 3); put32(g->out.p + o + 48, 7); }

static void insert_at(struct scapgen *g, long off, const struct sgbuf *ins)
{
	struct sgbuf b = g->out;
	memset(&g->out, 0, sizeof g->out);
	sgb_bytes(&g->out, b.p, (size_t)off);
	sgb_bytes(&g->out, ins->p, ins->len);
	sgb_bytes(&g->out, b.p + off, b.len - (size_t)off);
	sgb_free(&b);
}

static void insert_block(struct scapgen *g, long off, uint32_t id, const void *body, size_t len)
{
	struct scapgen t;
	sg_init(&t, NULL, 0);
	sg_block(&t, id, body, len, 0);
	insert_at(g, off, &t.out);
	sgb_free(&t.out);
}

static void unknown_before(struct scapgen *g) { insert_block(g, find_block(&g->out, 0x216, 0), 0x9999, "abcdefgh", 8); }
static void unknown_between(struct scapgen *g) { insert_block(g, find_block(&g->out, 0x216, 4), 0x9999, "abcdefgh", 8); }
static void pl_between(struct scapgen *g) { insert_block(g, find_block(&g->out, 0x216, 4), 0x215, "", 0); }
static void shb_in_meta(struct scapgen *g)
{
	/* Before the first event, a section header is just another unknown block. */
	struct scapgen t;
	sg_init(&t, NULL, 0);
	sg_shb(&t, 1, 2);
	insert_at(g, 28, &t.out);
	sgb_free(&t.out);
}
static void fdl_first(struct scapgen *g)
{
	long pl = find_block(&g->out, 0x215, 0), fdl = find_block(&g->out, 0x218, 0);
	uint8_t body[8] = { 0x92, 0x10 }; /* tid 4242 */
	(void)fdl;
	insert_block(g, pl, 0x218, body, 8);
}
static void type999(struct scapgen *g)
{
	struct sgbuf r = { 0 };
	sgx_record(&r, 1, 2, 999, NULL, 0, 0);
	struct scapgen t;
	sg_init(&t, NULL, 0);
	sgx_evblock(&t, 0x216, 0, 0, r.p, r.len);
	insert_at(g, find_block(&g->out, 0x216, 2), &t.out);
	sgb_free(&t.out);
	sgb_free(&r);
}
static void big_event(struct scapgen *g, uint32_t id)
{
	static uint8_t data[65535];
	int64_t res = 65535;
	struct sgx_param p[2] = { { &res, 8 }, { data, sizeof data } };
	struct sgbuf r = { 0 };
	sgx_record(&r, 1, SGX_TID, 7, p, 2, 0);
	struct scapgen t;
	sg_init(&t, NULL, 0);
	sgx_evblock(&t, id, 0, 0, r.p, r.len);
	insert_at(g, find_block(&g->out, 0x216, 4), &t.out);
	sgb_free(&t.out);
	sgb_free(&r);
}
static void big_v2(struct scapgen *g) { big_event(g, 0x216); }
static void big_large(struct scapgen *g) { big_event(g, 0x221); }
static void ev_len_huge(struct scapgen *g) { long o = find_block(&g->out, 0x216, 5); put32(g->out.p + o + 10 + 16, 0xFFFFFF00); }
static void ev_param_huge(struct scapgen *g)
{
	long o = find_block(&g->out, 0x216, 5);
	g->out.p[o + 10 + 26] = 0xFF; /* first parameter length = 0xFFxx */
	g->out.p[o + 10 + 27] = 0xFF;
}
static void ev_block_short(struct scapgen *g) { long o = find_block(&g->out, 0x216, 6); put32(g->out.p + o + 4, 8); }
static void ev_block_huge(struct scapgen *g) { long o = find_block(&g->out, 0x216, 6); put32(g->out.p + o + 4, 0xFFFFFFF0); }
static void large_block_huge(struct scapgen *g)
{
	long o = find_block(&g->out, 0x216, 6);
	put32(g->out.p + o, 0x221);
	put32(g->out.p + o + 4, 0x0FFFFFF0);
}
static void meta_block_huge(struct scapgen *g) { long o = find_block(&g->out, 0x215, 0); put32(g->out.p + o + 4, 0xFFFFFFF0); }
static void meta_block_tiny(struct scapgen *g) { long o = find_block(&g->out, 0x215, 0); put32(g->out.p + o + 4, 4); }
static void pl_entry_len(struct scapgen *g, uint32_t v) { long o = find_block(&g->out, 0x215, 0); put32(g->out.p + o + 8, v); }
static void pl_entry_5(struct scapgen *g) { pl_entry_len(g, 5); }
static void pl_entry_huge(struct scapgen *g) { pl_entry_len(g, 0xFFFFFFFF); }
static void pl_comm_huge(struct scapgen *g)
{
	long o = find_block(&g->out, 0x215, 0);
	g->out.p[o + 8 + 44] = 0xFF; /* comm length of the first entry */
	g->out.p[o + 8 + 45] = 0xFF;
}
static void fdl_entry_huge(struct scapgen *g) { long o = find_block(&g->out, 0x218, 0); put32(g->out.p + o + 16, 0x7FFFFFFF); }
static void fdl_bad_type(struct scapgen *g) { long o = find_block(&g->out, 0x218, 0); g->out.p[o + 16 + 20] = 99; }
static void fdl_name_huge(struct scapgen *g)
{
	long o = find_block(&g->out, 0x218, 0);
	g->out.p[o + 16 + 25] = 0x00;
	g->out.p[o + 16 + 26] = 0x04; /* name length 1024 */
}
static void il_entry_huge(struct scapgen *g) { long o = find_block(&g->out, 0x219, 0); put32(g->out.p + o + 8, 0xFFFFFFF0); }
static void il_bad_type(struct scapgen *g) { long o = find_block(&g->out, 0x219, 0); g->out.p[o + 12] = 9; }
static void ul_str_300(struct scapgen *g)
{
	struct sgx_user u = { 1, 1, NULL, "/", "/" };
	char name[301];
	memset(name, 'n', 300);
	name[300] = 0;
	u.name = name;
	struct scapgen t;
	sg_init(&t, NULL, 0);
	sgx_ul(&t, 0x220, &u, 1, NULL, 0);
	insert_at(g, 28, &t.out);
	sgb_free(&t.out);
}
static void ul_entry_zero(struct scapgen *g) { long o = find_block(&g->out, 0x220, 0); put32(g->out.p + o + 8, 0); }
static void ev1_bad(struct scapgen *g)
{
	/* A v1 close enter whose single parameter leaves 3 bytes over. */
	uint64_t fd = 3;
	struct sgx_param p = { &fd, 8 };
	struct sgbuf r = { 0 };
	sgx_record(&r, 1, SGX_TID, 4, &p, 1, 0);
	sgb_bytes(&r, "xyz", 3);
	put32(r.p + 16, (uint32_t)r.len);
	struct scapgen t;
	sg_init(&t, NULL, 0);
	sgx_evblock(&t, 0x204, 0, 0, r.p, r.len);
	insert_at(g, find_block(&g->out, 0x216, 2), &t.out);
	sgb_free(&t.out);
	sgb_free(&r);
}
static void cut_mid_event(struct scapgen *g) { g->out.len = (size_t)find_block(&g->out, 0x216, 7) + 20; }
static void cut_mid_header(struct scapgen *g) { g->out.len = (size_t)find_block(&g->out, 0x216, 7) + 5; }
static void cut_mid_meta(struct scapgen *g) { g->out.len = (size_t)find_block(&g->out, 0x215, 0) + 100; }
static void cut_shb(struct scapgen *g) { g->out.len = 20; }
static void empty(struct scapgen *g) { g->out.len = 0; }
static void shb_options(struct scapgen *g)
{
	/* A pcapng-style 36-byte section header with one option. */
	struct sgbuf b = g->out;
	memset(&g->out, 0, sizeof g->out);
	uint8_t body[24] = { 0x4D, 0x3C, 0x2B, 0x1A, 1, 0, 2, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1, 0, 2, 0, 'h', 'i', 0, 0 };
	sg_block(g, 0x0A0D0D0A, body, sizeof body, 0);
	sgb_bytes(&g->out, b.p + 28, b.len - 28);
	sgb_free(&b);
}
static void second_section_major2(struct scapgen *g)
{
	struct scapgen t;
	sg_init(&t, NULL, 0);
	sg_shb(&t, 2, 0);
	sgb_bytes(&g->out, t.out.p, t.out.len);
	sgb_free(&t.out);
}
static void second_section_empty(struct scapgen *g)
{
	struct scapgen t;
	sg_init(&t, NULL, 0);
	sg_shb(&t, 1, 2);
	sgb_bytes(&g->out, t.out.p, t.out.len);
	sgb_free(&t.out);
}

static const struct {
	const char *name;
	void (*patch)(struct scapgen *);
	struct expect x;
} cases[] = {
	{ "baseline", NULL, { 0, 12, UDIG_EOF, NULL } },
	{ "byte-swapped magic", swap_magic, { 1, 0, 0, "invalid magic number" } },
	{ "wrong magic", other_magic, { 1, 0, 0, "invalid magic number" } },
	{ "major 2", major2, { 1, 0, 0, "Upgrade your version" } },
	{ "minor 99 reads", minor99, { 0, 12, UDIG_EOF, NULL } },
	{ "first block not a section header", not_shb, { 1, 0, 0, "invalid block type" } },
	{ "section header with options", shb_options, { 1, 0, 0, "options are not supported" } },
	{ "empty file", empty, { 1, 0, 0, "empty file" } },
	{ "cut in the section header", cut_shb, { 1, 0, 0, "truncated" } },
	{ "MI trailer", mi_trailer, { 1, 0, 0, "wrong block total length, header=192, trailer=128" } },
	{ "MI body 184", mi_long, { 1, 0, 0, "machine info block body is 184 bytes" } },
	{ "no events", drop_events, { 1, 0, 0, "no events in file" } },
	{ "event trailer is not checked", event_trailer, { 0, 12, UDIG_EOF, NULL } },
	{ "unknown block before events skipped", unknown_before, { 0, 12, UDIG_EOF, NULL } },
	{ "section header in the metadata skipped", shb_in_meta, { 0, 12, UDIG_EOF, NULL } },
	{ "unknown block between events", unknown_between, { 0, 4, UDIG_UNEXPECTED_BLOCK, "invalid block type 0x9999" } },
	{ "process list between events", pl_between, { 0, 4, UDIG_UNEXPECTED_BLOCK, "could not restart capture" } },
	{ "FDL before its PL", fdl_first, { 1, 0, 0, "FD block references TID 4242, which doesn't exist" } },
	{ "event type 999 skipped", type999, { 0, 12, UDIG_EOF, NULL } },
	{ "65588-byte EV v2 block", big_v2, { 0, 4, UDIG_ILLEGAL_INPUT, "greater than NON-LARGE read buffer size 65536" } },
	{ "same in a large block", big_large, { 0, 13, UDIG_EOF, NULL } },
	{ "event length beyond its block", ev_len_huge, { 0, 5, UDIG_ILLEGAL_INPUT, "does not fit" } },
	{ "event block of 8 bytes", ev_block_short, { 0, 6, UDIG_ILLEGAL_INPUT, "too short" } },
	{ "event block of 4 GiB", ev_block_huge, { 0, 6, UDIG_ILLEGAL_INPUT, "NON-LARGE" } },
	{ "large event block of 256 MiB, file ends", large_block_huge, { 0, 6, UDIG_FAILURE, "truncated" } },
	{ "metadata block of 4 GiB", meta_block_huge, { 1, 0, 0, "exceeds" } },
	{ "metadata block of 4 bytes", meta_block_tiny, { 1, 0, 0, "shorter than a block header" } },
	{ "PL entry length 5", pl_entry_5, { 1, 0, 0, "process list entry length 5 is shorter than its fixed fields" } },
	{ "PL entry length 4 GiB", pl_entry_huge, { 1, 0, 0, "process list entry needs" } },
	{ "PL comm length 65535", pl_comm_huge, { 1, 0, 0, "comm length 65535 exceeds 1024" } },
	{ "FDL entry length 2 GiB", fdl_entry_huge, { 1, 0, 0, "fd entry needs" } },
	{ "FDL fd type 99", fdl_bad_type, { 1, 0, 0, "unknown fd type 99" } },
	{ "FDL name of 1024", fdl_name_huge, { 1, 0, 0, "name length 1024 exceeds 1023" } },
	{ "IL entry length 4 GiB", il_entry_huge, { 1, 0, 0, "interface entry needs" } },
	{ "IL type 9", il_bad_type, { 1, 0, 0, "unknown interface type 9" } },
	{ "UL name of 300", ul_str_300, { 1, 0, 0, "user name length 300 exceeds 255" } },
	{ "UL entry length 0", ul_entry_zero, { 1, 0, 0, "shorter than its own length field" } },
	{ "v1 event with bytes over", ev1_bad, { 0, 2, UDIG_ILLEGAL_INPUT, "cannot convert v1 event block to v2" } },
	{ "cut inside an event", cut_mid_event, { 0, 7, UDIG_FAILURE, "truncated" } },
	{ "cut inside a block header", cut_mid_header, { 0, 7, UDIG_FAILURE, "truncated" } },
	{ "cut inside the process list", cut_mid_meta, { 1, 0, 0, "truncated" } },
	{ "second section of major 2", second_section_major2, { 0, 12, UDIG_VERSION_MISMATCH, "Upgrade your version" } },
	{ "second section without events", second_section_empty, { 0, 12, UDIG_FAILURE, "no events in file" } },
};

START_TEST(t_case)
{
	const char *p = build(cases[_i].patch, NULL);
	check_file(p, &cases[_i].x);
}
END_TEST

/* A parameter length that overruns its event is caught when the event is indexed. */
START_TEST(t_param_overrun)
{
	struct rd_result r;
	rd_file(build(ev_param_huge, NULL), &r, 1000);
	ck_assert(r.open_ok);
	ck_assert_uint_eq(r.n, 5);
	ck_assert_int_ne(r.rc, UDIG_OK);
	ck_assert_int_ne(r.rc, UDIG_EOF);
	ck_assert_msg(strstr(r.err, "overruns"), "%s", r.err);
}
END_TEST

/* A truncated gzip capture: events before the cut, then an error. */
START_TEST(t_truncated_gzip)
{
	struct scapgen g;
	const char *p = rd_tmp("cut.gz");
	struct sgx_opts o = { 0 };
	sg_init(&g, p, 1);
	sgx_sample(&g, &o);
	sg_close(&g, (size_t)find_block(&g.out, 0x216, 9) + 30);
	struct rd_result r;
	rd_file(p, &r, 1000);
	ck_assert_msg(r.open_ok, "%s", r.err);
	ck_assert_uint_eq(r.n, 9);
	ck_assert_int_eq(r.rc, UDIG_FAILURE);
	ck_assert_msg(strstr(r.err, "truncated") && strstr(r.err, "offset "), "%s", r.err);
}
END_TEST

int main(void)
{
	rd_tmp("init");
	Suite *s = suite_create("scap_errors");
	TCase *tc = tcase_create("errors");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, t_case, 0, (int)(sizeof cases / sizeof cases[0]));
	tcase_add_test(tc, t_param_overrun);
	tcase_add_test(tc, t_truncated_gzip);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	rd_cleanup();
	return failed ? 1 : 0;
}
