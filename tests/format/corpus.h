/*
 * The format tests' corpus: a set of processes, fd lists and event records
 * that exercise every parameter type and the state-changing syscalls.  It
 * can be written as a .scap file (scapgen) for sysdig, or served from
 * memory through a tiny event source with the same tables seeded, so that
 * our formatter output can be compared line by line with sysdig's.
 */
#ifndef UDIG_TEST_CORPUS_H
#define UDIG_TEST_CORPUS_H
#include <stddef.h>
#include <stdint.h>
#include "capture-int.h"

struct corpus_rec {
	uint8_t *p;
	size_t len;
	uint16_t cpu;
};

struct corpus {
	struct corpus_rec *recs;
	size_t n, cap;
};

/* Builds the standard corpus. */
void corpus_build(struct corpus *co);
void corpus_free(struct corpus *co);
/* Writes it as a .scap file (SHB, MI, PL, FDLs, events); 0 on success. */
int corpus_write_scap(const struct corpus *co, const char *path);
/* A capture serving the records from memory with the PL/FDL state seeded. */
udig_capture *corpus_open(const struct corpus *co);

/* Record-building helpers for tests that add their own events. */
struct corpus_ev;
void corpus_add(struct corpus *co, const void *rec, size_t len, uint16_t cpu);

/* Runs a command and returns its stdout as a malloc'ed string (NULL on error). */
char *run_capture_stdout(const char *cmd);
/* Is sysdig installed? */
int have_sysdig(void);

#endif
