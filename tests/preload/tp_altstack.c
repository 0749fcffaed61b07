/* A signal handler on a small alternate stack that makes syscalls: 5.5 KB
 * (or the size given) is plenty natively, for the kernel's frame (some 3 KB
 * with AVX-512) and the handler.  Under the preload engine each of those
 * syscalls traps, and the SIGSYS frame lands on that same stack.
 *   tp_altstack SIZE     one handler on a SIZE-byte alternate stack
 *   tp_altstack nested   a second alternate-stack signal raised from the
 *                        first handler (16 KB), both making syscalls
 * Prints what the handlers saw; exit 0 when all went as natively. */
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static char *alt;
static size_t altsz;
static volatile int ran, bad, nested_ran, nested;

static int on_alt(const void *p)
{
	return (uintptr_t)p - (uintptr_t)alt < altsz;
}

/* The syscalls each handler makes: write, getpid, openat + close,
 * nanosleep. */
static void calls(const char *msg)
{
	struct timespec ts = { 0, 1000000 };
	int fd;

	if (write(1, msg, strlen(msg)) != (ssize_t)strlen(msg))
		bad |= 1;
	if (getpid() <= 0)
		bad |= 2;
	fd = open("/dev/null", O_RDONLY);
	if (fd < 0 || close(fd) != 0)
		bad |= 4;
	if (nanosleep(&ts, NULL) != 0)
		bad |= 8;
}

static void on_usr2(int sig, siginfo_t *si, void *ucv)
{
	char here;

	(void)ucv;
	if (sig != SIGUSR2 || si->si_signo != SIGUSR2 || !on_alt(&here))
		bad |= 16;
	calls("tp_altstack: nested handler\n");
	nested_ran = 1;
}

static void on_usr1(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	stack_t ss;
	char here;

	/* On the stack it asked for, told so, with its own signal. */
	if (sig != SIGUSR1 || si->si_signo != SIGUSR1 || !on_alt(&here) ||
	    uc->uc_stack.ss_sp != alt || uc->uc_stack.ss_size != altsz)
		bad |= 32;
	if (sigaltstack(NULL, &ss) != 0 || !(ss.ss_flags & SS_ONSTACK))
		bad |= 64;
	calls("tp_altstack: handler\n");
	if (nested)
		raise(SIGUSR2);
	ran = 1;
}

int main(int argc, char **argv)
{
	struct sigaction sa, q;
	stack_t ss;

	if (argc != 2)
		return 2;
	nested = !strcmp(argv[1], "nested");
	altsz = nested ? 16384 : strtoul(argv[1], NULL, 0);
	alt = malloc(altsz);
	if (!alt)
		return 2;
	/* Resolve the handler's library calls now: the dynamic linker's lazy
	 * binding saves the whole FPU state on the stack, as big as a kernel
	 * frame, and would need that much more natively. */
	calls("tp_altstack: main\n");
	raise(SIGCHLD);
	ss.ss_sp = alt;
	ss.ss_size = altsz;
	ss.ss_flags = 0;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_usr1;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
	if (sigaltstack(&ss, NULL) != 0 || sigaction(SIGUSR1, &sa, NULL) != 0)
		return 3;
	sa.sa_sigaction = on_usr2;
	if (sigaction(SIGUSR2, &sa, NULL) != 0)
		return 3;
	/* The program reads back what it set. */
	if (sigaction(SIGUSR1, NULL, &q) != 0 || q.sa_sigaction != on_usr1 ||
	    !(q.sa_flags & SA_ONSTACK))
		return 4;
	raise(SIGUSR1);
	printf("ran=%d nested=%d bad=%d\n", ran, nested_ran, bad);
	return ran && nested_ran == nested && !bad ? 0 : 1;
}
