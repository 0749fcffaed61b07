/*
 * libscap's process-table and state calls in libcapture, on the sources
 * where they mean something (a live ring, a file) and refused with a
 * reason where they do not: udig_refresh_proc_table, udig_proc_add,
 * udig_is_thread_alive, udig_max_buf_used, udig_restart_capture.  The
 * processes involved are children of the test, synchronised by pipes and
 * wait calls; nothing depends on timing.
 */
#include <check.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <udig/encode.h>
#include "../ring/ringtest.h"
#include "udig/encode/ring_writer.h"

static char tmpd[256];

static void tmp_setup(void)
{
	const char *t = getenv("TMPDIR");
	snprintf(tmpd, sizeof tmpd, "%s/udig-state.XXXXXX", t && *t ? t : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(tmpd));
}

static void tmp_teardown(void)
{
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpd);
	if (system(cmd) != 0) {
		/* a leftover temp dir is harmless */
	}
}

static void ring_unlink(const struct rt_names *n)
{
	char ctl[128];
	snprintf(ctl, sizeof ctl, "%s.ctl", n->descs);
	shm_unlink(ctl);
	rt_names_unlink(n);
}

/* A read enter (fd, size) or exit (res, data) record of thread tid. */
static size_t read_rec(uint8_t *buf, size_t cap, int exit, uint64_t tid, int64_t fd)
{
	struct udig_enc e;
	udig_enc_begin(&e, buf, cap, exit ? UEV_SYSCALL_READ_X : UEV_SYSCALL_READ_E, 0, tid);
	if (exit) {
		udig_enc_s64(&e, 3);
		udig_enc_raw(&e, "abc", 3);
	} else {
		udig_enc_s64(&e, fd);
		udig_enc_u32(&e, 3);
	}
	size_t len = udig_enc_end(&e);
	ck_assert_uint_gt(len, 0);
	return len;
}

/* A child that names itself, opens /etc/hostname on fd 9 and waits for
 * its stdin pipe to close.  *hold is the write end that keeps it alive. */
static pid_t child_start(const char *name, int *hold)
{
	int go[2], ready[2];
	ck_assert_int_eq(pipe(go), 0);
	ck_assert_int_eq(pipe(ready), 0);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		char b;
		close(go[1]);
		close(ready[0]);
		prctl(PR_SET_NAME, name, 0, 0, 0);
		int fd = open("/etc/hostname", O_RDONLY);
		if (fd < 0 || dup2(fd, 9) < 0 || write(ready[1], "r", 1) != 1)
			_exit(1);
		while (read(go[0], &b, 1) > 0)
			;
		_exit(0);
	}
	close(go[0]);
	close(ready[1]);
	char b;
	ck_assert_int_eq(read(ready[0], &b, 1), 1);
	close(ready[0]);
	*hold = go[1];
	return pid;
}

static void child_end(pid_t pid, int hold)
{
	close(hold);
	ck_assert_int_eq(waitpid(pid, NULL, 0), pid);
}

/* A .scap file of this machine with a few events; its path in tmpd. */
static void write_file(const char *name, int gz, char *path, size_t cap)
{
	char err[UDIG_ERRBUF_SIZE];
	uint8_t rec[256];
	snprintf(path, cap, "%s/%s", tmpd, name);
	udig_dumper *d = udig_dump_open(NULL, path, gz, err);
	ck_assert_msg(d != NULL, "%s", err);
	for (int i = 0; i < 10; i++) {
		size_t len = read_rec(rec, sizeof rec, i & 1, (uint64_t)getpid(), 5);
		ck_assert_int_eq(udig_dump_record(d, rec, (uint32_t)len, 0, 0), UDIG_OK);
	}
	ck_assert_int_eq(udig_dump_close(d, err), UDIG_OK);
}

static udig_capture *open_file(const char *path)
{
	char err[UDIG_ERRBUF_SIZE];
	udig_capture *c = udig_open_file(path, err);
	ck_assert_msg(c != NULL, "%s", err);
	return c;
}

