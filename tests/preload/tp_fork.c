/* fork, vfork (_exit and exec), posix_spawn, system(). */
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

extern char **environ;

static int status_of(pid_t p)
{
	int st;

	if (p < 0 || waitpid(p, &st, 0) != p)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int main(void)
{
	volatile int seen = 0;
	char *echo[] = { "echo", "from", "exec", NULL };
	pid_t p;
	int i, st;

	fflush(stdout);
	p = fork();
	if (p == 0) {
		printf("fork child ppid-ok=%d\n", getppid() > 0);
		fflush(stdout);
		_exit(3);
	}
	printf("fork: %d\n", status_of(p));

	for (i = 0; i < 3; i++) {
		fflush(stdout);
		p = vfork();
		if (p == 0) {
			seen = i + 10;     /* shares the parent's memory */
			_exit(i);
		}
		printf("vfork _exit: status=%d seen=%d\n", status_of(p), seen);
	}
	fflush(stdout);
	p = vfork();
	if (p == 0) {
		execve("/bin/echo", echo, environ);
		_exit(127);
	}
	printf("vfork exec: %d\n", status_of(p));
	fflush(stdout);

	if (posix_spawn(&p, "/bin/echo", NULL, NULL, echo, environ) != 0)
		return 2;
	printf("posix_spawn: %d\n", status_of(p));
	fflush(stdout);
	st = system("echo from system; exit 3");
	printf("system: %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	return 0;
}
