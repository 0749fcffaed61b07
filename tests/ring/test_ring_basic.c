/*
 * The ring's set-up and control: object modes and names, size checks, the
 * consumer handshake (begin capture, second consumer, stale pid, close),
 * gating, start/stop, snaplen, timeouts, a wait cut short from another
 * thread, wrap-around, and our extensions (event mask applied by the
 * producer, lossless bounded by consumer life).
 */
#include <check.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <udig/encode.h>
#include "ringtest.h"
#include "udig/encode/ring_writer.h"

static size_t close_enter(uint8_t *b, size_t cap, int64_t fd)
{
	struct udig_enc e;
	udig_enc_begin(&e, b, cap, UEV_SYSCALL_CLOSE_E, 5, 6);
	udig_enc_s64(&e, fd);
	return udig_enc_end(&e);
}

START_TEST(writer_creates_private_objects)
{
	struct rt_names n;
	rt_names_make(&n, "mode");
	mode_t old = umask(0);
	struct udig_ring_writer w = rt_open_writer(&n);
	umask(old);
	ck_assert_int_eq(rt_shm_mode(n.ring), 0600);
	ck_assert_int_eq(rt_shm_mode(n.descs), 0600);
	ck_assert_int_eq(w.descs->status.initialized, 1);
	/* A second writer maps the same objects and leaves their mode alone. */
	struct udig_ring_writer w2 = rt_open_writer(&n);
	ck_assert_int_eq(rt_shm_mode(n.ring), 0600);
	udig_rw_close(&w2);
	udig_rw_close(&w);
	rt_names_unlink(&n);

	/* The consumer: 0600 when asked for a private ring (mask object too). */
	uint8_t mask[UDIG_MASK_BYTES];
	memset(mask, 0xff, sizeof mask);
	udig_capture *c = rt_consumer(&n, 0, mask);
	ck_assert_int_eq(rt_shm_mode(n.ring), 0600);
	ck_assert_int_eq(rt_shm_mode(n.descs), 0600);
	ck_assert_int_eq(rt_shm_mode(n.mask), 0600);
	udig_close(c);
	rt_names_unlink(&n);
}
END_TEST

START_TEST(env_names_are_honoured)
{
	struct rt_names n;
	rt_names_make(&n, "env");
	setenv("UDIG_RING", n.ring, 1);
	setenv("UDIG_DESCS", n.descs, 1);
	struct udig_live_opts o;
	char err[UDIG_ERRBUF_SIZE];
	memset(&o, 0, sizeof o);
	o.no_proc_scan = 1;
	udig_capture *c = udig_open_live(&o, err);
	ck_assert_msg(c != NULL, "%s", err);
	struct udig_ring_writer w;
	ck_assert_msg(udig_rw_open(&w, NULL, NULL, err) == 0, "%s", err);
	ck_assert(rt_shm_exists(n.ring));
	ck_assert(rt_shm_exists(n.descs));
	uint8_t rec[256];
	size_t len = rt_record(rec, sizeof rec, 3, 77, 1234);
	ck_assert_int_eq(udig_rw_write(&w, rec, (uint32_t)len), UDIG_RW_WRITTEN);
	struct udig_evt ev;
	ck_assert_int_eq(udig_next_wait(c, &ev, 2000), UDIG_OK);
	uint32_t t, s;
	ck_assert_int_eq(rt_record_check(&ev, &t, &s), 0);
	ck_assert_uint_eq(s, 77);
	/* Explicit names win over the environment. */
	struct rt_names other;
	rt_names_make(&other, "env2");
	struct udig_ring_writer w2 = rt_open_writer(&other);
	ck_assert(rt_shm_exists(other.ring));
	udig_rw_close(&w2);
	rt_names_unlink(&other);
	unsetenv("UDIG_RING");
	unsetenv("UDIG_DESCS");
	udig_rw_close(&w);
	udig_close(c);
	rt_names_unlink(&n);
}
END_TEST

START_TEST(wrong_size_is_refused)
{
	struct rt_names n;
	rt_names_make(&n, "size");
	int fd = shm_open(n.ring, O_RDWR | O_CREAT | O_EXCL, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ftruncate(fd, 4096), 0);
	close(fd);
	struct udig_ring_writer w;
	char err[UDIG_ERRBUF_SIZE] = "";
	ck_assert_int_eq(udig_rw_open(&w, n.ring, n.descs, err), -1);
	ck_assert_msg(strstr(err, "4096 bytes, expected 8388608") != NULL, "message: %s", err);
	struct udig_live_opts o;
	memset(&o, 0, sizeof o);
	o.ring_name = n.ring;
	o.descs_name = n.descs;
	o.no_proc_scan = 1;
	ck_assert_ptr_null(udig_open_live(&o, err));
	ck_assert_msg(strstr(err, "expected 8388608") != NULL, "message: %s", err);
	rt_names_unlink(&n);
}
END_TEST

