/*
 * Fillers, family by family: the real syscall is made in this process,
 * the enter and exit records are built around it and every parameter is
 * checked.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/openat2.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sched.h>
#include <sys/file.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/sem.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include "harness.h"

static char path_buf[512];

static const char *tpath(const char *name)
{
	snprintf(path_buf, sizeof path_buf, "%s/%s", tmpdir(), name);
	return path_buf;
}

/* ------------------------------------------------------------ open family */

START_TEST(open_openat_creat)
{
	char p[512];
	int64_t fd;

	/* open(/etc/hostname, O_RDONLY|O_CLOEXEC): the §9 example */
	fd = call(SYS_open, A(U("/etc/hostname"), O_RDONLY | O_CLOEXEC, 0777));
	ck_assert_int_ge(fd, 0);
	ck_assert_uint_eq(E.type, UEV_SYSCALL_OPEN_E);
	ck_assert_str_eq(ps(&E, 0), "/etc/hostname");
	ck_assert_int_eq(pi(&E, 1), UDIG_O_RDONLY | UDIG_O_CLOEXEC);
	ck_assert_int_eq(pi(&E, 1), 4097);
	ck_assert_int_eq(pi(&E, 2), 0); /* no O_CREAT: mode is not sent */
	ck_assert_int_eq(pi(&X, 0), fd);
	ck_assert_str_eq(ps(&X, 1), "/etc/hostname");
	ck_assert_int_eq(pi(&X, 2), 4097);
	ck_assert_int_eq(pi(&X, 3), 0);
	ck_assert_uint_eq((uint32_t)pi(&X, 4), expect_dev((int)fd));
	ck_assert_uint_ne((uint32_t)pi(&X, 4), 0);
	close((int)fd);

	/* openat creating a file: flags and mode translated */
	strcpy(p, tpath("created"));
	fd = call(SYS_openat, A((uint64_t)AT_FDCWD, U(p), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0640));
	ck_assert_int_ge(fd, 0);
	ck_assert_uint_eq(E.type, UEV_SYSCALL_OPENAT_2_E);
	ck_assert_int_eq(pi(&E, 0), -100);
	ck_assert_str_eq(ps(&E, 1), p);
	ck_assert_int_eq(pi(&E, 2), UDIG_O_WRONLY | UDIG_O_CREAT | UDIG_O_TRUNC | UDIG_O_APPEND);
	ck_assert_int_eq(pi(&E, 3), 0640);
	ck_assert_int_eq(pi(&X, 0), fd);
	ck_assert_int_eq(pi(&X, 1), -100);
	ck_assert_str_eq(ps(&X, 2), p);
	ck_assert_int_eq(pi(&X, 3), UDIG_O_WRONLY | UDIG_O_CREAT | UDIG_O_TRUNC | UDIG_O_APPEND);
	ck_assert_int_eq(pi(&X, 4), 0640);
	ck_assert_uint_eq((uint32_t)pi(&X, 5), expect_dev((int)fd));
	close((int)fd);

	/* openat relative to a directory fd, O_RDWR|O_NONBLOCK|O_DIRECTORY fails */
	{
		int dfd = open(tmpdir(), O_RDONLY | O_DIRECTORY);
		fd = call(SYS_openat, A((uint64_t)dfd, U("created"), O_RDWR | O_NONBLOCK | O_DIRECTORY, 0));
		ck_assert_int_eq(fd, -ENOTDIR);
		ck_assert_int_eq(pi(&E, 0), dfd);
		ck_assert_str_eq(ps(&E, 1), "created");
		ck_assert_int_eq(pi(&E, 2), UDIG_O_RDWR | UDIG_O_NONBLOCK | UDIG_O_DIRECTORY);
		ck_assert_int_eq(pi(&X, 0), -ENOTDIR);
		ck_assert_int_eq(pi(&X, 5), 0); /* no dev for a failed open */
		close(dfd);
	}

	/* openat2: flags, mode and resolve come from struct open_how */
	{
		struct open_how how = { .flags = O_RDONLY | O_CLOEXEC, .mode = 0, .resolve = RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS };
		fd = call(SYS_openat2, A((uint64_t)AT_FDCWD, U(p), U(&how), sizeof how));
		ck_assert_int_ge(fd, 0);
		ck_assert_uint_eq(E.type, UEV_SYSCALL_OPENAT2_E);
		ck_assert_int_eq(pi(&E, 0), -100);
		ck_assert_str_eq(ps(&E, 1), p);
		ck_assert_int_eq(pi(&E, 2), UDIG_O_RDONLY | UDIG_O_CLOEXEC);
		ck_assert_int_eq(pi(&E, 3), 0);
		ck_assert_int_eq(pi(&E, 4), UDIG_RESOLVE_NO_SYMLINKS | UDIG_RESOLVE_NO_MAGICLINKS);
		ck_assert_int_eq(pi(&X, 0), fd);
		ck_assert_str_eq(ps(&X, 2), p);
		ck_assert_int_eq(pi(&X, 5), UDIG_RESOLVE_NO_SYMLINKS | UDIG_RESOLVE_NO_MAGICLINKS);
		close((int)fd);
	}

	/* creat: mode always sent */
	strcpy(p, tpath("creat"));
	fd = call(SYS_creat, A(U(p), 0600));
	ck_assert_int_ge(fd, 0);
	ck_assert_str_eq(ps(&E, 0), p);
	ck_assert_int_eq(pi(&E, 1), 0600);
	ck_assert_int_eq(pi(&X, 0), fd);
	ck_assert_str_eq(ps(&X, 1), p);
	ck_assert_int_eq(pi(&X, 2), 0600);
	ck_assert_uint_eq((uint32_t)pi(&X, 3), expect_dev((int)fd));
	close((int)fd);
	tmpdir_remove();
}
END_TEST

