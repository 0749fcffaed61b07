/* Raw clone shapes: CLONE_VM with a new stack, CLONE_VM|CLONE_VFORK with a
 * new stack, a fork-like clone on a new stack, and clone3 (fork-like). */
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/sched.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#define STACK (256 * 1024)
static volatile int shared;

static int fn(void *arg)
{
	shared = (int)(long)arg + (getppid() > 0);
	return 7;
}

static int status_of(pid_t p)
{
	int st;

	if (p < 0 || waitpid(p, &st, __WALL) != p)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void one(const char *name, int flags)
{
	char *stk = malloc(STACK);
	pid_t p;
	int st;

	shared = 0;
	p = clone(fn, stk + STACK, flags, (void *)100L);
	st = status_of(p);
	printf("%s: status=%d shared=%d\n", name, st, shared);
	free(stk);
}

int main(void)
{
	struct clone_args ca;
	long r;

	one("clone-vm", CLONE_VM | SIGCHLD);
	one("clone-vm-vfork", CLONE_VM | CLONE_VFORK | SIGCHLD);
	one("clone-fork-newstack", SIGCHLD);

	memset(&ca, 0, sizeof ca);
	ca.exit_signal = SIGCHLD;
	fflush(stdout);
	r = syscall(SYS_clone3, &ca, sizeof ca);
	if (r == 0) {
		shared = 5;
		_exit(getppid() > 0 ? 5 : 6);
	}
	printf("clone3-fork: status=%d parent-shared=%d\n", status_of((pid_t)r), shared);
	return 0;
}
