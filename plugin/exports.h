/* The entry points libsinsp resolves by name (dlsym "plugin_<name>"). */
#ifndef UDIG_PLUGIN_EXPORTS_H
#define UDIG_PLUGIN_EXPORTS_H
#include "api.h"

#define EXPORT __attribute__((visibility("default")))

EXPORT const char *plugin_get_required_api_version(void);
EXPORT const char *plugin_get_required_event_schema_version(ss_plugin_t *s);
EXPORT const char *plugin_get_name(void);
EXPORT const char *plugin_get_description(void);
EXPORT const char *plugin_get_contact(void);
EXPORT const char *plugin_get_version(void);
EXPORT uint32_t plugin_get_id(void);
EXPORT const char *plugin_get_event_source(void);
EXPORT const char *plugin_get_init_schema(ss_plugin_schema_type *schema_type);
EXPORT ss_plugin_t *plugin_init(const ss_plugin_init_input *in, ss_plugin_rc *rc);
EXPORT void plugin_destroy(ss_plugin_t *s);
EXPORT const char *plugin_get_last_error(ss_plugin_t *s);
EXPORT ss_instance_t *plugin_open(ss_plugin_t *s, const char *params, ss_plugin_rc *rc);
EXPORT void plugin_close(ss_plugin_t *s, ss_instance_t *h);
EXPORT ss_plugin_rc plugin_next_batch(ss_plugin_t *s, ss_instance_t *h, uint32_t *nevts, ss_plugin_event ***evts);
EXPORT const char *plugin_get_progress(ss_plugin_t *s, ss_instance_t *h, uint32_t *progress_pct);
EXPORT const char *plugin_list_open_params(ss_plugin_t *s, ss_plugin_rc *rc);
EXPORT const char *plugin_event_to_string(ss_plugin_t *s, const ss_plugin_event_input *in);
EXPORT ss_plugin_metric *plugin_get_metrics(ss_plugin_t *s, uint32_t *num_metrics);

#endif
