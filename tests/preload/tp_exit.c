/* Exit codes and death by signal, from the main thread or another thread. */
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void *thr(void *arg)
{
	exit((int)(long)arg);
}

int main(int argc, char **argv)
{
	const char *how = argc > 1 ? argv[1] : "code";
	int v = argc > 2 ? atoi(argv[2]) : 0;

	if (getppid() <= 0)
		return 99;
	if (strcmp(how, "code") == 0)
		return v;
	if (strcmp(how, "_exit") == 0)
		_exit(v);
	if (strcmp(how, "signal") == 0) {
		kill(getpid(), v);
		pause();
	}
	if (strcmp(how, "abort") == 0)
		abort();
	if (strcmp(how, "thread") == 0) {
		pthread_t t;

		pthread_create(&t, NULL, thr, (void *)(long)v);
		pause();
	}
	return 100;
}
