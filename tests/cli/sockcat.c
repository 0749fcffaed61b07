/*
 * sockcat OUT CMD [ARG...] — runs CMD with its stdout on one end of a unix
 * stream socket pair and copies the other end into the file OUT until CMD
 * and everything holding that end closed it (what `socat` would do, for
 * tests/cli/write_stdout.sh where socat is not installed).  SIGINT and
 * SIGTERM are passed on to CMD; the exit status is CMD's (128+N for a
 * death by signal N).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile pid_t child;

static void forward(int sig)
{
	if (child > 0)
		kill(child, sig);
}

int main(int argc, char **argv)
{
	int sv[2];
	if (argc < 3) {
		fprintf(stderr, "usage: sockcat OUT CMD [ARG...]\n");
		return 2;
	}
	int out = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (out < 0 || socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
		fprintf(stderr, "sockcat: %s: %s\n", argv[1], strerror(errno));
		return 2;
	}
	struct sigaction sa = { .sa_handler = forward };
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	pid_t pid = fork();
	if (pid < 0) {
		perror("sockcat: fork");
		return 2;
	}
	if (pid == 0) {
		if (dup2(sv[1], 1) < 0)
			_exit(127);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		execvp(argv[2], argv + 2);
		fprintf(stderr, "sockcat: %s: %s\n", argv[2], strerror(errno));
		_exit(127);
	}
	child = pid;
	close(sv[1]);
	char buf[65536];
	for (;;) {
		ssize_t n = read(sv[0], buf, sizeof buf);
		if (n == 0)
			break;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			perror("sockcat: read");
			return 2;
		}
		if (write(out, buf, (size_t)n) != n) {
			perror("sockcat: write");
			return 2;
		}
	}
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR) {
			perror("sockcat: waitpid");
			return 2;
		}
	if (close(out) != 0) {
		perror("sockcat: close");
		return 2;
	}
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
