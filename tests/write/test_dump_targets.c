/*
 * Where a dumper writes besides a file it creates: a descriptor the caller
 * owns (pipe, socket, file; udig_dump_open_fd) and the caller's memory
 * (udig_dump_open_mem), and what udig_dump_ftell counts.  Each capture is
 * read back by our reader and, where installed, by sysdig -r; the caller's
 * descriptor must survive the dumper, and a full memory buffer must end
 * the dump with an error, never with a write past its end.
 */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "fixture.h"
#include "scapwalk.h"

#define SYSDIG "TZ=UTC /usr/bin/sysdig"

/* Events our reader gets from a file, or -1 if it does not open; *msg is
 * the error that ended the read ("" at a clean end). */
static long read_back(const char *path, char *msg, size_t cap)
{
	char err[UDIG_ERRBUF_SIZE];
	struct udig_evt ev;
	long n = 0;
	int rc;
	udig_capture *c = udig_open_file(path, err);
	if (!c) {
		snprintf(msg, cap, "%s", err);
		return -1;
	}
	while ((rc = udig_next(c, &ev)) == UDIG_OK)
		n++;
	snprintf(msg, cap, "%s", rc == UDIG_EOF ? "" : udig_geterr(c));
	udig_close(c);
	return n;
}

/* Lines sysdig -r prints for a file (-1 when it fails). */
static long sysdig_count(const char *path)
{
	char cmd[700];
	int st;
	snprintf(cmd, sizeof cmd, SYSDIG " -r '%s' 2>/dev/null | wc -l", path);
	char *out = run_capture(cmd, &st);
	long n = out && st == 0 ? atol(out) : -1;
	free(out);
	return n;
}

static off_t file_size(const char *path)
{
	struct stat st;
	ck_assert_int_eq(stat(path, &st), 0);
	return st.st_size;
}

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	int n = 0;
	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d)) != NULL)
		n += de->d_name[0] != '.';
	closedir(d);
	return n;
}

/* A child that copies rfd into path until the end of the stream (slowly
 * at first when `lag`, so that a writer meets a full pipe or socket); wfd,
 * the writing end, is closed in the child, or the stream would never end. */
static pid_t sink(int rfd, int wfd, const char *path, int lag)
{
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		char buf[65536];
		close(wfd);
		int out = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (out < 0)
			_exit(2);
		if (lag)
			usleep(200000);
		for (;;) {
			ssize_t n = read(rfd, buf, sizeof buf);
			if (n == 0)
				_exit(0);
			if (n < 0) {
				if (errno == EINTR)
					continue;
				_exit(3);
			}
			if (write(out, buf, (size_t)n) != n)
				_exit(4);
		}
	}
	close(rfd);
	return pid;
}

static void sink_done(pid_t pid)
{
	int st;
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "sink status %d", st);
}

/* The standard events plus `pairs` read pairs into d, then closed; the
 * caller's fd must still be open, and no descriptor of ours left behind. */
static void dump_and_close(struct wfix *f, udig_dumper *d, int fd, int pairs)
{
	char err[UDIG_ERRBUF_SIZE];
	ck_assert_int_eq(wfix_events(f, d, 0), 0);
	for (int i = 0; i < pairs; i++)
		ck_assert_int_eq(wfix_read_pair(f, d, f->fd_file, 16, 0), 0);
	ck_assert_msg(udig_dump_close(d, err) == UDIG_OK, "%s", err);
	ck_assert_msg(fcntl(fd, F_GETFD) != -1, "the dumper closed the caller's fd %d", fd);
}

/* A pipe, plain (_i 0) and gzip (_i 1): the reader of the other end gets
 * a capture that reads back whole, by us and by sysdig. */