START_TEST(gate_start_stop_and_counters)
{
	struct rt_names n;
	rt_names_make(&n, "gate");
	struct udig_ring_writer w = rt_open_writer(&n);
	uint8_t rec[256];
	size_t len = rt_record(rec, sizeof rec, 0, 1, 99);
	/* No consumer: nothing written, nothing counted. */
	ck_assert(!udig_rw_active(&w));
	ck_assert_int_eq(udig_rw_write(&w, rec, (uint32_t)len), UDIG_RW_INACTIVE);
	ck_assert_uint_eq(w.descs->info.n_evts, 0);
	ck_assert_int_eq(udig_rw_write(&w, rec, 10), UDIG_RW_INACTIVE);

	udig_capture *c = rt_consumer(&n, 0, NULL);
	ck_assert_int_eq(w.descs->status.capturing_pid, getpid());
	ck_assert_uint_eq(w.descs->status.consumer.snaplen, UDIG_DEFAULT_SNAPLEN);
	ck_assert_uint_eq(w.descs->status.consumer.sampling_ratio, 1);
	ck_assert_uint_eq(w.descs->status.consumer.statsd_port, 8125);
	ck_assert(udig_rw_active(&w));
	ck_assert_int_eq(udig_rw_write(&w, rec, 10), UDIG_RW_INVALID);
	ck_assert_int_eq(udig_rw_write(&w, rec, (uint32_t)len), UDIG_RW_WRITTEN);
	ck_assert_int_eq(udig_stop(c), UDIG_OK);
	ck_assert_int_eq(udig_rw_write(&w, rec, (uint32_t)len), UDIG_RW_INACTIVE);
	ck_assert_int_eq(udig_start(c), UDIG_OK);
	ck_assert_int_eq(udig_rw_write(&w, rec, (uint32_t)len), UDIG_RW_WRITTEN);
	struct udig_evt ev;
	ck_assert_int_eq(udig_next_wait(c, &ev, 1000), UDIG_OK);
	ck_assert_int_eq(udig_next_wait(c, &ev, 1000), UDIG_OK);
	ck_assert_int_eq(udig_next_wait(c, &ev, 20), UDIG_TIMEOUT);
	ck_assert_int_eq(udig_next_wait(c, &ev, 0), UDIG_TIMEOUT);
	struct udig_stats st;
	udig_get_stats(c, &st);
	ck_assert_uint_eq(st.producer_events, 2);
	ck_assert_uint_eq(st.events, 2);
	ck_assert(udig_is_live(c));

	ck_assert_int_eq(udig_live_set_snaplen(c, 200), UDIG_OK);
	ck_assert_uint_eq(udig_rw_snaplen(&w), 200);
	ck_assert_int_eq(udig_live_set_snaplen(c, 0), UDIG_ILLEGAL_INPUT);
	w.descs->status.consumer.snaplen = 1u << 30; /* producers clamp what they read */
	ck_assert_uint_eq(udig_rw_snaplen(&w), UDIG_MAX_ARG_SIZE);

	/* Close releases the ring: producers go quiet again. */
	udig_close(c);
	ck_assert_int_eq(w.descs->status.capturing_pid, 0);
	ck_assert_uint_eq(*udig_ring_ext_word(w.descs), 0);
	ck_assert_int_eq(udig_rw_write(&w, rec, (uint32_t)len), UDIG_RW_INACTIVE);
	udig_rw_close(&w);
	rt_names_unlink(&n);
}
END_TEST

static double mono_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

struct waiter {
	udig_capture *c;
	int rc;
};

static void *wait_forever(void *arg)
{
	struct waiter *wt = arg;
	struct udig_evt ev;
	wt->rc = udig_next_wait(wt->c, &ev, -1);
	return NULL;
}

/* A waiter in another thread, cut short after delay_us: in the nap phase
 * (right away) or asleep on head (later).  It must come back, with
 * UDIG_TIMEOUT; a wait that never ends fails the join's deadline. */
