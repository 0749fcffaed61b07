/*
 * The writer's output stream: a large buffer of complete blocks, drained
 * with write(2) for plain files or through zlib (one gzip stream, default
 * level) when compressing.  Errors are recorded, never printed; the first
 * one sticks and every later call reports it.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "write-int.h"

#define SOUT_BUFSIZE (1u << 20)

static int sout_fail(struct scap_out *o, int status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int sout_fail(struct scap_out *o, int status, const char *fmt, ...)
{
	if (o->status == UDIG_OK) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(o->err, sizeof o->err, fmt, ap);
		va_end(ap);
		o->status = status;
	}
	return o->status;
}

/* Buffer and (when compressing) the gzip stream over o->fd, which is set.
 * On failure everything is undone but the fd, which the caller handles. */
static int sout_setup(struct scap_out *o, int compress, char *err)
{
	o->cap = SOUT_BUFSIZE;
	o->buf = malloc(o->cap);
	if (!o->buf || !o->what) {
		udig_errf(err, "out of memory");
		goto fail;
	}
	if (compress) {
		/* zlib owns the descriptor it is given (gzclose closes it): a
		 * caller's descriptor reaches it as a duplicate of our own. */
		int zfd = o->own_fd ? o->fd : fcntl(o->fd, F_DUPFD_CLOEXEC, 3);
		if (zfd < 0) {
			udig_errf(err, "can't start gzip stream on %s: %s", o->what, strerror(errno));
			goto fail;
		}
		o->gz = gzdopen(zfd, "wb");
		if (!o->gz) {
			udig_errf(err, "can't start gzip stream on %s", o->what);
			if (zfd != o->fd)
				close(zfd);
			goto fail;
		}
		if (o->own_fd)
			o->fd = -1; /* zlib's now */
		gzbuffer(o->gz, 256 * 1024);
	}
	return UDIG_OK;
fail:
	free(o->buf);
	free(o->what);
	o->buf = NULL;
	o->what = NULL;
	return UDIG_FAILURE;
}

int sout_open(struct scap_out *o, const char *path, int compress, char *err)
{
	struct stat st;
	memset(o, 0, sizeof *o);
	o->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (o->fd < 0) {
		udig_errf(err, "can't create %s: %s", path, strerror(errno));
		return UDIG_FAILURE;
	}
	o->own_fd = 1;
	o->what = strdup(path);
	o->regular = fstat(o->fd, &st) == 0 && S_ISREG(st.st_mode);
	if (sout_setup(o, compress, err) != UDIG_OK) {
		close(o->fd);
		o->fd = -1;
		return UDIG_FAILURE;
	}
	return UDIG_OK;
}

int sout_open_fd(struct scap_out *o, int fd, int compress, char *err)
{
	struct stat st;
	char what[32];
	memset(o, 0, sizeof *o);
	o->fd = -1;
	if (fd < 0) {
		udig_errf(err, "invalid file descriptor %d", fd);
		return UDIG_ILLEGAL_INPUT;
	}
	int fl = fcntl(fd, F_GETFL);
	if (fl < 0) {
		udig_errf(err, "fd %d: %s", fd, strerror(errno));
		return UDIG_ILLEGAL_INPUT;
	}
	if ((fl & O_ACCMODE) == O_RDONLY || (fl & O_PATH)) {
		udig_errf(err, "fd %d is not open for writing", fd);
		return UDIG_ILLEGAL_INPUT;
	}
	/* zlib gives up on a write that would block; our own writes wait. */
	if (compress && (fl & O_NONBLOCK)) {
		udig_errf(err, "fd %d is non-blocking: a compressed dump needs a blocking descriptor", fd);
		return UDIG_ILLEGAL_INPUT;
	}
	o->fd = fd;
	snprintf(what, sizeof what, "fd %d", fd);
	o->what = strdup(what);
	/* A failed write is cut back to the last complete block only in a
	 * regular file whose offset we know: not with O_APPEND, where every
	 * write goes to an end someone else may also move. */
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && !(fl & O_APPEND)) {
		off_t at = lseek(fd, 0, SEEK_CUR);
		if (at >= 0) {
			o->regular = 1;
			o->base = (uint64_t)at;
		}
	}
	if (sout_setup(o, compress, err) != UDIG_OK) {
		o->fd = -1;
		return UDIG_FAILURE;
	}
	return UDIG_OK;
}

int sout_open_mem(struct scap_out *o, void *buf, size_t size, char *err)
{
	memset(o, 0, sizeof *o);
	o->fd = -1;
	if (!buf || size == 0) {
		udig_errf(err, "no memory dump buffer (%s)", buf ? "size 0" : "NULL");
		return UDIG_ILLEGAL_INPUT;
	}
	o->what = strdup("the memory dump buffer");
	if (!o->what) {
		udig_errf(err, "out of memory");
		return UDIG_FAILURE;
	}
	o->mem = 1;
	o->buf = buf;
	o->cap = size;
	return UDIG_OK;
}

/* Length of the complete blocks at the start of p[0..n): the buffer holds
 * only whole blocks, each starting with its type and total length. */
static size_t whole_blocks(const uint8_t *p, size_t n)
{
	size_t pos = 0;
	while (pos + 8 <= n) {
		uint32_t blen;
		memcpy(&blen, p + pos + 4, 4);
		if (blen < 12 || blen > n - pos)
			break;
		pos += blen;
	}
	return pos;
}

/* Writes p[0..n) to the plain file; on failure cuts the file back to the
 * end of the last complete block so that what remains stays readable. */