START_TEST(fd_pipe)
{
	const int gz = _i;
	struct wfix f;
	char path[512], err[UDIG_ERRBUF_SIZE], msg[UDIG_ERRBUF_SIZE];
	int p[2];
	ck_assert_int_eq(wfix_setup(&f), 0);
	wfix_path(&f, gz ? "pipe.scap.gz" : "pipe.scap", path, sizeof path);
	ck_assert_int_eq(pipe(p), 0);
	pid_t pid = sink(p[0], p[1], path, 0);
	int fds = count_fds();
	udig_dumper *d = udig_dump_open_fd(NULL, p[1], gz, err);
	ck_assert_msg(d != NULL, "%s", err);
	dump_and_close(&f, d, p[1], 100);
	ck_assert_int_eq(count_fds(), fds);
	ck_assert_int_eq(close(p[1]), 0);
	sink_done(pid);
	long n = read_back(path, msg, sizeof msg);
	ck_assert_msg(n == 212 && !msg[0], "%ld events read back (%s)", n, msg);
	if (have_sysdig())
		ck_assert_int_eq(sysdig_count(path), 212);
	wfix_teardown(&f);
}
END_TEST

/* A stream socket whose writing end is non-blocking and whose reader
 * starts late: the dumper waits for room instead of failing with EAGAIN. */
START_TEST(fd_socket_nonblocking)
{
	struct wfix f;
	char path[512], err[UDIG_ERRBUF_SIZE], msg[UDIG_ERRBUF_SIZE];
	int sv[2], small = 4096;
	ck_assert_int_eq(wfix_setup(&f), 0);
	wfix_path(&f, "sock.scap", path, sizeof path);
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	ck_assert_int_eq(setsockopt(sv[1], SOL_SOCKET, SO_SNDBUF, &small, sizeof small), 0);
	ck_assert_int_eq(fcntl(sv[1], F_SETFL, fcntl(sv[1], F_GETFL) | O_NONBLOCK), 0);
	pid_t pid = sink(sv[0], sv[1], path, 1);
	udig_dumper *d = udig_dump_open_fd(NULL, sv[1], 0, err);
	ck_assert_msg(d != NULL, "%s", err);
	/* Past the dumper's MiB of buffer, so that it writes while open too. */
	dump_and_close(&f, d, sv[1], 20000);
	ck_assert_int_eq(close(sv[1]), 0);
	sink_done(pid);
	long n = read_back(path, msg, sizeof msg);
	ck_assert_msg(n == 40012 && !msg[0], "%ld events read back (%s)", n, msg);

	/* gzip through zlib cannot wait: refused at open, with the reason. */
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	ck_assert_int_eq(fcntl(sv[1], F_SETFL, O_NONBLOCK), 0);
	ck_assert_ptr_null(udig_dump_open_fd(NULL, sv[1], 1, err));
	ck_assert_msg(strstr(err, "non-blocking"), "%s", err);
	ck_assert_int_ne(fcntl(sv[1], F_GETFD), -1);
	close(sv[0]);
	close(sv[1]);
	wfix_teardown(&f);
}
END_TEST

/* A regular file the caller opened: written from its offset on, left open
 * at the end of the capture, ftell equal to the bytes in it. */
START_TEST(fd_file_left_open)
{
	struct wfix f;
	char path[512], err[UDIG_ERRBUF_SIZE], msg[UDIG_ERRBUF_SIZE];
	ck_assert_int_eq(wfix_setup(&f), 0);
	wfix_path(&f, "own.scap", path, sizeof path);
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	ck_assert_int_ge(fd, 0);
	udig_dumper *d = udig_dump_open_fd(NULL, fd, 0, err);
	ck_assert_msg(d != NULL, "%s", err);
	ck_assert_int_eq(udig_dump_ftell(d), file_size(path));
	ck_assert_int_eq(wfix_events(&f, d, 0), 0);
	int64_t told = udig_dump_ftell(d);
	ck_assert_int_eq(udig_dump_close(d, err), UDIG_OK);
	ck_assert_int_eq(lseek(fd, 0, SEEK_CUR), told);
	ck_assert_int_eq(file_size(path), told);
	ck_assert_int_eq(close(fd), 0);
	long n = read_back(path, msg, sizeof msg);
	ck_assert_msg(n == 12 && !msg[0], "%ld events (%s)", n, msg);
	wfix_teardown(&f);
}
END_TEST