static void break_a_waiter(udig_capture *c, long delay_us)
{
	struct waiter wt = { c, -1 };
	pthread_t th;
	ck_assert_int_eq(pthread_create(&th, NULL, wait_forever, &wt), 0);
	rt_sleep_us(delay_us);
	ck_assert_int_eq(udig_break_wait(c), UDIG_OK);
	struct timespec dl;
	clock_gettime(CLOCK_REALTIME, &dl);
	dl.tv_sec += 10;
	ck_assert_msg(pthread_timedjoin_np(th, NULL, &dl) == 0, "udig_break_wait left a wait running");
	ck_assert_int_eq(wt.rc, UDIG_TIMEOUT);
}

START_TEST(break_wait_cuts_a_wait_short)
{
	struct rt_names n;
	rt_names_make(&n, "brk");
	struct udig_ring_writer w = rt_open_writer(&n);
	udig_capture *c = rt_consumer(&n, 0, NULL);
	uint8_t rec[256];
	size_t len = rt_record(rec, sizeof rec, 0, 1, 99);
	struct udig_evt ev;
	ck_assert_int_eq(udig_break_wait(NULL), UDIG_ILLEGAL_INPUT);

	/* Published events come first; the break ends the wait that follows. */
	ck_assert_int_eq(udig_rw_write(&w, rec, (uint32_t)len), UDIG_RW_WRITTEN);
	ck_assert_int_eq(udig_rw_write(&w, rec, (uint32_t)len), UDIG_RW_WRITTEN);
	ck_assert_int_eq(udig_break_wait(c), UDIG_OK);
	ck_assert_int_eq(udig_next_wait(c, &ev, -1), UDIG_OK);
	ck_assert_int_eq(udig_next_wait(c, &ev, -1), UDIG_OK);
	ck_assert_int_eq(udig_next_wait(c, &ev, -1), UDIG_TIMEOUT);
	/* Once per call: the next wait runs its whole timeout again.  A wait
	 * cannot end early on its own, so the lower bound is exact. */
	double t0 = mono_ms();
	ck_assert_int_eq(udig_next_wait(c, &ev, 40), UDIG_TIMEOUT);
	ck_assert_msg(mono_ms() - t0 >= 39.0, "a second wait was cut short too (%.1f ms)", mono_ms() - t0);
	/* A poll with no wait leaves a break for the wait that follows. */
	ck_assert_int_eq(udig_break_wait(c), UDIG_OK);
	ck_assert_int_eq(udig_next_wait(c, &ev, 0), UDIG_TIMEOUT);
	ck_assert_int_eq(udig_next_wait(c, &ev, -1), UDIG_TIMEOUT);

	break_a_waiter(c, 1000);   /* napping */
	break_a_waiter(c, 100000); /* asleep on head, past the nap phase */
	/* A waiter still gets what is written while it waits. */
	udig_rw_write(&w, rec, (uint32_t)len);
	ck_assert_int_eq(udig_next_wait(c, &ev, -1), UDIG_OK);

	udig_close(c);
	udig_rw_close(&w);
	rt_names_unlink(&n);
}
END_TEST

START_TEST(one_consumer_at_a_time)
{
	struct rt_names n;
	rt_names_make(&n, "two");
	struct udig_ring_writer w = rt_open_writer(&n);
	uint8_t rec[256];
	size_t len = rt_record(rec, sizeof rec, 0, 1, 99);

	udig_capture *c = rt_consumer(&n, 0, NULL);
	struct udig_live_opts o;
	char err[UDIG_ERRBUF_SIZE] = "";
	memset(&o, 0, sizeof o);
	o.ring_name = n.ring;
	o.descs_name = n.descs;
	o.no_proc_scan = 1;
	ck_assert_ptr_null(udig_open_live(&o, err));
	/* The message names the ring and the holder (here: ourselves). */
	char want[UDIG_ERRBUF_SIZE];
	snprintf(want, sizeof want, "another udig capture is already active on ring %s: pid %d (", n.descs,
		 (int)getpid());
	ck_assert_msg(strncmp(err, want, strlen(want)) == 0, "got: %s", err);
	snprintf(want, sizeof want, "(uid %u); a ring has one consumer at a time", (unsigned)geteuid());
	ck_assert_msg(strstr(err, want) != NULL, "got: %s", err);
	/* The refused consumer must not have disturbed the active one. */
	ck_assert_int_eq(w.descs->status.capturing_pid, getpid());
	ck_assert_int_eq(udig_rw_write(&w, rec, (uint32_t)len), UDIG_RW_WRITTEN);
	udig_close(c);

	/* A consumer that died without closing: its pid is stale, the next one
	 * takes over and discards the unread data, as the reference does. */
	pid_t dead = fork();
	ck_assert_int_ge(dead, 0);
	if (dead == 0)
		_exit(0);
	waitpid(dead, NULL, 0);
	ck_assert_int_eq(udig_rw_write(&w, rec, (uint32_t)len), UDIG_RW_INACTIVE);
	w.descs->status.capturing_pid = dead;
	ck_assert_int_eq(udig_rw_write(&w, rec, (uint32_t)len), UDIG_RW_WRITTEN);
	c = udig_open_live(&o, err);
	ck_assert_msg(c != NULL, "%s", err);
	ck_assert_int_eq(w.descs->status.capturing_pid, getpid());
	ck_assert_uint_eq(w.descs->info.head, 0);
	ck_assert_uint_eq(w.descs->info.n_evts, 0);
	struct udig_evt ev;
	ck_assert_int_eq(udig_next_wait(c, &ev, 0), UDIG_TIMEOUT);
	udig_close(c);
	udig_rw_close(&w);
	rt_names_unlink(&n);
}
END_TEST

