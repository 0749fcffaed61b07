/* tp_live LIB PROGRAM [ARGS...]: becomes the live consumer of the ring named
 * by $UDIG_RING/$UDIG_DESCS (lossless), runs PROGRAM under LD_PRELOAD=LIB and
 * reads its events until it has exited and the ring is drained.  Prints
 * "events=N procexit=P unpaired=U tids=T" and fails unless the program's
 * events arrived with every exit right after its own enter on its thread. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <udig/capture.h>

#define MAXT 256

int main(int argc, char **argv)
{
	struct udig_live_opts o;
	char err[UDIG_ERRBUF_SIZE];
	struct udig_evt ev;
	udig_capture *c;
	uint64_t tids[MAXT];
	uint16_t last[MAXT];
	unsigned long events = 0, procexit = 0, unpaired = 0, ntid = 0, min;
	int st, idle = 0, done = 0;
	pid_t p;

	if (argc < 4)
		return 2;
	min = strtoul(argv[1], NULL, 10);
	memset(&o, 0, sizeof o);
	o.lossless = 1;
	o.no_proc_scan = 1;
	c = udig_open_live(&o, err);
	if (!c) {
		fprintf(stderr, "udig_open_live: %s\n", err);
		return 2;
	}
	p = fork();
	if (p == 0) {
		setenv("LD_PRELOAD", argv[2], 1);
		execv(argv[3], argv + 3);
		_exit(127);
	}
	while (idle < 5) {
		int r = udig_next_wait(c, &ev, 100);
		unsigned long i;

		if (r == UDIG_TIMEOUT) {
			if (!done && waitpid(p, &st, WNOHANG) == p)
				done = 1;
			idle += done;
			continue;
		}
		if (r != UDIG_OK) {
			fprintf(stderr, "udig_next: %s\n", udig_geterr(c));
			return 2;
		}
		idle = 0;
		events++;
		for (i = 0; i < ntid && tids[i] != ev.tid; i++)
			;
		if (i == ntid && ntid < MAXT) {
			tids[ntid] = ev.tid;
			last[ntid++] = 0xffff;  /* first event of a thread: its clone exit */
		} else if (i < ntid && (ev.type & 1) && last[i] != ev.type - 1) {
			unpaired++;
		}
		if (i < MAXT)
			last[i] = ev.type;
		procexit += ev.type == UEV_PROCEXIT_1_E;
	}
	udig_close(c);
	printf("events=%lu procexit=%lu unpaired=%lu tids=%lu status=%d\n",
	       events, procexit, unpaired, ntid, WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	return events >= min && procexit >= 1 && unpaired == 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : 1;
}
