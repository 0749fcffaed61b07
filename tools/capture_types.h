/* `-t TYPE,...` of the live commands, pushed down to the producers. */
#ifndef UDIG_CAPTURE_TYPES_H
#define UDIG_CAPTURE_TYPES_H
#include <stdint.h>
#include <udig/event.h>
#include "inject/inject.h"

#define CAPTURE_EVMASK_BYTES ((UDIG_EVENT_MAX + 7) / 8)

/*
 * From a comma-separated list of event type names (as `udig events` prints
 * them), the event mask for the ring and the syscall mask for the tracer:
 * the listed types plus every event that changes the consumer's view of
 * processes and fds, so that what is printed still carries process and file
 * names.  Returns 0, or -1 with the unknown name in err.
 */
int capture_types_masks(const char *list, uint8_t evmask[CAPTURE_EVMASK_BYTES],
			uint8_t scmask[INJECT_MASK_BYTES], char *err, size_t errlen);

/* Adds one native syscall (its events, generic or not) to both masks, which
 * capture_types_masks() initialised. */
void capture_types_add_syscall(unsigned nr, uint8_t evmask[CAPTURE_EVMASK_BYTES],
			       uint8_t scmask[INJECT_MASK_BYTES]);

#endif