/* An event mask that wants every type but one. */
static void mask_all_but(uint8_t mask[UDIG_MASK_BYTES], uint16_t type)
{
	memset(mask, 0xff, UDIG_MASK_BYTES);
	mask[type / 8] &= (uint8_t) ~(1u << (type % 8));
}

START_TEST(mask_drops_at_the_producer)
{
	struct rt_names n;
	rt_names_make(&n, "mask");
	struct udig_ring_writer w = rt_open_writer(&n);
	uint8_t mask[UDIG_MASK_BYTES];
	mask_all_but(mask, UEV_SYSCALL_WRITE_X);
	udig_capture *c = rt_consumer(&n, 0, mask);
	uint8_t rec[256], rec2[64];
	size_t len = rt_record(rec, sizeof rec, 0, 1, 99);
	size_t len2 = close_enter(rec2, sizeof rec2, 3);

	ck_assert(!udig_rw_wants(&w, UEV_SYSCALL_WRITE_X));
	ck_assert(udig_rw_wants(&w, UEV_SYSCALL_CLOSE_E));
	ck_assert_int_eq(udig_rw_write(&w, rec, (uint32_t)len), UDIG_RW_MASKED);
	ck_assert_uint_eq(w.descs->info.n_evts, 0); /* never reached the ring */
	ck_assert_int_eq(udig_rw_write(&w, rec2, (uint32_t)len2), UDIG_RW_WRITTEN);
	ck_assert_uint_eq(w.descs->info.n_evts, 1);
	struct udig_evt ev;
	ck_assert_int_eq(udig_next_wait(c, &ev, 1000), UDIG_OK);
	ck_assert_uint_eq(ev.type, UEV_SYSCALL_CLOSE_E);

	/* Changed at run time. */
	ck_assert_int_eq(udig_set_eventmask(c, UEV_SYSCALL_CLOSE_E, 0), UDIG_OK);
	ck_assert_int_eq(udig_set_eventmask(c, UEV_SYSCALL_WRITE_X, 1), UDIG_OK);
	ck_assert_int_eq(udig_set_eventmask(c, UDIG_EVENT_MAX, 1), UDIG_ILLEGAL_INPUT);
	ck_assert_int_eq(udig_rw_write(&w, rec2, (uint32_t)len2), UDIG_RW_MASKED);
	ck_assert_int_eq(udig_rw_write(&w, rec, (uint32_t)len), UDIG_RW_WRITTEN);

	ck_assert_int_eq(udig_next_wait(c, &ev, 1000), UDIG_OK);
	ck_assert_uint_eq(ev.type, UEV_SYSCALL_WRITE_X);
	ck_assert_int_eq(udig_next_wait(c, &ev, 0), UDIG_TIMEOUT);
	udig_close(c);

	/* The next consumer asks for nothing special: the old mask is inert. */
	c = rt_consumer(&n, 0, NULL);
	ck_assert_int_eq(udig_rw_write(&w, rec2, (uint32_t)len2), UDIG_RW_WRITTEN);
	udig_close(c);
	udig_rw_close(&w);
	rt_names_unlink(&n);
}
END_TEST

