/*
 * The ring's trust rule and its bounded waits (README, "Security model"),
 * through the real producer and consumer entry points: objects another user
 * could read or forge are refused before the first byte, session rings are
 * never recreated, and a forged control block never holds a writer long.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "tests/ring/ringtest.h"
#include "udig/encode/ring_shm.h"
#include "udig/encode/ring_writer.h"

static struct rt_names nm;

static void setup(void)
{
	unsetenv(UDIG_ENV_SHARED_RING);
	unsetenv(UDIG_ENV_LOSSLESS);
	rt_names_make(&nm, "trust");
}

static void teardown(void)
{
	rt_names_unlink(&nm);
}

/* Creates /dev/shm/<name> with `mode` and `size` bytes. */
static void plant(const char *name, mode_t mode, size_t size)
{
	char path[300];
	snprintf(path, sizeof path, "/dev/shm/%s", name);
	int fd = open(path, O_RDWR | O_CREAT | O_EXCL, mode);
	ck_assert_msg(fd >= 0, "%s: %s", path, strerror(errno));
	ck_assert_int_eq(fchmod(fd, mode), 0);
	ck_assert_int_eq(ftruncate(fd, (off_t)size), 0);
	close(fd);
}

static void plant_ring(mode_t mode)
{
	plant(nm.descs, mode, UDIG_DESCS_SIZE);
	plant(nm.ring, mode, UDIG_RINGBUF_SIZE);
}

START_TEST(judge_table)
{
	struct stat st;
	memset(&st, 0, sizeof st);
	st.st_mode = S_IFREG | 0600;
	st.st_uid = 1000;
	ck_assert_int_eq(udig_shm_judge(&st, 1000, 0), UDIG_SHM_TRUSTED);
	st.st_uid = 0;
	ck_assert_int_eq(udig_shm_judge(&st, 1000, 0), UDIG_SHM_TRUSTED); /* root's */
	st.st_uid = 1001;
	ck_assert_int_eq(udig_shm_judge(&st, 1000, 0), UDIG_SHM_FOREIGN_OWNER);
	ck_assert_int_eq(udig_shm_judge(&st, 1000, 1), UDIG_SHM_FOREIGN_OWNER); /* no opt-in helps */
	st.st_uid = 1000;
	const mode_t open_modes[] = { 0640, 0604, 0660, 0666, 0620, 0602, 0700 | 0044 };
	for (size_t i = 0; i < sizeof open_modes / sizeof open_modes[0]; i++) {
		st.st_mode = S_IFREG | open_modes[i];
		ck_assert_int_eq(udig_shm_judge(&st, 1000, 0), UDIG_SHM_OPEN_MODE);
		ck_assert_int_eq(udig_shm_judge(&st, 1000, 1), UDIG_SHM_TRUSTED);
	}
	st.st_mode = S_IFDIR | 0700;
	ck_assert_int_eq(udig_shm_judge(&st, 1000, 1), UDIG_SHM_NOT_REGULAR);
}
END_TEST

START_TEST(producer_refuses_open_mode)
{
	struct udig_ring_writer w;
	char err[UDIG_ERRBUF_SIZE] = "";
	plant_ring(0644);
	errno = 0;
	ck_assert_int_eq(udig_rw_open(&w, nm.ring, nm.descs, err), -1);
	ck_assert_int_eq(errno, EPERM);
	ck_assert_msg(strstr(err, "mode 644") && strstr(err, "UDIG_SHARED_RING"), "%s", err);
	/* The opt-in: the same objects are used knowingly. */
	setenv(UDIG_ENV_SHARED_RING, "1", 1);
	ck_assert_msg(udig_rw_open(&w, nm.ring, nm.descs, err) == 0, "%s", err);
	ck_assert(w.shared_ok);
	udig_rw_close(&w);
}
END_TEST

START_TEST(consumer_refuses_open_mode)
{
	char err[UDIG_ERRBUF_SIZE] = "";
	plant_ring(0666);
	struct udig_live_opts o = { .ring_name = nm.ring, .descs_name = nm.descs, .no_proc_scan = 1 };
	ck_assert_ptr_null(udig_open_live(&o, err));
	ck_assert_msg(strstr(err, "mode 666"), "%s", err);
	o.shared_ring = 1;
	udig_capture *c = udig_open_live(&o, err);
	ck_assert_msg(c != NULL, "%s", err);
	udig_close(c);
}
END_TEST

