/*
 * A statically linked workload for the inject tests (static: no preload can
 * reach it, only the out-of-process engines).
 *
 *   workload main      threads, fork, vfork+exec, posix_spawn, failed exec,
 *                      TCP over loopback, opens that succeed and fail;
 *                      prints a transcript, exits 7
 *   workload child F   opens F, exits 0 (the exec'd / spawned child)
 *   workload signals   own handlers, self-signals, a group-stopped child
 *   workload die       dies by SIGUSR1
 *   workload loop DIR  for attach: every round forks a child that opens
 *                      DIR/tick, counts rounds in DIR/count; SIGUSR1 -> "pong"
 *   workload exec P A..      opens /etc/hostname, then execv(P) with our environment
 *   workload forkexec P A..  the same from a forked child; exits with its status
 *   workload scrub P A..     execve(P) with only PATH in the environment (what
 *                            a program that scrubs LD_PRELOAD does)
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;
static const char *self;

static int open_close(const char *path)
{
	int fd = open(path, O_RDONLY);
	if (fd >= 0)
		close(fd);
	return fd >= 0;
}

static void *thread_open(void *arg)
{
	(void)arg;
	open_close("/etc/passwd");
	return NULL;
}

static int listen_fd;
static struct sockaddr_in addr;

static void *thread_client(void *arg)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	char buf[16] = { 0 };
	(void)arg;
	if (connect(fd, (struct sockaddr *)&addr, sizeof addr) == 0) {
		if (write(fd, "ping", 4) == 4 && read(fd, buf, sizeof buf - 1) > 0)
			printf("client got %s\n", buf);
	}
	close(fd);
	return NULL;
}

static void tcp(void)
{
	socklen_t l = sizeof addr;
	pthread_t th;
	char buf[16] = { 0 };
	int c;

	listen_fd = socket(AF_INET, SOCK_STREAM, 0);
	memset(&addr, 0, sizeof addr);
	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	bind(listen_fd, (struct sockaddr *)&addr, sizeof addr);
	getsockname(listen_fd, (struct sockaddr *)&addr, &l);
	listen(listen_fd, 1);
	pthread_create(&th, NULL, thread_client, NULL);
	c = accept(listen_fd, NULL, NULL);
	if (c >= 0 && read(c, buf, sizeof buf - 1) > 0) {
		printf("server got %s\n", buf);
		if (write(c, "pong", 4) != 4)
			printf("server write failed\n");
	}
	pthread_join(th, NULL);
	close(c);
	close(listen_fd);
}

static int wait_code(pid_t p)
{
	int st;
	if (waitpid(p, &st, 0) != p)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static int run_main(void)
{
	pthread_t t[2];
	pid_t p;
	char *cargv[4];
	int i;

	printf("open hostname %d\n", open_close("/etc/hostname"));
	printf("open missing %d\n", open_close("/nonexistent/udig-inject-test"));
	for (i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, thread_open, NULL);
	for (i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	tcp();
	fflush(stdout);

	p = fork();
	if (p == 0) {
		open_close("/etc/group");
		_exit(3);
	}
	printf("fork child %d\n", wait_code(p));

	cargv[0] = (char *)"workload";
	cargv[1] = (char *)"child";
	cargv[2] = (char *)"/etc/hosts";
	cargv[3] = NULL;
	p = vfork();
	if (p == 0) {
		execve(self, cargv, environ);
		_exit(99);
	}
	printf("vfork child %d\n", wait_code(p));

	cargv[2] = (char *)"/etc/shells";
	if (posix_spawn(&p, self, NULL, NULL, cargv, environ) == 0)
		printf("spawn child %d\n", wait_code(p));

	fflush(stdout);
	p = fork();
	if (p == 0) {
		execve("/nonexistent/udig-prog", cargv, environ);
		_exit(5);
	}
	printf("failed exec child %d\n", wait_code(p));
	return 7;
}

static volatile sig_atomic_t usr1, usr2, cont;
static void h_usr1(int s) { (void)s; usr1++; }
static void h_usr2(int s) { (void)s; usr2++; }
static void h_cont(int s) { (void)s; cont++; }

static int run_signals(void)
{
	struct sigaction sa;
	sigset_t set;
	pid_t p;
	int st, i;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = h_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	sa.sa_handler = h_usr2;
	sigaction(SIGUSR2, &sa, NULL);
	for (i = 0; i < 3; i++)
		kill(getpid(), SIGUSR1);
	/* Blocked, then released: delivered exactly once. */
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, NULL);
	kill(getpid(), SIGUSR2);
	kill(getpid(), SIGUSR2);
	printf("usr2 while blocked %d\n", (int)usr2);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	printf("usr1 %d usr2 %d\n", (int)usr1, (int)usr2);

	fflush(stdout);
	p = fork();
	if (p == 0) {
		sa.sa_handler = h_cont;
		sigaction(SIGCONT, &sa, NULL);
		raise(SIGSTOP);
		/* Reached only after SIGCONT. */
		_exit(cont == 1 ? 0 : 10 + (int)cont);
	}
	if (waitpid(p, &st, WUNTRACED) == p && WIFSTOPPED(st))
		printf("child stopped by %s\n", WSTOPSIG(st) == SIGSTOP ? "SIGSTOP" : "other");
	kill(p, SIGCONT);
	if (waitpid(p, &st, 0) == p && WIFEXITED(st))
		printf("child continued, exit %d\n", WEXITSTATUS(st));
	return 0;
}