START_TEST(mask_set_only_at_run_time)
{
	struct rt_names n;
	rt_names_make(&n, "mask2");
	struct udig_ring_writer w = rt_open_writer(&n);
	udig_capture *c = rt_consumer(&n, 0, NULL);
	uint8_t rec2[64];
	size_t len2 = close_enter(rec2, sizeof rec2, 3);
	uint8_t rec[256];
	size_t len = rt_record(rec, sizeof rec, 0, 1, 99);
	ck_assert_int_eq(udig_rw_write(&w, rec2, (uint32_t)len2), UDIG_RW_WRITTEN);
	struct udig_evt ev;
	ck_assert_int_eq(udig_next_wait(c, &ev, 1000), UDIG_OK);
	ck_assert_uint_eq(ev.type, UEV_SYSCALL_CLOSE_E);
	ck_assert_int_eq(udig_set_eventmask(c, UEV_SYSCALL_CLOSE_E, 0), UDIG_OK);
	ck_assert_int_eq(rt_shm_mode(n.mask), 0600);
	ck_assert_int_eq(udig_rw_write(&w, rec2, (uint32_t)len2), UDIG_RW_MASKED);
	/* A producer that ignores the mask (here: one that sees no extension
	 * word, like pdig) is filtered by the consumer instead. */
	ck_assert_int_eq(udig_rw_ends_once(&w), 1); /* libcapture shows a thread's end once */
	*udig_ring_ext_word(w.descs) = 0;
	ck_assert_int_eq(udig_rw_ends_once(&w), 0);
	ck_assert_int_eq(udig_rw_write(&w, rec2, (uint32_t)len2), UDIG_RW_WRITTEN);
	ck_assert_int_eq(udig_rw_write(&w, rec, (uint32_t)len), UDIG_RW_WRITTEN);
	ck_assert_int_eq(udig_next_wait(c, &ev, 1000), UDIG_OK);
	ck_assert_uint_eq(ev.type, UEV_SYSCALL_WRITE_X);
	ck_assert_int_eq(udig_next_wait(c, &ev, 0), UDIG_TIMEOUT);
	/* An idle consumer puts its extension word back. */
	ck_assert_uint_eq(udig_ext_flags(*udig_ring_ext_word(w.descs), getpid()), UDIG_EXT_MASK | UDIG_EXT_ENDS_ONCE);
	udig_close(c);
	udig_rw_close(&w);
	rt_names_unlink(&n);
}
END_TEST

/* A writer judges each record by the consumer it finds then: one that
 * left stops the very next record, and one that took its place, in
 * another process and with an event mask, governs the next one by that
 * mask. */
START_TEST(a_new_consumer_governs_the_next_record)
{
	struct rt_names n;
	rt_names_make(&n, "switch");
	struct udig_ring_writer w = rt_open_writer(&n);
	udig_capture *c = rt_consumer(&n, 0, NULL);
	uint8_t rec[256], rec2[64];
	size_t len = rt_record(rec, sizeof rec, 0, 1, 99);
	size_t len2 = close_enter(rec2, sizeof rec2, 3);
	ck_assert_int_eq(udig_rw_write(&w, rec, (uint32_t)len), UDIG_RW_WRITTEN);
	udig_close(c);
	/* Gone: nothing is written or counted. */
	uint64_t counted = w.descs->info.n_evts;
	ck_assert_int_eq(udig_rw_write(&w, rec, (uint32_t)len), UDIG_RW_INACTIVE);
	ck_assert_uint_eq(w.descs->info.n_evts, counted);

	/* Seen again, then replaced behind the writer's back by a consumer in
	 * another process whose mask leaves write events out. */
	c = rt_consumer(&n, 0, NULL);
	ck_assert_int_eq(udig_rw_write(&w, rec2, (uint32_t)len2), UDIG_RW_WRITTEN);
	udig_close(c);
	int ready[2], go[2];
	ck_assert_int_eq(pipe(ready), 0);
	ck_assert_int_eq(pipe(go), 0);
	pid_t kid = fork();
	ck_assert_int_ge(kid, 0);
	if (kid == 0) {
		uint8_t mask[UDIG_MASK_BYTES];
		mask_all_but(mask, UEV_SYSCALL_WRITE_X);
		udig_capture *k = rt_consumer(&n, 0, mask);
		char b = 1;
		struct udig_evt ev;
		if (write(ready[1], &b, 1) != 1 || read(go[0], &b, 1) != 1)
			_exit(2);
		/* Only the close: the write event never reached the ring. */
		if (udig_next_wait(k, &ev, 2000) != UDIG_OK || ev.type != UEV_SYSCALL_CLOSE_E)
			_exit(3);
		if (udig_next_wait(k, &ev, 0) != UDIG_TIMEOUT)
			_exit(4);
		udig_close(k);
		_exit(0);
	}
	char b;
	ck_assert_int_eq(read(ready[0], &b, 1), 1);
	ck_assert_int_eq(w.descs->status.capturing_pid, kid);
	counted = w.descs->info.n_evts;
	ck_assert_int_eq(udig_rw_write(&w, rec, (uint32_t)len), UDIG_RW_MASKED);
	ck_assert_uint_eq(w.descs->info.n_evts, counted);
	ck_assert_int_eq(udig_rw_write(&w, rec2, (uint32_t)len2), UDIG_RW_WRITTEN);
	ck_assert_int_eq(write(go[1], &b, 1), 1);
	int st;
	ck_assert_int_eq(waitpid(kid, &st, 0), kid);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "consumer child status %d", st);
	close(ready[0]);
	close(ready[1]);
	close(go[0]);
	close(go[1]);
	udig_rw_close(&w);
	rt_names_unlink(&n);
}
END_TEST

