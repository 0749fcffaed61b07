/*
 * The consumer's capture controls, end to end through a ring: libcapture
 * sets them (and validates them), the ring writer and the fillers honour
 * them.  Sampling follows the drivers' rule exactly (an event whose
 * nanosecond-of-second is past 1e9/ratio is dropped unless it keeps
 * state), so each kept event is checked against its own timestamp; no
 * assertion depends on how fast the machine is.
 */
#include <check.h>
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <udig/encode.h>
#include "harness.h"
#include "../ring/ringtest.h"
#include "udig/encode/ring_writer.h"

static uint64_t mono_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000 + (uint64_t)t.tv_nsec / 1000000;
}

START_TEST(controls_validate_their_arguments)
{
	struct rt_names n;
	rt_names_make(&n, "ctlargs");
	udig_capture *c = rt_consumer(&n, 0, NULL);
	ck_assert_ptr_nonnull(c);
	static const uint32_t bad_ratios[] = { 0, 3, 6, 100, 256, 1u << 31 };
	for (unsigned i = 0; i < sizeof bad_ratios / sizeof bad_ratios[0]; i++)
		ck_assert_int_eq(udig_sampling_start(c, bad_ratios[i]), UDIG_ILLEGAL_INPUT);
	for (uint32_t r = 1; r <= 128; r *= 2)
		ck_assert_int_eq(udig_sampling_start(c, r), UDIG_OK);
	ck_assert_int_eq(udig_sampling_stop(c), UDIG_OK);
	ck_assert_int_eq(udig_suppress_comm(c, ""), UDIG_ILLEGAL_INPUT);
	ck_assert_int_eq(udig_suppress_comm(c, NULL), UDIG_ILLEGAL_INPUT);
	ck_assert_int_eq(udig_suppress_comm(c, "sixteen-bytes-xx"), UDIG_ILLEGAL_INPUT);
	ck_assert_int_eq(udig_suppress_comm(c, "fifteen-bytes-x"), UDIG_OK);
	char name[16];
	int ok = 0;
	for (int i = 0; i < 40; i++) {
		snprintf(name, sizeof name, "c%d", i);
		if (udig_suppress_comm(c, name) == UDIG_OK)
			ok++;
	}
	ck_assert_int_eq(ok, UDIG_CTL_MAX_COMMS - 1); /* the list is bounded */
	ck_assert_int_eq(udig_suppress_tid(c, 0), UDIG_ILLEGAL_INPUT);
	ck_assert_int_eq(udig_suppress_tid(c, -5), UDIG_ILLEGAL_INPUT);
	ck_assert_int_eq(udig_suppress_tid(c, 1234), UDIG_OK);
	ck_assert_int_eq(udig_check_suppressed_tid(c, 1234), 1);
	ck_assert_int_eq(udig_check_suppressed_tid(c, 1235), 0);
	ck_assert_int_eq(udig_set_fullcapture_port_range(c, 0, 10), UDIG_ILLEGAL_INPUT);
	ck_assert_int_eq(udig_set_fullcapture_port_range(c, 20, 10), UDIG_ILLEGAL_INPUT);
	ck_assert_int_eq(udig_set_fullcapture_port_range(c, 10, 20), UDIG_OK);
	ck_assert_int_eq(udig_enable_dynamic_snaplen(c, 1), UDIG_OK);
	ck_assert_int_eq(udig_enable_simple_mode(c), UDIG_OK);
	ck_assert_int_eq(udig_enable_tracers_capture(c), UDIG_OK);
	udig_close(c);
	rt_names_unlink(&n);
}
END_TEST

/* A generic-ish write exit record stands for "any non-state event". */
static size_t rec_of(uint8_t *b, size_t cap, uint32_t seq)
{
	return rt_record(b, cap, 0, seq, 4242);
}