static int plain_write(struct scap_out *o, const uint8_t *p, size_t n)
{
	size_t off = 0;
	while (off < n) {
		ssize_t w = write(o->fd, p + off, n - off);
		if (w > 0) {
			off += (size_t)w;
			continue;
		}
		if (w < 0 && errno == EINTR)
			continue;
		/* A caller's non-blocking pipe or socket: wait for room. */
		if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			struct pollfd pfd = { .fd = o->fd, .events = POLLOUT };
			if (poll(&pfd, 1, -1) >= 0 || errno == EINTR)
				continue;
		}
		int e = w < 0 ? errno : ENOSPC;
		if (o->regular && ftruncate(o->fd, (off_t)(o->base + o->done + whole_blocks(p, off))) != 0) {
			/* Nothing better to do: the message below still says why. */
		}
		return sout_fail(o, UDIG_FAILURE, "error writing %s: %s", o->what, strerror(e));
	}
	o->done += n;
	return UDIG_OK;
}

static int gz_write_all(struct scap_out *o, const uint8_t *p, size_t n)
{
	while (n > 0) {
		unsigned chunk = n > (1u << 30) ? (1u << 30) : (unsigned)n;
		int w = gzwrite(o->gz, p, chunk);
		if (w <= 0) {
			int zerr = 0;
			const char *msg = gzerror(o->gz, &zerr);
			if (zerr == Z_ERRNO)
				msg = strerror(errno);
			return sout_fail(o, UDIG_FAILURE, "error writing %s: %s", o->what, msg ? msg : "gzip error");
		}
		p += w;
		n -= (size_t)w;
		o->done += (size_t)w;
	}
	return UDIG_OK;
}

static int drain(struct scap_out *o, const uint8_t *p, size_t n)
{
	return o->gz ? gz_write_all(o, p, n) : plain_write(o, p, n);
}

static int sout_drain_buffer(struct scap_out *o)
{
	int rc;
	if (o->status != UDIG_OK)
		return o->status;
	if (o->len == 0 || o->mem)
		return UDIG_OK;
	rc = drain(o, o->buf, o->len);
	o->len = 0;
	return rc;
}

uint8_t *sout_reserve(struct scap_out *o, size_t n)
{
	uint8_t *p;
	if (o->status != UDIG_OK)
		return NULL;
	if (o->mem && n > o->cap - o->len) {
		/* Nothing of the block is written: the buffer holds a capture
		 * that ends with the last block that fit. */
		sout_fail(o, UDIG_INPUT_TOO_SMALL, "%s is full: %zu of its %zu bytes used, the next block needs %zu",
			  o->what, o->len, o->cap, n);
		return NULL;
	}
	if (n > o->cap)
		return NULL;
	if (o->len + n > o->cap && sout_drain_buffer(o) != UDIG_OK)
		return NULL;
	p = o->buf + o->len;
	o->len += n;
	return p;
}

int sout_write(struct scap_out *o, const void *p, size_t n)
{
	uint8_t *dst;
	if (o->status != UDIG_OK)
		return o->status;
	dst = sout_reserve(o, n);
	if (dst) {
		memcpy(dst, p, n);
		return UDIG_OK;
	}
	if (o->status != UDIG_OK || o->mem)
		return o->status;
	/* Larger than the buffer: empty the buffer, then write it directly. */
	if (sout_drain_buffer(o) != UDIG_OK)
		return o->status;
	return drain(o, p, n);
}

int sout_flush(struct scap_out *o)
{
	if (o->status != UDIG_OK || o->mem)
		return o->status; /* in memory, every block is in place already */
	/* Called on a timer: an empty flush would cost a write(2) and, with
	 * gzip, a few bytes of empty deflate block every time. */
	if (o->len == 0 && o->done == o->synced)
		return UDIG_OK;
	if (sout_drain_buffer(o) != UDIG_OK)
		return o->status;
	if (o->gz) {
		/* Z_SYNC_FLUSH ends the deflate output on a byte boundary with
		 * everything so far, which is all a reader of the stream from its
		 * start needs (zlib's gzread hands out the data before a cut, then
		 * reports the end).  Z_FULL_FLUSH (libscap's choice) would also
		 * reset the dictionary, for readers starting mid-stream, which .scap
		 * readers never do, at a cost in compression on every flush. */
		int zrc = gzflush(o->gz, Z_SYNC_FLUSH);
		if (zrc != Z_OK)
			return sout_fail(o, UDIG_FAILURE, "error writing %s: %s", o->what,
					 zrc == Z_ERRNO ? strerror(errno) : zError(zrc));
	}
	o->synced = o->done;
	return UDIG_OK;
}

int sout_close(struct scap_out *o)
{
	sout_drain_buffer(o);
	if (o->gz) {
		/* gzclose writes the rest of the stream and the gzip trailer, and
		 * closes zlib's descriptor (ours, or our duplicate of the caller's). */
		int zrc = gzclose(o->gz);
		if (zrc != Z_OK)
			sout_fail(o, UDIG_FAILURE, "error writing %s: %s", o->what,
				  zrc == Z_ERRNO ? strerror(errno) : zError(zrc));
		o->gz = NULL;
	}
	if (o->own_fd && o->fd >= 0 && close(o->fd) != 0)
		sout_fail(o, UDIG_FAILURE, "error closing %s: %s", o->what, strerror(errno));
	o->fd = -1;
	if (!o->mem)
		free(o->buf);
	o->buf = NULL;
	free(o->what);
	o->what = NULL;
	return o->status;
}
