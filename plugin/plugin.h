/* The plugin's state and its capture instance (internal). */
#ifndef UDIG_PLUGIN_PLUGIN_H
#define UDIG_PLUGIN_PLUGIN_H
#include <stdarg.h>
#include <udig/capture.h>
#include "api.h"
#include "init_config.h"
#include "convert.h"
#include "launch.h"
#include "params.h"

#define PLUGIN_ERRLEN 1024

struct udig_plugin;

/* One open capture. */
struct source {
	struct udig_plugin *pl;
	struct open_params op;
	udig_capture *cap;
	cv_state *cv;
	/* run=/attach=: our private ring, its janitor and the launcher */
	char ring[128], descs[128], mask[136];
	int janitor_fd;
	struct launch launch;
	int eof;
	int file_eof; /* file=: the reader reached the end */
	/* the ring's control block, mapped read-only for the fill metric */
	const volatile uint32_t *ctl;
	/* the current batch: converted blocks and the pointers to them */
	uint8_t *buf;
	size_t bufcap;
	ss_plugin_event **evts;
	/* an event that did not fit the last batch (a copy of its record) */
	uint8_t *pending;
	size_t pending_cap;
	int has_pending;
	char progress[96];
	uint64_t delivered, dropped_convert;
};

struct udig_plugin {
	struct plugin_config cfg;
	struct cv_plan plan;
	char err[PLUGIN_ERRLEN];
	ss_plugin_owner_t *owner;
	ss_plugin_log_fn_t log;
	struct source *src; /* the open capture, for the metrics */
	uint64_t delivered, drops_buffer, drops_invalid, drops_convert; /* over closed captures */
	ss_plugin_metric metrics[6];
	char tostr[256];
};

/* Sets the last error; returns rc (for `return seterr(...)`). */
int plugin_seterr(struct udig_plugin *pl, int rc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* source.c */
struct source *source_open(struct udig_plugin *pl, const char *params);
void source_close(struct source *s);
ss_plugin_rc source_next_batch(struct source *s, uint32_t *nevts, ss_plugin_event ***evts);
const char *source_progress(struct source *s, uint32_t *pct);
/* Ring fill in percent (0 when unknown). */
double source_fill(const struct source *s);

#endif
