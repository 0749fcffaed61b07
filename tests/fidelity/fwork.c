/*
 * Workloads of the fidelity tests (tests/fidelity/ scripts):
 *   fwork threads N M   N threads, each M getppid calls (plus one
 *                       open/read/write/close round every 64 calls),
 *                       started together
 *   fwork orphan FILE   forks a child that forks a grandchild and exits at
 *                       once; the grandchild, now an orphan, waits 300 ms,
 *                       reads FILE, writes "orphan done" to stdout and
 *                       exits with status 7
 *   fwork asleep N FILE  N threads (the main one included), each of which
 *                       has made a syscall once FILE exists, then sleep
 *                       until a signal ends the process
 *   fwork quit N        N threads (the main one included), each of which
 *                       has made a syscall; then the main one exits the
 *                       process with status 5 while the others sleep
 *   fwork execthread    3 threads (the main one included); once all have
 *                       made a syscall, a thread other than the main one
 *                       execs `sh -c 'exit 4'`
 *   fwork newpid FILE   clone(CLONE_NEWPID|CLONE_NEWUSER): the child, pid 1
 *                       of its namespace, opens FILE and exits with 3; the
 *                       parent reaps it and prints "child <its pid>"
 */
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long per_thread;
static pthread_barrier_t start;

static void *spin(void *arg)
{
	char buf[64];
	(void)arg;
	pthread_barrier_wait(&start);
	for (long i = 0; i < per_thread; i++) {
		syscall(SYS_getppid);
		if (i % 64 == 63) {
			int fd = open("/proc/self/stat", O_RDONLY | O_CLOEXEC);
			if (fd >= 0) {
				if (read(fd, buf, sizeof buf) < 0)
					abort();
				close(fd);
			}
		}
	}
	return NULL;
}

static int threads(int n, long m)
{
	pthread_t t[256];
	if (n < 1 || n > 256)
		return 2;
	per_thread = m;
	pthread_barrier_init(&start, NULL, (unsigned)n);
	for (int i = 0; i < n; i++)
		if (pthread_create(&t[i], NULL, spin, NULL))
			return 1;
	for (int i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	return 0;
}

static int orphan(const char *file)
{
	pid_t c = fork();
	if (c < 0)
		return 1;
	if (c > 0) {
		int st;
		waitpid(c, &st, 0);
		return 0;
	}
	if (fork() != 0)
		_exit(0); /* the child: gone, leaving its child an orphan */
	struct timespec ts = { 0, 300 * 1000 * 1000 };
	nanosleep(&ts, NULL);
	char buf[256];
	int fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		if (read(fd, buf, sizeof buf) < 0)
			_exit(1);
		close(fd);
	}
	static const char done[] = "orphan done\n";
	if (write(1, done, sizeof done - 1) < 0)
		_exit(1);
	_exit(7);
}

static void *nap(void *arg)
{
	(void)arg;
	syscall(SYS_getppid); /* seen by a supervisor that learns of threads by their calls */
	pthread_barrier_wait(&start);
	for (;;)
		pause();
	return NULL;
}

/* n threads, the caller included, each past a syscall of its own; the
 * others sleep for good.  0, or the exit status for a failure. */
static int nappers(int n)
{
	pthread_t t;
	if (n < 1 || n > 256)
		return 2;
	pthread_barrier_init(&start, NULL, (unsigned)n);
	for (int i = 1; i < n; i++)
		if (pthread_create(&t, NULL, nap, NULL))
			return 1;
	syscall(SYS_getppid);
	pthread_barrier_wait(&start);
	return 0;
}

static int asleep(int n, const char *file)
{
	int r = nappers(n);
	if (r)
		return r;
	int fd = open(file, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return 1;
	close(fd);
	for (;;)
		pause();
}

static int quit(int n)
{
	int r = nappers(n);
	if (r)
		return r;
	exit(5);
}

static void *execer(void *arg)
{
	(void)arg;
	syscall(SYS_getppid);
	pthread_barrier_wait(&start);
	execl("/bin/sh", "sh", "-c", "exit 4", (char *)NULL);
	_exit(1);
}

static int execthread(void)
{
	pthread_t t;
	pthread_barrier_init(&start, NULL, 3);
	if (pthread_create(&t, NULL, nap, NULL) || pthread_create(&t, NULL, execer, NULL))
		return 1;
	syscall(SYS_getppid);
	pthread_barrier_wait(&start);
	for (;;)
		pause();
}

static int newpid(const char *file)
{
	long r = syscall(SYS_clone, CLONE_NEWPID | CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0);
	if (r < 0)
		return 77;
	if (r == 0) {
		int fd = open(file, O_RDONLY | O_CLOEXEC);
		if (fd >= 0)
			close(fd);
		_exit(3);
	}
	int st;
	if (waitpid((pid_t)r, &st, 0) != r || !WIFEXITED(st) || WEXITSTATUS(st) != 3)
		return 1;
	printf("child %ld\n", r);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "threads"))
		return threads(atoi(argv[2]), atol(argv[3]));
	if (argc == 3 && !strcmp(argv[1], "orphan"))
		return orphan(argv[2]);
	if (argc == 4 && !strcmp(argv[1], "asleep"))
		return asleep(atoi(argv[2]), argv[3]);
	if (argc == 3 && !strcmp(argv[1], "quit"))
		return quit(atoi(argv[2]));
	if (argc == 2 && !strcmp(argv[1], "execthread"))
		return execthread();
	if (argc == 3 && !strcmp(argv[1], "newpid"))
		return newpid(argv[2]);
	fprintf(stderr, "usage: fwork threads N M | orphan FILE | asleep N FILE | quit N | execthread | newpid FILE\n");
	return 2;
}
