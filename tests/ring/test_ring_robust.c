/*
 * Failures and hostility: a writer SIGKILLed while it holds the ring lock
 * must not wedge the others; a process scribbling random bytes over the
 * ring and its control words must not crash or hang the consumer, which
 * counts what it skips and recovers once the scribbling stops.
 */
#include <check.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include "ringtest.h"
#include "udig/encode/ring_lock.h"
#include "udig/encode/ring_writer.h"

/* A child that takes the lock exactly as a writer does, scribbles half a
 * record at head without publishing it, and is SIGKILLed while holding;
 * reaped, or left a zombie. */
static pid_t die_holding_lock_as(const struct rt_names *n, int reap)
{
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct udig_ring_writer w;
		char err[UDIG_ERRBUF_SIZE];
		if (udig_rw_open(&w, n->ring, n->descs, err) < 0)
			_exit(2);
		udig_lock_self_reset();
		struct udig_lock_wait how = { .lossless = 1 };
		int broke;
		if (udig_lock_acquire(&w.descs->status.buffer_lock, udig_lock_self(), &how, &broke) < 0)
			_exit(3);
		memset(w.ring + w.descs->info.head, 0xEE, 40);
		kill(getpid(), SIGKILL);
		_exit(4);
	}
	siginfo_t si;
	memset(&si, 0, sizeof si);
	ck_assert_int_eq(waitid(P_PID, (id_t)pid, &si, WEXITED | (reap ? 0 : WNOWAIT)), 0);
	ck_assert_msg(si.si_code == CLD_KILLED && si.si_status == SIGKILL, "child code %d status %d", si.si_code,
		      si.si_status);
	return pid;
}

static pid_t die_holding_lock(const struct rt_names *n)
{
	return die_holding_lock_as(n, 1);
}

/* Gives a lossless wait up after ~5 s (it is polled about every ms): a
 * failure instead of a hang. */
static int not_forever(void *arg)
{
	unsigned *polls = arg;
	return ++*polls < 5000;
}

/* Killed mid-write and not reaped yet, the owner is a zombie, which still
 * answers tgkill: the writer that waits for the lock may be the very
 * process that would reap it (a preloaded shell whose child was killed
 * from outside).  It is overruled all the same, also by a lossless wait. */
START_TEST(zombie_lock_owner_is_overruled)
{
	struct rt_names n;
	rt_names_make(&n, "zomb");
	struct udig_ring_writer w;
	char err[UDIG_ERRBUF_SIZE];
	ck_assert_msg(udig_rw_open(&w, n.ring, n.descs, err) == 0, "%s", err);
	pid_t dead = die_holding_lock_as(&n, 0);
	ck_assert_uint_eq(w.descs->status.buffer_lock >> 32, (uint64_t)dead);
	unsigned polls = 0;
	struct udig_lock_wait how = { .lossless = 1, .keep_waiting = not_forever, .arg = &polls };
	int broke = 0;
	udig_lock_self_reset();
	ck_assert_int_eq(udig_lock_acquire(&w.descs->status.buffer_lock, udig_lock_self(), &how, &broke), 0);
	ck_assert_int_eq(broke, 1);
	udig_lock_release(&w.descs->status.buffer_lock, udig_lock_self());
	ck_assert_uint_eq(w.descs->status.buffer_lock, 0);
	int st;
	ck_assert_int_eq(waitpid(dead, &st, 0), dead);
	udig_rw_close(&w);
	rt_names_unlink(&n);
}
END_TEST

START_TEST(dead_lock_owner_is_overruled)
{
	struct rt_names n;
	rt_names_make(&n, "dead");
	udig_capture *c = rt_consumer(&n, 0, NULL);
	struct udig_ring_writer w;
	char err[UDIG_ERRBUF_SIZE];
	ck_assert_msg(udig_rw_open(&w, n.ring, n.descs, err) == 0, "%s", err);
	pid_t dead = die_holding_lock(&n);
	/* The word still names the dead child... */
	ck_assert_uint_eq(w.descs->status.buffer_lock >> 32, (uint64_t)dead);
	/* ...and a default-mode writer (which drops rather than wait for a
	 * live holder) still gets through: the owner is checked before giving up. */
	uint8_t rec[256];
	for (uint32_t s = 0; s < 100; s++) {
		size_t len = rt_record(rec, sizeof rec, 0, s, 4242);
		ck_assert_int_eq(udig_rw_write(&w, rec, (uint32_t)len), UDIG_RW_WRITTEN);
	}
	ck_assert_uint_eq(w.descs->status.buffer_lock, 0);
	/* The unpublished scribble was overwritten, never delivered. */
	struct udig_evt ev;
	for (uint32_t s = 0; s < 100; s++) {
		ck_assert_int_eq(udig_next_wait(c, &ev, 2000), UDIG_OK);
		uint32_t th, seq;
		ck_assert_int_eq(rt_record_check(&ev, &th, &seq), 0);
		ck_assert_uint_eq(seq, s);
	}
	ck_assert_int_eq(udig_next_wait(c, &ev, 0), UDIG_TIMEOUT);
	struct udig_stats st;
	udig_get_stats(c, &st);
	ck_assert_uint_eq(st.drops_invalid, 0);
	ck_assert_uint_eq(st.drops_buffer, 0);
	udig_rw_close(&w);
	udig_close(c);
	rt_names_unlink(&n);
}
END_TEST

