/*
 * Process fillers: clone/fork exits in the parent and in a real child,
 * clone flags, failed clones, execve exits from /proc/self, failed
 * execve with the call's own argv/envp, comm as the task holds it and the
 * soft fd limit as it is now.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/sched.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "harness.h"

static size_t slurp(const char *path, char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY);
	size_t n = 0;
	ssize_t r;

	ck_assert_int_ge(fd, 0);
	while (n < cap && (r = read(fd, buf + n, cap - n)) > 0)
		n += (size_t)r;
	close(fd);
	return n;
}

static void check_common(const struct udig_evt *ev, int64_t tid, int64_t pid, int64_t ptid)
{
	char cmd[4096], comm[64], cwd[512];
	size_t n = slurp("/proc/self/cmdline", cmd, sizeof cmd), exe_len = strlen(cmd) + 1;
	struct rlimit rl;

	ck_assert_str_eq(ps(ev, 1), cmd);
	ck_assert(pbytes(ev, 2, cmd + exe_len, n - exe_len));
	ck_assert_int_eq(pi(ev, 3), tid);
	ck_assert_int_eq(pi(ev, 4), pid);
	ck_assert_int_eq(pi(ev, 5), ptid);
	ck_assert_ptr_nonnull(getcwd(cwd, sizeof cwd));
	ck_assert_str_eq(ps(ev, 6), cwd);
	getrlimit(RLIMIT_NOFILE, &rl);
	ck_assert_int_eq(pi(ev, 7), (int64_t)rl.rlim_cur);
	ck_assert_uint_gt((uint64_t)pi(ev, 9), 0);   /* minor faults */
	ck_assert_uint_gt((uint32_t)pi(ev, 10), 0);  /* vm_size */
	ck_assert_uint_gt((uint32_t)pi(ev, 11), 0);  /* vm_rss */
	n = slurp("/proc/self/comm", comm, sizeof comm - 1);
	comm[n ? n - 1 : 0] = 0;
	ck_assert_str_eq(ps(ev, 13), comm);
	/* cgroups: subsys=path pairs */
	ck_assert_uint_gt(ev->vlen[14], 0);
	ck_assert_ptr_nonnull(memchr(ev->val[14], '=', ev->vlen[14]));
	ck_assert_uint_eq(ev->val[14][ev->vlen[14] - 1], 0);
}

START_TEST(fork_parent_and_child)
{
	int p[2];
	pid_t c;
	static uint8_t rec[1 << 16];
	ssize_t n = 0, r;
	struct udig_evt ev;
	char err[128];

	ck_assert_int_eq(pipe(p), 0);
	c = fork();
	if (c == 0) {
		/* the child-side exit: res 0, the child's facts */
		build(SYS_fork, A(0), 0);
		if (write(p[1], xbuf, xlen) != (ssize_t)xlen)
			_exit(2);
		_exit(0);
	}
	close(p[1]);
	while ((r = read(p[0], rec + n, sizeof rec - (size_t)n)) > 0)
		n += r;
	{
		int ws;
		ck_assert_int_eq(waitpid(c, &ws, 0), c);
		ck_assert(WIFEXITED(ws) && WEXITSTATUS(ws) == 0);
	}
	ck_assert_int_gt(n, 0);
	ck_assert_int_eq(udig_evt_parse(rec, (size_t)n, &ev, err), UDIG_OK);
	ck_assert_uint_eq(ev.type, UEV_SYSCALL_FORK_20_X);
	ck_assert_uint_eq(ev.nparams, 20);
	ck_assert_uint_eq(ev.tid, (uint64_t)c);
	ck_assert_int_eq(pi(&ev, 0), 0);
	check_common(&ev, c, c, getpid());
	ck_assert_int_eq(pi(&ev, 15), 0);          /* fork: no clone flags */
	ck_assert_int_eq(pi(&ev, 16), geteuid());
	ck_assert_int_eq(pi(&ev, 17), getegid());
	ck_assert_int_eq(pi(&ev, 18), c);          /* vtid */
	ck_assert_int_eq(pi(&ev, 19), c);          /* vpid */
	close(p[0]);

	/* the parent-side exit: res = child, the parent's facts */
	build(SYS_fork, A(0), c);
	ck_assert_uint_eq(E.type, UEV_SYSCALL_FORK_20_E);
	ck_assert_uint_eq(E.nparams, 0);
	ck_assert_int_eq(pi(&X, 0), c);
	check_common(&X, syscall(SYS_gettid), getpid(), getppid());
	ck_assert_int_eq(pi(&X, 18), syscall(SYS_gettid));
}
END_TEST

