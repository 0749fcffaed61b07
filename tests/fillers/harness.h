/*
 * Test harness of the fillers: an in-process udig_tracee_ops (memory
 * through process_vm_readv on our own pid, so a bad pointer cannot fault;
 * socket names through getsockname/getpeername; fstat; /proc/self), and
 * call(): builds the enter record, performs the real syscall, builds the
 * exit record, parses both and checks them against the schema.
 */
#ifndef UDIG_TEST_FILLERS_HARNESS_H
#define UDIG_TEST_FILLERS_HARNESS_H
#include <stddef.h>
#include <stdint.h>
#include <udig/capture.h>
#include <udig/event.h>
#include "fillers.h"

extern const struct udig_tracee_ops test_ops;
extern struct udig_evt E, X;           /* the last enter / exit record */
extern uint8_t ebuf[1 << 18], xbuf[1 << 18];
extern size_t elen, xlen;
extern uint32_t test_snaplen;          /* 0: the default */

/* Both records of nr with args a and result ret (no syscall made). */
void build(long nr, const uint64_t a[6], int64_t ret);
/* Enter record, the real syscall, exit record; returns the raw result. */
int64_t call(long nr, const uint64_t a[6]);
#define A(...) ((const uint64_t[6]){ __VA_ARGS__ })
#define U(p) ((uint64_t)(uintptr_t)(p))

/* Parameter accessors (index from 0). */
int64_t pi(const struct udig_evt *ev, unsigned i);
const char *ps(const struct udig_evt *ev, unsigned i);
/* A BYTEBUF/SOCKADDR/... parameter equals n bytes of p. */
int pbytes(const struct udig_evt *ev, unsigned i, const void *p, size_t n);
/* DYN parameters: index byte and the value after it. */
unsigned pdyn_idx(const struct udig_evt *ev, unsigned i);
uint64_t pdyn_u64(const struct udig_evt *ev, unsigned i);
/* The driver's encoding of an fd's st_dev. */
uint32_t expect_dev(int fd);
/* A temporary directory for the test, created on first use. */
const char *tmpdir(void);
/* Removes it again (end of each test that used it). */
void tmpdir_remove(void);
#endif