START_TEST(sampling_keeps_the_window_and_brackets_it)
{
	struct rt_names n;
	rt_names_make(&n, "sample");
	struct udig_ring_writer w = rt_open_writer(&n);
	udig_capture *c = rt_consumer(&n, 0, NULL);
	ck_assert_int_eq(udig_sampling_start(c, 4), UDIG_OK);
	uint8_t rec[256];
	struct udig_rw_meta plain = { 0, 0, 0 }, never = { UDIG_UF_NEVER_DROP, 0, 0 },
			    always = { UDIG_UF_ALWAYS_DROP, 0, 0 }, nostate = { UDIG_UF_NEVER_DROP, 1, 0 };
	/* Kept by rule whatever the time: state; dropped by rule: the rest. */
	size_t len = rec_of(rec, sizeof rec, 0);
	ck_assert_int_eq(udig_rw_write_meta(&w, rec, (uint32_t)len, &always), UDIG_RW_SAMPLED);
	ck_assert_int_eq(udig_rw_write_meta(&w, rec, (uint32_t)len, &nostate), UDIG_RW_SAMPLED);
	uint32_t written = 0, sampled = 0, nevers = 0;
	uint64_t start = mono_ms();
	/* Until both kinds of marker were written, spanning >1 s at most 3 s. */
	for (uint32_t seq = 1; mono_ms() - start < 3000; seq++) {
		len = rec_of(rec, sizeof rec, seq);
		const struct udig_rw_meta *m = seq % 10 == 0 ? &never : &plain;
		enum udig_rw_result r = udig_rw_write_meta(&w, rec, (uint32_t)len, m);
		ck_assert(r == UDIG_RW_WRITTEN || r == UDIG_RW_SAMPLED);
		if (m == &never) {
			ck_assert_int_eq(r, UDIG_RW_WRITTEN);
			nevers++;
		} else if (r == UDIG_RW_WRITTEN) {
			written++;
		} else {
			sampled++;
		}
		if (mono_ms() - start > 1100 && written && sampled > 10)
			break;
		rt_sleep_us(500);
	}
	ck_assert_int_eq(udig_sampling_stop(c), UDIG_OK);
	/* The next event closes a span left open. */
	len = rec_of(rec, sizeof rec, 0);
	ck_assert_int_eq(udig_rw_write_meta(&w, rec, (uint32_t)len, &plain), UDIG_RW_WRITTEN);

	struct udig_evt ev;
	int open = 0, n_e = 0, n_x = 0;
	uint32_t plain_seen = 0;
	while (udig_next_wait(c, &ev, 200) == UDIG_OK) {
		uint64_t ns = ev.ts % 1000000000u;
		if (ev.type == UEV_DROP_E || ev.type == UEV_DROP_X) {
			/* The ratio in force: 4, or 1 once dropping mode was stopped. */
			uint64_t ratio = udig_evt_uint(&ev, 0, 0);
			ck_assert(ratio == 4 || (ratio == 1 && ev.type == UEV_DROP_X));
			ck_assert_uint_eq(ev.tid, 4242);
			ck_assert_int_eq(open, ev.type == UEV_DROP_X); /* E, X, E, X ... */
			open = ev.type == UEV_DROP_E;
			if (ev.type == UEV_DROP_E) {
				n_e++;
				ck_assert_uint_ge(ns, 250000000u);
			} else {
				n_x++;
			}
			continue;
		}
		uint32_t th, seq;
		ck_assert_int_eq(rt_record_check(&ev, &th, &seq), 0);
		if (seq % 10 != 0 && seq != 0) {
			/* Every kept ordinary event lies in the sampling window. */
			ck_assert_uint_lt(ns, 250000000u);
			plain_seen++;
		}
	}
	ck_assert_int_eq(open, 0);
	ck_assert_int_ge(n_e, 1);
	ck_assert_int_eq(n_e, n_x);
	ck_assert_uint_eq(plain_seen, written);
	struct udig_stats st;
	udig_get_stats(c, &st);
	ck_assert_uint_eq(st.sampled, sampled + 2);
	/* Sampled events are no events to the counters, as in the drivers. */
	ck_assert_uint_eq(st.producer_events, written + nevers + 1 + (uint64_t)(n_e + n_x) * 0);
	udig_close(c);
	udig_rw_close(&w);
	rt_names_unlink(&n);
}
END_TEST

struct fake_comm {
	const char *comm;
	int calls;
};

static int fake_comm(void *ctx, char *out)
{
	struct fake_comm *f = ctx;
	f->calls++;
	snprintf(out, UDIG_CTL_COMM_LEN, "%s", f->comm);
	return 0;
}

