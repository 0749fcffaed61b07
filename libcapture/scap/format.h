/*
 * Internals of the .scap reader: block type ids, the buffered input stream,
 * a bounds-checked cursor over untrusted bytes, and the metadata parsers.
 * specs/scap-file.md is the format description behind every rule here.
 */
#ifndef UDIG_SCAP_FORMAT_H
#define UDIG_SCAP_FORMAT_H

#include <stddef.h>
#include <stdint.h>
#include <zlib.h>
#include "../capture-int.h"

/* ------------------------------------------------------------ block types */

enum scap_kind { SK_SHB, SK_MI, SK_PL, SK_FDL, SK_IL, SK_UL, SK_EV };

enum scap_block_flags {
	SB_LARGE = 1,    /* EV/EVF "large": no 64 KiB cap */
	SB_DUMPFLAGS = 2, /* EVF: a u32 of dump flags follows the cpu id */
	SB_V1EVENT = 4,  /* the event inside has the old 22-byte header */
	SB_ENTRYLEN = 8, /* list entries start with their own length */
};

struct scap_block_type {
	uint32_t id;
	uint8_t kind;    /* enum scap_kind */
	uint8_t version; /* PL 1..9, FDL/IL/UL/EV 1..2 */
	uint8_t flags;   /* enum scap_block_flags */
	const char *name;
};

/* NULL for ids this format version does not define. */
const struct scap_block_type *scap_block_lookup(uint32_t id);

#define SCAP_SHB_ID 0x0A0D0D0Au
#define SCAP_SHB_LEN 28u
#define SCAP_MAGIC 0x1A2B3C4Du
#define SCAP_MAJOR 1u
/* Non-large event blocks: the reference refuses total length − 8 above this. */
#define SCAP_EVBLOCK_MAX 65536u
/* Our own ceiling for any block, large or metadata: far above anything a
 * real capture holds, low enough that a forged length cannot exhaust memory. */
#define SCAP_BLOCK_MAX (256u << 20)
/* The reader's working buffer grows to this read size: large enough that
 * reads are few, small enough that what a read brings in is still in the
 * cache (L2) when the events are parsed out of it. */
#define SCAP_CHUNK (256u << 10)

/* Little-endian loads from unaligned, untrusted bytes. */
static inline uint16_t scap_le16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static inline uint32_t scap_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static inline uint64_t scap_le64(const uint8_t *p) { return scap_le32(p) | (uint64_t)scap_le32(p + 4) << 32; }

/* ------------------------------------------------------------ input stream */

/*
 * The uncompressed byte stream, read through zlib in large chunks into one
 * buffer.  buf[pos..end) holds unread bytes; base is the stream offset of
 * buf[0], so base + pos is the offset of the next unread byte.
 */
struct scap_in {
	gzFile gz;
	uint8_t *buf;
	size_t cap, pos, end;
	uint64_t base;
	unsigned nreads;
	int eof;
};

/* Takes over fd.  Returns 0, or -1 with a message in err (fd closed). */
int scap_in_open(struct scap_in *in, int fd, char *err);
void scap_in_close(struct scap_in *in);
/* Back to the first byte of the stream (where the descriptor was when it
 * was opened).  0, or -1 with a message in err when the descriptor cannot
 * seek (a pipe) or the stream failed beyond repair. */
int scap_in_rewind(struct scap_in *in, char *err);
/*
 * Makes n (<= SCAP_BLOCK_MAX) bytes readable at buf + pos, moving unread
 * bytes to the front of the buffer if needed (pointers into the buffer die).
 * Returns the bytes available: n or more, fewer only at the end of the
 * stream; -1 on a read or decompression error (message in err).
 */
long scap_in_ensure(struct scap_in *in, size_t n, char *err);
static inline uint64_t scap_in_off(const struct scap_in *in) { return in->base + in->pos; }

/* ------------------------------------------------------------ cursor */

