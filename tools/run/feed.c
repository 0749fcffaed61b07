/* `udig run --ring`: produce into another consumer's ring (see tools/run/feed.h). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "../cli.h"
#include "inject/inject.h"
#include "../live_consumer.h"
#include "child.h"
#include "feed.h"

/* Split BUF[,DESCS] into the two names (DESCS derived when absent). */
static int feed_names(const char *arg, char *ring, size_t rlen, char *descs, size_t dlen)
{
	const char *comma = strchr(arg, ',');
	size_t bl = comma ? (size_t)(comma - arg) : strlen(arg);
	if (!bl || bl >= rlen || strchr(arg, '/'))
		return -1;
	memcpy(ring, arg, bl);
	ring[bl] = 0;
	if (comma) {
		if (!comma[1] || strlen(comma + 1) >= dlen || strchr(comma + 1, ','))
			return -1;
		strcpy(descs, comma + 1);
		return 0;
	}
	if (bl < 3 || strcmp(ring + bl - 3, "buf") || bl + 2 >= dlen)
		return -1;
	snprintf(descs, dlen, "%.*sdescs", (int)(bl - 3), ring);
	return 0;
}

int capture_opts_feed(struct capture_opts *o, const char *arg, int which)
{
	char r[128], d[128];
	if (feed_names(arg, r, sizeof r, d, sizeof d)) {
		cli_error("%s: --ring wants BUF or BUF,DESCS (shm object names, DESCS derived from a BUF "
			  "ending in \"buf\"), not '%s'", which == CAPTURE_OPTS_RUN ? "run" : "attach", arg);
		return -1;
	}
	o->feed = arg;
	return 0;
}

int feed_open(const struct capture_opts *o, struct live_consumer *k, const char *cmd)
{
	struct stat st;
	char path[160];
	memset(k, 0, sizeof *k);
	k->janitor_fd = -1;
	feed_names(o->feed, k->ring, sizeof k->ring, k->descs, sizeof k->descs);
	if (o->wfile || o->ofile || o->json) {
		cli_error("%s: --ring only produces; -w, -o and -j belong to its consumer", cmd);
		return -1;
	}
	/* Producers join a ring, never create one: its consumer must be there. */
	snprintf(path, sizeof path, "/dev/shm/%s", k->descs);
	if (stat(path, &st) < 0) {
		cli_error("%s: --ring %s: %s (the consumer creates the ring first)", cmd, o->feed, strerror(errno));
		return -1;
	}
	return 0;
}

int run_feed(const struct capture_opts *o, enum run_engine engine, const char *lib, char **cmd)
{
	struct live_consumer k;
	if (feed_open(o, &k, "run") < 0)
		return 2;
	char e_preload[4200], e_ring[160], e_descs[160];
	snprintf(e_preload, sizeof e_preload, "LD_PRELOAD=%s", lib ? lib : "");
	snprintf(e_ring, sizeof e_ring, "UDIG_RING=%s", k.ring);
	snprintf(e_descs, sizeof e_descs, "UDIG_DESCS=%s", k.descs);
	char *env[] = { e_preload, e_ring, e_descs, o->lossless ? "UDIG_LOSSLESS=1" : NULL, NULL };
	if (lib)
		run_setenv(env);
	/* Like system(): ^C is CMD's to handle. */
	struct sigaction old_int, old_quit;
	cli_survive_signal(SIGINT, &old_int);
	cli_survive_signal(SIGQUIT, &old_quit);
	struct inject_stats ist;
	memset(&ist, 0, sizeof ist);
	int wstatus = 0;
	int rc = engine == RUN_PRELOAD ? run_preloaded(&k, cmd, &wstatus)
				       : run_injected(engine, &k, o, lib, cmd, &wstatus, &ist);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);
	if (rc)
		return rc;
	return WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
}
