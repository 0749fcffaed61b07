/*
 * libudig-falco.so: udig as a syscall source for Falco and libsinsp
 * (plugin API 3.x).  Plugin id 0 and no event source: libsinsp then runs
 * our events through its syscall parsers, state engine, filters and rules,
 * as if a kernel driver had produced them.  The events are udig's records
 * converted to the current upstream layout (convert.h).
 *
 * Every function libsinsp resolves is here; the capture itself is
 * source.c, the init config config.c, the open parameters params.c.
 */
#include <config.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "exports.h"
#include "plugin.h"

int plugin_seterr(struct udig_plugin *pl, int rc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(pl->err, sizeof pl->err, fmt, ap);
	va_end(ap);
	return rc;
}

EXPORT const char *plugin_get_required_api_version(void)
{
	return UDIG_PLUGIN_REQUIRED_API;
}

/* The event layout we write is this schema's (plugin/schema/table025.h). */
EXPORT const char *plugin_get_required_event_schema_version(ss_plugin_t *s)
{
	(void)s;
	return T025_SCHEMA_VERSION;
}

EXPORT const char *plugin_get_name(void)
{
	return "udig";
}

EXPORT const char *plugin_get_description(void)
{
	return "System calls of unprivileged processes (no kernel module, no eBPF), captured by udig: "
	       "a live udig ring, a launched command, or an attached process";
}

EXPORT const char *plugin_get_contact(void)
{
	return "udig maintainers <https://github.com/udig>";
}

EXPORT const char *plugin_get_version(void)
{
	return PACKAGE_VERSION;
}

EXPORT uint32_t plugin_get_id(void)
{
	return 0; /* with no event source: syscall events */
}

EXPORT const char *plugin_get_event_source(void)
{
	return "";
}

EXPORT const char *plugin_get_init_schema(ss_plugin_schema_type *schema_type)
{
	*schema_type = SS_PLUGIN_SCHEMA_JSON;
	return plugin_config_schema;
}

EXPORT ss_plugin_t *plugin_init(const ss_plugin_init_input *in, ss_plugin_rc *rc)
{
	struct udig_plugin *pl = calloc(1, sizeof *pl);
	if (!pl) {
		*rc = SS_PLUGIN_FAILURE;
		return NULL;
	}
	if (in) {
		pl->owner = in->owner;
		pl->log = in->log_fn;
	}
	char err[512];
	if (plugin_config_parse(in ? in->config : NULL, &pl->cfg, err, sizeof err) < 0) {
		/* The state is returned so that get_last_error can say why. */
		plugin_seterr(pl, 0, "%s", err);
		*rc = SS_PLUGIN_FAILURE;
		return pl;
	}
	cv_plan_build(&pl->plan, NULL, NULL);
	*rc = SS_PLUGIN_SUCCESS;
	return pl;
}

EXPORT void plugin_destroy(ss_plugin_t *s)
{
	struct udig_plugin *pl = s;
	if (!pl)
		return;
	source_close(pl->src);
	free(pl);
}

EXPORT const char *plugin_get_last_error(ss_plugin_t *s)
{
	struct udig_plugin *pl = s;
	return pl ? pl->err : "udig plugin: no state (init failed for lack of memory)";
}

EXPORT ss_instance_t *plugin_open(ss_plugin_t *s, const char *params, ss_plugin_rc *rc)
{
	struct udig_plugin *pl = s;
	*rc = SS_PLUGIN_FAILURE;
	if (!pl)
		return NULL;
	if (pl->src) {
		plugin_seterr(pl, 0, "open: a capture is already open (one at a time)");
		return NULL;
	}
	/* sinsp-example (and any host that cannot pass them) opens with "". */
	if ((!params || !*params) && pl->cfg.open[0])
		params = pl->cfg.open;
	struct source *src = source_open(pl, params);
	if (!src)
		return NULL;
	pl->src = src;
	*rc = SS_PLUGIN_SUCCESS;
	return src;
}

EXPORT void plugin_close(ss_plugin_t *s, ss_instance_t *h)
{
	struct udig_plugin *pl = s;
	if (pl && pl->src == h)
		pl->src = NULL;
	source_close(h);
}

EXPORT ss_plugin_rc plugin_next_batch(ss_plugin_t *s, ss_instance_t *h, uint32_t *nevts, ss_plugin_event ***evts)
{
	(void)s;
	if (!h) {
		*nevts = 0;
		return SS_PLUGIN_FAILURE;
	}
	return source_next_batch(h, nevts, evts);
}

EXPORT const char *plugin_get_progress(ss_plugin_t *s, ss_instance_t *h, uint32_t *progress_pct)
{
	(void)s;
	return h ? source_progress(h, progress_pct) : NULL;
}

EXPORT const char *plugin_list_open_params(ss_plugin_t *s, ss_plugin_rc *rc)
{
	(void)s;
	*rc = SS_PLUGIN_SUCCESS;
	return open_params_list;
}

/* Not used by libsinsp for syscall events (it formats them itself). */
EXPORT const char *plugin_event_to_string(ss_plugin_t *s, const ss_plugin_event_input *in)
{
	struct udig_plugin *pl = s;
	if (!pl || !in || !in->evt)
		return "";
	ss_plugin_event h;
	memcpy(&h, in->evt, sizeof h);
	const char *name = h.type < T025_EVENT_MAX ? t025_events[h.type].name : "?";
	snprintf(pl->tostr, sizeof pl->tostr, "%s%s tid=%llu len=%u nparams=%u", h.type & 1 ? "< " : "> ",
		 name, (unsigned long long)h.tid, h.len, h.nparams);
	return pl->tostr;
}

static void metric(ss_plugin_metric *m, const char *name, int mono, uint64_t v)
{
	m->name = name;
	m->type = mono ? SS_PLUGIN_METRIC_TYPE_MONOTONIC : SS_PLUGIN_METRIC_TYPE_NON_MONOTONIC;
	m->value_type = SS_PLUGIN_METRIC_VALUE_TYPE_U64;
	m->value.u64 = v;
}

EXPORT ss_plugin_metric *plugin_get_metrics(ss_plugin_t *s, uint32_t *num_metrics)
{
	struct udig_plugin *pl = s;
	*num_metrics = 0;
	if (!pl)
		return NULL;
	uint64_t ev = pl->delivered, buf = pl->drops_buffer, inv = pl->drops_invalid, cv = pl->drops_convert;
	double fill = 0;
	if (pl->src) {
		struct udig_stats st;
		ev += pl->src->delivered;
		cv += pl->src->dropped_convert;
		if (pl->src->cap && udig_get_stats(pl->src->cap, &st) == UDIG_OK)
			buf += st.drops_buffer, inv += st.drops_invalid;
		fill = source_fill(pl->src);
	}
	metric(&pl->metrics[0], "udig.n_evts", 1, ev);
	metric(&pl->metrics[1], "udig.n_drops", 1, buf + inv + cv);
	metric(&pl->metrics[2], "udig.n_drops_buffer", 1, buf);
	metric(&pl->metrics[3], "udig.n_drops_invalid", 1, inv);
	metric(&pl->metrics[4], "udig.n_drops_unconvertible", 1, cv);
	pl->metrics[5].name = "udig.ring_fill_pct";
	pl->metrics[5].type = SS_PLUGIN_METRIC_TYPE_NON_MONOTONIC;
	pl->metrics[5].value_type = SS_PLUGIN_METRIC_VALUE_TYPE_D;
	pl->metrics[5].value.d = fill;
	*num_metrics = 6;
	return pl->metrics;
}
