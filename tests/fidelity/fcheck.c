/*
 * What the fidelity tests ask of a capture file, read with libcapture:
 *   fcheck order FILE       events, timestamp inversions (an event older
 *                           than the one before it) and the largest one
 *   fcheck count FILE NAME  enter and exit events of type NAME
 *   fcheck procexit FILE    one line per procexit: tid, status, signal
 *   fcheck tids FILE NAME   the distinct tids of events of type NAME
 *   fcheck table FILE       the process table the file starts with, a
 *                           thread a line: tid pid ptid comm
 *   fcheck fds FILE TID     the fd table it starts with for TID's process,
 *                           an fd a line: fd name
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <udig/capture.h>
#include <udig/event.h>

static int usage(void)
{
	fprintf(stderr, "usage: fcheck order|count|procexit|tids|table FILE [NAME], fcheck fds FILE TID\n");
	return 2;
}

static int print_thread(const struct udig_threadinfo *ti, void *arg)
{
	(void)arg;
	printf("%" PRId64 " %" PRId64 " %" PRId64 " %s\n", ti->tid, ti->pid, ti->ptid, ti->comm);
	return 0;
}

static int print_fd(const struct udig_fdinfo *fi, void *arg)
{
	(void)arg;
	printf("%" PRId64 " %s\n", fi->fd, fi->name);
	return 0;
}

int main(int argc, char **argv)
{
	char err[UDIG_ERRBUF_SIZE];
	if (argc < 3)
		return usage();
	const char *mode = argv[1], *name = argc > 3 ? argv[3] : NULL;
	if ((!strcmp(mode, "count") || !strcmp(mode, "tids") || !strcmp(mode, "fds")) && !name)
		return usage();
	udig_capture *c = udig_open_file(argv[2], err);
	if (!c) {
		fprintf(stderr, "fcheck: %s\n", err);
		return 1;
	}
	if (!strcmp(mode, "table")) {
		udig_foreach_thread(c, print_thread, NULL);
		udig_close(c);
		return 0;
	}
	if (!strcmp(mode, "fds")) {
		udig_foreach_fd(c, strtoll(name, NULL, 10), print_fd, NULL);
		udig_close(c);
		return 0;
	}
	struct udig_evt ev;
	uint64_t n = 0, inv = 0, maxinv = 0, prev = 0, enter = 0, exit_ = 0;
	int rc;
	while ((rc = udig_next(c, &ev)) == UDIG_OK) {
		n++;
		if (ev.ts < prev) {
			inv++;
			if (prev - ev.ts > maxinv)
				maxinv = prev - ev.ts;
		}
		if (ev.ts > prev)
			prev = ev.ts;
		const struct udig_event_info *ei = udig_event_info(ev.type);
		if (name && ei && ei->name && !strcmp(ei->name, name)) {
			if (!strcmp(mode, "tids"))
				printf("%" PRIu64 "\n", ev.tid);
			else if (udig_event_is_enter(ev.type))
				enter++;
			else
				exit_++;
		}
		if (!strcmp(mode, "procexit") && (ev.type == UEV_PROCEXIT_1_E || ev.type == UEV_PROCEXIT_E))
			printf("%" PRIu64 " %" PRId64 " %" PRId64 "\n", ev.tid, udig_evt_int(&ev, 0, -1),
			       ev.nvals > 2 ? udig_evt_int(&ev, 2, -1) : -1);
	}
	if (rc != UDIG_EOF) {
		fprintf(stderr, "fcheck: %s\n", udig_geterr(c));
		udig_close(c);
		return 1;
	}
	if (!strcmp(mode, "order"))
		printf("events %" PRIu64 " inversions %" PRIu64 " max_ns %" PRIu64 "\n", n, inv, maxinv);
	else if (!strcmp(mode, "count"))
		printf("enter %" PRIu64 " exit %" PRIu64 "\n", enter, exit_);
	udig_close(c);
	return 0;
}