START_TEST(refresh_proc_table)
{
	struct rt_names n;
	char err[UDIG_ERRBUF_SIZE], path[512];
	uint8_t rec[256];
	rt_names_make(&n, "refresh");
	struct udig_ring_writer w;
	ck_assert_msg(udig_rw_open(&w, n.ring, n.descs, err) == 0, "%s", err);
	udig_capture *c = rt_consumer(&n, 0, NULL);
	ck_assert_ptr_nonnull(c);

	/* Started after the consumer's scan: not in the table until a refresh. */
	int hold;
	pid_t kid = child_start("refreshkid", &hold);
	ck_assert_ptr_null(udig_get_thread(c, kid));
	ck_assert_int_eq(udig_refresh_proc_table(c), UDIG_OK);
	const struct udig_threadinfo *ti = udig_get_thread(c, kid);
	ck_assert_ptr_nonnull(ti);
	ck_assert_str_eq(ti->comm, "refreshkid");
	ck_assert_int_eq(ti->pid, kid);
	const struct udig_fdinfo *fi = udig_get_fd(c, kid, 9);
	ck_assert_ptr_nonnull(fi);
	ck_assert_str_eq(fi->name, "/etc/hostname");
	ck_assert_ptr_nonnull(udig_get_thread(c, getppid()));

	/* An enter event of the child before a refresh, its exit after: they
	 * must still pair (the exit's fd is the enter's). */
	size_t len = read_rec(rec, sizeof rec, 0, (uint64_t)kid, 9);
	ck_assert_int_eq(udig_rw_write(&w, rec, (uint32_t)len), UDIG_RW_WRITTEN);
	struct udig_evt ev;
	ck_assert_int_eq(udig_next_wait(c, &ev, 5000), UDIG_OK);
	ck_assert_int_eq(ev.type, UEV_SYSCALL_READ_E);
	ck_assert_int_eq(udig_refresh_proc_table(c), UDIG_OK);

	len = read_rec(rec, sizeof rec, 1, (uint64_t)kid, 0);
	ck_assert_int_eq(udig_rw_write(&w, rec, (uint32_t)len), UDIG_RW_WRITTEN);
	ck_assert_int_eq(udig_next_wait(c, &ev, 5000), UDIG_OK);
	ck_assert_int_eq(ev.type, UEV_SYSCALL_READ_X);
	ck_assert_int_eq(udig_evt_fd(c, &ev), 9);

	/* Gone from /proc: gone from the table at the next refresh. */
	child_end(kid, hold);
	ck_assert_ptr_nonnull(udig_get_thread(c, kid));
	ck_assert_int_eq(udig_refresh_proc_table(c), UDIG_OK);
	ck_assert_ptr_null(udig_get_thread(c, kid));
	ck_assert_ptr_nonnull(udig_get_thread(c, getpid()));

	/* A file: its threads are the recording machine's. */
	tmp_setup();
	write_file("r.scap", 0, path, sizeof path);
	udig_capture *f = open_file(path);
	ck_assert_int_eq(udig_refresh_proc_table(f), UDIG_NOT_SUPPORTED);
	ck_assert_msg(strstr(udig_geterr(f), "recording machine"), "%s", udig_geterr(f));
	udig_close(f);
	tmp_teardown();
	ck_assert_int_eq(udig_refresh_proc_table(NULL), UDIG_ILLEGAL_INPUT);
	udig_close(c);
	udig_rw_close(&w);
	ring_unlink(&n);
}
END_TEST

static int count_cb(const struct udig_threadinfo *ti, void *arg)
{
	(void)ti;
	(*(size_t *)arg)++;
	return 0;
}

static size_t nthreads(const udig_capture *c)
{
	size_t n = 0;
	udig_foreach_thread(c, count_cb, &n);
	return n;
}