START_TEST(open_paths_cut_and_bad_pointers)
{
	char longp[600];
	void *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	/* A 599-byte path: enter cut at 255 bytes + NUL, exit complete. */
	memset(longp, 'a', sizeof longp - 1);
	longp[0] = '/';
	longp[sizeof longp - 1] = 0;
	ck_assert_int_eq(call(SYS_open, A(U(longp), O_RDONLY, 0)), -ENAMETOOLONG);
	ck_assert_uint_eq(E.vlen[0], UDIG_MAX_PATH_SIZE);
	ck_assert_int_eq(strncmp(ps(&E, 0), longp, UDIG_MAX_PATH_SIZE - 1), 0);
	ck_assert_uint_eq(X.vlen[1], sizeof longp);
	ck_assert_str_eq(ps(&X, 1), longp);

	/* NULL and unmapped pointers: "(NULL)", the record is still built. */
	ck_assert_int_eq(call(SYS_open, A(0, O_RDONLY, 0)), -EFAULT);
	ck_assert_str_eq(ps(&E, 0), "(NULL)");
	ck_assert_str_eq(ps(&X, 1), "(NULL)");
	munmap(page, 4096);
	ck_assert_int_eq(call(SYS_openat, A((uint64_t)AT_FDCWD, U(page), O_RDONLY, 0)), -EFAULT);
	ck_assert_str_eq(ps(&E, 1), "(NULL)");
	ck_assert_str_eq(ps(&X, 2), "(NULL)");
}
END_TEST

/* ------------------------------------------------------------ I/O */

START_TEST(read_write_snaplen)
{
	int p[2];
	char data[200], in[200];

	for (unsigned i = 0; i < sizeof data; i++)
		data[i] = (char)('A' + i % 26);
	ck_assert_int_eq(pipe(p), 0);

	test_snaplen = 0; /* default 80 */
	ck_assert_int_eq(call(SYS_write, A((uint64_t)p[1], U(data), 150)), 150);
	ck_assert_uint_eq(E.type, UEV_SYSCALL_WRITE_E);
	ck_assert_int_eq(pi(&E, 0), p[1]);
	ck_assert_int_eq(pi(&E, 1), 150);
	ck_assert_int_eq(pi(&X, 0), 150);
	ck_assert(pbytes(&X, 1, data, UDIG_DEFAULT_SNAPLEN));

	test_snaplen = 10;
	ck_assert_int_eq(call(SYS_read, A((uint64_t)p[0], U(in), sizeof in)), 150);
	ck_assert_int_eq(pi(&E, 0), p[0]);
	ck_assert_int_eq(pi(&E, 1), sizeof in);
	ck_assert_int_eq(pi(&X, 0), 150);
	ck_assert(pbytes(&X, 1, data, 10));

	test_snaplen = 1000; /* the result bounds the data */
	ck_assert_int_eq(write(p[1], "xyz", 3), 3);
	ck_assert_int_eq(call(SYS_read, A((uint64_t)p[0], U(in), sizeof in)), 3);
	ck_assert(pbytes(&X, 1, "xyz", 3));

	/* failure: errno, no data */
	ck_assert_int_eq(call(SYS_read, A(999, U(in), 10)), -EBADF);
	ck_assert_int_eq(pi(&X, 0), -EBADF);
	ck_assert_uint_eq(X.vlen[1], 0);
	close(p[0]);
	close(p[1]);
	test_snaplen = 0;
}
END_TEST

START_TEST(pread_pwrite_vectored)
{
	char buf[64] = "", b1[4], b2[8];
	int fd = open(tpath("rw"), O_RDWR | O_CREAT | O_TRUNC, 0600);
	struct iovec wv[2] = { { (void *)"hello ", 6 }, { (void *)"world!", 6 } };
	struct iovec rv[2] = { { b1, sizeof b1 }, { b2, sizeof b2 } };

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(call(SYS_pwrite64, A((uint64_t)fd, U("0123456789"), 10, 5)), 10);
	ck_assert_uint_eq(E.type, UEV_SYSCALL_PWRITE_E);
	ck_assert_int_eq(pi(&E, 1), 10);
	ck_assert_int_eq(pi(&E, 2), 5);
	ck_assert(pbytes(&X, 1, "0123456789", 10));
	ck_assert_int_eq(call(SYS_pread64, A((uint64_t)fd, U(buf), 4, 7)), 4);
	ck_assert_int_eq(pi(&E, 2), 7);
	ck_assert(pbytes(&X, 1, "2345", 4));

	ck_assert_int_eq(lseek(fd, 0, SEEK_SET), 0);
	ck_assert_int_eq(call(SYS_writev, A((uint64_t)fd, U(wv), 2)), 12);
	ck_assert_int_eq(pi(&E, 0), fd);
	ck_assert_int_eq(pi(&E, 1), 12);
	ck_assert_int_eq(pi(&X, 0), 12);
	ck_assert(pbytes(&X, 1, "hello world!", 12));

	test_snaplen = 8; /* the gather stops at the snaplen, across iovecs */
	ck_assert_int_eq(lseek(fd, 0, SEEK_SET), 0);
	ck_assert_int_eq(call(SYS_readv, A((uint64_t)fd, U(rv), 2)), 12);
	ck_assert_uint_eq(E.nparams, 1);
	ck_assert_int_eq(pi(&X, 0), 12);
	ck_assert_int_eq(pi(&X, 1), 12); /* size: the buffers' total */
	ck_assert(pbytes(&X, 2, "hello wo", 8));
	test_snaplen = 0;

	/* the file now holds "hello world!789" */
	ck_assert_int_eq(call(SYS_preadv, A((uint64_t)fd, U(rv), 2, 6)), 9);
	ck_assert_int_eq(pi(&E, 1), 6);
	ck_assert_int_eq(pi(&X, 1), 12);
	ck_assert(pbytes(&X, 2, "world!789", 9));
	ck_assert_int_eq(call(SYS_pwritev, A((uint64_t)fd, U(wv), 1, 100)), 6);
	ck_assert_int_eq(pi(&E, 1), 6);
	ck_assert_int_eq(pi(&E, 2), 100);
	ck_assert(pbytes(&X, 1, "hello ", 6));

	/* failed readv: size 0, no data */
	ck_assert_int_eq(call(SYS_readv, A(999, U(rv), 2)), -EBADF);
	ck_assert_int_eq(pi(&X, 1), 0);
	ck_assert_uint_eq(X.vlen[2], 0);

	/* lseek */
	ck_assert_int_eq(call(SYS_lseek, A((uint64_t)fd, 3, SEEK_END)), 109);
	ck_assert_int_eq(pi(&E, 1), 3);
	ck_assert_int_eq(pi(&E, 2), UDIG_SEEK_END);
	ck_assert_int_eq(pi(&X, 0), 109);
	close(fd);
	tmpdir_remove();
}
END_TEST

