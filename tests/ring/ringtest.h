/* Helpers shared by the ring tests: unique object names, numbered test
 * records and their checks. */
#ifndef UDIG_RINGTEST_H
#define UDIG_RINGTEST_H

#include <stddef.h>
#include <stdint.h>
#include <udig/capture.h>

struct rt_names {
	char ring[96], descs[96], mask[112];
};

/* Names unique to this process and tag, with no objects left under them
 * (the ring, the descriptors and their .mask and .ctl side objects). */
void rt_names_make(struct rt_names *n, const char *tag);
void rt_names_unlink(const struct rt_names *n);
/* Removes every such object whose process is gone: a test that fails an
 * assertion ends its process at once (Check's fork mode), before its own
 * rt_names_unlink.  For a test program's main, after its run. */
void rt_sweep_dead(void);

/* A producer on the names (a Check assertion if it cannot open). */
struct udig_ring_writer;
struct udig_ring_writer rt_open_writer(const struct rt_names *n);

/* A write-exit record: res = seq, data = "T<thread>:S<seq>:" padded with a
 * letter derived from seq to a length derived from seq, header tid = tid. */
size_t rt_record(uint8_t *buf, size_t cap, uint32_t thread, uint32_t seq, uint64_t tid);
/* Checks an event is exactly such a record; fills thread and seq. */
int rt_record_check(const struct udig_evt *ev, uint32_t *thread, uint32_t *seq);

/* Our consumer on the names, lossless or not, optional event mask. */
udig_capture *rt_consumer(const struct rt_names *n, int lossless, const uint8_t *mask);

/* Mode bits of /dev/shm/<name>, or -1. */
int rt_shm_mode(const char *name);

void rt_sleep_us(long us);

/* Tests that need the reference's fixed object names (udig_buf, udig_descs)
 * serialize on this lock file; returns the locked fd (close to unlock), or
 * -1.  Usable outside Check tests (no ck_* calls). */
#define RT_DEFAULT_LOCK "/tmp/udig-default-ring.lock"
int rt_default_names_lock(void);
/* 0 if the default objects are absent or usable by us; else -1 with the
 * reason printed (they belong to another user: the test cannot run). */
int rt_default_names_usable(void);
/* Does /dev/shm/<name> exist? */
int rt_shm_exists(const char *name);

#endif
