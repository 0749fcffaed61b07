/*
 * The state engine on the corpus, checked through the public accessors at
 * chosen points of the stream: fds created, copied, shared and closed;
 * processes created by clone (both sides), replaced by execve, removed by
 * procexit; cwd changes; failed syscalls changing nothing.
 */
#include <check.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <udig/encode.h>
#include "corpus.h"
#include "corpus_threads.h"

static struct corpus co;
static udig_capture *c;
static struct udig_evt ev;

static void setup(void)
{
	memset(&co, 0, sizeof co);
	corpus_build(&co);
	c = corpus_open(&co);
	ck_assert_ptr_nonnull(c);
}

static void teardown(void)
{
	udig_close(c);
	corpus_free(&co);
}

/* Reads up to and including event n. */
static void upto(uint64_t n)
{
	while (ev.num < n)
		ck_assert_int_eq(udig_next(c, &ev), UDIG_OK);
}

static const char *fdname(int64_t tid, int64_t fd)
{
	const struct udig_fdinfo *fi = udig_get_fd(c, tid, fd);
	return fi ? fi->name : NULL;
}

START_TEST(files_and_fds)
{
	upto(2);
	ck_assert_str_eq(fdname(T_PROBE, 3), "/etc/hostname");
	ck_assert_int_eq(udig_get_fd(c, T_PROBE, 3)->type, UDIG_FD_FILE_V2);
	upto(16); /* failed open: nothing new */
	ck_assert_ptr_null(fdname(T_PROBE, -2));
	upto(20);
	ck_assert_str_eq(fdname(T_PROBE, 5), "/home/alice/b/c.txt");
	upto(22);
	ck_assert_int_eq(udig_get_fd(c, T_PROBE, 6)->type, UDIG_FD_DIRECTORY);
	upto(24);
	ck_assert_str_eq(fdname(T_PROBE, 7), "/tmp/bar"); /* relative to dirfd 6 */
	upto(26);
	ck_assert_str_eq(fdname(T_PROBE, 8), "/home/alice/rel/x");
	upto(42); /* close exit: the fd is still visible to this event */
	ck_assert_str_eq(fdname(T_PROBE, 3), "/etc/hostname");
	upto(43);
	ck_assert_ptr_null(fdname(T_PROBE, 3));
}
END_TEST

START_TEST(sockets_and_pipes)
{
	upto(72);
	ck_assert_str_eq(fdname(T_PROBE, 11), "10.1.2.3:40000->93.184.216.34:443");
	ck_assert_int_eq(udig_get_fd(c, T_PROBE, 11)->sock.v4.l4proto, UDIG_L4_TCP);
	upto(84);
	ck_assert_int_eq(udig_get_fd(c, T_PROBE, 13)->type, UDIG_FD_UNIX_SOCK);
	ck_assert_str_eq(fdname(T_PROBE, 13), "ffff8880aa01->ffff8880bb02 /run/app.sock");
	upto(96);
	ck_assert_int_eq(udig_get_fd(c, T_PROBE, 15)->type, UDIG_FD_IPV4_SERVSOCK);
	ck_assert_uint_eq(udig_get_fd(c, T_PROBE, 15)->sock.v4serv.port, 8080);
	upto(100);
	ck_assert_str_eq(fdname(T_PROBE, 16), "10.0.0.9:5555->10.1.2.3:8080");
	upto(102); /* failed accept4 */
	ck_assert_ptr_null(fdname(T_PROBE, -11));
	upto(130);
	ck_assert_int_eq(udig_get_fd(c, T_PROBE, 22)->type, UDIG_FD_FIFO);
	ck_assert_uint_eq(udig_get_fd(c, T_PROBE, 23)->ino, 4242);
	upto(138); /* dup 4 -> 1 replaces stdout */
	ck_assert_str_eq(fdname(T_PROBE, 1), "/home/alice/notes.txt");
	upto(142);
	ck_assert_str_eq(fdname(T_PROBE, 25), "/home/alice/b/c.txt");
	upto(156);
	ck_assert_int_eq(udig_get_fd(c, T_PROBE, 26)->type, UDIG_FD_EVENT);
	ck_assert_int_eq(udig_get_fd(c, T_PROBE, 27)->type, UDIG_FD_SIGNALFD);
	ck_assert_int_eq(udig_get_fd(c, T_PROBE, 28)->type, UDIG_FD_TIMERFD);
	ck_assert_int_eq(udig_get_fd(c, T_PROBE, 29)->type, UDIG_FD_INOTIFY);
}
END_TEST