START_TEST(sendfile_copy_splice)
{
	int in = open("/etc/hostname", O_RDONLY), p[2];
	off_t off = 1;
	int64_t n;

	ck_assert_int_eq(pipe(p), 0);
	n = call(SYS_sendfile, A((uint64_t)p[1], (uint64_t)in, U(&off), 3));
	ck_assert_int_gt(n, 0);
	ck_assert_int_eq(pi(&E, 0), p[1]);
	ck_assert_int_eq(pi(&E, 1), in);
	ck_assert_int_eq(pi(&E, 2), 1);  /* *offset before */
	ck_assert_int_eq(pi(&E, 3), 3);
	ck_assert_int_eq(pi(&X, 0), n);
	ck_assert_int_eq(pi(&X, 1), 1 + n); /* *offset after */

	n = call(SYS_splice, A((uint64_t)p[0], 0, (uint64_t)p[1], 0, 2, SPLICE_F_NONBLOCK | SPLICE_F_MORE));
	ck_assert_int_eq(pi(&E, 0), p[0]);
	ck_assert_int_eq(pi(&E, 1), p[1]);
	ck_assert_int_eq(pi(&E, 2), 2);
	ck_assert_int_eq(pi(&E, 3), UDIG_SPLICE_F_NONBLOCK | UDIG_SPLICE_F_MORE);
	ck_assert_int_eq(pi(&X, 0), n);

	call(SYS_copy_file_range, A((uint64_t)in, 0x1234, (uint64_t)p[1], 0x5678, 9, 0));
	ck_assert_int_eq(pi(&E, 0), in);
	ck_assert_int_eq(pi(&E, 1), 0x1234); /* the pointer, as the driver */
	ck_assert_int_eq(pi(&E, 2), 9);
	ck_assert_int_eq(pi(&X, 1), p[1]);
	ck_assert_int_eq(pi(&X, 2), 0x5678);
	close(in);
	close(p[0]);
	close(p[1]);
}
END_TEST

/* ------------------------------------------------------------ descriptors */

START_TEST(fd_family)
{
	int p[2] = { -1, -1 };
	struct stat st;
	int64_t fd;
	sigset_t ss;

	ck_assert_int_eq(call(SYS_pipe2, A(U(p), O_CLOEXEC)), 0);
	ck_assert_uint_eq(E.type, UEV_SYSCALL_PIPE_E);
	ck_assert_uint_eq(E.nparams, 0);
	ck_assert_int_eq(pi(&X, 0), 0);
	ck_assert_int_eq(pi(&X, 1), p[0]);
	ck_assert_int_eq(pi(&X, 2), p[1]);
	ck_assert_int_eq(fstat(p[0], &st), 0);
	ck_assert_uint_eq((uint64_t)pi(&X, 3), st.st_ino);

	fd = call(SYS_dup3, A((uint64_t)p[0], 40, O_CLOEXEC));
	ck_assert_int_eq(fd, 40);
	ck_assert_uint_eq(E.type, UEV_SYSCALL_DUP_E);
	ck_assert_int_eq(pi(&E, 0), p[0]);
	ck_assert_int_eq(pi(&X, 0), 40);
	close(40);

	fd = call(SYS_fcntl, A((uint64_t)p[1], F_DUPFD_CLOEXEC, 50));
	ck_assert_int_ge(fd, 50);
	ck_assert_int_eq(pi(&E, 0), p[1]);
	ck_assert_int_eq(pi(&E, 1), UDIG_F_DUPFD_CLOEXEC);
	ck_assert_int_eq(pi(&E, 1), 26);
	ck_assert_int_eq(pi(&X, 0), fd);
	close((int)fd);
	call(SYS_fcntl, A((uint64_t)p[1], F_SETFL, O_NONBLOCK));
	ck_assert_int_eq(pi(&E, 1), UDIG_F_SETFL);

	fd = call(SYS_eventfd2, A(7, EFD_CLOEXEC));
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(pi(&E, 0), 7);
	ck_assert_int_eq(pi(&E, 1), 0); /* flags not decoded by the driver */
	ck_assert_int_eq(pi(&X, 0), fd);
	close((int)fd);

	sigemptyset(&ss);
	sigaddset(&ss, SIGUSR1);
	fd = call(SYS_signalfd4, A((uint64_t)-1, U(&ss), 8, SFD_CLOEXEC));
	ck_assert_int_ge(fd, 0);
	ck_assert_uint_eq(E.type, UEV_SYSCALL_SIGNALFD_E);
	ck_assert_int_eq(pi(&E, 0), -1);
	ck_assert_int_eq(pi(&E, 1), 0);
	ck_assert_int_eq(pi(&E, 2), 0);
	ck_assert_int_eq(pi(&X, 0), fd);
	close((int)fd);

	fd = call(SYS_timerfd_create, A(CLOCK_MONOTONIC, TFD_CLOEXEC));
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(pi(&E, 0), 0);
	ck_assert_int_eq(pi(&E, 1), 0);
	ck_assert_int_eq(pi(&X, 0), fd);
	close((int)fd);

	fd = call(SYS_inotify_init1, A(IN_CLOEXEC));
	ck_assert_int_ge(fd, 0);
	ck_assert_uint_eq(E.type, UEV_SYSCALL_INOTIFY_INIT_E);
	ck_assert_int_eq(pi(&E, 0), 0);
	ck_assert_int_eq(pi(&X, 0), fd);
	close((int)fd);

	ck_assert_int_eq(call(SYS_ioctl, A((uint64_t)p[0], 0x541B /* FIONREAD */, U(&fd))), 0);
	ck_assert_int_eq(pi(&E, 0), p[0]);
	ck_assert_int_eq(pi(&E, 1), 0x541B);
	ck_assert_uint_eq((uint64_t)pi(&E, 2), U(&fd));

	ck_assert_int_eq(call(SYS_close, A((uint64_t)p[0])), 0);
	ck_assert_int_eq(pi(&E, 0), p[0]);
	ck_assert_int_eq(pi(&X, 0), 0);
	ck_assert_int_eq(call(SYS_close, A((uint64_t)p[0])), -EBADF);
	ck_assert_int_eq(pi(&X, 0), -EBADF);
	close(p[1]);
}
END_TEST