/*
 * Reads fields from [p, end).  The first failure records its message with
 * the stream offset and makes every later read fail quietly, so a parser
 * reads a whole entry and checks `bad` once.
 */
struct scap_cur {
	const uint8_t *p, *end;
	const uint8_t *origin; /* the byte at stream offset origin_off */
	uint64_t origin_off;
	const char *what;      /* "process list entry", ... for messages */
	char *err;
	int bad;
};

void scap_cur_init(struct scap_cur *c, const uint8_t *p, size_t len, uint64_t off, const char *what, char *err);
/* A cursor over the next len bytes of c (which skips them); fails if they are not there. */
int scap_cur_sub(struct scap_cur *c, struct scap_cur *sub, size_t len, const char *what);
/*
 * The next list entry of c, in blocks whose entries may start with their
 * own length (SB_ENTRYLEN): with a length, *e covers exactly that entry,
 * past its length word, c skips it and *have_len is 1 (the reader must not
 * move c); a length of 0 — the reference's "no length" — or no length word
 * at all leaves *e where c is (past the word, if there is one) and
 * *have_len 0, so that the reader's fixed layout decides where the entry
 * ends.  A length shorter than `fixed` fails, naming `what`.
 */
int scap_cur_entry(struct scap_cur *c, struct scap_cur *e, int entrylen, uint32_t fixed, const char *what,
		   int *have_len);
static inline size_t scap_cur_left(const struct scap_cur *c) { return (size_t)(c->end - c->p); }
static inline uint64_t scap_cur_off(const struct scap_cur *c) { return c->origin_off + (uint64_t)(c->p - c->origin); }
void scap_cur_fail(struct scap_cur *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
uint8_t scap_cur_u8(struct scap_cur *c, const char *field);
uint16_t scap_cur_u16(struct scap_cur *c, const char *field);
uint32_t scap_cur_u32(struct scap_cur *c, const char *field);
uint64_t scap_cur_u64(struct scap_cur *c, const char *field);
/* Raw bytes; NULL on failure. */
const uint8_t *scap_cur_bytes(struct scap_cur *c, size_t n, const char *field);
/* A u16-length string of at most max bytes: *s points into the input (not NUL-terminated). */
int scap_cur_str16(struct scap_cur *c, size_t max, const char *field, const char **s, size_t *len);
/* Same, copied NUL-terminated into out[max + 1] (cut at an embedded NUL, as C strings are). */
int scap_cur_cstr16(struct scap_cur *c, size_t max, const char *field, char *out);

/* ------------------------------------------------------------ metadata */

/*
 * Each parser gets one whole block body (after the 8-byte header, before the
 * trailer; it includes the padding) at stream offset off, and updates t.
 * Returns 0 or -1 with "offset N: ..." in err.
 */
int scap_parse_mi(struct udig_tables *t, const struct scap_block_type *bt, const uint8_t *body, size_t len, uint64_t off, char *err);
int scap_parse_pl(struct udig_tables *t, const struct scap_block_type *bt, const uint8_t *body, size_t len, uint64_t off, char *err);
int scap_parse_fdl(struct udig_tables *t, const struct scap_block_type *bt, const uint8_t *body, size_t len, uint64_t off, char *err);
int scap_parse_il(struct udig_tables *t, const struct scap_block_type *bt, const uint8_t *body, size_t len, uint64_t off, char *err);
int scap_parse_ul(struct udig_tables *t, const struct scap_block_type *bt, const uint8_t *body, size_t len, uint64_t off, char *err);

/*
 * Rewrites an old (22-byte header) event of avail bytes into out (which has
 * room for avail + 4 bytes) with a v2 header, inferring nparams as the
 * reference does.  Returns the new event length, or 0 with a reason in err.
 */
uint32_t scap_ev1_convert(const uint8_t *ev, size_t avail, uint8_t *out, char *why, size_t whylen);

#endif
