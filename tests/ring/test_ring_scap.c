/*
 * The reference consumer: the Debian libscap.so, opened in udig mode on the
 * reference's fixed object names, receives exactly the records our writer
 * wrote — byte for byte, in order, across more than two wraps of the ring.
 */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "driver/ppm_events_public.h"
#include "userspace/libscap/scap.h"
#include "ringtest.h"
#include "udig/encode/ring_writer.h"

#define COUNT 200000u /* about 2.2 wraps */

struct producer {
	struct udig_ring_writer w;
	uint64_t bytes, dropped;
};

static void *producer_main(void *p)
{
	struct producer *pr = p;
	uint8_t rec[256];
	for (uint32_t s = 0; s < COUNT; s++) {
		size_t len = rt_record(rec, sizeof rec, 0, s, 4242);
		if (udig_rw_write(&pr->w, rec, (uint32_t)len) == UDIG_RW_WRITTEN)
			pr->bytes += len;
		else
			pr->dropped++;
	}
	return NULL;
}

START_TEST(libscap_reads_our_records)
{
	int lk = rt_default_names_lock();
	ck_assert_msg(lk >= 0, "can't lock %s", RT_DEFAULT_LOCK);
	int existed = rt_shm_exists(UDIG_RING_NAME_DEFAULT) || rt_shm_exists(UDIG_DESCS_NAME_DEFAULT);

	scap_open_args args;
	memset(&args, 0, sizeof args);
	args.mode = SCAP_MODE_LIVE;
	args.udig = true;
	char err[SCAP_LASTERR_SIZE] = "";
	int32_t rc = 0;
	scap_t *h = scap_open(args, err, &rc);
	ck_assert_msg(h != NULL, "scap_open(udig): %s (rc %d)", err, rc);

	static struct producer pr;
	char werr[UDIG_ERRBUF_SIZE];
	ck_assert_msg(udig_rw_open(&pr.w, UDIG_RING_NAME_DEFAULT, UDIG_DESCS_NAME_DEFAULT, werr) == 0, "%s", werr);
	ck_assert_int_eq(pr.w.descs->status.capturing_pid, getpid());
	/* libscap knows nothing of our extensions: its begin-capture zeroed the word. */
	ck_assert_uint_eq(*udig_ring_ext_word(pr.w.descs), 0);
	pr.w.lossless_forced = 1; /* as UDIG_LOSSLESS=1 would: the consumer is us, alive */
	/* This test is about the wire protocol: the writer treats libscap's 0666
	 * ring as its own, without the shared ring's bound on a stalled consumer
	 * (which a loaded machine could reach). */
	pr.w.shared_ok = 0;
	pthread_t th;
	ck_assert_int_eq(pthread_create(&th, NULL, producer_main, &pr), 0);

	uint8_t want[256];
	uint32_t got = 0, timeouts = 0;
	uint64_t last_ts = 0;
	while (got < COUNT) {
		scap_evt *ev;
		uint16_t cpu;
		int32_t r = scap_next(h, &ev, &cpu);
		if (r == SCAP_TIMEOUT) {
			ck_assert_uint_lt(++timeouts, 100000);
			continue;
		}
		ck_assert_msg(r == SCAP_SUCCESS, "scap_next: %d %s", r, scap_getlasterr(h));
		size_t len = rt_record(want, sizeof want, 0, got, 4242);
		ck_assert_uint_eq(ev->len, len);
		/* All but the timestamp, which the writer takes under its lock. */
		ck_assert_msg(memcmp((const uint8_t *)ev + 8, want + 8, len - 8) == 0, "record %u differs", got);
		ck_assert_msg(ev->ts >= last_ts, "record %u is older than the one before", got);
		last_ts = ev->ts;
		got++;
	}
	pthread_join(th, NULL);
	ck_assert_uint_eq(pr.dropped, 0);
	ck_assert_uint_ge(pr.bytes, 2ull * UDIG_RINGBUF_SIZE);
	scap_stats st;
	scap_get_stats(h, &st);
	ck_assert_uint_eq(st.n_evts, COUNT);
	ck_assert_uint_eq(st.n_drops, 0);
	printf("libscap received %u records, %llu bytes = %.2f ring wraps\n", got, (unsigned long long)pr.bytes,
	       (double)pr.bytes / UDIG_RINGBUF_SIZE);
	scap_close(h);
	ck_assert_int_eq(pr.w.descs->status.capturing_pid, 0);
	udig_rw_close(&pr.w);
	if (!existed) {
		shm_unlink(UDIG_RING_NAME_DEFAULT);
		shm_unlink(UDIG_DESCS_NAME_DEFAULT);
	}
	close(lk);
}
END_TEST

int main(void)
{
	if (rt_default_names_usable() < 0)
		return 77;
	/* libscap makes the objects 0666: using them is the documented opt-in. */
	setenv("UDIG_SHARED_RING", "1", 1);
	Suite *s = suite_create("ring-scap");
	TCase *tc = tcase_create("libscap");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, libscap_reads_our_records);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
