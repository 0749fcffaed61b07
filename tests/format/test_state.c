/*
 * The state engine on the corpus, checked through the public accessors at
 * chosen points of the stream: fds created, copied, shared and closed;
 * processes created by clone (both sides), replaced by execve, removed by
 * procexit; cwd changes; failed syscalls changing nothing.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>
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

int main(void)
{
	Suite *s = suite_create("state");
	TCase *tc = tcase_create("corpus");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, files_and_fds);
	tcase_add_test(tc, sockets_and_pipes);
	tcase_add_test(tc, processes);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