START_TEST(symlinks_are_never_followed)
{
	struct rt_names target;
	rt_names_make(&target, "trust-target");
	plant(target.descs, 0600, UDIG_DESCS_SIZE);
	char link[300], dest[300];
	snprintf(link, sizeof link, "/dev/shm/%s", nm.descs);
	snprintf(dest, sizeof dest, "/dev/shm/%s", target.descs);
	ck_assert_int_eq(symlink(dest, link), 0);
	struct udig_ring_writer w;
	char err[UDIG_ERRBUF_SIZE] = "";
	ck_assert_int_eq(udig_rw_open(&w, nm.ring, nm.descs, err), -1);
	ck_assert_msg(strstr(err, "symbolic link"), "%s", err);
	struct udig_live_opts o = { .ring_name = nm.ring, .descs_name = nm.descs, .no_proc_scan = 1 };
	ck_assert_ptr_null(udig_open_live(&o, err));
	ck_assert_msg(strstr(err, "symbolic link"), "%s", err);
	rt_names_unlink(&target);
}
END_TEST

/* As root: objects of another user are refused, opt-in or not. */
START_TEST(foreign_owner_is_refused)
{
	if (geteuid() != 0)
		return; /* needs a second user; the root pass covers it */
	plant_ring(0666);
	char path[300];
	snprintf(path, sizeof path, "/dev/shm/%s", nm.descs);
	ck_assert_int_eq(chown(path, 65534, 65534), 0);
	snprintf(path, sizeof path, "/dev/shm/%s", nm.ring);
	ck_assert_int_eq(chown(path, 65534, 65534), 0);
	setenv(UDIG_ENV_SHARED_RING, "1", 1);
	struct udig_ring_writer w;
	char err[UDIG_ERRBUF_SIZE] = "";
	ck_assert_int_eq(udig_rw_open(&w, nm.ring, nm.descs, err), -1);
	ck_assert_msg(strstr(err, "belongs to uid 65534"), "%s", err);
	struct udig_live_opts o = { .ring_name = nm.ring, .descs_name = nm.descs, .no_proc_scan = 1,
				    .shared_ring = 1 };
	ck_assert_ptr_null(udig_open_live(&o, err));
	ck_assert_msg(strstr(err, "belongs to uid 65534"), "%s", err);
}
END_TEST

START_TEST(new_ring_never_takes_existing_objects)
{
	plant_ring(0600);
	char err[UDIG_ERRBUF_SIZE] = "";
	struct udig_live_opts o = { .ring_name = nm.ring, .descs_name = nm.descs, .no_proc_scan = 1, .new_ring = 1 };
	ck_assert_ptr_null(udig_open_live(&o, err));
	ck_assert_msg(strstr(err, "File exists"), "%s", err);
	/* ... and left them as they were: nothing initialized, nobody capturing. */
	struct udig_ring_writer w;
	ck_assert_msg(udig_rw_open(&w, nm.ring, nm.descs, err) == 0, "%s", err);
	ck_assert_int_eq(w.descs->status.capturing_pid, 0);
	udig_rw_close(&w);
}
END_TEST

