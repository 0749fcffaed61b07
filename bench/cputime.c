/*
 * cputime FILE CMD [ARGS]: runs CMD and appends to FILE, one line per run,
 * the CPU time it used (user + system, in microseconds) and the page
 * faults it took (minor), CMD's and those of the children it waited for;
 * exits with CMD's status.  For the bench scripts: the CPU time of one
 * process of a pipeline says what capturing costs that process, and it
 * moves far less than wall time when these VMs drift.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: cputime FILE CMD [ARGS]\n");
		return 2;
	}
	pid_t pid = fork();
	if (pid < 0) {
		fprintf(stderr, "cputime: fork: %s\n", strerror(errno));
		return 2;
	}
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		fprintf(stderr, "cputime: %s: %s\n", argv[2], strerror(errno));
		_exit(127);
	}
	int st;
	struct rusage ru;
	while (wait4(pid, &st, 0, &ru) < 0) {
		if (errno != EINTR) {
			fprintf(stderr, "cputime: wait4: %s\n", strerror(errno));
			return 2;
		}
	}
	long long us = (long long)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000LL + ru.ru_utime.tv_usec +
		       ru.ru_stime.tv_usec;
	FILE *f = fopen(argv[1], "a");
	if (!f || fprintf(f, "%lld %ld\n", us, ru.ru_minflt) < 0 || fclose(f) != 0) {
		fprintf(stderr, "cputime: %s: %s\n", argv[1], strerror(errno));
		return 2;
	}
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return WEXITSTATUS(st);
}