START_TEST(proc_add)
{
	char path[512], path2[512], err[UDIG_ERRBUF_SIZE];
	tmp_setup();
	write_file("a.scap", 0, path, sizeof path);
	udig_capture *c = open_file(path);
	size_t n0 = nthreads(c);
	ck_assert_uint_gt(n0, 0);

	/* A new thread, every field kept. */
	static const char args[] = "worker\0--fast";
	struct udig_threadinfo ti = { .tid = 900001, .pid = 900000, .ptid = 1, .comm = "added", .exe = "/bin/added",
				      .exepath = "/usr/bin/added", .cwd = "/srv/", .uid = 4321 };
	ti.args.data = (char *)args;
	ti.args.len = sizeof args;
	ck_assert_int_eq(udig_proc_add(c, &ti), UDIG_OK);
	ck_assert_uint_eq(nthreads(c), n0 + 1);
	const struct udig_threadinfo *got = udig_get_thread(c, 900001);
	ck_assert_ptr_nonnull(got);
	ck_assert_str_eq(got->comm, "added");
	ck_assert_str_eq(got->exepath, "/usr/bin/added");
	ck_assert_str_eq(got->root, ""); /* NULL is stored as "" */
	ck_assert_uint_eq(got->args.len, sizeof args);
	ck_assert_mem_eq(got->args.data, args, sizeof args);
	ck_assert_uint_eq(got->uid, 4321);

	/* It is in the table a dumper writes: a capture of c has it. */
	snprintf(path2, sizeof path2, "%s/b.scap", tmpd);
	udig_dumper *d = udig_dump_open(c, path2, 0, err);
	ck_assert_msg(d != NULL, "%s", err);
	uint8_t rec[256];
	size_t len = read_rec(rec, sizeof rec, 0, 900001, 5); /* a capture has events */
	ck_assert_int_eq(udig_dump_record(d, rec, (uint32_t)len, 0, 0), UDIG_OK);
	ck_assert_int_eq(udig_dump_close(d, err), UDIG_OK);
	udig_capture *c2 = open_file(path2);
	got = udig_get_thread(c2, 900001);
	ck_assert_ptr_nonnull(got);
	ck_assert_str_eq(got->comm, "added");
	ck_assert_int_eq(got->pid, 900000);
	udig_close(c2);

	/* A known thread (this process, with its fds): replaced, fds kept. */
	int64_t me = getpid();
	ck_assert_ptr_nonnull(udig_get_fd(c, me, 0));
	struct udig_threadinfo re = *udig_get_thread(c, me);
	re.comm = "renamed";
	ck_assert_int_eq(udig_proc_add(c, &re), UDIG_OK);
	ck_assert_str_eq(udig_get_thread(c, me)->comm, "renamed");
	ck_assert_ptr_nonnull(udig_get_fd(c, me, 0));
	ck_assert_uint_eq(nthreads(c), n0 + 1);

	/* Refused, with a reason, and the table unchanged. */
	static char longs[1100];
	memset(longs, 'a', sizeof longs - 1);
	struct udig_threadinfo bad = ti;
	ck_assert_int_eq(udig_proc_add(c, NULL), UDIG_ILLEGAL_INPUT);
	bad.tid = 0;
	ck_assert_int_eq(udig_proc_add(c, &bad), UDIG_ILLEGAL_INPUT);
	ck_assert_msg(strstr(udig_geterr(c), "tid 0"), "%s", udig_geterr(c));
	bad = ti;
	bad.pid = -1;
	ck_assert_int_eq(udig_proc_add(c, &bad), UDIG_ILLEGAL_INPUT);
	bad = ti;
	bad.tid = 900002;
	bad.cwd = longs;
	ck_assert_int_eq(udig_proc_add(c, &bad), UDIG_ILLEGAL_INPUT);
	ck_assert_msg(strstr(udig_geterr(c), "cwd"), "%s", udig_geterr(c));
	bad = ti;
	bad.tid = 900002;
	bad.env.len = 5000;
	bad.env.data = longs;
	ck_assert_int_eq(udig_proc_add(c, &bad), UDIG_ILLEGAL_INPUT);
	ck_assert_msg(strstr(udig_geterr(c), "env"), "%s", udig_geterr(c));
	bad.env.len = 5;
	bad.env.data = NULL;
	ck_assert_int_eq(udig_proc_add(c, &bad), UDIG_ILLEGAL_INPUT);
	ck_assert_ptr_null(udig_get_thread(c, 900002));
	ck_assert_uint_eq(nthreads(c), n0 + 1);
	ck_assert_int_eq(udig_proc_add(NULL, &ti), UDIG_ILLEGAL_INPUT);
	udig_close(c);
	tmp_teardown();
}
END_TEST