START_TEST(processes)
{
	while (udig_next(c, &ev) == UDIG_OK) {
		const struct udig_threadinfo *ti = udig_get_thread(c, T_CHILD);
		if (ev.type == UEV_SYSCALL_CLONE_20_X && ev.tid == T_PROBE) {
			ck_assert_ptr_nonnull(ti);
			ck_assert_int_eq(ti->pid, T_CHILD);
			ck_assert_int_eq(ti->ptid, T_PROBE);
			ck_assert_str_eq(ti->cwd, "/home/alice/");
			/* fork copies the fd table */
			ck_assert_str_eq(fdname(T_CHILD, 4), "/home/alice/notes.txt");
		}
		if (ev.type == UEV_SYSCALL_CHDIR_X)
			ck_assert_str_eq(ti->cwd, "/home/bob/");
		if (ev.type == UEV_SYSCALL_FCHDIR_X)
			ck_assert_str_eq(ti->cwd, "/tmp/");
		if (ev.type == UEV_SYSCALL_EXECVE_19_X && udig_evt_int(&ev, 0, 0) < 0)
			ck_assert_str_eq(ti->comm, "probe"); /* failed exec changes nothing */
		if (ev.type == UEV_SYSCALL_EXECVE_19_X && udig_evt_int(&ev, 0, -1) == 0) {
			ck_assert_str_eq(ti->comm, "ls");
			ck_assert_str_eq(ti->exe, "ls");
			ck_assert_str_eq(ti->exepath, "/bin/ls");
			ck_assert_uint_eq(ti->args.len, 8);
			ck_assert_str_eq(ti->cwd, "/tmp/"); /* empty cwd keeps the old one */
		}
		if (ev.type == UEV_PROCEXIT_1_E)
			ck_assert_ptr_nonnull(ti); /* removed only after this event */
		if (ev.type == UEV_SYSCALL_WRITE_E && ev.tid == T_CHILD && !strcmp(ti->comm, "<NA>"))
			ck_assert_ptr_null(fdname(T_CHILD, 1)); /* a new, empty thread */
		if (ev.type == UEV_SYSCALL_FORK_20_X) {
			/* the child announced itself first: the parent's event keeps it */
			const struct udig_threadinfo *w = udig_get_thread(c, T_WORKER);
			ck_assert_str_eq(w->comm, "worker");
			ck_assert_int_eq(w->ptid, T_SHELL);
		}
		if (ev.type == UEV_SYSCALL_CLONE_20_X && ev.tid == T_WTHREAD) {
			const struct udig_threadinfo *t = udig_get_thread(c, T_WTHREAD);
			ck_assert_int_eq(t->pid, T_WORKER);
			/* threads share the process's fd table */
			ck_assert_str_eq(fdname(T_WTHREAD, 3), "/tmp/w.log");
		}
	}
	ck_assert_ptr_nonnull(udig_get_thread(c, T_NOPL));
	ck_assert_str_eq(fdname(T_NOPL, 3), "/etc/passwd");
}
END_TEST

/* socket(2)'s type may carry SOCK_NONBLOCK / SOCK_CLOEXEC: libsinsp masks
 * them off for the default protocol, so such a socket is still TCP/UDP. */
START_TEST(socket_type_flags_are_masked)
{
	static const struct { uint32_t type; uint8_t l4; } cases[] = {
		{ 1 | 0x80000, UDIG_L4_TCP },  /* SOCK_STREAM | SOCK_CLOEXEC */
		{ 2 | 0x800, UDIG_L4_UDP },    /* SOCK_DGRAM | SOCK_NONBLOCK */
		{ 3, UDIG_L4_UNKNOWN },        /* SOCK_RAW, protocol 0: libsinsp knows none */
	};
	struct corpus k;
	memset(&k, 0, sizeof k);
	for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		uint8_t b[128];
		struct udig_enc e;
		udig_enc_begin(&e, b, sizeof b, UEV_SOCKET_SOCKET_E, 1000 + 2 * i, T_PROBE);
		udig_enc_u32(&e, UDIG_AF_INET);
		udig_enc_u32(&e, cases[i].type);
		udig_enc_u32(&e, 0);
		corpus_add(&k, b, udig_enc_end(&e), 0);
		udig_enc_begin(&e, b, sizeof b, UEV_SOCKET_SOCKET_X, 1001 + 2 * i, T_PROBE);
		udig_enc_s64(&e, 40 + i);
		corpus_add(&k, b, udig_enc_end(&e), 0);
	}
	udig_capture *sc = corpus_open(&k);
	ck_assert_ptr_nonnull(sc);
	for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		ck_assert_int_eq(udig_next(sc, &ev), UDIG_OK);
		ck_assert_int_eq(udig_next(sc, &ev), UDIG_OK);
		const struct udig_fdinfo *fi = udig_get_fd(sc, T_PROBE, 40 + i);
		ck_assert_ptr_nonnull(fi);
		ck_assert_int_eq(fi->type, UDIG_FD_IPV4_SOCK);
		ck_assert_uint_eq(fi->sock.v4.l4proto, cases[i].l4);
	}
	udig_close(sc);
	corpus_free(&k);
}
END_TEST

