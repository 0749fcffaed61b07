/*
 * Writes captures of the odd cases libsinsp names in a way of its own,
 * for the scripts that compare udig read's lines with sysdig -r's:
 *
 *   mkodd blank-name FILE     a fork seen from the parent only through a
 *     clone exit that says nothing of it (empty exe, comm, args: the
 *     parent's filler could not read /proc, as happens while `unshare -Ur`
 *     sets up its user namespace), then the child's procexit.  The child
 *     exists for sysdig, with an empty name (odd_names.sh).
 *   mkodd unknown-dirfd FILE  an openat relative to a dirfd the capture
 *     never saw opened (a thread's open reached the ring before another
 *     thread's close of the same number, or the fd came from elsewhere),
 *     then a read of the new fd: libsinsp names it "<UNKNOWN>" and the
 *     name, without a separator (odd_names.sh).
 */
#include <stdio.h>
#include <string.h>
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

static int blank_name(udig_dumper *d, uint64_t ts, int64_t self)
{
	struct udig_enc e;
	int64_t child = 4000001; /* above any pid_max: no real process */
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
	return bad;
}

static int unknown_dirfd(udig_dumper *d, uint64_t ts, int64_t self)
{
	struct udig_enc e;
	const int64_t dirfd = 977, fd = 978; /* never open here */
	int bad = 0;

	udig_enc_begin(&e, buf, sizeof buf, UEV_SYSCALL_OPENAT_2_E, ts, (uint64_t)self);
	udig_enc_s64(&e, dirfd);
	udig_enc_str(&e, "group", 0);
	udig_enc_u32(&e, 1);                 /* O_RDONLY */
	udig_enc_u32(&e, 0);
	bad |= put(d, &e);
	udig_enc_begin(&e, buf, sizeof buf, UEV_SYSCALL_OPENAT_2_X, ts + 1000, (uint64_t)self);
	udig_enc_s64(&e, fd);
	udig_enc_s64(&e, dirfd);
	udig_enc_str(&e, "group", 0);
	udig_enc_u32(&e, 1);
	udig_enc_u32(&e, 0);
	udig_enc_u32(&e, 0xfe00);            /* dev */
	bad |= put(d, &e);
	udig_enc_begin(&e, buf, sizeof buf, UEV_SYSCALL_READ_E, ts + 2000, (uint64_t)self);
	udig_enc_s64(&e, fd);
	udig_enc_u32(&e, 16);
	bad |= put(d, &e);
	udig_enc_begin(&e, buf, sizeof buf, UEV_SYSCALL_READ_X, ts + 3000, (uint64_t)self);
	udig_enc_s64(&e, 0);
	udig_enc_buf(&e, "", 0, 0);
	bad |= put(d, &e);
	return bad;
}

int main(int argc, char **argv)
{
	char err[UDIG_ERRBUF_SIZE];
	struct timespec now;
	int bad;
	if (argc != 3 || (strcmp(argv[1], "blank-name") != 0 && strcmp(argv[1], "unknown-dirfd") != 0)) {
		fprintf(stderr, "usage: mkodd blank-name|unknown-dirfd FILE\n");
		return 2;
	}
	/* c == NULL: the process list is this machine's, so we are known. */
	udig_dumper *d = udig_dump_open(NULL, argv[2], 0, err);
	if (!d) {
		fprintf(stderr, "mkodd: %s\n", err);
		return 1;
	}
	clock_gettime(CLOCK_REALTIME, &now);
	uint64_t ts = (uint64_t)now.tv_sec * 1000000000ull + (uint64_t)now.tv_nsec;
	if (argv[1][0] == 'b')
		bad = blank_name(d, ts, getpid());
	else
		bad = unknown_dirfd(d, ts, getpid());
	if (udig_dump_close(d, err) != UDIG_OK || bad) {
		fprintf(stderr, "mkodd: %s\n", bad ? "a record did not encode or write" : err);
		return 1;
	}
	return 0;
}