START_TEST(is_thread_alive)
{
	struct rt_names n;
	char comm[17] = "", path[512], longer[40];
	int alive = -1;
	rt_names_make(&n, "alive");
	udig_capture *c = rt_consumer(&n, 0, NULL);
	ck_assert_ptr_nonnull(c);
	prctl(PR_GET_NAME, comm, 0, 0, 0);
	int64_t me = getpid();

	ck_assert_int_eq(udig_is_thread_alive(c, me, me, comm, &alive), UDIG_OK);
	ck_assert_int_eq(alive, 1);
	ck_assert_int_eq(udig_is_thread_alive(c, me, me, NULL, &alive), UDIG_OK);
	ck_assert_int_eq(alive, 1);
	/* Longer than the kernel keeps: its first 15 bytes are compared. */
	snprintf(longer, sizeof longer, "%s%s", comm, "-and-more-than-fifteen");
	ck_assert_int_eq(udig_is_thread_alive(c, me, me, longer, &alive), UDIG_OK);
	ck_assert_int_eq(alive, (int)(strlen(comm) == 15));
	ck_assert_int_eq(udig_is_thread_alive(c, me, me, "not-our-name", &alive), UDIG_OK);
	ck_assert_int_eq(alive, 0);
	/* A tid that is not a thread of that pid. */
	ck_assert_int_eq(udig_is_thread_alive(c, getppid(), me, NULL, &alive), UDIG_OK);
	ck_assert_int_eq(alive, 0);

	/* A child: alive, then a zombie (exited, unreaped: not alive), then gone. */
	int hold;
	pid_t kid = child_start("alivekid", &hold);
	ck_assert_int_eq(udig_is_thread_alive(c, kid, kid, "alivekid", &alive), UDIG_OK);
	ck_assert_int_eq(alive, 1);
	close(hold);
	siginfo_t si;
	ck_assert_int_eq(waitid(P_PID, (id_t)kid, &si, WEXITED | WNOWAIT), 0);
	ck_assert_int_eq(udig_is_thread_alive(c, kid, kid, "alivekid", &alive), UDIG_OK);
	ck_assert_int_eq(alive, 0);
	ck_assert_int_eq(waitpid(kid, NULL, 0), kid);
	ck_assert_int_eq(udig_is_thread_alive(c, kid, kid, NULL, &alive), UDIG_OK);
	ck_assert_int_eq(alive, 0);

	/* Arguments. */
	ck_assert_int_eq(udig_is_thread_alive(c, 0, me, NULL, &alive), UDIG_ILLEGAL_INPUT);
	ck_assert_int_eq(udig_is_thread_alive(c, me, -3, NULL, &alive), UDIG_ILLEGAL_INPUT);
	ck_assert_int_eq(udig_is_thread_alive(c, me, me, "", &alive), UDIG_ILLEGAL_INPUT);
	ck_assert_int_eq(udig_is_thread_alive(c, me, me, NULL, NULL), UDIG_ILLEGAL_INPUT);
	ck_assert_int_eq(udig_is_thread_alive(NULL, me, me, NULL, &alive), UDIG_ILLEGAL_INPUT);
	udig_close(c);
	ring_unlink(&n);

	/* A file: not this machine's threads. */
	tmp_setup();
	write_file("t.scap", 0, path, sizeof path);
	c = open_file(path);
	alive = -1;
	ck_assert_int_eq(udig_is_thread_alive(c, me, me, NULL, &alive), UDIG_NOT_SUPPORTED);
	ck_assert_int_eq(alive, 0);
	ck_assert_msg(strstr(udig_geterr(c), "recording machine"), "%s", udig_geterr(c));
	udig_close(c);
	tmp_teardown();
}
END_TEST