/* ------------------------------------------------------------------
 * Live captures: a thread the table never saw is read from /proc (comm,
 * exe, fds) before a "<NA>" placeholder is made; a tid /proc does not know
 * is not read again for every event; file captures never look.
 */

#define LK_FD 9 /* the fd the children hold their file on */

static char lk_path[PATH_MAX];      /* that file (resolved: /proc shows it so) */
static pid_t lk_kids[4];
static int lk_nkids;

static void lk_setup(void)
{
	char tmpl[] = "/tmp/udig-lookup-XXXXXX";
	int fd = mkstemp(tmpl);
	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_ptr_nonnull(realpath(tmpl, lk_path));
	lk_nkids = 0;
}

static void lk_teardown(void)
{
	for (int i = 0; i < lk_nkids; i++) {
		kill(lk_kids[i], SIGKILL);
		waitpid(lk_kids[i], NULL, 0);
	}
	unlink(lk_path);
}

/* A process started now (after any table was made) that holds lk_path on
 * LK_FD and has become /bin/sleep. */
static pid_t spawn_sleeper(void)
{
	int ready[2];
	ck_assert_int_eq(pipe2(ready, O_CLOEXEC), 0);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int fd = open(lk_path, O_RDONLY);
		if (fd < 0 || dup2(fd, LK_FD) < 0)
			_exit(126);
		execl("/bin/sleep", "/bin/sleep", "60", (char *)NULL);
		_exit(127);
	}
	close(ready[1]);
	char b;
	ck_assert_int_eq(read(ready[0], &b, 1), 0); /* EOF: the exec happened */
	close(ready[0]);
	lk_kids[lk_nkids++] = pid;
	return pid;
}

static void *lk_worker(void *arg)
{
	int *wfd = arg;
	pid_t tid = (pid_t)syscall(SYS_gettid);
	prctl(PR_SET_NAME, "udigworker");
	if (write(*wfd, &tid, sizeof tid) != sizeof tid)
		_exit(125);
	pause();
	return NULL;
}

/* A process named udigmain (holding lk_path on LK_FD) with a second thread
 * named udigworker; returns the worker's tid and the process's pid. */
static pid_t spawn_threaded(pid_t *pidp)
{
	int p[2];
	ck_assert_int_eq(pipe(p), 0);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		pthread_t th;
		int fd = open(lk_path, O_RDONLY);
		if (fd < 0 || dup2(fd, LK_FD) < 0)
			_exit(126);
		prctl(PR_SET_NAME, "udigmain");
		if (pthread_create(&th, NULL, lk_worker, &p[1]) != 0)
			_exit(125);
		for (;;)
			pause();
	}
	close(p[1]);
	pid_t tid = 0;
	ck_assert_int_eq(read(p[0], &tid, sizeof tid), (ssize_t)sizeof tid);
	close(p[0]);
	lk_kids[lk_nkids++] = pid;
	*pidp = pid;
	return tid;
}

/* A pid that just ended (reaped: /proc has nothing for it). */
static pid_t gone_pid(void)
{
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		_exit(0);
	ck_assert_int_eq(waitpid(pid, NULL, 0), pid);
	return pid;
}

static size_t rec_read_e(uint8_t *b, size_t cap, uint64_t ts, int64_t tid, int64_t fd)
{
	struct udig_enc e;
	udig_enc_begin(&e, b, cap, UEV_SYSCALL_READ_E, ts, (uint64_t)tid);
	udig_enc_s64(&e, fd);
	udig_enc_u32(&e, 4096);
	return udig_enc_end(&e);
}

