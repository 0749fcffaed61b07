/*
 * Writes a capture where a fork is seen from the parent only through a
 * clone exit that says nothing of it (empty exe, comm, args: the parent's
 * filler could not read /proc, as happens while `unshare -Ur` sets up its
 * user namespace), followed by the child's procexit.  The child exists for
 * sysdig, with an empty name; blank_name.sh compares udig read's lines
 * with sysdig -r's on it.
 */
#include <stdio.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>
#include <udig/capture.h>
#include <udig/encode.h>
#include <udig/event_types.h>

static uint8_t buf[4096];

static int put(udig_dumper *d, struct udig_enc *e)
{
	size_t len = udig_enc_end(e);
	return len && udig_dump_record(d, buf, (uint32_t)len, 0, 0) == UDIG_OK ? 0 : -1;
}

int main(int argc, char **argv)
{
	char err[UDIG_ERRBUF_SIZE];
	struct udig_enc e;
	struct timespec now;
	if (argc != 2) {
		fprintf(stderr, "usage: mkblank FILE\n");
		return 2;
	}
	/* c == NULL: the process list is this machine's, so we are known. */
	udig_dumper *d = udig_dump_open(NULL, argv[1], 0, err);
	if (!d) {
		fprintf(stderr, "mkblank: %s\n", err);
		return 1;
	}
	clock_gettime(CLOCK_REALTIME, &now);
	uint64_t ts = (uint64_t)now.tv_sec * 1000000000ull + (uint64_t)now.tv_nsec;
	int64_t self = getpid(), child = 4000001; /* above any pid_max: no real process */
	int bad = 0;

	udig_enc_begin(&e, buf, sizeof buf, UEV_SYSCALL_CLONE_20_E, ts, (uint64_t)self);
	bad |= put(d, &e);
	udig_enc_begin(&e, buf, sizeof buf, UEV_SYSCALL_CLONE_20_X, ts + 1000, (uint64_t)self);
	udig_enc_s64(&e, child);
	udig_enc_str(&e, "", 0);             /* exe */
	udig_enc_buf(&e, "", 0, 0);          /* args */
	udig_enc_s64(&e, self);              /* tid */
	udig_enc_s64(&e, self);              /* pid */
	udig_enc_s64(&e, 0);                 /* ptid */
	udig_enc_str(&e, "", 0);             /* cwd */
	udig_enc_s64(&e, 0);                 /* fdlimit */
	udig_enc_u64(&e, 0);                 /* pgft_maj */
	udig_enc_u64(&e, 0);                 /* pgft_min */
	udig_enc_u32(&e, 0);                 /* vm_size */
	udig_enc_u32(&e, 0);                 /* vm_rss */
	udig_enc_u32(&e, 0);                 /* vm_swap */
	udig_enc_str(&e, "", 0);             /* comm */
	udig_enc_buf(&e, "", 0, 0);          /* cgroups */
	udig_enc_u32(&e, 0);                 /* flags */
	udig_enc_u32(&e, (uint32_t)-1);      /* uid */
	udig_enc_u32(&e, (uint32_t)-1);      /* gid */
	udig_enc_s64(&e, self);              /* vtid */
	udig_enc_s64(&e, self);              /* vpid */
	bad |= put(d, &e);
	udig_enc_begin(&e, buf, sizeof buf, UEV_PROCEXIT_1_E, ts + 2000, (uint64_t)child);
	udig_enc_s64(&e, 0);
	udig_enc_s64(&e, 0);
	udig_enc_u8(&e, 0);
	udig_enc_u8(&e, 0);
	bad |= put(d, &e);
	if (udig_dump_close(d, err) != UDIG_OK || bad) {
		fprintf(stderr, "mkblank: %s\n", bad ? "a record did not encode or write" : err);
		return 1;
	}
	return 0;
}