START_TEST(suppression_by_comm_and_tid_is_counted)
{
	struct rt_names n;
	rt_names_make(&n, "supp");
	struct udig_ring_writer w = rt_open_writer(&n);
	udig_capture *c = rt_consumer(&n, 0, NULL);
	struct udig_rw_self victim = { 0 }, other = { 0 }, bytid = { 0 };
	struct fake_comm fv = { "cc1", 0 }, fo = { "make", 0 };
	/* No control yet: nothing is even looked up. */
	ck_assert_int_eq(udig_rw_screen(&w, &victim, SYS_read, 10, fake_comm, &fv), 0);
	ck_assert_int_eq(fv.calls, 0);
	ck_assert_int_eq(udig_suppress_comm(c, "cc1"), UDIG_OK);
	for (int i = 0; i < 5; i++) {
		ck_assert_int_eq(udig_rw_screen(&w, &victim, SYS_read, 10, fake_comm, &fv), UDIG_RW_SUPPRESSED);
		ck_assert_int_eq(udig_rw_screen(&w, &other, SYS_read, 11, fake_comm, &fo), 0);
	}
	ck_assert_int_eq(fv.calls, 1); /* cached per thread */
	ck_assert_int_eq(udig_suppress_tid(c, 12), UDIG_OK);
	ck_assert_int_eq(udig_rw_screen(&w, &bytid, SYS_read, 12, fake_comm, &fo), UDIG_RW_SUPPRESSED);
	/* A rename (PR_SET_NAME) clears the cached comm: judged again. */
	victim.comm[0] = 0;
	fv.comm = "ld";
	ck_assert_int_eq(udig_rw_screen(&w, &victim, SYS_read, 10, fake_comm, &fv), 0);
	struct udig_stats st;
	udig_get_stats(c, &st);
	ck_assert_uint_eq(st.suppressed, 6);
	ck_assert_uint_eq(st.tids_suppressed, 2);
	udig_close(c);
	udig_rw_close(&w);
	rt_names_unlink(&n);
}
END_TEST

/* A forged .ctl object and consumer block: clamped, never trusted. */
START_TEST(forged_controls_are_clamped)
{
	struct rt_names n;
	rt_names_make(&n, "forge");
	struct udig_ring_writer w = rt_open_writer(&n);
	udig_capture *c = rt_consumer(&n, 0, NULL);
	ck_assert_int_eq(udig_suppress_comm(c, "x"), UDIG_OK);
	char ctl[128];
	snprintf(ctl, sizeof ctl, "%s.ctl", n.descs);
	struct udig_rw_self s0 = { 0 };
	struct fake_comm fz = { "zzzzzzzzzzzzzzz", 0 };
	ck_assert_int_eq(udig_rw_screen(&w, &s0, SYS_read, 10, fake_comm, &fz), 0);
	/* Scribble through the writer's own mapping: counts out of range,
	 * names without a NUL. */
	struct udig_ctl *k = w.ctl;
	ck_assert_ptr_nonnull(k);
	k->n_comms = 0xffffffffu;
	k->n_tids = 0xffffffffu;
	memset(k->comms, 'z', sizeof k->comms);
	k->gen++;
	ck_assert_int_eq(udig_rw_screen(&w, &s0, SYS_read, 10, fake_comm, &fz), UDIG_RW_SUPPRESSED);
	/* The block: an absurd ratio is clamped to 128, a zero one to 1. */
	struct udig_consumer *b = &w.descs->status.consumer;
	b->dropping_mode = 1;
	b->sampling_ratio = 0;
	b->sampling_interval = 0; /* would mean "drop everything" if trusted */
	uint8_t rec[256];
	size_t len = rec_of(rec, sizeof rec, 1);
	struct udig_rw_meta plain = { 0, 0, 0 };
	for (int i = 0; i < 50; i++)
		ck_assert_int_eq(udig_rw_write_meta(&w, rec, (uint32_t)len, &plain), UDIG_RW_WRITTEN);
	b->dropping_mode = 0;
	udig_close(c);
	udig_rw_close(&w);
	rt_names_unlink(&n);
}
END_TEST

/* The consumer's side of a forged .ctl object: it never reads its own
 * requests back from it (a count of 2^32-1 once sent udig_suppress_comm
 * through 4 GB of "comms"), and it writes them back when the ring idles. */
