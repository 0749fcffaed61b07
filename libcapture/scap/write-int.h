/*
 * Internals of the .scap writer: the output stream (plain or gzip) and the
 * serialisers of the metadata blocks.  Layouts: specs/scap-file.md.
 */
#ifndef UDIG_SCAP_WRITE_INT_H
#define UDIG_SCAP_WRITE_INT_H

#include <stddef.h>
#include <stdint.h>
#include <zlib.h>
#include "../capture-int.h"

/* Block ids this writer emits (the current versions of the reference). */
enum {
	SW_SHB = 0x0A0D0D0A,
	SW_MI = 0x201,
	SW_PL_V9 = 0x215,
	SW_EV_V2 = 0x216,
	SW_EVF_V2 = 0x217,
	SW_FDL_V2 = 0x218,
	SW_IL_V2 = 0x219,
	SW_UL_V2 = 0x220,
	SW_EV_V2_LARGE = 0x221,
	SW_EVF_V2_LARGE = 0x222,
};

/* Framing: 8-byte header, body, zero padding to 4, 4-byte trailer. */
static inline uint32_t sw_block_len(size_t body)
{
	return (uint32_t)((8 + body + 4 + 3) & ~(size_t)3);
}

/*
 * The output.  Whole blocks are appended to a large buffer that goes to the
 * file with write(2) (or through zlib when compressing); the buffer only
 * ever holds complete blocks, so after a failed write the file can be cut
 * back to the last complete block.  The first error sticks.
 *
 * Three destinations: a file we open (and close), a descriptor the caller
 * owns (never closed, never seeked: a pipe or a socket works as well), and
 * the caller's memory, where `buf` is the caller's buffer itself and blocks
 * land in place (nothing is drained; a block that does not fit is an error).
 */
struct scap_out {
	int fd;              /* -1 for memory */
	int own_fd;          /* we opened fd and close it */
	int mem;             /* buf is the caller's: never freed, never drained */
	gzFile gz;           /* NULL: plain output */
	int regular;         /* fd is a regular file we may cut back (truncate) */
	uint64_t base;       /* file offset at which our output starts */
	uint8_t *buf;
	size_t len, cap;
	uint64_t done;       /* bytes of complete blocks already handed to the fd
	                      * (uncompressed: what went into zlib) */
	uint64_t synced;     /* `done` at the last sout_flush: nothing new since */
	int status;          /* UDIG_OK or the first error */
	char err[UDIG_ERRBUF_SIZE];
	char *what;          /* file name (or "fd N") for messages */
};

int sout_open(struct scap_out *o, const char *path, int compress, char *err);
/* The caller's descriptor: checked to be open for writing, left open. */
int sout_open_fd(struct scap_out *o, int fd, int compress, char *err);
/* The caller's buffer of size bytes (plain .scap, no compression). */
int sout_open_mem(struct scap_out *o, void *buf, size_t size, char *err);
/* Room for one block of n bytes in the buffer (flushing first if needed);
 * NULL when n exceeds the buffer (use sout_write) or after an error.  In
 * memory, a block that does not fit is the error (UDIG_INPUT_TOO_SMALL). */
uint8_t *sout_reserve(struct scap_out *o, size_t n);
/* Appends one complete block of n bytes. */
int sout_write(struct scap_out *o, const void *p, size_t n);
/* Hands everything buffered to the file, so that a reader of the file as it
 * is now (even if we die next) gets every complete block appended so far
 * (gzip: Z_SYNC_FLUSH).  No system call when nothing was appended since the
 * last flush, so it may be called on a timer. */
int sout_flush(struct scap_out *o);
/* Bytes of the .scap stream appended so far, buffered or not (uncompressed). */
static inline uint64_t sout_tell(const struct scap_out *o)
{
	return o->done + o->len;
}
/* Flushes, closes what we opened, frees; returns the first error. */
int sout_close(struct scap_out *o);

/* A growable buffer for building one metadata block. */
struct sbuf {
	uint8_t *p;
	size_t len, cap;
	int oom;
};
void sb_bytes(struct sbuf *b, const void *p, size_t n);
void sb_u8(struct sbuf *b, uint8_t v);
void sb_u16(struct sbuf *b, uint16_t v);
void sb_u32(struct sbuf *b, uint32_t v);
void sb_u64(struct sbuf *b, uint64_t v);
/* u16 length + at most max bytes of s, no NUL. */
void sb_str16(struct sbuf *b, const char *s, size_t max);
void sb_blob16(struct sbuf *b, const void *p, size_t len, size_t max);
/* Overwrites a u32 written earlier at offset off. */
void sb_put32_at(struct sbuf *b, size_t off, uint32_t v);
/* Starts a block (reserves the header); sb_block_end pads and closes it. */
size_t sb_block_begin(struct sbuf *b, uint32_t type);
void sb_block_end(struct sbuf *b, size_t start);
void sb_free(struct sbuf *b);

/* Metadata blocks from a set of state tables, appended to b. */
void sw_shb(struct sbuf *b);
void sw_mi(struct sbuf *b, const struct udig_machine_info *mi);
void sw_il(struct sbuf *b, const struct udig_tables *t);   /* nothing without interfaces */
void sw_ul(struct sbuf *b, const struct udig_tables *t);   /* nothing without users/groups */
void sw_pl(struct sbuf *b, const struct udig_tables *t);   /* nothing without threads */
void sw_fdl(struct sbuf *b, const struct thread_entry *te);

#endif