START_TEST(fd_arguments)
{
	char err[UDIG_ERRBUF_SIZE] = "";
	ck_assert_ptr_null(udig_dump_open_fd(NULL, -1, 0, err));
	ck_assert_msg(strstr(err, "invalid file descriptor -1"), "%s", err);

	int fd = open("/dev/null", O_RDONLY);
	ck_assert_int_ge(fd, 0);
	ck_assert_ptr_null(udig_dump_open_fd(NULL, fd, 0, err));
	ck_assert_msg(strstr(err, "not open for writing"), "%s", err);
	ck_assert_int_ne(fcntl(fd, F_GETFD), -1); /* refused, not closed */
	close(fd);
	/* fd is closed now */
	ck_assert_ptr_null(udig_dump_open_fd(NULL, fd, 0, err));
	ck_assert_msg(strstr(err, strerror(EBADF)), "%s", err);

	/* A write error on the caller's fd is the dumper's error, the fd stays. */
	fd = open("/dev/full", O_WRONLY);
	ck_assert_int_ge(fd, 0);
	ck_assert_ptr_null(udig_dump_open_fd(NULL, fd, 0, err));
	ck_assert_msg(strstr(err, "fd ") && strstr(err, strerror(ENOSPC)), "%s", err);
	ck_assert_int_ne(fcntl(fd, F_GETFD), -1);
	close(fd);
}
END_TEST

/* A pipe whose reader goes away: with SIGPIPE ignored, EPIPE is the
 * dumper's error, and the caller's end stays open. */
START_TEST(fd_reader_gone)
{
	struct wfix f;
	char path[512], err[UDIG_ERRBUF_SIZE];
	int p[2], rc = UDIG_OK;
	signal(SIGPIPE, SIG_IGN);
	ck_assert_int_eq(wfix_setup(&f), 0);
	wfix_path(&f, "gone.scap", path, sizeof path);
	ck_assert_int_eq(pipe(p), 0);
	pid_t pid = sink(p[0], p[1], path, 0);
	udig_dumper *d = udig_dump_open_fd(NULL, p[1], 0, err);
	ck_assert_msg(d != NULL, "%s", err);
	/* The header went to the reader; now it dies, the last one of the pipe. */
	ck_assert_int_eq(kill(pid, SIGKILL), 0);
	ck_assert_int_eq(waitpid(pid, NULL, 0), pid);
	/* Past the dumper's MiB of buffer: it has to write. */
	for (int i = 0; i < 30000 && rc == UDIG_OK; i++)
		rc = wfix_read_pair(&f, d, f.fd_file, 16, 0) ? UDIG_FAILURE : UDIG_OK;
	if (rc == UDIG_OK)
		rc = udig_dump_flush(d);
	ck_assert_int_ne(rc, UDIG_OK);
	ck_assert_msg(strstr(udig_dump_geterr(d), strerror(EPIPE)), "%s", udig_dump_geterr(d));
	ck_assert_int_eq(udig_dump_close(d, err), UDIG_FAILURE);
	ck_assert_int_ne(fcntl(p[1], F_GETFD), -1);
	close(p[1]);
	wfix_teardown(&f);
}
END_TEST

/* ftell counts the uncompressed stream: with gzip, after the close, the
 * decompressed file is exactly that long; buffered bytes count at once. */
START_TEST(ftell_counts)
{
	const int gz = _i;
	struct wfix f;
	char path[512], err[UDIG_ERRBUF_SIZE], cmd[700];
	int st;
	ck_assert_int_eq(udig_dump_ftell(NULL), -1);
	ck_assert_int_eq(wfix_setup(&f), 0);
	wfix_path(&f, gz ? "tell.scap.gz" : "tell.scap", path, sizeof path);
	udig_dumper *d = udig_dump_open(NULL, path, gz, err);
	ck_assert_msg(d != NULL, "%s", err);
	int64_t head = udig_dump_ftell(d);
	ck_assert_int_gt(head, 28);
	if (!gz)
		ck_assert_int_eq(head, file_size(path));
	/* One read pair of 16 bytes: enter block 56 bytes, exit block 68. */
	ck_assert_int_eq(wfix_read_pair(&f, d, f.fd_file, 16, 0), 0);
	ck_assert_int_eq(udig_dump_ftell(d), head + 56 + 68);
	if (!gz) {
		ck_assert_int_eq(file_size(path), head); /* still buffered */
		ck_assert_int_eq(udig_dump_flush(d), UDIG_OK);
		ck_assert_int_eq(file_size(path), head + 124);
	}
	for (int i = 0; i < 1000; i++)
		ck_assert_int_eq(wfix_read_pair(&f, d, f.fd_file, 16, 0), 0);
	int64_t told = udig_dump_ftell(d);
	ck_assert_int_eq(told, head + 1001 * 124);
	ck_assert_int_eq(udig_dump_close(d, err), UDIG_OK);
	snprintf(cmd, sizeof cmd, "%s '%s' | wc -c", gz ? "gzip -dc" : "cat", path);
	char *out = run_capture(cmd, &st);
	ck_assert_ptr_nonnull(out);
	ck_assert_int_eq(atoll(out), told);
	if (gz)
		ck_assert_int_lt(file_size(path), told);
	free(out);
	wfix_teardown(&f);
}
END_TEST

