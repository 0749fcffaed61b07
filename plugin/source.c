/*
 * The sourcing capability: a capture instance reads a udig ring with
 * libcapture and hands libsinsp batches of converted events.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <unistd.h>
#include <udig/ring.h>
#include "../tools/ring_janitor.h"
#include "../udig/encode/ring_shm.h"
#include "plugin.h"

/* A batch holds at most this many events and bytes; a ring holds 8 MiB. */
#define BATCH_MAX 1024
#define BATCH_BYTES (4u << 20)
static int session_names(struct source *s, char *err, size_t errlen)
{
	unsigned char b[16];
	char hex[33];
	size_t got = 0;
	while (got < sizeof b) {
		ssize_t n = getrandom(b + got, sizeof b - got, 0);
		if (n < 0 && errno != EINTR) {
			snprintf(err, errlen, "no randomness for the ring's name: %s", strerror(errno));
			return -1;
		}
		got += n > 0 ? (size_t)n : 0;
	}
	for (size_t i = 0; i < sizeof b; i++)
		snprintf(hex + 2 * i, 3, "%02x", b[i]);
	unsigned uid = (unsigned)geteuid();
	snprintf(s->ring, sizeof s->ring, UDIG_SESSION_PREFIX "%u.%s.buf", uid, hex);
	snprintf(s->descs, sizeof s->descs, UDIG_SESSION_PREFIX "%u.%s.descs", uid, hex);
	snprintf(s->mask, sizeof s->mask, "%s" UDIG_MASK_SUFFIX, s->descs);
	return 0;
}