/* Writers killed at arbitrary points, over and over, while other writers
 * keep going: those finish, and every record that arrives is intact. */
struct steady {
	struct udig_ring_writer *w;
	uint32_t index, count;
	uint64_t written, dropped;
};

static void *steady_main(void *p)
{
	struct steady *a = p;
	uint8_t rec[256];
	for (uint32_t s = 0; s < a->count; s++) {
		size_t len = rt_record(rec, sizeof rec, a->index, s, 7000 + a->index);
		enum udig_rw_result r = udig_rw_write(a->w, rec, (uint32_t)len);
		if (r == UDIG_RW_WRITTEN)
			a->written++;
		else
			a->dropped++;
	}
	return NULL;
}

START_TEST(writers_killed_at_random)
{
	struct rt_names n;
	rt_names_make(&n, "kill");
	udig_capture *c = rt_consumer(&n, 1, NULL);
	static struct udig_ring_writer w;
	char err[UDIG_ERRBUF_SIZE];
	ck_assert_msg(udig_rw_open(&w, n.ring, n.descs, err) == 0, "%s", err);
	struct steady a[2] = { { &w, 0, 30000, 0, 0 }, { &w, 1, 30000, 0, 0 } };
	pthread_t th[2];
	for (int i = 0; i < 2; i++)
		ck_assert_int_eq(pthread_create(&th[i], NULL, steady_main, &a[i]), 0);
	/* Victims write as fast as they can (thread index 9 marks them); each
	 * is killed after a short, varying while. */
	unsigned victims = 0;
	uint64_t got[2] = { 0, 0 }, bad = 0, victim_events = 0;
	uint32_t next[2] = { 0, 0 };
	struct udig_evt ev;
	int running = 1, joined[2] = { 0, 0 }, quiet = 0;
	while (running) {
		if (victims < 20) {
			pid_t v = fork();
			ck_assert_int_ge(v, 0);
			if (v == 0) {
				udig_rw_after_fork(&w);
				uint8_t rec[256];
				for (uint32_t s = 0;; s++) {
					size_t len = rt_record(rec, sizeof rec, 9, s, 9999);
					udig_rw_write(&w, rec, (uint32_t)len);
				}
			}
			rt_sleep_us(2000 + (victims % 7) * 700);
			kill(v, SIGKILL);
			waitpid(v, NULL, 0);
			victims++;
		}
		/* Drain what is there; stop once the steady writers are done. */
		for (;;) {
			int rc = udig_next_wait(c, &ev, victims < 20 ? 0 : 300);
			if (rc == UDIG_TIMEOUT) {
				for (int i = 0; i < 2; i++)
					if (!joined[i] && pthread_tryjoin_np(th[i], NULL) == 0)
						joined[i] = 1;
				/* Both done, and the ring stayed empty for a while after. */
				if (victims >= 20 && joined[0] && joined[1] && ++quiet > 1)
					running = 0;
				break;
			}
			ck_assert_int_eq(rc, UDIG_OK);
			uint32_t t, s;
			if (rt_record_check(&ev, &t, &s) < 0) {
				bad++;
				continue;
			}
			if (t == 9) {
				victim_events++;
				continue;
			}
			ck_assert_uint_lt(t, 2);
			ck_assert_uint_eq(s, next[t]); /* lossless: nothing lost, in order */
			next[t] = s + 1;
			got[t]++;
		}
	}
	ck_assert_uint_eq(bad, 0);
	for (int i = 0; i < 2; i++) {
		ck_assert_uint_eq(a[i].dropped, 0);
		ck_assert_uint_eq(got[i], a[i].count);
	}
	struct udig_stats st;
	udig_get_stats(c, &st);
	ck_assert_uint_eq(st.drops_invalid, 0);
	printf("killed %u writers (%llu of their events delivered); the steady writers finished\n", victims,
	       (unsigned long long)victim_events);
	udig_rw_close(&w);
	udig_close(c);
	rt_names_unlink(&n);
}
END_TEST

/* Maps the objects on its own and writes random bytes over the ring and
 * the producer/consumer words until killed. */
