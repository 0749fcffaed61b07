/* Helpers shared by the .scap reader tests. */
#ifndef UDIG_TEST_SCAP_UTIL_H
#define UDIG_TEST_SCAP_UTIL_H
#include <stddef.h>
#include <stdint.h>
#include <udig/capture.h>

struct rd_ev { uint64_t num; uint16_t type, cpu; uint64_t tid; uint32_t nparams, dump_flags; };

/* The result of reading a whole capture. */
struct rd_result {
	int open_ok;
	int rc;                 /* last udig_next status (UDIG_EOF when clean) */
	size_t n;               /* events read */
	struct rd_ev ev[64];    /* the first 64 */
	char err[UDIG_ERRBUF_SIZE];
};

/* Opens and reads everything (at most max_events, as a hang guard). */
void rd_file(const char *path, struct rd_result *r, size_t max_events);
/* A fresh path in a per-process scratch directory. */
const char *rd_tmp(const char *name);
/* Writes bytes to a file. */
void rd_write(const char *path, const void *p, size_t n);
/* Removes the scratch directory (call rd_tmp once before forking tests). */
void rd_cleanup(void);
#endif