/* ------------------------------------------------------------ file system */

START_TEST(fs_family)
{
	char d[256], f1[256], f2[256], l[256];
	struct stat st;
	int dfd;

	snprintf(d, sizeof d, "%s/dir", tmpdir());
	snprintf(f1, sizeof f1, "%s/f1", tmpdir());
	snprintf(f2, sizeof f2, "%s/f2", tmpdir());
	snprintf(l, sizeof l, "%s/l", tmpdir());

	ck_assert_int_eq(call(SYS_mkdir, A(U(d), 0750)), 0);
	ck_assert_int_eq(pi(&E, 0), 0); /* the driver sends 0 */
	ck_assert_int_eq(pi(&X, 0), 0);
	ck_assert_str_eq(ps(&X, 1), d);
	ck_assert_int_eq(call(SYS_mkdir, A(U(d), 0750)), -EEXIST);
	ck_assert_int_eq(pi(&X, 0), -EEXIST);

	close(open(f1, O_CREAT | O_WRONLY, 0600));
	ck_assert_int_eq(call(SYS_stat, A(U(f1), U(&st))), 0);
	ck_assert_uint_eq(E.nparams, 0);
	ck_assert_str_eq(ps(&X, 1), f1);
	ck_assert_int_eq(call(SYS_lstat, A(U("/nonexistent"), U(&st))), -ENOENT);
	ck_assert_int_eq(pi(&X, 0), -ENOENT);
	ck_assert_str_eq(ps(&X, 1), "/nonexistent");

	ck_assert_int_eq(call(SYS_access, A(U(f1), R_OK | W_OK)), 0);
	ck_assert_int_eq(pi(&E, 0), UDIG_R_OK | UDIG_W_OK);
	ck_assert_str_eq(ps(&X, 1), f1);
	call(SYS_access, A(U(f1), F_OK));
	ck_assert_int_eq(pi(&E, 0), UDIG_F_OK);

	ck_assert_int_eq(call(SYS_chmod, A(U(f1), 04751)), 0);
	ck_assert_str_eq(ps(&X, 1), f1);
	ck_assert_int_eq(pi(&X, 2), UDIG_S_ISUID | 0751);
	dfd = open(tmpdir(), O_RDONLY | O_DIRECTORY);
	ck_assert_int_eq(call(SYS_fchmodat, A((uint64_t)dfd, U("f1"), 0644)), 0);
	ck_assert_int_eq(pi(&X, 1), dfd);
	ck_assert_str_eq(ps(&X, 2), "f1");
	ck_assert_int_eq(pi(&X, 3), 0644);

	ck_assert_int_eq(call(SYS_rename, A(U(f1), U(f2))), 0);
	ck_assert_str_eq(ps(&X, 1), f1);
	ck_assert_str_eq(ps(&X, 2), f2);
	ck_assert_int_eq(call(SYS_renameat2, A((uint64_t)dfd, U("f2"), (uint64_t)AT_FDCWD, U(f1), RENAME_NOREPLACE)), 0);
	ck_assert_int_eq(pi(&X, 1), dfd);
	ck_assert_str_eq(ps(&X, 2), "f2");
	ck_assert_int_eq(pi(&X, 3), -100);
	ck_assert_str_eq(ps(&X, 4), f1);
	ck_assert_int_eq(pi(&X, 5), UDIG_RENAME_NOREPLACE);

	ck_assert_int_eq(call(SYS_symlink, A(U("f1"), U(l))), 0);
	ck_assert_str_eq(ps(&X, 1), "f1");
	ck_assert_str_eq(ps(&X, 2), l);
	ck_assert_int_eq(call(SYS_link, A(U(f1), U(f2))), 0);
	ck_assert_str_eq(ps(&X, 1), f1);
	ck_assert_str_eq(ps(&X, 2), f2);
	ck_assert_int_eq(call(SYS_unlink, A(U(f2))), 0);
	ck_assert_str_eq(ps(&X, 1), f2);
	ck_assert_int_eq(call(SYS_linkat, A((uint64_t)dfd, U("l"), (uint64_t)dfd, U("f2"), AT_SYMLINK_FOLLOW)), 0);
	ck_assert_int_eq(pi(&X, 5), UDIG_AT_SYMLINK_FOLLOW);
	ck_assert_int_eq(call(SYS_symlinkat, A(U("target"), (uint64_t)dfd, U("l2"))), 0);
	ck_assert_str_eq(ps(&X, 1), "target");
	ck_assert_int_eq(pi(&X, 2), dfd);
	ck_assert_str_eq(ps(&X, 3), "l2");
	ck_assert_int_eq(call(SYS_mkdirat, A((uint64_t)dfd, U("sub"), 0700)), 0);
	ck_assert_str_eq(ps(&X, 2), "sub");
	ck_assert_int_eq(pi(&X, 3), 0700);
	ck_assert_int_eq(call(SYS_unlinkat, A((uint64_t)dfd, U("sub"), AT_REMOVEDIR)), 0);
	ck_assert_int_eq(pi(&X, 1), dfd);
	ck_assert_str_eq(ps(&X, 2), "sub");
	ck_assert_int_eq(pi(&X, 3), UDIG_AT_REMOVEDIR);

	ck_assert_int_eq(call(SYS_chdir, A(U(d))), 0);
	ck_assert_str_eq(ps(&X, 1), d);
	ck_assert_int_eq(call(SYS_fchdir, A((uint64_t)dfd)), 0);
	ck_assert_int_eq(pi(&E, 0), dfd);
	{
		char cwd[512];
		ck_assert_int_gt(call(SYS_getcwd, A(U(cwd), sizeof cwd)), 0);
		ck_assert_str_eq(ps(&X, 1), tmpdir());
		ck_assert_int_eq(call(SYS_getcwd, A(U(cwd), 1)), -ERANGE);
		ck_assert_str_eq(ps(&X, 1), "");
	}
	ck_assert_int_eq(call(SYS_rmdir, A(U(d))), 0);
	ck_assert_str_eq(ps(&X, 1), d);
	ck_assert_int_eq(call(SYS_fchmod, A((uint64_t)dfd, 0700)), 0);
	ck_assert_int_eq(pi(&X, 1), dfd);
	ck_assert_int_eq(pi(&X, 2), 0700);
	ck_assert_int_eq(call(SYS_flock, A((uint64_t)dfd, LOCK_EX | LOCK_NB)), 0);
	ck_assert_int_eq(pi(&E, 1), UDIG_LOCK_EX | UDIG_LOCK_NB);
	ck_assert_int_lt(call(SYS_umount2, A(U(d), 2 /* MNT_DETACH */)), 0);
	ck_assert_int_eq(pi(&E, 0), 2);
	ck_assert_str_eq(ps(&X, 1), d);
	ck_assert_int_lt(call(SYS_mount, A(U("none"), U(d), U("tmpfs"), 0xC0ED0000u | MS_RDONLY, 0)), 0);
	ck_assert_int_eq(pi(&E, 0), UDIG_RDONLY);
	ck_assert_str_eq(ps(&X, 1), "none");
	ck_assert_str_eq(ps(&X, 2), d);
	ck_assert_str_eq(ps(&X, 3), "tmpfs");
	close(dfd);
	ck_assert_int_eq(chdir("/"), 0);
	tmpdir_remove();
}
END_TEST

