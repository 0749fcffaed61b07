/*
 * udig's records (the 2022 event table, libcapture/schema/) into libsinsp
 * 0.25's layout (plugin/schema/table025.c), as its savefile converter would
 * turn them: enter events are kept aside and merged into their exits, every
 * exit gets exactly the parameters of the current table.
 *
 * The conversion is a plan computed once from the two generated tables, not
 * code per event: for each parameter of the current layout, where its value
 * comes from — the old exit (same position: upstream only ever appends and
 * renames; by name only when the type changes to a newer version, as
 * dup's does), the old exit by name, the stored enter by name, a filler that
 * knows the value (plugin/fill.c), the type's default value (where the
 * converter uses one) or the empty, zero-length parameter (shown as <NA>).
 */
#ifndef UDIG_PLUGIN_CONVERT_H
#define UDIG_PLUGIN_CONVERT_H
#include <stddef.h>
#include <stdint.h>
#include <udig/capture.h>
#include "schema/table025.h"

#define CV_MAX_PARAMS 32

enum cv_action {
	CV_DROP = 0,    /* not shown to libsinsp (unused, or no current counterpart) */
	CV_STORE,       /* an enter event: kept for its exit */
	CV_EMIT,        /* converted and handed on */
};

enum cv_src {
	CV_OLD = 0,   /* idx: parameter of the udig exit */
	CV_ENTER,     /* idx: parameter of the stored enter (empty if none) */
	CV_FILL,      /* idx: enum fill_id */
	CV_DEFAULT,   /* the type's default value */
	CV_EMPTY,
};

struct cv_param {
	uint8_t src, idx;
	uint8_t oldtype, newtype;
};

struct cv_event {
	uint8_t action;
	uint16_t type;      /* the current event type written (a newer version of
	                     * the same syscall when udig's is an old one there) */
	uint8_t n;          /* parameters in the current layout */
	uint8_t large;      /* current layout: u32 lengths */
	uint16_t enter;     /* the udig type of the enter event, or 0xffff */
	struct cv_param p[CV_MAX_PARAMS];
};

struct cv_plan {
	struct cv_event ev[UDIG_EVENT_MAX];
};

/* Builds the plan from the two tables.  Never fails: an event whose old
 * parameters cannot be carried (a fixed-width type changed width) is
 * planned as CV_DROP and described in `why` (if not NULL) for the tests. */
void cv_plan_build(struct cv_plan *p, void (*why)(void *arg, uint16_t type, const char *msg), void *arg);

/* Fixed width of a parameter type, 0 for variable-length ones. */
unsigned cv_type_width(unsigned pt);

typedef struct cv_state cv_state;
cv_state *cv_state_new(const struct cv_plan *p);
void cv_state_free(cv_state *s);

/*
 * Converts one event.  Returns the bytes written at `out` (at most cap),
 * 0 when the event is not handed on (stored or dropped: *dropped says
 * whether it counts as a drop), or -1 when `cap` is too small.
 */
long cv_convert(cv_state *s, const struct udig_evt *ev, uint8_t *out, size_t cap, int *dropped);

#endif
