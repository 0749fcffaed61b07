/*
 * The Falco plugin ABI (plugin API 3.x) as far as a source plugin needs it:
 * return codes, the event block, the init input and the metric record.
 * Written from the facts of falcosecurity-libs 0.25's
 * userspace/plugin/plugin_types.h and plugin_api.h (field order and widths
 * are the contract; libsinsp resolves our functions by their
 * "plugin_<name>" symbols, so no function table is declared here).
 */
#ifndef UDIG_PLUGIN_API_H
#define UDIG_PLUGIN_API_H
#include <stdint.h>

/* The API version we are written against; libsinsp accepts a plugin whose
 * required major equals its own and whose minor is not newer. */
#define UDIG_PLUGIN_REQUIRED_API "3.0.0"



typedef enum ss_plugin_rc {
	SS_PLUGIN_SUCCESS = 0,
	SS_PLUGIN_FAILURE = 1,
	SS_PLUGIN_TIMEOUT = -1,
	SS_PLUGIN_EOF = 2,
	SS_PLUGIN_NOT_SUPPORTED = 3,
} ss_plugin_rc;

typedef enum ss_plugin_schema_type {
	SS_PLUGIN_SCHEMA_NONE = 0,
	SS_PLUGIN_SCHEMA_JSON = 1,
} ss_plugin_schema_type;

/* The 26-byte scap event header: the block's parameters follow it. */
typedef struct ss_plugin_event {
	uint64_t ts;
	uint64_t tid;
	uint32_t len;
	uint16_t type;
	uint32_t nparams;
} __attribute__((packed)) ss_plugin_event;

typedef struct ss_plugin_event_input {
	const ss_plugin_event *evt;
	uint64_t evtnum;
	const char *evtsrc;
} ss_plugin_event_input;

typedef void ss_plugin_t;
typedef void ss_instance_t;
typedef void ss_plugin_owner_t;

typedef enum ss_plugin_log_severity {
	SS_PLUGIN_LOG_SEV_ERROR = 3,
	SS_PLUGIN_LOG_SEV_WARNING = 4,
	SS_PLUGIN_LOG_SEV_INFO = 6,
	SS_PLUGIN_LOG_SEV_DEBUG = 7,
} ss_plugin_log_severity;

typedef void (*ss_plugin_log_fn_t)(ss_plugin_owner_t *o, const char *component, const char *msg,
				   ss_plugin_log_severity sev);

typedef struct ss_plugin_init_input {
	const char *config;
	ss_plugin_owner_t *owner;
	const char *(*get_owner_last_error)(ss_plugin_owner_t *o);
	const void *tables; /* the state tables' vtables: unused by udig */
	ss_plugin_log_fn_t log_fn; /* API >= 3.6; may be NULL */
} ss_plugin_init_input;

typedef enum ss_plugin_metric_value_type {
	SS_PLUGIN_METRIC_VALUE_TYPE_U32 = 0,
	SS_PLUGIN_METRIC_VALUE_TYPE_S32 = 1,
	SS_PLUGIN_METRIC_VALUE_TYPE_U64 = 2,
	SS_PLUGIN_METRIC_VALUE_TYPE_S64 = 3,
	SS_PLUGIN_METRIC_VALUE_TYPE_D = 4,
} ss_plugin_metric_value_type;

typedef union ss_plugin_metric_value {
	uint32_t u32;
	int32_t s32;
	uint64_t u64;
	int64_t s64;
	double d;
	float f;
	int i;
} ss_plugin_metric_value;

typedef enum ss_plugin_metric_type {
	SS_PLUGIN_METRIC_TYPE_MONOTONIC = 0,
	SS_PLUGIN_METRIC_TYPE_NON_MONOTONIC = 1,
} ss_plugin_metric_type;

typedef struct ss_plugin_metric {
	const char *name;
	ss_plugin_metric_type type;
	ss_plugin_metric_value value;
	ss_plugin_metric_value_type value_type;
} ss_plugin_metric;

_Static_assert(sizeof(ss_plugin_event) == 26, "the scap event header is 26 bytes");

#endif
