/* The program's own signal use: its SIGSYS handler and raise(SIGSYS), SIGSYS
 * in sigprocmask, sigaltstack, EINTR vs SA_RESTART, and dying of SIGSYS. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/time.h>
#include <sys/wait.h>

static volatile int sys_code = 99, sys_hits, alrm_alt = -1;
static int pfd[2];

static void on_sys(int sig, siginfo_t *si, void *uc)
{
	(void)sig; (void)uc;
	sys_code = si->si_code;
	sys_hits++;
}

static void on_alrm_write(int sig)
{
	stack_t ss;

	(void)sig;
	sigaltstack(NULL, &ss);
	alrm_alt = (ss.ss_flags & SS_ONSTACK) != 0;
	if (write(pfd[1], "x", 1) != 1)
		_exit(9);
}

static void on_alrm_nothing(int sig)
{
	(void)sig;
}

static void arm_timer(void)
{
	struct itimerval it = { .it_value = { 0, 20000 } };

	setitimer(ITIMER_REAL, &it, NULL);
}

int main(void)
{
	static char alt[128 * 1024];
	stack_t ss = { .ss_sp = alt, .ss_size = sizeof alt };
	struct sigaction sa, q;
	sigset_t m, cur;
	char c;
	ssize_t n;
	pid_t p;
	int st;

	/* own SIGSYS handler */
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_sys;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSYS, &sa, NULL);
	sigaction(SIGSYS, NULL, &q);
	printf("sigsys handler reads back: %d\n", q.sa_sigaction == on_sys);
	raise(SIGSYS);
	printf("raise(SIGSYS): hits=%d code=%d\n", sys_hits, sys_code);

	/* SIGSYS in the mask */
	sigemptyset(&m);
	sigaddset(&m, SIGSYS);
	sigprocmask(SIG_BLOCK, &m, NULL);
	sigprocmask(SIG_BLOCK, NULL, &cur);
	printf("sigsys blocked: %d, getppid works: %d\n", sigismember(&cur, SIGSYS), getppid() > 0);
	sigfillset(&m);
	sigprocmask(SIG_SETMASK, &m, NULL);
	printf("all blocked, getppid works: %d\n", getppid() > 0);
	sigemptyset(&m);
	sigprocmask(SIG_SETMASK, &m, NULL);
	sigprocmask(SIG_BLOCK, NULL, &cur);
	printf("unblocked: %d\n", !sigismember(&cur, SIGSYS) && !sigismember(&cur, SIGUSR1));

	/* SA_RESTART: the interrupted read resumes and gets the handler's byte */
	if (pipe(pfd) != 0 || sigaltstack(&ss, NULL) != 0)
		return 2;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alrm_write;
	sa.sa_flags = SA_RESTART | SA_ONSTACK;
	sigaction(SIGALRM, &sa, NULL);
	arm_timer();
	n = read(pfd[0], &c, 1);
	printf("SA_RESTART read: n=%zd c=%c on_altstack=%d\n", n, n == 1 ? c : '?', alrm_alt);

	/* no SA_RESTART: EINTR */
	sa.sa_handler = on_alrm_nothing;
	sa.sa_flags = 0;
	sigaction(SIGALRM, &sa, NULL);
	arm_timer();
	errno = 0;
	n = read(pfd[0], &c, 1);
	printf("plain read: n=%zd errno=%s\n", n, strerror(errno));

	/* a child that dies of its own raise(SIGSYS) with the default action */
	fflush(stdout);
	p = fork();
	if (p == 0) {
		signal(SIGSYS, SIG_DFL);
		raise(SIGSYS);
		_exit(0);
	}
	waitpid(p, &st, 0);
	printf("child: signaled=%d sig=%d\n", WIFSIGNALED(st), WIFSIGNALED(st) ? WTERMSIG(st) : 0);
	return 0;
}
