/*
 * ringdump OUT CMD ARGS...: becomes the live consumer of the ring named by
 * $UDIG_RING/$UDIG_DESCS (lossless), runs CMD, and writes every record it
 * reads to OUT raw and back to back (evdump's input), until CMD has exited
 * and the ring has stayed empty a while.  Exits with CMD's status (128+N
 * for death by signal N), 2 on its own errors.
 *
 * For the preload-aware tests: libudig in the preloaded processes and the
 * tracer write into the same ring, in the order the consumer sees.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include <udig/capture.h>

int main(int argc, char **argv)
{
	struct udig_live_opts o;
	char err[UDIG_ERRBUF_SIZE];
	struct udig_stats stats;
	struct udig_evt ev;
	udig_capture *c;
	FILE *out;
	int st = 0, idle = 0, done = 0;
	pid_t p;

	if (argc < 3) {
		fprintf(stderr, "usage: ringdump OUT CMD ARGS...\n");
		return 2;
	}
	out = fopen(argv[1], "wb");
	if (!out) {
		perror(argv[1]);
		return 2;
	}
	memset(&o, 0, sizeof o);
	o.lossless = 1;
	o.no_proc_scan = 1;
	c = udig_open_live(&o, err);
	if (!c) {
		fprintf(stderr, "ringdump: udig_open_live: %s\n", err);
		return 2;
	}
	p = fork();
	if (p < 0) {
		perror("fork");
		return 2;
	}
	if (p == 0) {
		execvp(argv[2], argv + 2);
		perror(argv[2]);
		_exit(127);
	}
	/* Records may still be in flight when CMD is reaped (a grandchild's
	 * last ones): drain until quiet. */
	while (idle < 3) {
		int r = udig_next_wait(c, &ev, 100);
		if (r == UDIG_TIMEOUT) {
			if (!done && waitpid(p, &st, WNOHANG) == p)
				done = 1;
			idle += done;
			continue;
		}
		if (r != UDIG_OK) {
			fprintf(stderr, "ringdump: %s\n", udig_geterr(c));
			return 2;
		}
		idle = 0;
		if (fwrite(ev.raw, 1, ev.len, out) != ev.len) {
			perror(argv[1]);
			return 2;
		}
	}
	if (udig_get_stats(c, &stats) == UDIG_OK && (stats.drops_buffer || stats.drops_invalid))
		fprintf(stderr, "ringdump: %llu dropped, %llu invalid\n", (unsigned long long)stats.drops_buffer,
		        (unsigned long long)stats.drops_invalid);
	udig_close(c);
	if (fclose(out) != 0) {
		perror(argv[1]);
		return 2;
	}
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