static volatile sig_atomic_t pings;
static void h_ping(int s) { (void)s; pings++; }

static int run_loop(const char *dir)
{
	char tick[4096], count[4096], count_tmp[4100];
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	unsigned long n = 0;
	sig_atomic_t answered = 0;

	signal(SIGUSR1, h_ping);
	snprintf(tick, sizeof tick, "%s/tick", dir);
	snprintf(count, sizeof count, "%s/count", dir);
	snprintf(count_tmp, sizeof count_tmp, "%s.tmp", count);
	for (;;) {
		pid_t p = fork();
		FILE *f;
		if (p == 0) {
			open_close(tick);
			_exit(0);
		}
		if (p > 0)
			waitpid(p, NULL, 0);
		n++;
		/* Replaced by rename, never seen empty: a reader that caught the
		 * file truncated would take the count for 0. */
		f = fopen(count_tmp, "w");
		if (f) {
			fprintf(f, "%lu\n", n);
			fclose(f);
			rename(count_tmp, count);
		}
		while (answered < pings) {
			answered++;
			printf("pong %d\n", (int)answered);
			fflush(stdout);
		}
		nanosleep(&ts, NULL);
	}
}

static int run_exec(char **argv, int scrub)
{
	static char *clean[] = { (char *)"PATH=/usr/bin:/bin", NULL };
	open_close("/etc/hostname");
	fflush(stdout);
	execve(argv[0], argv, scrub ? clean : environ);
	perror(argv[0]);
	return 127;
}

static int run_forkexec(char **argv)
{
	pid_t p;
	fflush(stdout);
	p = fork();
	if (p == 0)
		_exit(run_exec(argv, 0));
	return wait_code(p);
}

int main(int argc, char **argv)
{
	self = "/proc/self/exe";
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc >= 3 && strcmp(argv[1], "child") == 0)
		return open_close(argv[2]) ? 0 : 1;
	if (argc >= 2 && strcmp(argv[1], "main") == 0)
		return run_main();
	if (argc >= 2 && strcmp(argv[1], "signals") == 0)
		return run_signals();
	if (argc >= 2 && strcmp(argv[1], "die") == 0) {
		kill(getpid(), SIGUSR1);
		return 0;
	}
	if (argc >= 3 && strcmp(argv[1], "loop") == 0)
		return run_loop(argv[2]);
	if (argc >= 3 && strcmp(argv[1], "exec") == 0)
		return run_exec(argv + 2, 0);
	if (argc >= 3 && strcmp(argv[1], "scrub") == 0)
		return run_exec(argv + 2, 1);
	if (argc >= 3 && strcmp(argv[1], "forkexec") == 0)
		return run_forkexec(argv + 2);
	fprintf(stderr, "usage: workload main|child F|signals|die|loop DIR|exec|forkexec|scrub PROG ARGS...\n");
	return 2;
}
