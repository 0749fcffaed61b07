/* SIGSEGV and SIGBUS under capture: bad pointers handed to syscalls (the
 * fillers read them without crashing), and the program's own fault
 * handlers — siglongjmp, SA_RESETHAND, sa_mask and SA_NODEFER, the
 * alternate stack on stack overflow, SIGBUS past the end of a file, SIG_IGN
 * (kept across execve), and death by fault with the default action. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static sigjmp_buf jb;
static volatile int hits, segv_blocked = -1, usr1_blocked = -1, on_alt = -1;
static volatile int last_code;
static char *fixme;
static long page;

static void note_mask(void)
{
	sigset_t cur;

	sigprocmask(SIG_BLOCK, NULL, &cur);
	segv_blocked = sigismember(&cur, SIGSEGV);
	usr1_blocked = sigismember(&cur, SIGUSR1);
}

static void on_fault_jump(int sig, siginfo_t *si, void *uc)
{
	stack_t ss;

	(void)uc;
	hits++;
	last_code = sig * 100 + si->si_code;
	note_mask();
	sigaltstack(NULL, &ss);
	on_alt = (ss.ss_flags & SS_ONSTACK) != 0;
	siglongjmp(jb, 1);
}

/* Makes the faulting page readable and returns: the access is retried. */
static void on_fault_fix(int sig)
{
	(void)sig;
	hits++;
	mprotect(fixme, page, PROT_READ | PROT_WRITE);
}

static int set(int sig, void (*h)(int, siginfo_t *, void *), int flags, int mask_usr1)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = h;
	sa.sa_flags = SA_SIGINFO | flags;
	if (mask_usr1)
		sigaddset(&sa.sa_mask, SIGUSR1);
	return sigaction(sig, &sa, NULL);
}

static volatile char sink;
static volatile int never = -1;
/* Addresses the compiler cannot see through. */
static char *volatile low16 = (char *)16, *volatile low8 = (char *)8;

static int recurse(int n)
{
	volatile char pad[512];

	if (n == never)
		return 0;
	pad[0] = (char)n;
	return recurse(n + 1) + pad[0];
}

/* A child that must die of a signal: prints how it ended. */
static void dies(const char *what, void (*body)(void))
{
	int st;
	pid_t p;

	fflush(stdout);
	p = fork();
	if (p == 0) {
		/* never back into main through a handler's siglongjmp */
		signal(SIGSEGV, SIG_DFL);
		signal(SIGBUS, SIG_DFL);
		body();
		_exit(0);
	}
	waitpid(p, &st, 0);
	printf("%s: signaled=%d sig=%d\n", what, WIFSIGNALED(st), WIFSIGNALED(st) ? WTERMSIG(st) : 0);
}

static void null_deref(void)
{
	signal(SIGSEGV, SIG_DFL);
	sink = *low16;
}

static void null_deref_ignored(void)
{
	signal(SIGSEGV, SIG_IGN);
	sink = *low16;
}

static void kill_bus(void)
{
	signal(SIGBUS, SIG_DFL);
	kill(getpid(), SIGBUS);
}

static int ignored(int sig)
{
	struct sigaction q;

	sigaction(sig, NULL, &q);
	return q.sa_handler == SIG_IGN;
}