START_TEST(clone_flags_and_failures)
{
	struct clone_args ca;

	build(SYS_clone, A(CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM |
			   CLONE_SETTLS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID, 0, 0, 0, 0), 4242);
	ck_assert_uint_eq(X.type, UEV_SYSCALL_CLONE_20_X);
	ck_assert_int_eq(pi(&X, 0), 4242);
	ck_assert_int_eq(pi(&X, 15), UDIG_CLONE_VM | UDIG_CLONE_FS | UDIG_CLONE_FILES | UDIG_CLONE_SIGHAND |
					     UDIG_CLONE_THREAD | UDIG_CLONE_SYSVSEM | UDIG_CLONE_SETTLS |
					     UDIG_CLONE_PARENT_SETTID | UDIG_CLONE_CHILD_CLEARTID);

	memset(&ca, 0, sizeof ca);
	ca.flags = CLONE_VFORK | CLONE_VM | CLONE_PIDFD;
	build(SYS_clone3, A(U(&ca), sizeof ca), 4243);
	ck_assert_uint_eq(X.type, UEV_SYSCALL_CLONE3_X);
	ck_assert_int_eq(pi(&X, 15), UDIG_CLONE_VFORK | UDIG_CLONE_VM);

	/* failed clone: empty exe and args, the rest still filled */
	build(SYS_vfork, A(0), -EAGAIN);
	ck_assert_int_eq(pi(&X, 0), -EAGAIN);
	ck_assert_uint_eq(X.vlen[1], 1);
	ck_assert_str_eq(ps(&X, 1), "");
	ck_assert_uint_eq(X.vlen[2], 0);
	ck_assert_int_eq(pi(&X, 4), getpid());
}
END_TEST

START_TEST(execve_exit_facts)
{
	char env[4096], sb[1024], lu[32];
	size_t n = slurp("/proc/self/environ", env, sizeof env);
	struct stat st;
	int64_t tty = 0;
	char *p;

	build(SYS_execve, A(U("/bin/true"), 0, 0), 0);
	ck_assert_uint_eq(E.type, UEV_SYSCALL_EXECVE_19_E);
	ck_assert_str_eq(ps(&E, 0), "/bin/true");
	ck_assert_uint_eq(X.type, UEV_SYSCALL_EXECVE_19_X);
	ck_assert_uint_eq(X.nparams, 20);
	ck_assert_int_eq(pi(&X, 0), 0);
	check_common(&X, syscall(SYS_gettid), getpid(), getppid());
	/* env: the initial environment, capped at a page, NUL-terminated */
	if (n == sizeof env)
		env[n - 1] = 0;
	ck_assert(pbytes(&X, 15, env, n));
	sb[slurp("/proc/self/stat", sb, sizeof sb - 1)] = 0;
	p = strrchr(sb, ')');
	ck_assert_ptr_nonnull(p);
	{
		long f[5];
		ck_assert_int_eq(sscanf(p + 2, "%*c %ld %ld %ld %ld", &f[0], &f[1], &f[2], &f[3]), 4);
		tty = f[3];
		ck_assert_int_eq(pi(&X, 17), f[1]); /* pgid */
	}
	ck_assert_int_eq(pi(&X, 16), (int32_t)tty);
	ck_assert_int_eq(pi(&X, 17), getpgrp());
	n = slurp("/proc/self/loginuid", lu, sizeof lu - 1);
	lu[n] = 0;
	ck_assert_int_eq(pi(&X, 18), (int32_t)strtoul(lu, NULL, 10));
	ck_assert_int_eq(stat("/proc/self/exe", &st), 0);
	ck_assert_int_eq(pi(&X, 19), (st.st_uid == geteuid() || access("/proc/self/exe", W_OK) == 0) ? UDIG_EXE_WRITABLE : 0);
}
END_TEST

