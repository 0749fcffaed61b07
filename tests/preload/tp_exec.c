/* execve chains: a self-exec countdown, an exec with an empty environment
 * (the preload must survive it), and exec failures. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 3;
	char num[16];
	char *empty[] = { NULL };

	if (argc > 2 && strcmp(argv[2], "clean") == 0) {
		/* the marker of an exec'd image never reaches the program */
		printf("clean env: marker=%s\n", getenv("UDIG_EXEC_MARK") ? "visible" : "hidden");
		return 0;
	}
	printf("level %d\n", n);
	fflush(stdout);
	if (n > 0) {
		char *av[] = { argv[0], num, NULL };

		snprintf(num, sizeof num, "%d", n - 1);
		errno = 0;
		execv("/nonexistent/prog", av);
		printf("exec failure: %s\n", strerror(errno));
		fflush(stdout);
		if (n == 1) {
			char *av2[] = { argv[0], "0", "clean", NULL };

			execve(argv[0], av2, empty);
			return 3;
		}
		execv(argv[0], av);
		return 2;
	}
	return 0;
}