/* Lossless waiting lasts only as long as the consumer: one that is
 * SIGKILLed while the ring is full releases the waiting writer. */
START_TEST(lossless_gives_up_when_the_consumer_dies)
{
	struct rt_names n;
	rt_names_make(&n, "ll");
	struct udig_ring_writer w = rt_open_writer(&n);
	int pfd[2];
	ck_assert_int_eq(pipe(pfd), 0);
	pid_t cons = fork();
	ck_assert_int_ge(cons, 0);
	if (cons == 0) {
		udig_capture *c = rt_consumer(&n, 1, NULL);
		(void)c;
		ck_assert_int_eq(write(pfd[1], "x", 1), 1);
		pause();
		_exit(0);
	}
	char x;
	ck_assert_int_eq(read(pfd[0], &x, 1), 1);
	ck_assert_int_eq(w.descs->status.capturing_pid, cons);
	ck_assert_uint_eq(udig_ext_flags(*udig_ring_ext_word(w.descs), cons), UDIG_EXT_LOSSLESS | UDIG_EXT_ENDS_ONCE);
	uint8_t rec[256];
	uint32_t written = 0;
	/* Fill the ring (nobody reads), then kill the consumer from a helper
	 * process a little later; the blocked write must return. */
	for (;;) {
		size_t len = rt_record(rec, sizeof rec, 0, written, 99);
		uint32_t free_now = udig_ring_free(w.descs->info.head, w.descs->info.tail);
		if (free_now < len)
			break;
		ck_assert_int_eq(udig_rw_write(&w, rec, (uint32_t)len), UDIG_RW_WRITTEN);
		written++;
	}
	pid_t killer = fork();
	ck_assert_int_ge(killer, 0);
	if (killer == 0) {
		rt_sleep_us(100000);
		kill(cons, SIGKILL);
		_exit(0);
	}
	size_t len = rt_record(rec, sizeof rec, 0, written, 99);
	ck_assert_int_eq(udig_rw_write(&w, rec, (uint32_t)len), UDIG_RW_DROPPED);
	ck_assert_uint_eq(w.descs->info.n_drops_buffer, 1);
	waitpid(killer, NULL, 0);
	waitpid(cons, NULL, 0);
	udig_rw_close(&w);
	rt_names_unlink(&n);
}
END_TEST

static size_t resident_pages(const struct udig_ring_writer *w)
{
	static unsigned char vec[UDIG_RINGBUF_SIZE / 4096];
	ck_assert_int_eq(mincore(w->ring, UDIG_RINGBUF_SIZE, vec), 0);
	size_t n = 0;
	for (size_t i = 0; i < sizeof vec; i++)
		n += vec[i] & 1;
	return n;
}

/* The pages of a ring the consumer created are made ahead of the writers,
 * a megabyte at a time once they wrote 256 KB, and a writer's first look
 * at a page maps its neighbours along with it: a process writing 1 MB of
 * records takes a fault per 64 KB, not one per 4 KB page (ring_populate,
 * probe_pages). */
