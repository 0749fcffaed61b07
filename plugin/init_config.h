/*
 * The plugin's init config: a JSON object (the schema is
 * plugin_get_init_schema's), e.g.
 *   {"snaplen": 256, "lossless": true, "engine": "ptrace",
 *    "event_types": ["openat", "connect"], "udig": "/usr/local/bin/udig"}
 * Every key is optional; an empty config means all defaults.
 */
#ifndef UDIG_PLUGIN_INIT_CONFIG_H
#define UDIG_PLUGIN_INIT_CONFIG_H
#include <stddef.h>
#include <stdint.h>
#include <udig/event.h>

#define CFG_MASK_BYTES ((UDIG_EVENT_MAX + 7) / 8)

struct plugin_config {
	uint32_t snaplen;   /* 0: the default */
	int lossless;
	char engine[16];    /* auto, preload, ptrace, unotify */
	char types[1024];   /* comma-separated event type names, "" = all */
	uint8_t evmask[CFG_MASK_BYTES]; /* with types: them + the state-keeping events */
	char udig[4096];    /* the udig program that launches run= and attach= */
	uint32_t batch_ms;  /* how long next_batch waits on an idle ring */
	char open[8192];    /* the open parameters to use when the host gives none: a host
	                     * such as sinsp-example always opens with "" */
};

/* The JSON schema of the config. */
extern const char plugin_config_schema[];

/* Parses `json` (NULL or blank: defaults).  Returns 0, or -1 with a one-line
 * message naming the key and what was expected in err. */
int plugin_config_parse(const char *json, struct plugin_config *c, char *err, size_t errlen);

/* The udig program run= and attach= use by default: PREFIX/bin/udig beside
 * the installed plugin, whatever the prefix (udig_path.c). */
void plugin_default_udig(char *out, size_t size);

#endif