/* ------------------------------------------------------------ memory */

START_TEST(mm_family)
{
	int64_t a = call(SYS_mmap, A(0, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, (uint64_t)-1, 0));
	FILE *st;
	char line[256];
	unsigned long vmsize = 0;

	ck_assert_int_gt(a, 0);
	ck_assert_int_eq(pi(&E, 0), 0);
	ck_assert_int_eq(pi(&E, 1), 8192);
	ck_assert_int_eq(pi(&E, 2), UDIG_PROT_READ | UDIG_PROT_WRITE);
	ck_assert_int_eq(pi(&E, 3), UDIG_MAP_PRIVATE | UDIG_MAP_ANONYMOUS);
	ck_assert_int_eq(pi(&E, 4), -1);
	ck_assert_int_eq(pi(&X, 0), a);
	st = fopen("/proc/self/status", "r");
	while (fgets(line, sizeof line, st))
		sscanf(line, "VmSize: %lu", &vmsize);
	fclose(st);
	/* A u32 of KiB in the reference, cut to its low bits as the driver's
	 * cast does (ASan's shadow mappings take VmSize past 4 TiB). */
	ck_assert_uint_eq((uint32_t)pi(&X, 1), (uint32_t)vmsize);
	ck_assert_uint_gt((uint32_t)pi(&X, 2), 0); /* rss */

	ck_assert_int_eq(call(SYS_mprotect, A((uint64_t)a, 4096, PROT_READ | PROT_EXEC)), 0);
	ck_assert_int_eq(pi(&E, 0), a);
	ck_assert_int_eq(pi(&E, 2), UDIG_PROT_READ | UDIG_PROT_EXEC);
	ck_assert_int_eq(pi(&X, 0), 0);
	ck_assert_int_eq(call(SYS_munmap, A((uint64_t)a, 8192)), 0);
	ck_assert_int_eq(pi(&E, 0), a);
	ck_assert_int_eq(pi(&E, 1), 8192);
	ck_assert_uint_gt((uint32_t)pi(&X, 1), 0);
	a = call(SYS_brk, A(0));
	ck_assert_int_gt(a, 0);
	ck_assert_int_eq(pi(&E, 0), 0);
	ck_assert_int_eq(pi(&X, 0), a);
	ck_assert_uint_gt((uint32_t)pi(&X, 1), 0);
}
END_TEST

/* ------------------------------------------------------------ signals, polling, misc */

