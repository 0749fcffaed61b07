/*
 * Many writers, one deliberately slow consumer: every record arrives intact
 * and in per-writer order, and produced = consumed + dropped exactly (the
 * per-writer sequence numbers inside the records prove which ones).  In
 * lossless mode nothing is dropped and every sequence is complete.
 */
#include <check.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "ringtest.h"
#include "udig/encode/ring_writer.h"

#define NTHREADS 32
#define PER_THREAD 20000
#define NPROCS 4
#define PROC_THREADS 2

/* Per-writer results, in shared memory so that child processes report too. */
struct result {
	uint64_t written, dropped, other;
};

struct writer_arg {
	struct udig_ring_writer *w;
	struct result *res;
	uint32_t index, count;
};

static void *writer_main(void *p)
{
	struct writer_arg *a = p;
	uint8_t rec[256];
	for (uint32_t s = 0; s < a->count; s++) {
		size_t len = rt_record(rec, sizeof rec, a->index, s, 500000 + a->index);
		enum udig_rw_result r = udig_rw_write(a->w, rec, (uint32_t)len);
		if (r == UDIG_RW_WRITTEN)
			a->res->written++;
		else if (r == UDIG_RW_DROPPED)
			a->res->dropped++;
		else
			a->res->other++;
	}
	return NULL;
}

static void run_writers(struct udig_ring_writer *w, struct result *res, uint32_t first, uint32_t n, uint32_t count)
{
	pthread_t th[NTHREADS];
	struct writer_arg args[NTHREADS];
	for (uint32_t i = 0; i < n; i++) {
		args[i] = (struct writer_arg){ w, &res[first + i], first + i, count };
		ck_assert_int_eq(pthread_create(&th[i], NULL, writer_main, &args[i]), 0);
	}
	for (uint32_t i = 0; i < n; i++)
		pthread_join(th[i], NULL);
}

struct tally {
	uint32_t nwriters;
	uint32_t next[NTHREADS];   /* lowest sequence still acceptable per writer */
	uint64_t got[NTHREADS];
	uint64_t bad, total;
	uint64_t last_ts, inversions; /* ring order is time order */
	int exact;                 /* lossless: sequences must be contiguous */
};

/* Reads until `done` says the writers finished and the ring stayed empty
 * for a while; the pause every `pace` events is the slowness. */
static void consume(udig_capture *c, struct tally *t, unsigned pace, int (*done)(void *), void *arg)
{
	struct udig_evt ev;
	int finished = 0;
	for (;;) {
		int rc = udig_next_wait(c, &ev, 200);
		if (rc == UDIG_TIMEOUT) {
			if (finished)
				return;
			finished = done(arg);
			continue;
		}
		ck_assert_msg(rc == UDIG_OK, "udig_next_wait: %d %s", rc, udig_geterr(c));
		uint32_t th, seq;
		if (rt_record_check(&ev, &th, &seq) < 0 || th >= t->nwriters || seq < t->next[th] ||
		    (t->exact && seq != t->next[th])) {
			t->bad++;
			continue;
		}
		if (ev.ts < t->last_ts)
			t->inversions++;
		t->last_ts = ev.ts;
		t->next[th] = seq + 1;
		t->got[th]++;
		t->total++;
		if (pace && t->total % pace == 0)
			rt_sleep_us(1000);
	}
}

struct thread_run {
	pthread_t th;
	struct udig_ring_writer *w;
	struct result *res;
	volatile int finished;
};