static pid_t start_scribbler(const struct rt_names *n)
{
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid != 0)
		return pid;
	int fr = shm_open(n->ring, O_RDWR, 0), fd = shm_open(n->descs, O_RDWR, 0);
	if (fr < 0 || fd < 0)
		_exit(2);
	uint8_t *ring = mmap(NULL, UDIG_RINGBUF_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fr, 0);
	struct udig_ring_descs *d = mmap(NULL, UDIG_DESCS_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (ring == MAP_FAILED || d == MAP_FAILED)
		_exit(3);
	uint64_t x = 0x9E3779B97F4A7C15ull ^ (uint64_t)getpid();
	for (uint64_t i = 0;; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		uint32_t off = (uint32_t)(x % (UDIG_RINGBUF_SIZE - 64));
		memcpy(ring + off, &x, 8);
		ring[(off + 8) % UDIG_RINGBUF_SIZE] = (uint8_t)(x >> 40);
		switch (i % 64) {
		case 0: /* a head inside the ring, rarely on a boundary */
			d->info.head = (uint32_t)(x >> 32) % UDIG_RINGBUF_SIZE;
			break;
		case 1: /* and one outside it */
			d->info.head = (uint32_t)(x >> 32) | 0x80000000u;
			break;
		case 2:
			d->info.tail = (uint32_t)(x >> 20);
			break;
		case 3:
			d->status.buffer_lock = x;
			break;
		case 4: /* a plausible header with a lying length, right at head */
		{
			uint32_t h = d->info.head % UDIG_RINGBUF_SIZE, len = (uint32_t)(x >> 33);
			if (h + 26 < UDIG_RINGBUF_SIZE)
				memcpy(ring + h + 16, &len, 4);
			break;
		}
		case 5:
			d->status.capturing_pid = 0;
			break;
		case 6:
			d->status.stopped = 1;
			break;
		}
		if (i % 1024 == 0)
			usleep(50);
	}
}

struct feeder {
	struct udig_ring_writer *w;
	volatile int stop;
	uint32_t seq;
};

static void *feeder_main(void *p)
{
	struct feeder *f = p;
	uint8_t rec[256];
	while (!__atomic_load_n(&f->stop, __ATOMIC_RELAXED)) {
		size_t len = rt_record(rec, sizeof rec, 1, f->seq, 31337);
		if (udig_rw_write(f->w, rec, (uint32_t)len) != UDIG_RW_WRITTEN)
			rt_sleep_us(100);
		f->seq++;
	}
	return NULL;
}

START_TEST(hostile_scribbler)
{
	struct rt_names n;
	rt_names_make(&n, "hostile");
	udig_capture *c = rt_consumer(&n, 0, NULL);
	static struct udig_ring_writer w;
	char err[UDIG_ERRBUF_SIZE];
	ck_assert_msg(udig_rw_open(&w, n.ring, n.descs, err) == 0, "%s", err);
	struct feeder f = { &w, 0, 0 };
	pthread_t th;
	ck_assert_int_eq(pthread_create(&th, NULL, feeder_main, &f), 0);
	pid_t scr = start_scribbler(&n);

	/* Under attack: every call returns (the test's timeout catches a hang),
	 * whatever comes out is a parsed event, and junk is counted. */
	struct udig_evt ev;
	uint64_t events = 0, timeouts = 0, foreign = 0;
	for (int i = 0; i < 40000; i++) {
		int rc = udig_next_wait(c, &ev, 5);
		if (rc == UDIG_TIMEOUT) {
			timeouts++;
			continue;
		}
		ck_assert_int_eq(rc, UDIG_OK);
		ck_assert_uint_ge(ev.len, 26);
		uint32_t t, s;
		if (rt_record_check(&ev, &t, &s) < 0)
			foreign++; /* parsed but not ours: random bytes can look valid */
		events++;
	}
	kill(scr, SIGKILL);
	waitpid(scr, NULL, 0);
	struct udig_stats st;
	udig_get_stats(c, &st);
	ck_assert_uint_gt(st.drops_invalid, 0);
	printf("under attack: %llu events (%llu not ours), %llu timeouts, %llu invalid skipped\n",
	       (unsigned long long)events, (unsigned long long)foreign, (unsigned long long)timeouts,
	       (unsigned long long)st.drops_invalid);

	/* Attack over: fresh records from the same writer arrive intact again. */
	uint32_t first_after = __atomic_load_n(&f.seq, __ATOMIC_RELAXED) + 8;
	int recovered = 0;
	/* Older records may fill the ring first: at most R / 26 of them. */
	for (int i = 0; i < 400000 && !recovered; i++) {
		int rc = udig_next_wait(c, &ev, 50);
		if (rc != UDIG_OK)
			continue;
		uint32_t t, s;
		if (rt_record_check(&ev, &t, &s) == 0 && t == 1 && s >= first_after)
			recovered = 1;
	}
	ck_assert_msg(recovered,
		      "no intact record after the scribbler stopped: head %u tail %u lock %#llx pid %d stopped %d feeder at %u",
		      w.descs->info.head, w.descs->info.tail, (unsigned long long)w.descs->status.buffer_lock,
		      w.descs->status.capturing_pid, w.descs->status.stopped, f.seq);
	__atomic_store_n(&f.stop, 1, __ATOMIC_RELAXED);
	pthread_join(th, NULL);
	udig_rw_close(&w);
	udig_close(c);
	rt_names_unlink(&n);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("ring-robust");
	TCase *tc = tcase_create("robust");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, dead_lock_owner_is_overruled);
	tcase_add_test(tc, zombie_lock_owner_is_overruled);
	tcase_add_test(tc, writers_killed_at_random);
	tcase_add_test(tc, hostile_scribbler);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	rt_sweep_dead();
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