START_TEST(consumer_rewrites_a_forged_ctl)
{
	struct rt_names n;
	rt_names_make(&n, "reforge");
	struct udig_ring_writer w = rt_open_writer(&n);
	udig_capture *c = rt_consumer(&n, 0, NULL);
	ck_assert_int_eq(udig_suppress_comm(c, "x"), UDIG_OK);
	ck_assert_int_eq(udig_suppress_tid(c, 77), UDIG_OK);
	struct udig_rw_self s0 = { 0 };
	struct fake_comm fz = { "zzzzzzzzzzzzzzz", 0 };
	ck_assert_int_eq(udig_rw_screen(&w, &s0, SYS_read, 10, fake_comm, &fz), 0); /* maps .ctl */
	struct udig_ctl *k = w.ctl;
	ck_assert_ptr_nonnull(k);
	k->n_comms = 0xffffffffu;
	k->n_tids = 0xffffffffu;
	memset(k->comms, 'z', sizeof k->comms);
	for (unsigned i = 0; i < UDIG_CTL_MAX_TIDS; i++)
		k->tids[i] = 10;
	k->flags = ~0u;
	k->magic = 0;
	/* Answers from our own lists: tid 10 was never asked for. */
	ck_assert_int_eq(udig_suppress_comm(c, "y"), UDIG_OK);
	ck_assert_int_eq(udig_suppress_comm(c, "x"), UDIG_OK); /* already there: not added twice */
	ck_assert_int_eq(udig_check_suppressed_tid(c, 10), 0);
	ck_assert_int_eq(udig_check_suppressed_tid(c, 77), 1);
	uint32_t gen = k->gen;
	struct udig_evt ev;
	ck_assert_int_eq(udig_next_wait(c, &ev, 0), UDIG_TIMEOUT); /* idle: repairs */
	ck_assert_uint_eq(k->magic, UDIG_CTL_MAGIC);
	ck_assert_uint_eq(k->n_comms, 2);
	ck_assert_str_eq(k->comms[0], "x");
	ck_assert_str_eq(k->comms[1], "y");
	ck_assert_uint_eq(k->n_tids, 1);
	ck_assert_int_eq(k->tids[0], 77);
	ck_assert_uint_eq(k->flags, 0);
	ck_assert_uint_ne(k->gen, gen); /* producers judge their threads again */
	/* and the producers see the requests again */
	struct udig_rw_self s1 = { 0 };
	struct fake_comm fy = { "y", 0 };
	ck_assert_int_eq(udig_rw_screen(&w, &s1, SYS_read, 11, fake_comm, &fy), UDIG_RW_SUPPRESSED);
	udig_close(c);
	udig_rw_close(&w);
	rt_names_unlink(&n);
}
END_TEST

/* Dynamic snaplen on a loopback TCP connection, through the fillers. */
static int listener(uint16_t *port)
{
	int s = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	ck_assert_int_eq(bind(s, (struct sockaddr *)&a, sizeof a), 0);
	ck_assert_int_eq(listen(s, 1), 0);
	socklen_t l = sizeof a;
	getsockname(s, (struct sockaddr *)&a, &l);
	*port = ntohs(a.sin_port);
	return s;
}

static size_t data_len_of_write(int fd, const void *buf, size_t n, int dyn, uint16_t lo, uint16_t hi, uint32_t *pf)
{
	struct udig_syscall_ctx sc = { .nr = SYS_write, .args = { (uint64_t)fd, U(buf), n }, .ret = (int64_t)n,
				       .snaplen = 80, .ops = &test_ops, .dyn_snaplen = (uint8_t)dyn,
				       .fullcap_lo = lo, .fullcap_hi = hi, .statsd_port = 8125, .pf = pf };
	static uint8_t out[1 << 17];
	size_t len = udig_fill_exit(&sc, out, sizeof out);
	ck_assert_uint_gt(len, 0);
	struct udig_evt ev;
	ck_assert_int_eq(udig_evt_parse(out, len, &ev, NULL), UDIG_OK);
	return ev.vlen[1];
}

