/* A thread created from inside a signal handler that runs on sigaltstack:
 * the new thread must start in the program, on its own stack. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char altstack[256 * 1024];
static volatile int on_alt, created, joined;
static int thread_value;

static void *child(void *arg)
{
	int local;

	thread_value = *(int *)arg + (getppid() > 0);
	/* not on the signal stack */
	return (void *)(long)((char *)&local < altstack || (char *)&local >= altstack + sizeof altstack);
}

static void handler(int sig)
{
	pthread_t t;
	int x = 41;
	void *r;
	stack_t ss;

	(void)sig;
	sigaltstack(NULL, &ss);
	on_alt = (ss.ss_flags & SS_ONSTACK) != 0;
	created = pthread_create(&t, NULL, child, &x) == 0;
	joined = created && pthread_join(t, &r) == 0 && r == (void *)1;
}

int main(void)
{
	stack_t ss = { .ss_sp = altstack, .ss_size = sizeof altstack };
	struct sigaction sa;

	if (sigaltstack(&ss, NULL) != 0)
		return 2;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = handler;
	sa.sa_flags = SA_ONSTACK;
	sigaction(SIGUSR1, &sa, NULL);
	raise(SIGUSR1);
	printf("on_alt=%d created=%d joined=%d value=%d\n", on_alt, created, joined, thread_value);
	return on_alt && created && joined && thread_value == 42 ? 0 : 1;
}