START_TEST(execve_failed_uses_arguments)
{
	const char *argv[] = { "prog", "a1", "a2", NULL };
	const char *envp[] = { "X=1", "Y=2", NULL };

	ck_assert_int_eq(call(SYS_execve, A(U("/nonexistent/prog"), U(argv), U(envp))), -ENOENT);
	ck_assert_str_eq(ps(&E, 0), "/nonexistent/prog");
	ck_assert_int_eq(pi(&X, 0), -ENOENT);
	ck_assert_str_eq(ps(&X, 1), "prog");
	ck_assert(pbytes(&X, 2, "a1\0a2", 6));
	ck_assert(pbytes(&X, 15, "X=1\0Y=2", 8));
	ck_assert_int_eq(pi(&X, 3), syscall(SYS_gettid));

	ck_assert_int_eq(call(SYS_execveat, A((uint64_t)AT_FDCWD, U("nope"), U(argv), U(envp), AT_EMPTY_PATH)), -ENOENT);
	ck_assert_uint_eq(E.type, UEV_SYSCALL_EXECVEAT_E);
	ck_assert_int_eq(pi(&E, 0), -100);
	ck_assert_str_eq(ps(&E, 1), "nope");
	ck_assert_int_eq(pi(&E, 2), UDIG_EXECVEAT_FLAGS_AT_EMPTY_PATH);
	ck_assert_uint_eq(X.type, UEV_SYSCALL_EXECVEAT_X);
	ck_assert_str_eq(ps(&X, 1), "prog");
	ck_assert(pbytes(&X, 15, "X=1\0Y=2", 8));

	/* unreadable argv: empty exe and args, as the driver */
	build(SYS_execve, A(U("/bin/true"), 16, 0), -EFAULT);
	ck_assert_str_eq(ps(&X, 1), "");
	ck_assert_uint_eq(X.vlen[2], 0);
	ck_assert_uint_eq(X.vlen[15], 0);
}
END_TEST

/* comm is task->comm as the driver copies it, a newline at its end and a
 * ") (" inside included, and fdlimit the soft limit of the moment. */
START_TEST(raw_comm_and_soft_fdlimit)
{
	char old[17] = "";
	struct rlimit rl, was;
	ck_assert_int_eq(prctl(PR_GET_NAME, old), 0);
	ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &was), 0);
	rl = was;
	rl.rlim_cur = was.rlim_max < 777 ? was.rlim_max : 777;
	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &rl), 0);
	ck_assert_int_eq(prctl(PR_SET_NAME, "a\\b) (c\n"), 0);
	build(SYS_fork, A(0), 4242);
	ck_assert_str_eq(ps(&X, 13), "a\\b) (c\n");
	ck_assert_int_eq(pi(&X, 7), (int64_t)rl.rlim_cur);
	ck_assert_int_eq(prctl(PR_SET_NAME, old), 0);
	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &was), 0);
	build(SYS_fork, A(0), 4242);
	ck_assert_str_eq(ps(&X, 13), old);
	ck_assert_int_eq(pi(&X, 7), was.rlim_cur == RLIM_INFINITY ? -1 : (int64_t)was.rlim_cur);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("fillers-proc");
	TCase *t = tcase_create("proc");
	SRunner *r;
	int failed;

	tcase_set_timeout(t, 60);
	tcase_add_test(t, fork_parent_and_child);
	tcase_add_test(t, clone_flags_and_failures);
	tcase_add_test(t, execve_exit_facts);
	tcase_add_test(t, execve_failed_uses_arguments);
	tcase_add_test(t, raw_comm_and_soft_fdlimit);
	suite_add_tcase(s, t);
	r = srunner_create(s);
	srunner_run_all(r, CK_NORMAL);
	failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? 1 : 0;
}