START_TEST(max_buf_used)
{
	struct rt_names n;
	char err[UDIG_ERRBUF_SIZE], path[512];
	uint8_t rec[512];
	uint64_t peak = 1, now = 1;
	rt_names_make(&n, "bufused");
	struct udig_ring_writer w;
	ck_assert_msg(udig_rw_open(&w, n.ring, n.descs, err) == 0, "%s", err);
	udig_capture *c = rt_consumer(&n, 0, NULL);
	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(udig_max_buf_used(c, &peak, &now), UDIG_OK);
	ck_assert_uint_eq(peak, 0);
	ck_assert_uint_eq(now, 0);

	/* 100 records unread: the ring holds exactly their bytes. */
	uint64_t total = 0;
	for (uint32_t i = 0; i < 100; i++) {
		size_t len = rt_record(rec, sizeof rec, 0, i, 4242);
		ck_assert_int_eq(udig_rw_write(&w, rec, (uint32_t)len), UDIG_RW_WRITTEN);
		total += len;
	}
	ck_assert_int_eq(udig_max_buf_used(c, &peak, &now), UDIG_OK);
	ck_assert_uint_eq(now, total);
	ck_assert_uint_eq(peak, total);
	/* Read: empty now, the peak stays. */
	struct udig_evt ev;
	for (int i = 0; i < 100; i++)
		ck_assert_int_eq(udig_next_wait(c, &ev, 5000), UDIG_OK);
	ck_assert_int_eq(udig_next_wait(c, &ev, 0), UDIG_TIMEOUT);
	ck_assert_int_eq(udig_max_buf_used(c, &peak, &now), UDIG_OK);
	ck_assert_uint_eq(now, 0);
	ck_assert_uint_eq(peak, total);
	/* A smaller fill later does not lower it; now is optional. */
	size_t len = rt_record(rec, sizeof rec, 0, 1, 4242);
	ck_assert_int_eq(udig_rw_write(&w, rec, (uint32_t)len), UDIG_RW_WRITTEN);
	ck_assert_int_eq(udig_max_buf_used(c, &peak, NULL), UDIG_OK);
	ck_assert_uint_eq(peak, total);
	/* The peak is also seen by a reader that never asks in between: 300
	 * more records, all read, then the question. */
	uint64_t more = len;
	for (uint32_t i = 0; i < 300; i++) {
		len = rt_record(rec, sizeof rec, 0, i, 4242);
		ck_assert_int_eq(udig_rw_write(&w, rec, (uint32_t)len), UDIG_RW_WRITTEN);
		more += len;
	}
	while (udig_next_wait(c, &ev, 0) == UDIG_OK)
		;
	ck_assert_int_eq(udig_max_buf_used(c, &peak, &now), UDIG_OK);
	ck_assert_uint_eq(now, 0);
	ck_assert_uint_eq(peak, more);

	ck_assert_int_eq(udig_max_buf_used(c, NULL, &now), UDIG_ILLEGAL_INPUT);
	ck_assert_int_eq(udig_max_buf_used(NULL, &peak, &now), UDIG_ILLEGAL_INPUT);
	udig_close(c);
	udig_rw_close(&w);
	ring_unlink(&n);

	tmp_setup();
	write_file("m.scap", 0, path, sizeof path);
	c = open_file(path);
	ck_assert_int_eq(udig_max_buf_used(c, &peak, &now), UDIG_NOT_SUPPORTED);
	ck_assert_msg(strstr(udig_geterr(c), "no buffer"), "%s", udig_geterr(c));
	udig_close(c);
	tmp_teardown();
}
END_TEST

/* Reads every event: count, and the first event's number and timestamp. */
static int read_all(udig_capture *c, uint64_t *first_num, uint64_t *first_ts)
{
	struct udig_evt ev;
	int n = 0;
	while (udig_next(c, &ev) == UDIG_OK) {
		if (n++ == 0) {
			*first_num = ev.num;
			*first_ts = ev.ts;
		}
	}
	return n;
}