START_TEST(ring_pages_are_made_once_and_mapped_in_batches)
{
#ifdef MADV_POPULATE_WRITE
	void *probe = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ck_assert(probe != MAP_FAILED);
	int supported = madvise(probe, 4096, MADV_POPULATE_WRITE) == 0;
	munmap(probe, 4096);
	if (!supported)
		return; /* a kernel before 5.14: pages are made one fault at a time, as before */
	struct rt_names n;
	rt_names_make(&n, "pages");
	udig_capture *c = rt_consumer(&n, 0, NULL);
	struct udig_ring_writer w = rt_open_writer(&n);
	size_t pages = UDIG_RINGBUF_SIZE / 4096;
	size_t mb = (1u << 20) / 4096;
	ck_assert_uint_lt(resident_pages(&w), mb);
	struct udig_evt ev;
	uint8_t rec[256];
	/* A short capture makes nothing ahead: a few records, a read. */
	for (uint32_t i = 0; i < 16; i++) {
		size_t len = rt_record(rec, sizeof rec, 0, i, 1);
		ck_assert_int_eq(udig_rw_write(&w, rec, (uint32_t)len), UDIG_RW_WRITTEN);
	}
	while (udig_next_wait(c, &ev, 0) == UDIG_OK)
		;
	ck_assert_uint_lt(resident_pages(&w), mb / 4);
	/* 600 KB written and read: the first two megabytes exist. */
	for (size_t written = 0; written < (600u << 10);) {
		size_t len = rt_record(rec, sizeof rec, 0, 0, 1);
		ck_assert_int_eq(udig_rw_write(&w, rec, (uint32_t)len), UDIG_RW_WRITTEN);
		written += len;
	}
	while (udig_next_wait(c, &ev, 0) == UDIG_OK)
		;
	ck_assert_uint_ge(resident_pages(&w), 2 * mb);
	ck_assert_uint_lt(resident_pages(&w), pages / 2);

	int fds[2];
	ck_assert_int_eq(pipe(fds), 0);
	pid_t kid = fork();
	ck_assert_int_ge(kid, 0);
	if (kid == 0) {
		/* A fork child's page table has none of the ring's pages. */
		udig_rw_after_fork(&w);
		long got[2] = { 0, 0 };
		size_t written = 0;
		rt_record(rec, sizeof rec, 0, 0, 1); /* its own pages first */
		struct rusage r0, r1;
		getrusage(RUSAGE_SELF, &r0);
		while (written < (1u << 20)) {
			size_t len = rt_record(rec, sizeof rec, 0, (uint32_t)got[1], 1);
			if (udig_rw_write(&w, rec, (uint32_t)len) != UDIG_RW_WRITTEN)
				_exit(3);
			written += len;
			got[1]++;
		}
		getrusage(RUSAGE_SELF, &r1);
		got[0] = r1.ru_minflt - r0.ru_minflt;
		_exit(write(fds[1], got, sizeof got) == (ssize_t)sizeof got ? 0 : 2);
	}
	long got[2];
	int st;
	ck_assert_int_eq(waitpid(kid, &st, 0), kid);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "writer child status %d", st);
	ck_assert_int_eq(read(fds[0], got, sizeof got), (ssize_t)sizeof got);
	/* 256 pages: 16 windows of 64 KB, a few more where a record crosses
	 * into the next window (19 here), and under ASan its shadow's (52).
	 * Page by page it took 260. */
	ck_assert_msg(got[0] < 128, "%ld faults writing 1 MB", got[0]);
	long seen = 0;
	while (udig_next_wait(c, &ev, 0) == UDIG_OK)
		seen++;
	ck_assert_int_eq(seen, got[1]);
	/* Head passed the middle of the second megabyte: the third exists. */
	ck_assert_uint_ge(resident_pages(&w), 3 * mb);
	close(fds[0]);
	close(fds[1]);
	udig_close(c);
	udig_rw_close(&w);
	rt_names_unlink(&n);
#endif
}
END_TEST

/* Records of an odd size cross the ring end at varying offsets: each one
 * arrives whole, two wraps and more. */
START_TEST(wrap_around_with_straddling_records)
{
	struct rt_names n;
	rt_names_make(&n, "wrap");
	struct udig_ring_writer w = rt_open_writer(&n);
	udig_capture *c = rt_consumer(&n, 0, NULL);
	uint8_t rec[256];
	uint64_t bytes = 0;
	uint32_t sent = 0, got = 0;
	struct udig_evt ev;
	while (bytes < 2ull * UDIG_RINGBUF_SIZE + 12345) {
		size_t len = rt_record(rec, sizeof rec, 0, sent, 99);
		ck_assert_int_eq(udig_rw_write(&w, rec, (uint32_t)len), UDIG_RW_WRITTEN);
		bytes += len;
		sent++;
		/* Keep the ring about half full so every wrap happens with data in it. */
		while (udig_ring_used(w.descs->info.head, w.descs->info.tail) > UDIG_RINGBUF_SIZE / 2 || (sent - got) > 60000) {
			ck_assert_int_eq(udig_next_wait(c, &ev, 1000), UDIG_OK);
			uint32_t t, s;
			ck_assert_int_eq(rt_record_check(&ev, &t, &s), 0);
			ck_assert_uint_eq(s, got);
			got++;
		}
	}
	while (got < sent) {
		ck_assert_int_eq(udig_next_wait(c, &ev, 1000), UDIG_OK);
		uint32_t t, s;
		ck_assert_int_eq(rt_record_check(&ev, &t, &s), 0);
		ck_assert_uint_eq(s, got);
		got++;
	}
	struct udig_stats st;
	udig_get_stats(c, &st);
	ck_assert_uint_eq(st.drops_buffer, 0);
	ck_assert_uint_eq(st.drops_invalid, 0);
	udig_close(c);
	udig_rw_close(&w);
	rt_names_unlink(&n);
}
END_TEST

