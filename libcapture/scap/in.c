/*
 * The .scap input stream: zlib (so plain and gzip files are told apart by
 * their content, and gzip members may follow each other) feeding one buffer
 * that is read in large chunks.  Events are handed out as pointers into this
 * buffer, so a block is copied only when it straddles the end of a chunk.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "format.h"

/* Small first reads keep opening tiny files cheap; the buffer then grows
 * to SCAP_CHUNK for the long haul. */
#define SCAP_FIRST_READ (16u << 10)

int scap_in_open(struct scap_in *in, int fd, char *err)
{
	memset(in, 0, sizeof *in);
	in->gz = gzdopen(fd, "rb");
	if (!in->gz) {
		udig_errf(err, "can't read fd %d: %s", fd, errno ? strerror(errno) : "out of memory");
		close(fd);
		return -1;
	}
	/* zlib's own input buffer, used for compressed data only: plain data of
	 * large reads goes straight from read(2) into ours. */
	gzbuffer(in->gz, 32u << 10);
	in->cap = SCAP_FIRST_READ;
	in->buf = malloc(in->cap);
	if (!in->buf) {
		udig_errf(err, "out of memory for the read buffer");
		gzclose(in->gz);
		in->gz = NULL;
		return -1;
	}
	return 0;
}

void scap_in_close(struct scap_in *in)
{
	if (in->gz)
		gzclose(in->gz);
	free(in->buf);
	memset(in, 0, sizeof *in);
}

int scap_in_rewind(struct scap_in *in, char *err)
{
	/* zlib seeks the descriptor back to where gzdopen found it and
	 * forgets its decompression state; it refuses (leaving everything as
	 * it was) on a descriptor that cannot seek, and after a read error
	 * other than a truncated stream. */
	errno = 0;
	if (gzrewind(in->gz) != 0) {
		int zerr = Z_OK;
		const char *msg = gzerror(in->gz, &zerr);
		if (zerr == Z_OK)
			udig_errf(err, "the capture cannot be read again from its start: %s",
				  errno == ESPIPE ? "it comes from a pipe or socket, which cannot seek"
				  : errno ? strerror(errno) : "its stream cannot seek");
		else
			udig_errf(err, "the capture cannot be read again after its read error: %s", msg);
		return -1;
	}
	in->pos = in->end = 0;
	in->base = 0;
	in->eof = 0;
	return 0;
}

static int grow(struct scap_in *in, size_t cap, char *err)
{
	uint8_t *p = realloc(in->buf, cap);
	if (!p) {
		udig_errf(err, "offset %llu: out of memory growing the read buffer to %zu bytes",
			  (unsigned long long)scap_in_off(in), cap);
		return -1;
	}
	in->buf = p;
	in->cap = cap;
	return 0;
}

long scap_in_ensure(struct scap_in *in, size_t n, char *err)
{
	size_t avail = in->end - in->pos;
	if (avail >= n || in->eof)
		return (long)avail;
	if (in->pos) {
		memmove(in->buf, in->buf + in->pos, avail);
		in->base += in->pos;
		in->end = avail;
		in->pos = 0;
	}
	while (in->end < n) {
		/* Grow only a buffer that real data has filled, so a forged
		 * block length costs at most twice the bytes the file holds. */
		size_t want = 0;
		if (in->end == in->cap)
			want = in->cap * 2 < n ? in->cap * 2 : n;
		else if (in->nreads && in->cap < SCAP_CHUNK && in->end < in->cap / 2)
			want = in->cap * 4 < SCAP_CHUNK ? in->cap * 4 : SCAP_CHUNK;
		if (want > in->cap && grow(in, want, err))
			return -1;
		size_t room = in->cap - in->end;
		if (room > INT_MAX)
			room = INT_MAX;
		int r = gzread(in->gz, in->buf + in->end, (unsigned)room);
		in->nreads++;
		int zerr = Z_OK;
		const char *msg = gzerror(in->gz, &zerr);
		if (r < 0 || (r == 0 && zerr != Z_OK)) {
			/* A gzip stream cut short reports Z_BUF_ERROR here. */
			if (zerr == Z_ERRNO)
				msg = strerror(errno);
			udig_errf(err, "offset %llu: %s%s", (unsigned long long)(in->base + in->end),
				  zerr == Z_BUF_ERROR ? "the file is truncated: " : "read error: ", msg);
			return -1;
		}
		if (r == 0) {
			in->eof = 1;
			break;
		}
		in->end += (size_t)r;
	}
	return (long)(in->end - in->pos);
}