START_TEST(signal_family)
{
	ck_assert_int_eq(call(SYS_kill, A((uint64_t)getpid(), 0)), 0);
	ck_assert_int_eq(pi(&E, 0), getpid());
	ck_assert_int_eq(pi(&E, 1), 0);
	ck_assert_int_eq(pi(&X, 0), 0);
	ck_assert_int_eq(call(SYS_kill, A((uint64_t)-1 & 0xffffffffu, 0)), 0);
	ck_assert_int_eq(pi(&E, 0), -1); /* int argument, sign-extended */
	ck_assert_int_eq(call(SYS_tgkill, A((uint64_t)getpid(), (uint64_t)syscall(SYS_gettid), SIGCONT)), 0);
	ck_assert_int_eq(pi(&E, 0), getpid());
	ck_assert_int_eq(pi(&E, 1), syscall(SYS_gettid));
	ck_assert_int_eq(pi(&E, 2), SIGCONT);
	ck_assert_int_eq(call(SYS_tkill, A(999999999, SIGTERM)), -ESRCH);
	ck_assert_int_eq(pi(&E, 0), 999999999);
	ck_assert_int_eq(pi(&E, 1), SIGTERM);
	ck_assert_int_eq(pi(&X, 0), -ESRCH);
}
END_TEST

static int fdlist_entry(const struct udig_evt *ev, unsigned i, unsigned k, int64_t *fd, uint16_t *fl)
{
	uint16_t n;

	memcpy(&n, ev->val[i], 2);
	if (k >= n || ev->vlen[i] != 2u + 10u * n)
		return -1;
	memcpy(fd, ev->val[i] + 2 + 10 * k, 8);
	memcpy(fl, ev->val[i] + 10 + 10 * k, 2);
	return n;
}

START_TEST(poll_ppoll)
{
	int p[2];
	struct pollfd pf[2];
	struct timespec ts = { 1, 500000000 };
	sigset_t ss;
	int64_t fd;
	uint16_t fl;

	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(write(p[1], "x", 1), 1);
	pf[0] = (struct pollfd){ p[0], POLLIN | POLLPRI, 0 };
	pf[1] = (struct pollfd){ p[1], POLLIN, 0 };
	ck_assert_int_eq(call(SYS_poll, A(U(pf), 2, 10)), 1);
	ck_assert_int_eq(fdlist_entry(&E, 0, 0, &fd, &fl), 2);
	ck_assert_int_eq(fd, p[0]);
	ck_assert_uint_eq(fl, UDIG_POLLIN | UDIG_POLLPRI);
	ck_assert_int_eq(fdlist_entry(&E, 0, 1, &fd, &fl), 2);
	ck_assert_int_eq(fd, p[1]);
	ck_assert_int_eq(pi(&E, 1), 10);
	ck_assert_int_eq(pi(&X, 0), 1);
	/* exit: only the fd with revents */
	ck_assert_int_eq(fdlist_entry(&X, 1, 0, &fd, &fl), 1);
	ck_assert_int_eq(fd, p[0]);
	ck_assert_uint_eq(fl, UDIG_POLLIN);

	sigemptyset(&ss);
	sigaddset(&ss, SIGUSR1);
	pf[0].revents = pf[1].revents = 0;
	pf[1].events = POLLOUT;
	ck_assert_int_eq(call(SYS_ppoll, A(U(pf), 2, U(&ts), U(&ss), 8)), 2);
	ck_assert_uint_eq(E.type, UEV_SYSCALL_PPOLL_E);
	ck_assert_uint_eq((uint64_t)pi(&E, 1), 1500000000ull);
	ck_assert_uint_eq((uint32_t)pi(&E, 2), 1u << (SIGUSR1 - 1));
	ck_assert_int_eq(fdlist_entry(&X, 1, 1, &fd, &fl), 2);
	ck_assert_int_eq(fd, p[1]);
	ck_assert_uint_eq(fl, UDIG_POLLOUT);

	/* unreadable array: an empty list, the record is still there */
	call(SYS_poll, A(16, 3, 0));
	ck_assert_uint_eq(E.vlen[0], 2);
	ck_assert_int_eq(pi(&X, 0), -EFAULT);
	close(p[0]);
	close(p[1]);
}
END_TEST