START_TEST(session_rings_are_never_recreated)
{
	char ring[128], descs[128];
	snprintf(ring, sizeof ring, UDIG_SESSION_PREFIX "%d.gone.buf", (int)getpid());
	snprintf(descs, sizeof descs, UDIG_SESSION_PREFIX "%d.gone.descs", (int)getpid());
	struct udig_ring_writer w;
	char err[UDIG_ERRBUF_SIZE] = "";
	errno = 0;
	ck_assert_int_eq(udig_rw_open(&w, ring, descs, err), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert(!rt_shm_exists(ring));
	ck_assert(!rt_shm_exists(descs));
	/* Any other name: either side may come first, and the object is ours alone. */
	ck_assert_msg(udig_rw_open(&w, nm.ring, nm.descs, err) == 0, "%s", err);
	ck_assert_int_eq(rt_shm_mode(nm.ring), 0600);
	ck_assert_int_eq(rt_shm_mode(nm.descs), 0600);
	udig_rw_close(&w);
}
END_TEST

START_TEST(names_are_single_components)
{
	struct udig_ring_writer w;
	char err[UDIG_ERRBUF_SIZE] = "";
	ck_assert_int_eq(udig_rw_open(&w, "../../tmp/x", nm.descs, err), -1);
	ck_assert_int_eq(udig_rw_open(&w, nm.ring, "..", err), -1);
	ck_assert_msg(strstr(err, "one path component"), "%s", err);
}
END_TEST

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* A control block crafted to stall: full ring, lossless asked for a live
 * pid, writers' lock held by a live owner that never lets go.  In a shared
 * ring (where anyone could have written it) the writer stops waiting after
 * its first timeout; every event is dropped and counted. */
static void forge(struct udig_ring_descs *d, int32_t pid)
{
	d->status.initialized = 1;
	d->status.capturing_pid = pid;
	d->status.stopped = 0;
	*udig_ring_ext_word(d) = udig_ext_make(pid, UDIG_EXT_LOSSLESS);
	d->info.head = 0;
	d->info.tail = 1; /* free = 0 */
	d->status.buffer_lock = (uint64_t)(uint32_t)getppid() << 32 | (uint32_t)getppid();
}

static void write_many(struct udig_ring_writer *w, int n, double *secs)
{
	uint8_t rec[256];
	size_t len = rt_record(rec, sizeof rec, 0, 1, 4242);
	double t0 = now_s();
	for (int i = 0; i < n; i++)
		ck_assert_int_eq(udig_rw_write(w, rec, (uint32_t)len), UDIG_RW_DROPPED);
	*secs = now_s() - t0;
}

START_TEST(forged_block_in_shared_ring)
{
	plant_ring(0666);
	setenv(UDIG_ENV_SHARED_RING, "1", 1);
	setenv(UDIG_ENV_LOSSLESS, "1", 1); /* even the program's own lossless request */
	struct udig_ring_writer w;
	char err[UDIG_ERRBUF_SIZE] = "";
	ck_assert_msg(udig_rw_open(&w, nm.ring, nm.descs, err) == 0, "%s", err);
	forge(w.descs, (int32_t)getpid());
	double secs;
	uint64_t forged = w.descs->status.buffer_lock;
	write_many(&w, 2000, &secs);
	ck_assert_uint_eq(w.descs->info.n_drops_buffer, 2000);
	ck_assert_uint_eq(w.stuck_owner, forged);
	ck_assert_uint_eq(w.stuck_until, UINT64_MAX); /* a shared ring: for good */
	printf("forged lock in a shared ring: 2000 writes in %.3f s\n", secs);
	/* The lock went, the ring is still full: a consumer that frees nothing
	 * is waited for one bounded stretch, then never again. */
	w.descs->status.buffer_lock = 0;
	ck_assert(!w.consumer_stalled);
	write_many(&w, 2000, &secs);
	ck_assert_uint_eq(w.descs->info.n_drops_buffer, 4000);
	ck_assert(w.consumer_stalled);
	printf("forged shared block: 2000 writes in %.3f s, its one bounded wait included\n", secs);
	udig_rw_close(&w);
}
END_TEST

/* In our own ring the consumer's lossless request holds only while that
 * consumer lives; a stuck lock costs one wait per second, not per event. */
START_TEST(forged_block_in_own_ring)
{
	plant_ring(0600);
	struct udig_ring_writer w;
	char err[UDIG_ERRBUF_SIZE] = "";
	ck_assert_msg(udig_rw_open(&w, nm.ring, nm.descs, err) == 0, "%s", err);
	pid_t gone = fork();
	if (gone == 0)
		_exit(0);
	ck_assert_int_ge(gone, 0);
	ck_assert_int_eq(waitpid(gone, NULL, 0), gone);
	forge(w.descs, (int32_t)gone); /* lossless for a consumer that is dead */
	double secs;
	write_many(&w, 100, &secs);
	ck_assert_uint_eq(w.descs->info.n_drops_buffer, 100);
	w.descs->status.capturing_pid = (int32_t)getpid();
	*udig_ring_ext_word(w.descs) = udig_ext_make(0, 0); /* no lossless asked */
	uint64_t stuck = w.descs->status.buffer_lock;
	write_many(&w, 2000, &secs);
	ck_assert_uint_eq(w.stuck_owner, stuck);
	ck_assert_uint_lt(w.stuck_until, UINT64_MAX); /* our own ring: for a while */
	printf("stuck lock in own ring: 2000 writes in %.3f s\n", secs);
	/* Another owner is not given up on at once: it gets its full wait, and
	 * becomes the one given up on. */
	uint64_t other = (uint64_t)1 << 32 | 1;
	w.descs->status.buffer_lock = other;
	write_many(&w, 1, &secs);
	ck_assert_uint_eq(w.stuck_owner, other);
	udig_rw_close(&w);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("trust");
	TCase *tc = tcase_create("rule");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, judge_table);
	tcase_add_test(tc, producer_refuses_open_mode);
	tcase_add_test(tc, consumer_refuses_open_mode);
	tcase_add_test(tc, symlinks_are_never_followed);
	tcase_add_test(tc, foreign_owner_is_refused);
	tcase_add_test(tc, new_ring_never_takes_existing_objects);
	tcase_add_test(tc, session_rings_are_never_recreated);
	tcase_add_test(tc, names_are_single_components);
	tcase_add_test(tc, forged_block_in_shared_ring);
	tcase_add_test(tc, forged_block_in_own_ring);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	rt_sweep_dead();
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
