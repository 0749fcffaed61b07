/*
 * wait4 and waitid as the program sees them, for comparison natively and
 * preloaded (the library makes them with buffers of its own and copies
 * back what the kernel would have written): status and rusage, NULL and
 * bad pointers (EFAULT after the child was reaped), stop and continue
 * reports, WNOWAIT, WNOHANG, and the exact bytes of siginfo that waitid
 * writes, errors included.  Prints one line per check; the exit status
 * is the number of children reaped (under the library, a procexit written
 * by the wait for each one dead by signal; tests/preload/wait.sh).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static int reaped;

static pid_t child_exiting(int code)
{
	pid_t p = fork();
	if (p == 0)
		_exit(code);
	return p;
}

/* The raw calls: libc's wrappers may check or convert arguments. */
static long wait4_raw(pid_t pid, void *st, int opt, void *ru)
{
	long r = syscall(SYS_wait4, pid, st, opt, ru);
	return r < 0 ? -errno : r;
}

static long waitid_raw(int which, pid_t pid, void *si, int opt, void *ru)
{
	long r = syscall(SYS_waitid, which, pid, si, opt, ru);
	return r < 0 ? -errno : r;
}

static const void *bad = (const void *)16; /* never mapped (mmap_min_addr) */

static void show_si(const char *what, long r, const unsigned char *b)
{
	printf("%s: r=%ld bytes", what, r);
	for (int i = 0; i < 32; i++)
		printf("%s%02x", i % 4 ? "" : " ", b[i]);
	printf("\n");
}

/* A siginfo prefilled with 0xaa: which bytes the call wrote shows. */
static long waitid_show(const char *what, int which, pid_t pid, int opt)
{
	unsigned char b[sizeof(siginfo_t)];
	memset(b, 0xaa, sizeof b);
	long r = waitid_raw(which, pid, b, opt, NULL);
	siginfo_t si;
	memcpy(&si, b, sizeof si);
	/* the pid varies from run to run: shown as "is it the child" */
	int same = si.si_pid == pid;
	memset(b + 16, 0, 4);
	show_si(what, r, b);
	printf("%s: pid %s\n", what, same ? "is the child's" : "is not the child's");
	return r;
}

int main(void)
{
	struct rusage ru;
	int st;
	pid_t p;
	long r;

	/* wait4, status NULL */
	p = child_exiting(3);
	r = wait4_raw(p, NULL, 0, NULL);
	reaped += r == p;
	printf("wait4 NULL status: %s, again %ld\n", r == p ? "reaped" : "not reaped", wait4_raw(p, NULL, 0, NULL));

	/* wait4, status and rusage */
	p = child_exiting(4);
	st = -1;
	memset(&ru, 0xaa, sizeof ru);
	r = wait4_raw(p, &st, 0, &ru);
	reaped += r == p;
	printf("wait4 status: %s status=%#x rusage %s\n", r == p ? "reaped" : "not reaped", st,
	       ru.ru_maxrss != (long)0xaaaaaaaaaaaaaaaaL && ru.ru_nsignals == 0 ? "written" : "not written");

	/* wait4, a bad status pointer: EFAULT, yet the child is gone */
	p = child_exiting(5);
	r = wait4_raw(p, (void *)bad, 0, NULL);
	reaped += r == -EFAULT;
	printf("wait4 bad status: r=%s, again %ld\n", r == -EFAULT ? "EFAULT" : "other", wait4_raw(p, NULL, 0, NULL));

	/* wait4, a bad rusage pointer: status written, EFAULT, child gone */
	p = child_exiting(6);
	st = -1;
	r = wait4_raw(p, &st, 0, (void *)bad);
	reaped += r == -EFAULT;
	printf("wait4 bad rusage: r=%s status=%#x, again %ld\n", r == -EFAULT ? "EFAULT" : "other", st,
	       wait4_raw(p, NULL, 0, NULL));

	/* stop, continue, kill: only the last ends it */
	p = fork();
	if (p == 0) {
		raise(SIGSTOP);
		for (;;)
			pause();
	}
	st = -1;
	r = wait4_raw(p, &st, WUNTRACED, NULL);
	printf("stopped: %s status=%#x\n", r == p ? "reported" : "not reported", st);
	kill(p, SIGCONT);
	st = -1;
	r = wait4_raw(p, &st, WCONTINUED, NULL);
	printf("continued: %s status=%#x\n", r == p ? "reported" : "not reported", st);
	kill(p, SIGKILL);
	st = -1;
	r = wait4_raw(p, &st, 0, NULL);
	reaped += r == p;
	printf("killed: %s status=%#x\n", r == p ? "reaped" : "not reaped", st);

	/* wait4 WNOHANG, nothing to report: 0, status untouched */
	p = fork();
	if (p == 0) {
		for (;;)
			pause();
	}
	st = 12345;
	r = wait4_raw(p, &st, WNOHANG, NULL);
	printf("wait4 WNOHANG: r=%ld status=%d\n", r, st);
	/* waitid WNOHANG, nothing to report: 0, the fields written as zeros */
	waitid_show("waitid WNOHANG", P_PID, p, WEXITED | WNOHANG);
	kill(p, SIGTERM);
	/* WNOWAIT: reported, not reaped */
	waitid_show("waitid WNOWAIT", P_PID, p, WEXITED | WNOWAIT);
	r = waitid_show("waitid", P_PID, p, WEXITED);
	reaped += r == 0;
	/* nothing left: ECHILD, and the fields still written */
	waitid_show("waitid ECHILD", P_PID, p, WEXITED);
	/* an invalid option: EINVAL, the fields still written */
	waitid_show("waitid EINVAL", P_PID, p, 0);

	/* waitid, NULL siginfo: reaped all the same */
	p = child_exiting(7);
	r = waitid_raw(P_PID, p, NULL, WEXITED, NULL);
	reaped += r == 0;
	printf("waitid NULL: r=%ld, again %ld\n", r, waitid_raw(P_PID, p, NULL, WEXITED, NULL));

	/* waitid, bad siginfo: EFAULT, reaped */
	p = child_exiting(8);
	r = waitid_raw(P_PID, p, (void *)bad, WEXITED, NULL);
	reaped += r == -EFAULT;
	printf("waitid bad siginfo: r=%s, again %ld\n", r == -EFAULT ? "EFAULT" : "other",
	       waitid_raw(P_PID, p, NULL, WEXITED, NULL));

	/* waitid, bad rusage: EFAULT before the siginfo is written */
	p = child_exiting(9);
	{
		unsigned char b[sizeof(siginfo_t)];
		memset(b, 0xaa, sizeof b);
		r = waitid_raw(P_PID, p, b, WEXITED, (void *)bad);
		reaped += r == -EFAULT;
		show_si("waitid bad rusage", r == -EFAULT ? 1 : 0, b);
		printf("waitid bad rusage: again %ld\n", waitid_raw(P_PID, p, NULL, WEXITED, NULL));
	}

	/* waitid with rusage, a child killed by a signal with a core */
	p = fork();
	if (p == 0) {
		struct rlimit no = { 0, 0 };
		setrlimit(RLIMIT_CORE, &no);
		raise(SIGQUIT);
		_exit(0);
	}
	r = waitid_show("waitid SIGQUIT", P_PID, p, WEXITED);
	reaped += r == 0;
	fflush(stdout);
	return reaped;
}