START_TEST(dynamic_snaplen_follows_the_driver_rules)
{
	uint16_t port;
	int l = listener(&port);
	int cl = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	ck_assert_int_eq(connect(cl, (struct sockaddr *)&a, sizeof a), 0);
	static char payload[20000], http[20000];
	memset(payload, 'p', sizeof payload);
	memset(http, 'h', sizeof http);
	memcpy(http, "GET / HTTP/1.1\r\n", 16);
	/* Off: the fixed snaplen. */
	ck_assert_uint_eq(data_len_of_write(cl, payload, sizeof payload, 0, port, port, NULL), 80);
	/* The peer's port in the range: 16000 bytes. */
	ck_assert_uint_eq(data_len_of_write(cl, payload, sizeof payload, 1, port, port, NULL), 16000);
	/* Outside it: 80 for unknown bytes, 4096 for HTTP. */
	uint16_t other = port == 65535 ? 1 : port + 1;
	ck_assert_uint_eq(data_len_of_write(cl, payload, sizeof payload, 1, other, other, NULL), 80);
	ck_assert_uint_eq(data_len_of_write(cl, http, sizeof http, 1, other, other, NULL), 4096);
	/* A file is no socket: fixed. */
	int f = open("/dev/null", O_WRONLY);
	ck_assert_uint_eq(data_len_of_write(f, payload, sizeof payload, 1, 1, 65535, NULL), 80);
	/* A bad pointer: counted for n_drops_pf. */
	uint32_t pf = 0;
	data_len_of_write(f, (void *)16, 100, 0, 0, 0, &pf);
	ck_assert_uint_gt(pf, 0);
	pf = 0;
	data_len_of_write(f, payload, 100, 0, 0, 0, &pf);
	ck_assert_uint_eq(pf, 0);
	close(f);
	close(cl);
	close(l);
}
END_TEST

START_TEST(page_faults_and_simple_mode_reach_the_ring)
{
	struct rt_names n;
	rt_names_make(&n, "pf");
	struct udig_ring_writer w = rt_open_writer(&n);
	udig_capture *c = rt_consumer(&n, 0, NULL);
	uint8_t rec[256];
	size_t len = rec_of(rec, sizeof rec, 1);
	struct udig_rw_meta pf = { 0, 0, 1 };
	ck_assert_int_eq(udig_rw_write_meta(&w, rec, (uint32_t)len, &pf), UDIG_RW_WRITTEN);
	struct udig_stats st;
	udig_get_stats(c, &st);
	ck_assert_uint_eq(st.drops_pf, 1);
	struct udig_rw_self me = { 0 };
	ck_assert_int_eq(udig_rw_screen(&w, &me, SYS_getppid, 1, NULL, NULL), 0);
	ck_assert_int_eq(udig_enable_simple_mode(c), UDIG_OK);
	/* getppid and read keep no state; close, chdir and execve do (the
	 * reference table's UF_SIMPLEDRIVER_KEEP). */
	ck_assert_int_eq(udig_rw_screen(&w, &me, SYS_getppid, 1, NULL, NULL), UDIG_RW_MASKED);
	ck_assert_int_eq(udig_rw_screen(&w, &me, SYS_read, 1, NULL, NULL), UDIG_RW_MASKED);
	ck_assert_int_eq(udig_rw_screen(&w, &me, SYS_chdir, 1, NULL, NULL), 0);
	ck_assert_int_eq(udig_rw_screen(&w, &me, SYS_close, 1, NULL, NULL), 0);
	ck_assert_int_eq(udig_rw_screen(&w, &me, SYS_execve, 1, NULL, NULL), 0);
	ck_assert_int_eq(udig_rw_screen(&w, &me, -1, 1, NULL, NULL), 0);
	udig_close(c);
	udig_rw_close(&w);
	rt_names_unlink(&n);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("controls");
	TCase *tc = tcase_create("controls");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, controls_validate_their_arguments);
	tcase_add_test(tc, sampling_keeps_the_window_and_brackets_it);
	tcase_add_test(tc, suppression_by_comm_and_tid_is_counted);
	tcase_add_test(tc, forged_controls_are_clamped);
	tcase_add_test(tc, consumer_rewrites_a_forged_ctl);
	tcase_add_test(tc, dynamic_snaplen_follows_the_driver_rules);
	tcase_add_test(tc, page_faults_and_simple_mode_reach_the_ring);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	rt_sweep_dead();
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