static size_t rec_procexit(uint8_t *b, size_t cap, uint64_t ts, int64_t tid)
{
	struct udig_enc e;
	udig_enc_begin(&e, b, cap, UEV_PROCEXIT_1_E, ts, (uint64_t)tid);
	udig_enc_s64(&e, 0);
	udig_enc_s64(&e, 0);
	udig_enc_u8(&e, 0);
	udig_enc_u8(&e, 0);
	return udig_enc_end(&e);
}

static void add_read(struct corpus *k, uint64_t ts, int64_t tid, int64_t fd)
{
	uint8_t b[128];
	corpus_add(k, b, rec_read_e(b, sizeof b, ts, tid, fd), 0);
}

/* A memory capture over k that behaves as a live one (lookups on). */
static udig_capture *live_over(struct corpus *k)
{
	udig_capture *lc = corpus_open(k);
	ck_assert_ptr_nonnull(lc);
	lc->lookup = proc_lookup_new();
	ck_assert_ptr_nonnull(lc->lookup);
	return lc;
}

static const char *fd_of(udig_capture *lc, int64_t tid, int64_t fd)
{
	const struct udig_fdinfo *fi = udig_get_fd(lc, tid, fd);
	return fi ? fi->name : NULL;
}

static int ends_with(const char *s, const char *tail)
{
	size_t a = strlen(s), b = strlen(tail);
	return a >= b && !strcmp(s + a - b, tail);
}

START_TEST(live_unknown_process_from_proc)
{
	struct corpus k;
	memset(&k, 0, sizeof k);
	pid_t pid = spawn_sleeper();
	add_read(&k, 1000, pid, LK_FD);
	add_read(&k, 2000, pid, LK_FD);
	udig_capture *lc = live_over(&k);
	ck_assert_ptr_null(udig_get_thread(lc, pid));

	ck_assert_int_eq(udig_next(lc, &ev), UDIG_OK);
	const struct udig_threadinfo *ti = udig_get_thread(lc, pid);
	ck_assert_ptr_nonnull(ti);
	ck_assert_str_eq(ti->comm, "sleep");
	ck_assert_str_eq(ti->exe, "/bin/sleep"); /* argv[0], as libscap takes it */
	ck_assert_msg(ends_with(ti->exepath, "/sleep"), "exepath %s", ti->exepath);
	ck_assert_int_eq(ti->pid, pid);
	ck_assert_int_eq(ti->ptid, getpid());
	/* opened before its first event, still named */
	ck_assert_pstr_eq(fd_of(lc, pid, LK_FD), lk_path);
	char line[512], want[PATH_MAX + 64];
	udig_format_text(lc, &ev, line, sizeof line);
	snprintf(want, sizeof want, " sleep (%d) > read fd=%d(<f>%s) size=4096", (int)pid, LK_FD, lk_path);
	ck_assert_msg(strstr(line, want) != NULL, "line: %s", line);

	/* known from now on: no second look */
	ck_assert_int_eq(udig_next(lc, &ev), UDIG_OK);
	ck_assert_uint_eq(proc_lookup_reads(lc->lookup), 1);
	udig_close(lc);
	corpus_free(&k);
}
END_TEST

START_TEST(live_unknown_thread_brings_its_process)
{
	struct corpus k;
	memset(&k, 0, sizeof k);
	pid_t pid;
	pid_t tid = spawn_threaded(&pid);
	add_read(&k, 1000, tid, LK_FD);
	udig_capture *lc = live_over(&k);

	ck_assert_int_eq(udig_next(lc, &ev), UDIG_OK);
	const struct udig_threadinfo *t = udig_get_thread(lc, tid), *m = udig_get_thread(lc, pid);
	ck_assert_ptr_nonnull(t);
	ck_assert_ptr_nonnull(m);
	ck_assert_str_eq(t->comm, "udigworker");
	ck_assert_int_eq(t->pid, pid);
	ck_assert_str_eq(m->comm, "udigmain");
	/* the thread's fds are its process's */
	ck_assert_pstr_eq(fd_of(lc, tid, LK_FD), lk_path);
	ck_assert_uint_eq(proc_lookup_reads(lc->lookup), 1);
	udig_close(lc);
	corpus_free(&k);
}
END_TEST