static void *threads_main(void *p)
{
	struct thread_run *r = p;
	run_writers(r->w, r->res, 0, NTHREADS, PER_THREAD);
	__atomic_store_n(&r->finished, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

static int threads_done(void *p)
{
	return __atomic_load_n(&((struct thread_run *)p)->finished, __ATOMIC_SEQ_CST);
}

static void check_accounting(udig_capture *c, const struct tally *t, const struct result *res, int lossless)
{
	uint64_t produced = 0, written = 0, dropped = 0;
	ck_assert_msg(t->inversions == 0, "%llu records older than the one before them",
		      (unsigned long long)t->inversions);
	for (uint32_t i = 0; i < t->nwriters; i++) {
		ck_assert_uint_eq(res[i].other, 0);
		ck_assert_uint_eq(res[i].written + res[i].dropped, t->nwriters == NTHREADS ? PER_THREAD : PER_THREAD);
		/* What each writer says it wrote is exactly what arrived from it. */
		ck_assert_msg(t->got[i] == res[i].written, "writer %u: wrote %llu, consumer got %llu", i,
			      (unsigned long long)res[i].written, (unsigned long long)t->got[i]);
		if (lossless)
			ck_assert_uint_eq(t->next[i], PER_THREAD);
		produced += res[i].written + res[i].dropped;
		written += res[i].written;
		dropped += res[i].dropped;
	}
	struct udig_stats st;
	udig_get_stats(c, &st);
	ck_assert_uint_eq(t->bad, 0);
	ck_assert_uint_eq(st.drops_invalid, 0);
	ck_assert_uint_eq(produced, (uint64_t)t->nwriters * PER_THREAD);
	ck_assert_uint_eq(produced, written + dropped);
	ck_assert_uint_eq(t->total, written);
	ck_assert_uint_eq(st.producer_events, produced);
	ck_assert_uint_eq(st.drops_buffer, dropped);
	if (lossless)
		ck_assert_uint_eq(dropped, 0);
	printf("%s: %u writers, produced %llu, consumed %llu, dropped %llu\n", lossless ? "lossless" : "default",
	       t->nwriters, (unsigned long long)produced, (unsigned long long)t->total, (unsigned long long)dropped);
}

static void threads_case(int lossless, int env_forced)
{
	struct rt_names n;
	rt_names_make(&n, lossless ? "stl" : "std");
	udig_capture *c = rt_consumer(&n, lossless && !env_forced, NULL);
	static struct udig_ring_writer w;
	char err[UDIG_ERRBUF_SIZE];
	if (env_forced)
		setenv("UDIG_LOSSLESS", "1", 1);
	ck_assert_msg(udig_rw_open(&w, n.ring, n.descs, err) == 0, "%s", err);
	unsetenv("UDIG_LOSSLESS");
	ck_assert_int_eq(w.lossless_forced, env_forced);
	struct result *res = calloc(NTHREADS, sizeof *res);
	struct thread_run run = { .w = &w, .res = res };
	ck_assert_int_eq(pthread_create(&run.th, NULL, threads_main, &run), 0);
	struct tally *t = calloc(1, sizeof *t);
	t->nwriters = NTHREADS;
	t->exact = lossless;
	consume(c, t, 2000, threads_done, &run);
	pthread_join(run.th, NULL);
	check_accounting(c, t, res, lossless);
	udig_rw_close(&w);
	udig_close(c);
	rt_names_unlink(&n);
	free(res);
	free(t);
}

START_TEST(threads_default) { threads_case(0, 0); }
END_TEST
START_TEST(threads_lossless) { threads_case(1, 0); }
END_TEST
START_TEST(threads_lossless_from_env) { threads_case(1, 1); }
END_TEST

struct procs {
	pid_t pid[NPROCS];
	int left;
};

static int procs_done(void *p)
{
	struct procs *pr = p;
	for (int i = 0; i < NPROCS; i++) {
		int st;
		if (pr->pid[i] > 0 && waitpid(pr->pid[i], &st, WNOHANG) == pr->pid[i]) {
			ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "writer process failed: %#x", st);
			pr->pid[i] = 0;
			pr->left--;
		}
	}
	return pr->left == 0;
}

static void procs_case(int lossless)
{
	struct rt_names n;
	rt_names_make(&n, lossless ? "spl" : "spd");
	udig_capture *c = rt_consumer(&n, lossless, NULL);
	static struct udig_ring_writer w;
	char err[UDIG_ERRBUF_SIZE];
	ck_assert_msg(udig_rw_open(&w, n.ring, n.descs, err) == 0, "%s", err);
	struct result *res = mmap(NULL, sizeof(struct result) * NTHREADS, PROT_READ | PROT_WRITE,
				  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ck_assert_ptr_ne(res, MAP_FAILED);
	struct procs pr = { .left = NPROCS };
	for (int i = 0; i < NPROCS; i++) {
		pr.pid[i] = fork();
		ck_assert_int_ge(pr.pid[i], 0);
		if (pr.pid[i] == 0) {
			udig_rw_after_fork(&w);
			run_writers(&w, res, (uint32_t)i * PROC_THREADS, PROC_THREADS, PER_THREAD);
			_exit(0);
		}
	}
	struct tally *t = calloc(1, sizeof *t);
	t->nwriters = NPROCS * PROC_THREADS;
	t->exact = lossless;
	consume(c, t, 2000, procs_done, &pr);
	check_accounting(c, t, res, lossless);
	udig_rw_close(&w);
	udig_close(c);
	rt_names_unlink(&n);
	munmap(res, sizeof(struct result) * NTHREADS);
	free(t);
}

START_TEST(processes_default) { procs_case(0); }
END_TEST
START_TEST(processes_lossless) { procs_case(1); }
END_TEST

/* Not a timed assertion: prints the writer→reader rate for the report. */
static void *bulk_writer(void *p)
{
	struct writer_arg *a = p;
	uint8_t rec[256];
	size_t len = rt_record(rec, sizeof rec, 0, 7, 42);
	for (uint32_t s = 0; s < a->count; s++)
		if (udig_rw_write(a->w, rec, (uint32_t)len) == UDIG_RW_WRITTEN)
			a->res->written++;
	return NULL;
}

START_TEST(throughput)
{
	struct rt_names n;
	rt_names_make(&n, "tput");
	udig_capture *c = rt_consumer(&n, 1, NULL);
	static struct udig_ring_writer w;
	char err[UDIG_ERRBUF_SIZE];
	ck_assert_msg(udig_rw_open(&w, n.ring, n.descs, err) == 0, "%s", err);
	struct result res = { 0, 0, 0 };
	struct writer_arg a = { &w, &res, 0, 500000 };
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pthread_t th;
	ck_assert_int_eq(pthread_create(&th, NULL, bulk_writer, &a), 0);
	struct udig_evt ev;
	uint64_t got = 0;
	while (got < a.count) {
		int rc = udig_next_wait(c, &ev, 5000);
		ck_assert_int_eq(rc, UDIG_OK);
		got++;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	pthread_join(th, NULL);
	ck_assert_uint_eq(res.written, a.count);
	double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("throughput: %llu events (%zu bytes each) writer->reader in %.3f s = %.0f events/s\n",
	       (unsigned long long)got, (size_t)rt_record((uint8_t[256]){ 0 }, 256, 0, 7, 42), secs, (double)got / secs);
	udig_rw_close(&w);
	udig_close(c);
	rt_names_unlink(&n);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("ring-stress");
	TCase *tc = tcase_create("stress");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, threads_default);
	tcase_add_test(tc, threads_lossless);
	tcase_add_test(tc, threads_lossless_from_env);
	tcase_add_test(tc, processes_default);
	tcase_add_test(tc, processes_lossless);
	suite_add_tcase(s, tc);
	TCase *tp = tcase_create("throughput");
	tcase_set_timeout(tp, 120);
	tcase_add_test(tp, throughput);
	suite_add_tcase(s, tp);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	rt_sweep_dead();
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