int main(int argc, char **argv)
{
	static char alt[256 * 1024];
	stack_t ss = { .ss_sp = alt, .ss_size = sizeof alt };
	struct sigaction q;
	char *two, *end;
	char tmpl[] = "/tmp/tp_faults.XXXXXX";
	int fd;
	long r;

	if (argc > 1 && strcmp(argv[1], "ignored") == 0) {
		printf("after exec: SIGSEGV ignored=%d SIGBUS ignored=%d SIGSYS ignored=%d\n",
		       ignored(SIGSEGV), ignored(SIGBUS), ignored(SIGSYS));
		return 0;
	}
	page = sysconf(_SC_PAGESIZE);
	/* a readable page followed by an unreadable one */
	two = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (two == MAP_FAILED || mprotect(two + page, page, PROT_NONE))
		return 2;

	/* bad pointers given to the kernel: the same errors, no crash */
	memset(two, 'a', page);
	end = two + page - 5;
	errno = 0;
	r = open(end, O_RDONLY);
	printf("open(path running into PROT_NONE) = %ld %s\n", r, strerror(errno));
	errno = 0;
	r = open(two + page, O_RDONLY);
	printf("open(PROT_NONE) = %ld %s\n", r, strerror(errno));
	errno = 0;
	r = syscall(SYS_openat, AT_FDCWD, (char *)0x8000000000000000ull, O_RDONLY);
	printf("openat(non-canonical) = %ld %s\n", r, strerror(errno));
	errno = 0;
	r = syscall(SYS_openat, AT_FDCWD, (char *)0xffffffffff600000ull, O_RDONLY);
	printf("openat(kernel half) = %ld %s\n", r, strerror(errno));
	errno = 0;
	r = write(1, two + page - 8, 64);
	printf("\nwrite(buffer running into PROT_NONE) = %ld %s\n", r, strerror(errno));
	errno = 0;
	r = syscall(SYS_stat, low16, (void *)(two + page));
	printf("stat(bad, bad) = %ld %s\n", r, strerror(errno));

	/* the default action is what it reads back before the program sets one */
	sigaction(SIGSEGV, NULL, &q);
	printf("SIGSEGV initially default: %d\n", q.sa_handler == SIG_DFL);

	/* own handler, siglongjmp out; SIGSEGV blocked in it, sa_mask applied */
	set(SIGSEGV, on_fault_jump, 0, 1);
	sigaction(SIGSEGV, NULL, &q);
	printf("handler reads back: %d\n", q.sa_sigaction == on_fault_jump);
	if (!sigsetjmp(jb, 1))
		sink = *(volatile char *)(two + page);
	printf("caught: hits=%d code=%d segv_blocked=%d usr1_blocked=%d\n", hits, last_code,
	       segv_blocked, usr1_blocked);

	/* SA_NODEFER: SIGSEGV not blocked in the handler */
	set(SIGSEGV, on_fault_jump, SA_NODEFER, 0);
	if (!sigsetjmp(jb, 1))
		sink = *low8;
	printf("nodefer: hits=%d code=%d segv_blocked=%d usr1_blocked=%d\n", hits, last_code,
	       segv_blocked, usr1_blocked);

	/* SA_RESETHAND, handler that repairs and returns */
	memset(&q, 0, sizeof q);
	q.sa_handler = on_fault_fix;
	q.sa_flags = SA_RESETHAND;
	sigaction(SIGSEGV, &q, NULL);
	fixme = two + page;
	sink = *(volatile char *)(two + page);
	sigaction(SIGSEGV, NULL, &q);
	printf("resethand: hits=%d now default=%d\n", hits, q.sa_handler == SIG_DFL);
	mprotect(two + page, page, PROT_NONE);

	/* stack overflow, caught on the alternate stack */
	if (sigaltstack(&ss, NULL))
		return 2;
	set(SIGSEGV, on_fault_jump, SA_ONSTACK, 0);
	if (!sigsetjmp(jb, 1))
		sink = (char)recurse(0);
	printf("overflow: hits=%d on_altstack=%d\n", hits, on_alt);

	/* SIGBUS: touching a file mapping past the file's end */
	fd = mkstemp(tmpl);
	if (fd < 0)
		return 2;
	unlink(tmpl);
	fixme = mmap(NULL, page, PROT_READ, MAP_SHARED, fd, 0);
	set(SIGBUS, on_fault_jump, 0, 0);
	if (!sigsetjmp(jb, 1))
		sink = fixme[10];
	printf("sigbus: hits=%d code=%d\n", hits, last_code);
	/* and the kernel reading the same bytes for a syscall */
	errno = 0;
	r = write(1, fixme, 16);
	printf("\nwrite(past end of file) = %ld %s\n", r, strerror(errno));

	/* SIG_IGN: a SIGSEGV that is sent, not raised by a fault, is ignored */
	signal(SIGSEGV, SIG_IGN);
	kill(getpid(), SIGSEGV);
	printf("ignored kill(SIGSEGV): still here\n");

	dies("null deref, default action", null_deref);
	dies("null deref, ignored", null_deref_ignored);
	dies("kill(self, SIGBUS)", kill_bus);

	/* SIG_IGN survives an exec, a handler does not (the seccomp
	 * fallback refuses exec: asked for with "exec") */
	if (argc < 2 || strcmp(argv[1], "exec") != 0)
		return 0;
	signal(SIGSEGV, SIG_IGN);
	set(SIGBUS, on_fault_jump, 0, 0);
	signal(SIGSYS, SIG_IGN);
	fflush(stdout);
	execl("/proc/self/exe", argv[0], "ignored", (char *)NULL);
	printf("exec: %s\n", strerror(errno));
	return 1;
}