START_TEST(restart_capture)
{
	const int gz = _i;
	char path[512];
	uint64_t num1, ts1, num2, ts2;
	struct udig_stats st;
	tmp_setup();
	write_file(gz ? "s.scap.gz" : "s.scap", gz, path, sizeof path);
	udig_capture *c = open_file(path);
	size_t threads = nthreads(c);
	ck_assert_int_eq(read_all(c, &num1, &ts1), 10);
	ck_assert_uint_eq(num1, 1);
	/* Changes to the state are undone: the file's own tables come back. */
	struct udig_threadinfo ti = { .tid = 900001, .pid = 900001, .comm = "added" };
	ck_assert_int_eq(udig_proc_add(c, &ti), UDIG_OK);
	ck_assert_int_eq(udig_restart_capture(c), UDIG_OK);
	udig_get_stats(c, &st);
	ck_assert_uint_eq(st.events, 0);
	ck_assert_ptr_null(udig_get_thread(c, 900001));
	ck_assert_uint_eq(nthreads(c), threads);
	ck_assert_int_eq(read_all(c, &num2, &ts2), 10);
	ck_assert_uint_eq(num2, 1);
	ck_assert_uint_eq(ts2, ts1);
	/* Mid-way. */
	ck_assert_int_eq(udig_restart_capture(c), UDIG_OK);
	struct udig_evt ev;
	ck_assert_int_eq(udig_next(c, &ev), UDIG_OK);
	ck_assert_int_eq(udig_next(c, &ev), UDIG_OK);
	ck_assert_int_eq(udig_restart_capture(c), UDIG_OK);
	ck_assert_int_eq(udig_next(c, &ev), UDIG_OK);
	ck_assert_uint_eq(ev.num, 1);
	ck_assert_uint_eq(ev.ts, ts1);
	udig_close(c);

	/* After an error: a file cut in its last event reads again up to it. */
	if (!gz) {
		struct stat sb;
		ck_assert_int_eq(stat(path, &sb), 0);
		ck_assert_int_eq(truncate(path, sb.st_size - 10), 0);
		c = open_file(path);
		ck_assert_int_eq(read_all(c, &num1, &ts1), 9);
		ck_assert_int_ne(udig_next(c, &ev), UDIG_OK); /* the error sticks */
		ck_assert_int_eq(udig_restart_capture(c), UDIG_OK);
		ck_assert_int_eq(read_all(c, &num1, &ts1), 9);
		udig_close(c);
	}

	/* From a pipe: refused with the reason, and reading goes on. */
	int p[2];
	ck_assert_int_eq(pipe(p), 0);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		close(p[0]);
		int in = open(path, O_RDONLY);
		char buf[65536];
		ssize_t r;
		while (in >= 0 && (r = read(in, buf, sizeof buf)) > 0)
			if (write(p[1], buf, (size_t)r) != r)
				_exit(1);
		_exit(0);
	}
	close(p[1]);
	char err[UDIG_ERRBUF_SIZE];
	c = udig_open_fd(p[0], err);
	ck_assert_msg(c != NULL, "%s", err);
	ck_assert_int_eq(udig_next(c, &ev), UDIG_OK);
	ck_assert_int_eq(udig_restart_capture(c), UDIG_NOT_SUPPORTED);
	ck_assert_msg(strstr(udig_geterr(c), "pipe or socket"), "%s", udig_geterr(c));
	ck_assert_int_eq(udig_next(c, &ev), UDIG_OK);
	ck_assert_uint_eq(ev.num, 2);
	udig_close(c);
	ck_assert_int_eq(waitpid(pid, NULL, 0), pid);
	tmp_teardown();

	/* Live: refused. */
	struct rt_names n;
	rt_names_make(&n, "restart");
	c = rt_consumer(&n, 0, NULL);
	ck_assert_int_eq(udig_restart_capture(c), UDIG_NOT_SUPPORTED);
	ck_assert_msg(strstr(udig_geterr(c), "cannot restart"), "%s", udig_geterr(c));
	udig_close(c);
	ring_unlink(&n);
	ck_assert_int_eq(udig_restart_capture(NULL), UDIG_ILLEGAL_INPUT);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("state_calls");
	TCase *tc = tcase_create("state_calls");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, refresh_proc_table);
	tcase_add_test(tc, proc_add);
	tcase_add_test(tc, is_thread_alive);
	tcase_add_test(tc, max_buf_used);
	tcase_add_loop_test(tc, restart_capture, 0, 2); /* plain, gzip */
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	rt_sweep_dead();
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