/* The capture c of a file we wrote: a fixed header for the memory tests. */
static udig_capture *fixed_capture(struct wfix *f, char *path, size_t cap)
{
	char err[UDIG_ERRBUF_SIZE];
	wfix_path(f, "src.scap", path, cap);
	udig_dumper *d = udig_dump_open(NULL, path, 0, err);
	ck_assert_msg(d != NULL, "%s", err);
	ck_assert_int_eq(wfix_events(f, d, 0), 0);
	ck_assert_int_eq(udig_dump_close(d, err), UDIG_OK);
	udig_capture *c = udig_open_file(path, err);
	ck_assert_msg(c != NULL, "%s", err);
	return c;
}

static void save(const char *path, const void *buf, size_t n)
{
	FILE *fp = fopen(path, "wb");
	ck_assert_ptr_nonnull(fp);
	ck_assert_uint_eq(fwrite(buf, 1, n, fp), n);
	ck_assert_int_eq(fclose(fp), 0);
}

/* A buffer with room: the bytes udig_dump_ftell reports are a capture that
 * reads back whole; the same events as a file dumper of the same state. */
START_TEST(mem_roomy)
{
	struct wfix f;
	char src[512], path[512], ref[512], err[UDIG_ERRBUF_SIZE], msg[UDIG_ERRBUF_SIZE];
	const size_t size = 8u << 20;
	ck_assert_int_eq(wfix_setup(&f), 0);
	udig_capture *c = fixed_capture(&f, src, sizeof src);
	uint8_t *buf = malloc(size);
	ck_assert_ptr_nonnull(buf);
	udig_dumper *d = udig_dump_open_mem(c, buf, size, err);
	ck_assert_msg(d != NULL, "%s", err);
	uint32_t magic;
	memcpy(&magic, buf, 4);
	ck_assert_uint_eq(magic, 0x0A0D0D0A); /* the section header is in place already */
	ck_assert_int_eq(udig_dump_flush(d), UDIG_OK);
	uint64_t ts0 = f.ts;
	ck_assert_int_eq(wfix_events(&f, d, 0), 0);
	int64_t used = udig_dump_ftell(d);
	ck_assert_int_gt(used, 0);
	ck_assert_int_eq(udig_dump_close(d, err), UDIG_OK);
	wfix_path(&f, "mem.scap", path, sizeof path);
	save(path, buf, (size_t)used);

	/* A file dumper of the same state and events writes the same bytes. */
	wfix_path(&f, "ref.scap", ref, sizeof ref);
	d = udig_dump_open(c, ref, 0, err);
	ck_assert_msg(d != NULL, "%s", err);
	f.ts = ts0;
	ck_assert_int_eq(wfix_events(&f, d, 0), 0);
	ck_assert_int_eq(udig_dump_close(d, err), UDIG_OK);
	ck_assert_int_eq(file_size(ref), used);
	char cmd[1100];
	snprintf(cmd, sizeof cmd, "cmp -s '%s' '%s'", path, ref);
	ck_assert_int_eq(system(cmd), 0);

	long n = read_back(path, msg, sizeof msg);
	ck_assert_msg(n == 12 && !msg[0], "%ld events (%s)", n, msg);
	if (have_sysdig())
		ck_assert_int_eq(sysdig_count(path), 12);
	udig_close(c);
	free(buf);
	wfix_teardown(&f);
}
END_TEST

/* A buffer that fills: the block that does not fit is refused with
 * UDIG_INPUT_TOO_SMALL (and every call after it), no byte past the end is
 * touched, and what the buffer holds reads back as the events that fit. */