/* The control block, read-only, for the ring-fill metric only. */
static void map_ctl(struct source *s, const char *descs)
{
	char path[300];
	if (udig_shm_path(descs, path, sizeof path) < 0)
		return;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	void *m = mmap(NULL, UDIG_DESCS_SIZE, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	if (m != MAP_FAILED)
		s->ctl = m;
}

double source_fill(const struct source *s)
{
	if (!s || !s->ctl)
		return 0;
	uint32_t head = s->ctl[0], tail = s->ctl[1];
	uint32_t used = head >= tail ? head - tail : UDIG_RINGBUF_SIZE - tail + head;
	return used >= UDIG_RINGBUF_SIZE ? 100.0 : 100.0 * used / UDIG_RINGBUF_SIZE;
}

struct source *source_open(struct udig_plugin *pl, const char *params)
{
	char err[PLUGIN_ERRLEN], cerr[UDIG_ERRBUF_SIZE];
	struct source *s = calloc(1, sizeof *s);
	if (!s) {
		plugin_seterr(pl, 0, "open: out of memory");
		return NULL;
	}
	s->pl = pl;
	s->janitor_fd = -1;
	if (open_params_parse(params, &s->op, err, sizeof err) < 0) {
		plugin_seterr(pl, 0, "open: %s", err);
		goto fail;
	}
	s->buf = malloc(BATCH_BYTES);
	s->bufcap = BATCH_BYTES;
	s->evts = calloc(BATCH_MAX, sizeof *s->evts);
	s->cv = cv_state_new(&pl->plan);
	if (!s->buf || !s->evts || !s->cv) {
		plugin_seterr(pl, 0, "open: out of memory");
		goto fail;
	}
	struct udig_live_opts lo = { .snaplen = pl->cfg.snaplen, .lossless = pl->cfg.lossless,
				     .event_mask = pl->cfg.types[0] ? pl->cfg.evmask : NULL };
	if (s->op.kind == SRC_FILE) {
		if (!(s->cap = udig_open_file(s->op.argv[0], cerr))) {
			plugin_seterr(pl, 0, "open: file=%s: %s", s->op.argv[0], cerr);
			goto fail;
		}
		return s;
	}
	if (s->op.kind == SRC_RING) {
		lo.ring_name = s->op.ring[0] ? s->op.ring : NULL;
		lo.descs_name = s->op.descs[0] ? s->op.descs : NULL;
	} else {
		/* A private ring, as `udig run` makes one: unguessable names,
		 * O_EXCL, 0600, removed by a janitor process if we die. */
		if (session_names(s, err, sizeof err) < 0) {
			plugin_seterr(pl, 0, "open: %s", err);
			goto fail;
		}
		const char *names[] = { s->ring, s->descs, s->mask };
		if (ring_janitor_start(names, 3, &s->janitor_fd, err, sizeof err) < 0) {
			plugin_seterr(pl, 0, "open: %s", err);
			goto fail;
		}
		lo.ring_name = s->ring;
		lo.descs_name = s->descs;
		lo.new_ring = 1;
		/* libsinsp scans /proc itself; ours would only cost time. */
		lo.no_proc_scan = 1;
	}
	if (s->op.kind == SRC_RING)
		lo.no_proc_scan = 1;
	s->cap = udig_open_live(&lo, cerr);
	if (!s->cap) {
		plugin_seterr(pl, 0, "open: %s", cerr);
		goto fail;
	}
	map_ctl(s, udig_shm_pick_name(lo.descs_name, UDIG_ENV_DESCS_NAME, UDIG_DESCS_NAME_DEFAULT));
	if (s->op.kind != SRC_RING &&
	    launch_start(&s->launch, &pl->cfg, &s->op, s->ring, s->descs, err, sizeof err) < 0) {
		plugin_seterr(pl, 0, "open: %s", err);
		goto fail;
	}
	return s;
fail:
	source_close(s);
	return NULL;
}

void source_close(struct source *s)
{
	if (!s)
		return;
	launch_stop(&s->launch);
	if (s->cap) {
		struct udig_stats st;
		if (udig_get_stats(s->cap, &st) == UDIG_OK) {
			s->pl->drops_buffer += st.drops_buffer;
			s->pl->drops_invalid += st.drops_invalid;
		}
		udig_close(s->cap);
	}
	s->pl->delivered += s->delivered;
	s->pl->drops_convert += s->dropped_convert;
	if (s->ctl)
		munmap((void *)s->ctl, UDIG_DESCS_SIZE);
	if (s->ring[0]) {
		shm_unlink(s->ring);
		shm_unlink(s->descs);
		shm_unlink(s->mask);
	}
	if (s->janitor_fd >= 0)
		close(s->janitor_fd); /* its work is done: it wakes and leaves */
	cv_state_free(s->cv);
	open_params_free(&s->op);
	free(s->buf);
	free(s->evts);
	free(s->pending);
	free(s);
}

/* Converts ev into the batch; 1 if it did not fit (kept as pending). */
static int add_event(struct source *s, const struct udig_evt *ev, size_t *used, uint32_t *n)
{
	int dropped;
	long len = cv_convert(s->cv, ev, s->buf + *used, s->bufcap - *used, &dropped);
	if (len > 0) {
		s->evts[(*n)++] = (ss_plugin_event *)(void *)(s->buf + *used);
		*used += (size_t)len;
		/* blocks stay 8-byte aligned for the host's reads */
		*used = (*used + 7) & ~(size_t)7;
		return 0;
	}
	if (len == 0) {
		s->dropped_convert += (uint64_t)dropped;
		return 0;
	}
	if (*n == 0) { /* larger than a whole batch: cannot be delivered */
		s->dropped_convert++;
		return 0;
	}
	if (s->pending_cap < ev->len) {
		uint8_t *p = realloc(s->pending, ev->len);
		if (!p) {
			s->dropped_convert++;
			return 1;
		}
		s->pending = p, s->pending_cap = ev->len;
	}
	memcpy(s->pending, ev->raw, ev->len);
	s->has_pending = 1;
	return 1;
}

ss_plugin_rc source_next_batch(struct source *s, uint32_t *nevts, ss_plugin_event ***evts)
{
	size_t used = 0;
	uint32_t n = 0;
	*nevts = 0;
	*evts = s->evts;
	if (s->eof)
		return SS_PLUGIN_EOF;
	if (s->has_pending) {
		struct udig_evt ev;
		s->has_pending = 0;
		uint32_t len;
		memcpy(&len, s->pending + 16, 4);
		if (udig_evt_parse(s->pending, len, &ev, NULL) == UDIG_OK)
			add_event(s, &ev, &used, &n);
	}
	int launched = s->launch.pid != 0;
	int ended = launched && launch_poll(&s->launch);
	/* Wait for the first event (bounded), then take what is there. */
	int wait = n || ended ? 0 : (int)s->pl->cfg.batch_ms;
	while (n < BATCH_MAX && s->bufcap - used >= 64) {
		struct udig_evt ev;
		int rc = udig_next_wait(s->cap, &ev, wait);
		wait = 0;
		if (rc == UDIG_TIMEOUT)
			break;
		if (rc != UDIG_OK) {
			if (rc == UDIG_EOF) {
				s->file_eof = 1;
				break;
			}
			return plugin_seterr(s->pl, SS_PLUGIN_FAILURE, "ring: %s", udig_geterr(s->cap));
		}
		if (add_event(s, &ev, &used, &n))
			break;
	}
	s->delivered += n;
	*nevts = n;
	if (n)
		return SS_PLUGIN_SUCCESS;
	if (s->file_eof && !s->has_pending) {
		s->eof = 1;
		return SS_PLUGIN_EOF;
	}
	/* The launcher (`udig run --ring`) waits for every process of the
	 * program, so once it has exited what they wrote is all published:
	 * the capture ends the first time the ring is found empty (`ended`
	 * was known before the ring was looked at). */
	if (ended && !s->has_pending) {
		s->eof = 1;
		return SS_PLUGIN_EOF;
	}
	return SS_PLUGIN_TIMEOUT;
}

const char *source_progress(struct source *s, uint32_t *pct)
{
	if (pct)
		*pct = s->eof ? 10000 : 0;
	snprintf(s->progress, sizeof s->progress, "%llu events, ring %.1f%% full",
		 (unsigned long long)s->delivered, source_fill(s));
	return s->progress;
}
