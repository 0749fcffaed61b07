/*
 * The launch filter (inject/filter.c), run by the kernel: a child installs
 * it with SECCOMP_RET_ERRNO as the action, so that "the engine would see
 * this syscall" shows as that errno, and tries syscalls of each ABI.
 */
#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "inject/filter.h"
#include "inject/inject.h"

#define SEEN 77           /* the errno that stands for the engine's action */
#define X32_BIT 0x40000000L

/* An i386 syscall through int 0x80: its result, -errno on failure.
 * Without ia32 emulation int 0x80 raises SIGSEGV instead. */
static long i386_syscall(long nr)
{
	long r = nr;
	__asm__ volatile("int $0x80" : "+a"(r) : "b"(0L), "c"(0L), "d"(0L) : "memory");
	return r;
}

enum probe { P_OPENAT_RAW, P_GETPPID, P_FORK, P_X32_FORK, P_I386_FORK, P_I386_GETPID };

/* In a child with the filter: the probe's result as exit status 0 (seen,
 * i.e. errno SEEN), 1 (let through) or 2 (could not tell). */
static int run_probe(const uint8_t *mask, int all_creators, enum probe what)
{
	struct sock_filter *prog = calloc(INJ_FILTER_MAX, sizeof *prog);
	ck_assert_ptr_nonnull(prog);
	unsigned len = inj_filter_build(mask, SECCOMP_RET_ERRNO | SEEN, 0, all_creators, prog);
	ck_assert_uint_le(len, INJ_FILTER_MAX);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		long r;
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || inj_filter_install(prog, len, 0) < 0)
			_exit(3);
		switch (what) {
		case P_OPENAT_RAW:
			r = syscall(SYS_openat, -100, "/", 0);
			break;
		case P_GETPPID:
			r = syscall(SYS_getppid);
			break;
		case P_FORK:
			r = syscall(SYS_fork);
			if (r == 0)
				_exit(0); /* the new task, let through */
			break;
		case P_X32_FORK:
			/* Without x32 support the kernel answers ENOSYS after the filter. */
			r = syscall(X32_BIT | SYS_fork);
			if (r == 0)
				_exit(0);
			break;
		case P_I386_FORK:
			/* without ia32 emulation int 0x80 faults: die of it (a
			 * sanitizer's handler would turn it into an exit status) */
			signal(SIGSEGV, SIG_DFL);
			r = i386_syscall(2);
			if (r == 0)
				_exit(0);
			if (r < 0 && r != -SEEN)
				_exit(2);
			_exit(r == -SEEN ? 0 : 1);
		case P_I386_GETPID:
			signal(SIGSEGV, SIG_DFL);
			r = i386_syscall(20);
			if (r < 0 && r != -SEEN)
				_exit(2);
			_exit(r == -SEEN ? 0 : 1);
		}
		_exit(r < 0 && errno == SEEN ? 0 : 1);
	}
	free(prog);
	/* (A fork let through leaves a grandchild that exits at once.) */
	int st;
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	if (WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV && (what == P_I386_FORK || what == P_I386_GETPID))
		return 2; /* no ia32 emulation: int 0x80 faults */
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) <= 2, "probe %d: status %#x", what, st);
	return WEXITSTATUS(st);
}

static void mask_of(uint8_t *mask, const long *nrs, unsigned n)
{
	memset(mask, 0, INJECT_MASK_BYTES);
	for (unsigned i = 0; i < n; i++)
		mask[nrs[i] >> 3] |= (uint8_t)(1u << (nrs[i] & 7));
}

START_TEST(selected_native_only)
{
	uint8_t mask[INJECT_MASK_BYTES];
	const long sel[] = { SYS_openat };
	mask_of(mask, sel, 1);
	ck_assert_int_eq(run_probe(mask, 0, P_OPENAT_RAW), 0);
	ck_assert_int_eq(run_probe(mask, 0, P_GETPPID), 1);
	ck_assert_int_eq(run_probe(mask, 0, P_FORK), 1);
	ck_assert_int_eq(run_probe(mask, 0, P_X32_FORK), 1);
	/* an i386 getpid is not a native getpid: never seen */
	ck_assert_int_ne(run_probe(mask, 0, P_I386_GETPID), 0);
}
END_TEST

START_TEST(every_task_creator_when_asked)
{
	uint8_t mask[INJECT_MASK_BYTES];
	const long sel[] = { SYS_openat };
	mask_of(mask, sel, 1);
	ck_assert_int_eq(run_probe(mask, 1, P_OPENAT_RAW), 0);
	ck_assert_int_eq(run_probe(mask, 1, P_GETPPID), 1);
	/* unselected, but a task creator: seen, native and x32 */
	ck_assert_int_eq(run_probe(mask, 1, P_FORK), 0);
	ck_assert_int_eq(run_probe(mask, 1, P_X32_FORK), 0);
	int r = run_probe(mask, 1, P_I386_FORK);
	if (r != 2)
		ck_assert_int_eq(r, 0);
	ck_assert_int_ne(run_probe(mask, 1, P_I386_GETPID), 0);
}
END_TEST

START_TEST(creates_task_by_abi)
{
	ck_assert(inj_filter_creates_task(AUDIT_ARCH_X86_64, SYS_clone));
	ck_assert(inj_filter_creates_task(AUDIT_ARCH_X86_64, SYS_clone3));
	ck_assert(inj_filter_creates_task(AUDIT_ARCH_X86_64, SYS_fork));
	ck_assert(inj_filter_creates_task(AUDIT_ARCH_X86_64, SYS_vfork));
	ck_assert(inj_filter_creates_task(AUDIT_ARCH_X86_64, X32_BIT | SYS_clone));
	ck_assert(!inj_filter_creates_task(AUDIT_ARCH_X86_64, SYS_getppid));
	ck_assert(inj_filter_creates_task(AUDIT_ARCH_I386, 120));
	ck_assert(inj_filter_creates_task(AUDIT_ARCH_I386, 2));
	ck_assert(inj_filter_creates_task(AUDIT_ARCH_I386, 190));
	ck_assert(inj_filter_creates_task(AUDIT_ARCH_I386, 435));
	/* i386 56 is mpx, not clone */
	ck_assert(!inj_filter_creates_task(AUDIT_ARCH_I386, SYS_clone));
	ck_assert(!inj_filter_creates_task(AUDIT_ARCH_AARCH64, SYS_clone));
}
END_TEST

START_TEST(largest_filter_fits)
{
	uint8_t mask[INJECT_MASK_BYTES];
	struct sock_filter *prog = calloc(INJ_FILTER_MAX, sizeof *prog);
	ck_assert_ptr_nonnull(prog);
	memset(mask, 0xff, sizeof mask);
	unsigned len = inj_filter_build(mask, SECCOMP_RET_ERRNO | SEEN, 0x1122334455667788ull, 1, prog);
	ck_assert_uint_le(len, INJ_FILTER_MAX);
	ck_assert_uint_le(len, BPF_MAXINSNS);
	free(prog);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("inject filter");
	TCase *tc = tcase_create("filter");
	tcase_add_test(tc, selected_native_only);
	tcase_add_test(tc, every_task_creator_when_asked);
	tcase_add_test(tc, creates_task_by_abi);
	tcase_add_test(tc, largest_filter_fits);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