/*
 * A live capture names a process that started after it opened (so after
 * its /proc scan) from /proc at the process's first event — comm, exe and
 * the fds it opened before — instead of "<NA>", as sysdig does live.
 */
START_TEST(late_process_is_read_from_proc)
{
	struct rt_names n;
	char err[UDIG_ERRBUF_SIZE], tmpl[] = "/tmp/udig-late-XXXXXX", file[PATH_MAX];
	rt_names_make(&n, "late");
	int tfd = mkstemp(tmpl);
	ck_assert_int_ge(tfd, 0);
	close(tfd);
	ck_assert_ptr_nonnull(realpath(tmpl, file));

	struct udig_live_opts o;
	memset(&o, 0, sizeof o);
	o.ring_name = n.ring;
	o.descs_name = n.descs; /* and the /proc scan, as `udig run` opens it */
	udig_capture *c = udig_open_live(&o, err);
	ck_assert_msg(c != NULL, "udig_open_live: %s", err);

	int ready[2];
	ck_assert_int_eq(pipe2(ready, O_CLOEXEC), 0);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int fd = open(file, O_RDONLY);
		if (fd < 0 || dup2(fd, 9) < 0)
			_exit(126);
		execl("/bin/sleep", "/bin/sleep", "60", (char *)NULL);
		_exit(127);
	}
	close(ready[1]);
	char b;
	ck_assert_int_eq(read(ready[0], &b, 1), 0); /* exec done */
	close(ready[0]);
	ck_assert_ptr_null(udig_get_thread(c, pid));

	/* its first event, as its producer would write it */
	struct udig_ring_writer w = rt_open_writer(&n);
	uint8_t rec[128];
	struct udig_enc e;
	udig_enc_begin(&e, rec, sizeof rec, UEV_SYSCALL_READ_E, 1000, (uint64_t)pid);
	udig_enc_s64(&e, 9);
	udig_enc_u32(&e, 4096);
	size_t len = udig_enc_end(&e);
	ck_assert_int_eq(udig_rw_write(&w, rec, (uint32_t)len), UDIG_RW_WRITTEN);
	struct udig_evt ev;
	ck_assert_int_eq(udig_next_wait(c, &ev, 2000), UDIG_OK);

	const struct udig_threadinfo *ti = udig_get_thread(c, pid);
	ck_assert_ptr_nonnull(ti);
	ck_assert_str_eq(ti->comm, "sleep");
	ck_assert_str_eq(ti->exe, "/bin/sleep");
	const struct udig_fdinfo *fi = udig_get_fd(c, pid, 9);
	ck_assert_ptr_nonnull(fi);
	ck_assert_str_eq(fi->name, file);
	char line[512], want[PATH_MAX + 64];
	udig_format_text(c, &ev, line, sizeof line);
	snprintf(want, sizeof want, " sleep (%d) > read fd=9(<f>%s) size=4096", (int)pid, file);
	ck_assert_msg(strstr(line, want) != NULL, "line: %s", line);

	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	udig_rw_close(&w);
	udig_close(c);
	rt_names_unlink(&n);
	unlink(file);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("ring-basic");
	TCase *tc = tcase_create("basic");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, writer_creates_private_objects);
	tcase_add_test(tc, env_names_are_honoured);
	tcase_add_test(tc, wrong_size_is_refused);
	tcase_add_test(tc, gate_start_stop_and_counters);
	tcase_add_test(tc, break_wait_cuts_a_wait_short);
	tcase_add_test(tc, one_consumer_at_a_time);
	tcase_add_test(tc, mask_drops_at_the_producer);
	tcase_add_test(tc, mask_set_only_at_run_time);
	tcase_add_test(tc, a_new_consumer_governs_the_next_record);
	tcase_add_test(tc, lossless_gives_up_when_the_consumer_dies);
	tcase_add_test(tc, wrap_around_with_straddling_records);
	tcase_add_test(tc, ring_pages_are_made_once_and_mapped_in_batches);
	tcase_add_test(tc, late_process_is_read_from_proc);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	rt_sweep_dead();
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