START_TEST(live_gone_thread_is_placeholder_once)
{
	struct corpus k;
	uint8_t b[128];
	memset(&k, 0, sizeof k);
	pid_t pid = gone_pid();
	add_read(&k, 1000, pid, 3);
	corpus_add(&k, b, rec_procexit(b, sizeof b, 2000, pid), 0);
	add_read(&k, 3000, pid, 3); /* removed at this event, then named again */
	add_read(&k, 4000, pid, 3);
	udig_capture *lc = live_over(&k);

	ck_assert_int_eq(udig_next(lc, &ev), UDIG_OK);
	ck_assert_str_eq(udig_get_thread(lc, pid)->comm, "<NA>");
	ck_assert_uint_eq(proc_lookup_reads(lc->lookup), 1);
	while (udig_next(lc, &ev) == UDIG_OK)
		ck_assert_str_eq(udig_get_thread(lc, pid)->comm, "<NA>");
	/* the miss was remembered across the placeholder's removal */
	ck_assert_uint_eq(proc_lookup_reads(lc->lookup), 1);
	udig_close(lc);
	corpus_free(&k);
}
END_TEST

/* A procexit right after the thread's own (a reaper's, for a process that
 * wrote its own) is skipped; any other event of the tid in between makes
 * the next procexit a new end.  Others ending meanwhile, in the same set
 * of the consumer's memory (tids 512 apart), do not make it forget. */
START_TEST(procexit_told_twice_is_shown_once)
{
	static const int64_t seq[] = { 100, 612, 100, 100, 1124, 612, -100, 100, 100 };
	static const int shown[] = { 1, 1, 0, 0, 1, 0, 1, 1, 0 };
	struct corpus k;
	uint8_t b[128];
	size_t i, n = sizeof seq / sizeof seq[0];
	memset(&k, 0, sizeof k);
	for (i = 0; i < n; i++) /* a negative tid: a read of that thread */
		corpus_add(&k, b, seq[i] < 0 ? rec_read_e(b, sizeof b, 1000 + i, -seq[i], 3) :
					       rec_procexit(b, sizeof b, 1000 + i, seq[i]), 0);
	udig_capture *mc = corpus_open(&k);
	ck_assert_ptr_nonnull(mc);
	for (i = 0; i < n; i++) {
		if (!shown[i])
			continue;
		ck_assert_int_eq(udig_next(mc, &ev), UDIG_OK);
		ck_assert_uint_eq(ev.ts, 1000 + i);
	}
	ck_assert_int_eq(udig_next(mc, &ev), UDIG_EOF);
	udig_close(mc);
	corpus_free(&k);
}
END_TEST

START_TEST(file_capture_never_looks_in_proc)
{
	char err[UDIG_ERRBUF_SIZE], path[] = "/tmp/udig-lookup-file-XXXXXX";
	uint8_t b[128];
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	close(fd);
	/* the file's process list is this machine's before the child exists */
	udig_dumper *d = udig_dump_open(NULL, path, 0, err);
	ck_assert_msg(d != NULL, "%s", err);
	pid_t pid = spawn_sleeper();
	ck_assert_int_eq(udig_dump_record(d, b, (uint32_t)rec_read_e(b, sizeof b, 1000, pid, LK_FD), 0, 0), UDIG_OK);
	ck_assert_int_eq(udig_dump_close(d, err), UDIG_OK);

	udig_capture *fc = udig_open_file(path, err);
	ck_assert_msg(fc != NULL, "%s", err);
	ck_assert_int_eq(udig_next(fc, &ev), UDIG_OK);
	ck_assert_str_eq(udig_get_thread(fc, pid)->comm, "<NA>"); /* alive, but not looked up */
	ck_assert_ptr_null(fd_of(fc, pid, LK_FD));
	udig_close(fc);
	unlink(path);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("state");
	TCase *tc = tcase_create("corpus");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, files_and_fds);
	tcase_add_test(tc, sockets_and_pipes);
	tcase_add_test(tc, processes);
	tcase_add_test(tc, socket_type_flags_are_masked);
	tcase_add_test(tc, procexit_told_twice_is_shown_once);
	suite_add_tcase(s, tc);
	TCase *lk = tcase_create("live lookups");
	tcase_add_checked_fixture(lk, lk_setup, lk_teardown);
	tcase_add_test(lk, live_unknown_process_from_proc);
	tcase_add_test(lk, live_unknown_thread_brings_its_process);
	tcase_add_test(lk, live_gone_thread_is_placeholder_once);
	tcase_add_test(lk, file_capture_never_looks_in_proc);
	suite_add_tcase(s, lk);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
