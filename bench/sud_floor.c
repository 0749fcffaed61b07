/*
 * sud_floor [--armed] getppid|openclose|openreadclose N — the same loop as
 * bench/loop.c, with Syscall User Dispatch armed and a SIGSYS handler that
 * only performs the syscall: the cost no SUD-based tracer can go below
 * (specs/intercept-costs.md measured ~2.6-2.8 us per syscall on these
 * machines).
 *
 * --armed: dispatch on, the selector left at ALLOW, nothing trapped.  What
 * remains is the kernel's tax on every syscall of a task with dispatch on
 * (it takes the slow entry and exit path), which a rewritten site pays too:
 * the floor of the fast path.
 * --seccomp (before the pattern, with or without --armed): first a seccomp
 * filter that allows everything, as the auto engine's exec filter does for
 * every call but execve: what such a filter adds. */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/syscall.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>
#include "loop_pattern.h"

#ifndef SA_RESTORER
#define SA_RESTORER 0x04000000
#endif

#ifndef PR_SET_SYSCALL_USER_DISPATCH
#define PR_SET_SYSCALL_USER_DISPATCH 59
#define PR_SYS_DISPATCH_OFF 0
#define PR_SYS_DISPATCH_ON 1
#define SYSCALL_DISPATCH_FILTER_ALLOW 0
#define SYSCALL_DISPATCH_FILTER_BLOCK 1
#endif

/* Everything that may make a syscall while dispatch is on lives in this
 * section, which is the excluded (allowed) range. */
#define ALLOWED __attribute__((section("sud_floor_text"), noinline))
extern const char __start_sud_floor_text[], __stop_sud_floor_text[];

static volatile char selector = SYSCALL_DISPATCH_FILTER_ALLOW;

ALLOWED static long raw6(long nr, long a, long b, long c, long d, long e, long f)
{
	long ret;
	register long r10 __asm__("r10") = d, r8 __asm__("r8") = e, r9 __asm__("r9") = f;
	__asm__ volatile("syscall" : "=a"(ret) : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

ALLOWED static void handler(int sig, siginfo_t *si, void *vctx)
{
	ucontext_t *uc = vctx;
	greg_t *g = uc->uc_mcontext.gregs;
	(void)sig;
	(void)si;
	g[REG_RAX] = raw6(g[REG_RAX], g[REG_RDI], g[REG_RSI], g[REG_RDX], g[REG_R10], g[REG_R8], g[REG_R9]);
}

/* The signal return must also come from the allowed range. */
__asm__(".section sud_floor_text,\"ax\",@progbits\n"
	"sud_floor_restorer:\n\tmov $15, %eax\n\tsyscall\n"
	".previous\n");
extern void sud_floor_restorer(void);

struct ksigaction {
	void (*handler)(int, siginfo_t *, void *);
	unsigned long flags;
	void (*restorer)(void);
	unsigned long mask;
};

int main(int argc, char **argv)
{
	int pattern, armed = 0, filtered = 0, k = 1;
	long n;
	for (; k < argc && !strncmp(argv[k], "--", 2); k++) {
		if (!strcmp(argv[k], "--armed"))
			armed = 1;
		else if (!strcmp(argv[k], "--seccomp"))
			filtered = 1;
		else
			break;
	}
	if (loop_args(argc - k + 1, argv + k - 1, "sud_floor [--armed] [--seccomp]", &pattern, &n))
		return 2;
	if (filtered) {
		struct sock_filter allow = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
		struct sock_fprog prog = { 1, &allow };
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) || syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog)) {
			perror("sud_floor: installing the seccomp filter");
			return 1;
		}
	}
	struct ksigaction sa = { handler, SA_SIGINFO | SA_RESTORER | 0x40000000 /* SA_NODEFER */,
				 sud_floor_restorer, 0 };
	if (syscall(SYS_rt_sigaction, SIGSYS, &sa, NULL, 8) ||
	    prctl(PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_ON, (unsigned long)__start_sud_floor_text,
		  (unsigned long)(__stop_sud_floor_text - __start_sud_floor_text), &selector)) {
		perror("sud_floor: arming Syscall User Dispatch");
		return 1;
	}
	if (!armed)
		selector = SYSCALL_DISPATCH_FILTER_BLOCK;
	double t = loop_time(pattern, n);
	selector = SYSCALL_DISPATCH_FILTER_ALLOW;
	printf("%.1f\n", t);
	return 0;
}