START_TEST(misc_family)
{
	struct rlimit rl, old;
	struct timespec ts = { 0, 1000 };
	uint32_t r[3];
	int fut = 0;

	ck_assert_int_eq(call(SYS_nanosleep, A(U(&ts), 0)), 0);
	ck_assert_int_eq(pi(&E, 0), 1000);
	ck_assert_int_eq(call(SYS_futex, A(U(&fut), 1 /* WAKE */ | 128 /* PRIVATE */, 1, 0, 0, 0)), 0);
	ck_assert_uint_eq((uint64_t)pi(&E, 0), U(&fut));
	ck_assert_int_eq(pi(&E, 1), UDIG_FUTEX_WAKE | UDIG_FUTEX_PRIVATE_FLAG);
	ck_assert_int_eq(pi(&E, 2), 1);

	ck_assert_int_eq(call(SYS_getrlimit, A(RLIMIT_NOFILE, U(&rl))), 0);
	ck_assert_int_eq(pi(&E, 0), UDIG_RLIMIT_NOFILE);
	ck_assert_int_eq(pi(&X, 1), (int64_t)rl.rlim_cur);
	ck_assert_int_eq(pi(&X, 2), (int64_t)rl.rlim_max);
	ck_assert_int_eq(call(SYS_setrlimit, A(RLIMIT_NOFILE, U(&rl))), 0);
	ck_assert_int_eq(pi(&X, 1), (int64_t)rl.rlim_cur);
	ck_assert_int_eq(call(SYS_prlimit64, A(0, RLIMIT_CORE, 0, U(&old))), 0);
	ck_assert_int_eq(pi(&E, 0), 0);
	ck_assert_int_eq(pi(&E, 1), UDIG_RLIMIT_CORE);
	ck_assert_int_eq(pi(&X, 1), -1); /* no new limit */
	ck_assert_int_eq(pi(&X, 3), (int64_t)old.rlim_cur);
	ck_assert_int_eq(pi(&X, 4), (int64_t)old.rlim_max);

	ck_assert_int_eq(call(SYS_getuid, A(0)), getuid());
	ck_assert_uint_eq(E.nparams, 0);
	ck_assert_int_eq(pi(&X, 0), getuid());
	ck_assert_int_eq(call(SYS_getresgid, A(U(&r[0]), U(&r[1]), U(&r[2]))), 0);
	ck_assert_int_eq(pi(&X, 1), getgid());
	ck_assert_int_eq(pi(&X, 2), getegid());
	ck_assert_int_eq(call(SYS_setresuid, A((uint64_t)-1, (uint64_t)-1, (uint64_t)-1)), 0);
	ck_assert_uint_eq((uint32_t)pi(&E, 0), 0xffffffffu);
	call(SYS_setuid, A(getuid()));
	ck_assert_int_eq(pi(&E, 0), getuid());
	ck_assert_int_eq(call(SYS_setpgid, A(0, 0)), 0);
	ck_assert_int_eq(pi(&E, 0), 0);
	ck_assert_int_eq(pi(&X, 0), 0);
	ck_assert_int_eq(call(SYS_unshare, A(0)), 0);
	ck_assert_int_eq(pi(&E, 0), 0);
	build(SYS_unshare, A(CLONE_NEWNS | CLONE_FILES | CLONE_NEWUSER), -EPERM);
	ck_assert_int_eq(pi(&E, 0), UDIG_CLONE_NEWNS | UDIG_CLONE_FILES | UDIG_CLONE_NEWUSER);
	build(SYS_setns, A(5, CLONE_NEWNET), -EINVAL);
	ck_assert_int_eq(pi(&E, 0), 5);
	ck_assert_int_eq(pi(&E, 1), UDIG_CLONE_NEWNET);

	/* ptrace: PEEKDATA stores the word at *data; CONT's data is a signal */
	{
		uint64_t word = 0x1122334455667788ull, out = 0;
		build(SYS_ptrace, A(PTRACE_PEEKDATA, 77, 0x1000, U(&word)), 0);
		ck_assert_int_eq(pi(&E, 0), UDIG_PTRACE_PEEKDATA);
		ck_assert_int_eq(pi(&E, 1), 77);
		ck_assert_uint_eq(pdyn_idx(&X, 1), 0);
		ck_assert_uint_eq(pdyn_u64(&X, 1), 0x1000);
		ck_assert_uint_eq(pdyn_idx(&X, 2), 0);
		ck_assert_uint_eq(pdyn_u64(&X, 2), word);
		build(SYS_ptrace, A(PTRACE_CONT, 77, 0, SIGSTOP), 0);
		ck_assert_int_eq(pi(&E, 0), UDIG_PTRACE_CONT);
		ck_assert_uint_eq(pdyn_idx(&X, 2), 1);
		ck_assert_uint_eq(X.vlen[2], 2);
		ck_assert_uint_eq(pdyn_u64(&X, 2), SIGSTOP);
		build(SYS_ptrace, A(PTRACE_SEIZE, 77, 0, 0), -ESRCH);
		ck_assert_int_eq(pi(&E, 0), UDIG_PTRACE_SEIZE);
		ck_assert_uint_eq(pdyn_u64(&X, 1), 0);
		(void)out;
	}
	/* bpf: res_or_fd is an fd (index 0) or an errno (index 1) */
	build(SYS_bpf, A(5, 0, 0), 7);
	ck_assert_int_eq(pi(&E, 0), 5);
	ck_assert_uint_eq(pdyn_idx(&X, 0), 0);
	ck_assert_uint_eq(pdyn_u64(&X, 0), 7);
	build(SYS_bpf, A(5, 0, 0), -EPERM);
	ck_assert_uint_eq(pdyn_idx(&X, 0), 1);
	ck_assert_int_eq((int64_t)pdyn_u64(&X, 0), -EPERM);
	build(SYS_seccomp, A(1, 0, 0), -EFAULT);
	ck_assert_int_eq(pi(&E, 0), 1);
	ck_assert_int_eq(pi(&X, 0), -EFAULT);
}
END_TEST

START_TEST(semaphores)
{
	struct { unsigned short num; short op, flg; } sops[2] = { { 0, 1, IPC_NOWAIT }, { 0, -1, SEM_UNDO } };
	int64_t id = call(SYS_semget, A(IPC_PRIVATE, 1, IPC_CREAT | 0600));

	ck_assert_int_ge(id, 0);
	ck_assert_int_eq(pi(&E, 0), 0);
	ck_assert_int_eq(pi(&E, 1), 1);
	ck_assert_int_eq(pi(&E, 2), UDIG_IPC_CREAT);
	ck_assert_int_eq(pi(&X, 0), id);
	ck_assert_int_eq(call(SYS_semop, A((uint64_t)id, U(sops), 2)), 0);
	ck_assert_int_eq(pi(&E, 0), id);
	ck_assert_int_eq(pi(&X, 1), 2);
	ck_assert_int_eq(pi(&X, 2), 0);
	ck_assert_int_eq(pi(&X, 3), 1);
	ck_assert_int_eq(pi(&X, 4), UDIG_IPC_NOWAIT);
	ck_assert_int_eq(pi(&X, 6), -1);
	ck_assert_int_eq(pi(&X, 7), UDIG_SEM_UNDO);
	ck_assert_int_eq(call(SYS_semctl, A((uint64_t)id, 0, 16 /* SETVAL */, 5)), 0);
	ck_assert_int_eq(pi(&E, 2), UDIG_SETVAL);
	ck_assert_int_eq(pi(&E, 3), 5);
	ck_assert_int_eq(call(SYS_semctl, A((uint64_t)id, 0, IPC_RMID, 9)), 0);
	ck_assert_int_eq(pi(&E, 2), UDIG_IPC_RMID);
	ck_assert_int_eq(pi(&E, 3), 0);
	/* quotactl: command and type split, special path on exit */
	build(SYS_quotactl, A((0x800007u << 8) | 1 /* GETQUOTA, GRPQUOTA */, U("/dev/sda1"), 1000, 0), -EPERM);
	ck_assert_int_eq(pi(&E, 0), UDIG_Q_GETQUOTA);
	ck_assert_int_eq(pi(&E, 1), UDIG_GRPQUOTA);
	ck_assert_int_eq(pi(&E, 2), 1000);
	ck_assert_int_eq(pi(&E, 3), UDIG_QFMT_NOT_USED);
	ck_assert_str_eq(ps(&X, 1), "/dev/sda1");
	ck_assert_str_eq(ps(&X, 2), "(NULL)");
}
END_TEST