START_TEST(mem_full)
{
	struct wfix f;
	char src[512], path[512], err[UDIG_ERRBUF_SIZE], msg[UDIG_ERRBUF_SIZE];
	const size_t guard = 256;
	ck_assert_int_eq(wfix_setup(&f), 0);
	udig_capture *c = fixed_capture(&f, src, sizeof src);

	/* The header's size, from a roomy dump of the same state. */
	uint8_t *big = malloc(8u << 20);
	ck_assert_ptr_nonnull(big);
	udig_dumper *d = udig_dump_open_mem(c, big, 8u << 20, err);
	ck_assert_msg(d != NULL, "%s", err);
	size_t head = (size_t)udig_dump_ftell(d);
	ck_assert_int_eq(udig_dump_close(d, err), UDIG_OK);
	free(big);

	/* Room for the header and 10 read pairs (124 bytes each) plus 100. */
	size_t size = head + 10 * 124 + 100;
	uint8_t *buf = malloc(size + guard);
	ck_assert_ptr_nonnull(buf);
	memset(buf, 0xA5, size + guard);
	d = udig_dump_open_mem(c, buf, size, err);
	ck_assert_msg(d != NULL, "%s", err);
	int ok = 0, rc = UDIG_OK;
	while (rc == UDIG_OK && ok < 1000) {
		rc = wfix_read_pair(&f, d, f.fd_file, 16, 0) ? UDIG_FAILURE : UDIG_OK;
		ok += rc == UDIG_OK;
	}
	ck_assert_int_eq(ok, 10);
	ck_assert_msg(strstr(udig_dump_geterr(d), "full"), "%s", udig_dump_geterr(d));
	/* The enter of the 11th pair fit (56 bytes), its exit did not. */
	ck_assert_int_eq(udig_dump_ftell(d), (int64_t)(head + 10 * 124 + 56));
	uint8_t rec[64] = {0};
	ck_assert_int_eq(udig_dump_record(d, rec, sizeof rec, 0, 0), UDIG_INPUT_TOO_SMALL);
	ck_assert_int_eq(udig_dump_flush(d), UDIG_INPUT_TOO_SMALL);
	for (size_t i = size; i < size + guard; i++)
		ck_assert_msg(buf[i] == 0xA5, "byte %zu past the buffer written", i - size);
	int64_t used = udig_dump_ftell(d);
	ck_assert_int_le(used, (int64_t)size);
	ck_assert_int_eq(udig_dump_close(d, err), UDIG_INPUT_TOO_SMALL);
	ck_assert_msg(strstr(err, "full"), "%s", err);
	wfix_path(&f, "full.scap", path, sizeof path);
	save(path, buf, (size_t)used);
	long n = read_back(path, msg, sizeof msg);
	ck_assert_msg(n == 21 && !msg[0], "%ld events (%s)", n, msg);
	if (have_sysdig())
		ck_assert_int_eq(sysdig_count(path), 21);

	/* Too small for the header: no dumper, and nothing past the end. */
	memset(buf, 0xA5, size + guard);
	ck_assert_ptr_null(udig_dump_open_mem(c, buf, head - 1, err));
	ck_assert_msg(strstr(err, "full"), "%s", err);
	for (size_t i = head - 1; i < size + guard; i++)
		ck_assert_msg(buf[i] == 0xA5, "byte %zu past a %zu-byte buffer written", i, head - 1);
	ck_assert_ptr_null(udig_dump_open_mem(c, NULL, 100, err));
	ck_assert_msg(strstr(err, "NULL"), "%s", err);
	ck_assert_ptr_null(udig_dump_open_mem(c, buf, 0, err));
	ck_assert_msg(strstr(err, "size 0"), "%s", err);
	udig_close(c);
	free(buf);
	wfix_teardown(&f);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("dump_targets");
	TCase *tc = tcase_create("targets");
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, fd_pipe, 0, 2); /* plain, gzip */
	tcase_add_test(tc, fd_socket_nonblocking);
	tcase_add_test(tc, fd_file_left_open);
	tcase_add_test(tc, fd_arguments);
	tcase_add_test(tc, fd_reader_gone);
	tcase_add_loop_test(tc, ftell_counts, 0, 2);
	tcase_add_test(tc, mem_roomy);
	tcase_add_test(tc, mem_full);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
