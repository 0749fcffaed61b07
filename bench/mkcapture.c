/*
 * mkcapture OUT COUNT — writes a .scap file of COUNT events in a realistic
 * mix (open/read/write/close pairs on a few files, as `cat` would make) for
 * this process, through libcapture's writer.  Input for bench/read.sh.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <udig/capture.h>
#include <udig/encode.h>

int main(int argc, char **argv)
{
	char err[UDIG_ERRBUF_SIZE];
	uint8_t rec[512], data[80];
	if (argc != 3) {
		fprintf(stderr, "usage: mkcapture OUT COUNT\n");
		return 2;
	}
	unsigned long long n = strtoull(argv[2], NULL, 10);
	udig_dumper *d = udig_dump_open(NULL, argv[1], 0, err);
	if (!d) {
		fprintf(stderr, "mkcapture: %s\n", err);
		return 1;
	}
	memset(data, 'x', sizeof data);
	struct timespec t;
	clock_gettime(CLOCK_REALTIME, &t);
	uint64_t ts = (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
	int64_t tid = getpid();
	struct udig_enc e;
	for (unsigned long long i = 0; i < n; i++) {
		int64_t fd = 3 + (int64_t)(i / 8 % 4);
		switch (i % 8) {
		case 0:
			udig_enc_begin(&e, rec, sizeof rec, UEV_SYSCALL_OPENAT_2_E, ts, tid);
			udig_enc_s64(&e, UDIG_AT_FDCWD);
			udig_enc_str(&e, "/usr/share/doc/some/file.txt", 0);
			udig_enc_u32(&e, UDIG_O_RDONLY);
			udig_enc_u32(&e, 0);
			break;
		case 1:
			udig_enc_begin(&e, rec, sizeof rec, UEV_SYSCALL_OPENAT_2_X, ts, tid);
			udig_enc_s64(&e, fd);
			udig_enc_s64(&e, UDIG_AT_FDCWD);
			udig_enc_str(&e, "/usr/share/doc/some/file.txt", 0);
			udig_enc_u32(&e, UDIG_O_RDONLY);
			udig_enc_u32(&e, 0);
			udig_enc_u32(&e, 0xfe01);
			break;
		case 2: case 4:
			udig_enc_begin(&e, rec, sizeof rec, i % 8 == 2 ? UEV_SYSCALL_READ_E : UEV_SYSCALL_WRITE_E, ts, tid);
			udig_enc_s64(&e, i % 8 == 2 ? fd : 1);
			udig_enc_u32(&e, 4096);
			break;
		case 3: case 5:
			udig_enc_begin(&e, rec, sizeof rec, i % 8 == 3 ? UEV_SYSCALL_READ_X : UEV_SYSCALL_WRITE_X, ts, tid);
			udig_enc_s64(&e, 4096);
			udig_enc_buf(&e, data, sizeof data, 80);
			break;
		case 6:
			udig_enc_begin(&e, rec, sizeof rec, UEV_SYSCALL_CLOSE_E, ts, tid);
			udig_enc_s64(&e, fd);
			break;
		default:
			udig_enc_begin(&e, rec, sizeof rec, UEV_SYSCALL_CLOSE_X, ts, tid);
			udig_enc_s64(&e, 0);
			break;
		}
		size_t len = udig_enc_end(&e);
		if (!len || udig_dump_record(d, rec, (uint32_t)len, 0, 0) != UDIG_OK) {
			fprintf(stderr, "mkcapture: %s\n", len ? udig_dump_geterr(d) : udig_enc_strerror(e.status));
			udig_dump_close(d, err);
			return 1;
		}
		ts += 1000;
	}
	if (udig_dump_close(d, err) != UDIG_OK) {
		fprintf(stderr, "mkcapture: %s\n", err);
		return 1;
	}
	return 0;
}