/* ------------------------------------------------------------ generic, procexit */

START_TEST(generic_events)
{
	build(SYS_getpid, A(0), getpid());
	ck_assert_uint_eq(E.type, UEV_GENERIC_E);
	ck_assert_int_eq(pi(&E, 0), USC_GETPID);
	ck_assert_int_eq(pi(&E, 1), SYS_getpid);
	ck_assert_uint_eq(X.type, UEV_GENERIC_X);
	ck_assert_int_eq(pi(&X, 0), USC_GETPID);
	/* chown: in the schema but generic */
	build(SYS_chown, A(U("/x"), 0, 0), -ENOENT);
	ck_assert_int_eq(pi(&E, 0), USC_CHOWN);
	ck_assert_int_eq(pi(&E, 1), SYS_chown);
	/* pause: UF_USED yet mapped to the generic events */
	build(SYS_pause, A(0), -EINTR);
	ck_assert_uint_eq(E.type, UEV_GENERIC_E);
	ck_assert_int_eq(pi(&E, 0), USC_PAUSE);
	/* numbers without a syscall, and beyond the table */
	build(400, A(0), -ENOSYS);
	ck_assert_int_eq(pi(&E, 0), 0);
	ck_assert_int_eq(pi(&E, 1), 400);
	build(1000, A(0), -ENOSYS);
	ck_assert_uint_eq(E.type, UEV_GENERIC_E);
	ck_assert_int_eq(pi(&E, 0), 0);
	ck_assert_int_eq(pi(&E, 1), 1000);
	ck_assert_int_eq(pi(&X, 0), 0);
}
END_TEST

START_TEST(procexit_from_wait_status)
{
	uint8_t b[128];
	struct udig_evt ev;
	pid_t c;
	int ws;

	ck_assert_uint_gt(udig_fill_procexit(5, 42, 3 << 8, b, sizeof b), 0);
	ck_assert_int_eq(udig_evt_parse(b, sizeof b, &ev, NULL), UDIG_OK);
	ck_assert_uint_eq(ev.type, UEV_PROCEXIT_1_E);
	ck_assert_uint_eq(ev.tid, 42);
	ck_assert_int_eq(pi(&ev, 0), 3 << 8);
	ck_assert_int_eq(pi(&ev, 1), 3);
	ck_assert_int_eq(pi(&ev, 2), 0);
	ck_assert_int_eq(pi(&ev, 3), 0);

	/* a real child killed by a signal */
	c = fork();
	ck_assert_int_ge(c, 0); /* never kill(-1, ...) */
	if (c == 0) {
		pause();
		_exit(0);
	}
	kill(c, SIGKILL);
	ck_assert_int_eq(waitpid(c, &ws, 0), c);
	ck_assert_uint_gt(udig_fill_procexit(5, c, ws, b, sizeof b), 0);
	ck_assert_int_eq(udig_evt_parse(b, sizeof b, &ev, NULL), UDIG_OK);
	ck_assert_int_eq(pi(&ev, 0), ws);
	ck_assert_int_eq(pi(&ev, 1), 0);
	ck_assert_int_eq(pi(&ev, 2), SIGKILL);
	ck_assert_int_eq(pi(&ev, 3), 0);

	/* core dumped by SIGABRT */
	ck_assert_uint_gt(udig_fill_procexit(5, 42, SIGABRT | 0x80, b, sizeof b), 0);
	ck_assert_int_eq(udig_evt_parse(b, sizeof b, &ev, NULL), UDIG_OK);
	ck_assert_int_eq(pi(&ev, 2), SIGABRT);
	ck_assert_int_eq(pi(&ev, 3), 1);
	/* too small a buffer: nothing */
	ck_assert_uint_eq(udig_fill_procexit(5, 42, 0, b, 20), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("fillers-families");
	TCase *t = tcase_create("families");
	SRunner *r;
	int failed;

	tcase_set_timeout(t, 60);
	tcase_add_test(t, open_openat_creat);
	tcase_add_test(t, open_paths_cut_and_bad_pointers);
	tcase_add_test(t, read_write_snaplen);
	tcase_add_test(t, pread_pwrite_vectored);
	tcase_add_test(t, sendfile_copy_splice);
	tcase_add_test(t, fd_family);
	tcase_add_test(t, fs_family);
	tcase_add_test(t, mm_family);
	tcase_add_test(t, signal_family);
	tcase_add_test(t, poll_ppoll);
	tcase_add_test(t, misc_family);
	tcase_add_test(t, semaphores);
	tcase_add_test(t, generic_events);
	tcase_add_test(t, procexit_from_wait_status);
	suite_add_tcase(s, t);
	r = srunner_create(s);
	srunner_run_all(r, CK_NORMAL);
	failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? 1 : 0;
}
