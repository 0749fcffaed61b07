/*
 * The .scap file source: sections, metadata blocks into the state tables,
 * then event blocks handed out in place (specs/scap-file.md).
 *
 * Compatibility rules that shape this file: metadata trailers are checked,
 * section header and event trailers are not; unknown blocks are skipped only
 * before the first event block; after it, a new section header starts a new
 * section (tables reset and reloaded, as libsinsp restarts) and any other
 * block ends the capture with an error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "format.h"

struct scap_src {
	struct scap_in in;
	uint8_t *conv;  /* v1 events rewritten with the v2 header */
	int failed;     /* sticky: once an error is reported, it stays */
};

typedef int (*meta_parser)(struct udig_tables *, const struct scap_block_type *, const uint8_t *, size_t, uint64_t, char *);

static const meta_parser parsers[] = {
	[SK_MI] = scap_parse_mi,
	[SK_PL] = scap_parse_pl,
	[SK_FDL] = scap_parse_fdl,
	[SK_IL] = scap_parse_il,
	[SK_UL] = scap_parse_ul,
};

static int truncated(char *err, uint64_t off, const char *what, uint32_t need, long have)
{
	udig_errf(err, "offset %llu: the file is truncated: %s needs %u bytes, only %ld left",
		  (unsigned long long)off, what, need, have);
	return UDIG_FAILURE;
}

static const char *block_name(const struct scap_block_type *bt)
{
	return bt ? bt->name : "block";
}

/* Reads a section header and the metadata after it, stopping in front of the
 * first event block.  Returns UDIG_OK or an error with "offset N: ..." in err. */
static int load_section(struct scap_in *in, struct udig_tables *t, char *err)
{
	uint64_t off = scap_in_off(in);
	long n = scap_in_ensure(in, SCAP_SHB_LEN, err);
	if (n < 0)
		return UDIG_FAILURE;
	if (n == 0) {
		udig_errf(err, "offset %llu: empty file: no section header block", (unsigned long long)off);
		return UDIG_FAILURE;
	}
	const uint8_t *p = in->buf + in->pos;
	if (n < 8 || scap_le32(p) != SCAP_SHB_ID) {
		if (n < 8)
			return truncated(err, off, "the section header block", SCAP_SHB_LEN, n);
		udig_errf(err, "offset %llu: invalid block type 0x%08x: not a capture file (expected a section header block)",
			  (unsigned long long)off, scap_le32(p));
		return UDIG_ILLEGAL_INPUT;
	}
	if (n < (long)SCAP_SHB_LEN)
		return truncated(err, off, "the section header block", SCAP_SHB_LEN, n);
	uint32_t magic = scap_le32(p + 8);
	if (magic != SCAP_MAGIC) {
		udig_errf(err, "offset %llu: invalid magic number 0x%08x%s", (unsigned long long)off + 8, magic,
			  magic == __builtin_bswap32(SCAP_MAGIC) ? " (written on a host of the other byte order)" : "");
		return UDIG_ILLEGAL_INPUT;
	}
	uint16_t major = scap_le16(p + 12), minor = scap_le16(p + 14);
	if (major > SCAP_MAJOR) {
		udig_errf(err, "offset %llu: capture format version %u.%u: cannot correctly parse the capture. Upgrade your version.",
			  (unsigned long long)off + 12, major, minor);
		return UDIG_VERSION_MISMATCH;
	}
	/* The reference always reads 28 bytes here, so a section header with
	 * pcapng options cannot be read by it either; say so plainly. */
	uint32_t shb_len = scap_le32(p + 4);
	if (shb_len != SCAP_SHB_LEN) {
		udig_errf(err, "offset %llu: section header block length %u is not %u (section header options are not supported)",
			  (unsigned long long)off + 4, shb_len, SCAP_SHB_LEN);
		return UDIG_ILLEGAL_INPUT;
	}
	in->pos += SCAP_SHB_LEN;

	for (;;) {
		off = scap_in_off(in);
		n = scap_in_ensure(in, 8, err);
		if (n < 0)
			return UDIG_FAILURE;
		if (n == 0) {
			udig_errf(err, "offset %llu: no events in file", (unsigned long long)off);
			return UDIG_FAILURE;
		}
		if (n < 8)
			return truncated(err, off, "a block header", 8, n);
		p = in->buf + in->pos;
		uint32_t type = scap_le32(p), tl = scap_le32(p + 4);
		const struct scap_block_type *bt = scap_block_lookup(type);
		if (bt && bt->kind == SK_EV)
			return UDIG_OK;
		if (tl < 12) {
			udig_errf(err, "offset %llu: %s length %u is shorter than a block header and trailer",
				  (unsigned long long)off, block_name(bt), tl);
			return UDIG_ILLEGAL_INPUT;
		}
		if (tl > SCAP_BLOCK_MAX) {
			udig_errf(err, "offset %llu: %s length %u exceeds the %u-byte limit",
				  (unsigned long long)off, block_name(bt), tl, SCAP_BLOCK_MAX);
			return UDIG_ILLEGAL_INPUT;
		}
		n = scap_in_ensure(in, tl, err);
		if (n < 0)
			return UDIG_FAILURE;
		if (n < (long)tl)
			return truncated(err, off, block_name(bt), tl, n);
		p = in->buf + in->pos;
		/* Section headers and unknown ids before the first event are
		 * skipped by length, as the reference does. */
		if (bt && bt->kind < sizeof parsers / sizeof parsers[0] && parsers[bt->kind] &&
		    parsers[bt->kind](t, bt, p + 8, tl - 12, off + 8, err))
			return UDIG_ILLEGAL_INPUT;
		uint32_t trailer = scap_le32(p + tl - 4);
		if (trailer != tl) {
			udig_errf(err, "offset %llu: wrong block total length, header=%u, trailer=%u",
				  (unsigned long long)off + tl - 4, tl, trailer);
			return UDIG_ILLEGAL_INPUT;
		}
		in->pos += tl;
	}
}

/* The window (capture-int.h) of the capture: armed by the slow path for
 * the v2 event block type it met last, opened on the buffer by file_next. */
static void disarm(udig_capture *c)
{
	c->win.p = NULL;
	c->win.id = 0;
	c->win.min = UINT32_MAX;
	c->win.max = 0;
}

static int fail(udig_capture *c, int rc)
{
	struct scap_src *s = c->src;
	s->failed = rc;
	disarm(c); /* every later call must see `failed` */
	return rc;
}

/* Arms the window for v2 event blocks of type bt. */
static void arm(udig_capture *c, uint32_t id, const struct scap_block_type *bt)
{
	if (bt->flags & SB_V1EVENT)
		return;
	c->win.id = id;
	c->win.prefix = (bt->flags & SB_DUMPFLAGS) ? 6 : 2;
	c->win.min = 8 + c->win.prefix + UDIG_HDR_SIZE + 4;
	c->win.max = (bt->flags & SB_LARGE) ? SCAP_BLOCK_MAX : SCAP_EVBLOCK_MAX + 8;
}

/* A section header after events: start over with the new section's tables. */
static int restart(udig_capture *c)
{
	struct scap_src *s = c->src;
	char why[UDIG_ERRBUF_SIZE];
	tables_free(&c->tables);
	tables_init(&c->tables);
	int rc = load_section(&s->in, &c->tables, why);
	if (rc != UDIG_OK) {
		capture_seterr(c, "could not restart capture: %s", why);
		return fail(c, rc);
	}
	return UDIG_OK;
}

/* Every block, every check, every error message. */
static int file_next_slow(udig_capture *c, const uint8_t **rec, uint32_t *len, uint16_t *cpu, uint32_t *dump_flags)
{
	struct scap_src *s = c->src;
	struct scap_in *in = &s->in;
	if (s->failed)
		return s->failed;
	for (;;) {
		uint64_t off = scap_in_off(in);
		size_t avail = in->end - in->pos;
		if (avail < 8) {
			long n = scap_in_ensure(in, 8, c->err);
			if (n < 0)
				return fail(c, UDIG_FAILURE);
			if (n == 0)
				return UDIG_EOF;
			if (n < 8)
				return fail(c, truncated(c->err, off, "a block header", 8, n));
			avail = (size_t)n;
		}
		const uint8_t *p = in->buf + in->pos;
		uint32_t type = scap_le32(p), tl = scap_le32(p + 4);
		const struct scap_block_type *bt = scap_block_lookup(type);
		if (bt && bt->kind == SK_EV && type != c->win.id)
			arm(c, type, bt);
		if (!bt || bt->kind != SK_EV) {
			if (type == SCAP_SHB_ID) {
				int rc = restart(c);
				if (rc != UDIG_OK)
					return rc;
				continue;
			}
			capture_seterr(c, "offset %llu: could not restart capture: invalid block type 0x%x (%s) after the first event block",
				       (unsigned long long)off, type, bt ? bt->name : "unknown");
			return fail(c, UDIG_UNEXPECTED_BLOCK);
		}
		uint32_t prefix = (bt->flags & SB_DUMPFLAGS) ? 6 : 2;
		uint32_t hdr = (bt->flags & SB_V1EVENT) ? 22 : UDIG_HDR_SIZE;
		if (tl < 8 + prefix + hdr + 4) {
			capture_seterr(c, "offset %llu: %s block length %u is too short for an event", (unsigned long long)off,
				       bt->name, tl);
			return fail(c, UDIG_ILLEGAL_INPUT);
		}
		if (!(bt->flags & SB_LARGE) && tl - 8 > SCAP_EVBLOCK_MAX) {
			capture_seterr(c, "offset %llu: event block length %u greater than NON-LARGE read buffer size %u",
				       (unsigned long long)off, tl - 8, SCAP_EVBLOCK_MAX);
			return fail(c, UDIG_ILLEGAL_INPUT);
		}
		if (tl > SCAP_BLOCK_MAX) {
			capture_seterr(c, "offset %llu: %s block length %u exceeds the %u-byte limit", (unsigned long long)off,
				       bt->name, tl, SCAP_BLOCK_MAX);
			return fail(c, UDIG_ILLEGAL_INPUT);
		}
		if (avail < tl) {
			long n = scap_in_ensure(in, tl, c->err);
			if (n < 0)
				return fail(c, UDIG_FAILURE);
			if (n < (long)tl)
				return fail(c, truncated(c->err, off, bt->name, tl, n));
			p = in->buf + in->pos;
		}
		const uint8_t *ev = p + 8 + prefix;
		uint32_t room = tl - 12 - prefix;
		/* Types newer than our table are skipped before anything else, as
		 * the reference does (it never converts them either). */
		if (scap_le16(ev + 20) >= UDIG_EVENT_MAX) {
			in->pos += tl;
			continue;
		}
		*cpu = scap_le16(p + 8);
		*dump_flags = (bt->flags & SB_DUMPFLAGS) ? scap_le32(p + 10) : 0;
		if (bt->flags & SB_V1EVENT) {
			char why[160];
			if (!s->conv && !(s->conv = malloc(SCAP_EVBLOCK_MAX + 4))) {
				capture_seterr(c, "offset %llu: out of memory", (unsigned long long)off);
				return fail(c, UDIG_FAILURE);
			}
			uint32_t elen = scap_ev1_convert(ev, room, s->conv, why, sizeof why);
			if (!elen) {
				capture_seterr(c, "offset %llu: %s", (unsigned long long)off + 8 + prefix, why);
				return fail(c, UDIG_ILLEGAL_INPUT);
			}
			*rec = s->conv;
			*len = elen;
		} else {
			uint32_t elen = scap_le32(ev + 16);
			if (elen < UDIG_HDR_SIZE || elen > room) {
				capture_seterr(c, "offset %llu: event length %u does not fit in its %s block (%u bytes for the event)",
					       (unsigned long long)off + 8 + prefix + 16, elen, bt->name, room);
				return fail(c, UDIG_ILLEGAL_INPUT);
			}
			*rec = ev;
			*len = elen;
		}
		in->pos += tl;
		return UDIG_OK;
	}
}

/*
 * Next record: through the window when the block qualifies (the common
 * case), else the slow path.  The window stays open on the buffer for
 * udig_next; what it took from there is consumed here first.
 */
static int file_next(udig_capture *c, const uint8_t **rec, uint32_t *len, uint16_t *cpu, uint32_t *dump_flags,
		     int timeout_ms)
{
	struct scap_src *s = c->src;
	struct scap_in *in = &s->in;
	(void)timeout_ms;
	if (c->win.p)
		in->pos = (size_t)(c->win.p - in->buf);
	c->win.p = in->buf + in->pos;
	c->win.end = in->buf + in->end;
	if (evt_window_take(&c->win, rec, len, cpu, dump_flags)) {
		in->pos = (size_t)(c->win.p - in->buf);
		return UDIG_OK;
	}
	c->win.p = NULL; /* the slow path may move or refill the buffer */
	return file_next_slow(c, rec, len, cpu, dump_flags);
}

static void file_close(udig_capture *c)
{
	struct scap_src *s = c->src;
	if (!s)
		return;
	scap_in_close(&s->in);
	free(s->conv);
	free(s);
	c->src = NULL;
}

/* udig_restart_capture: the file from its first byte, as if just opened.
 * The state the events built and the numbering go; the caller's settings
 * on the handle stay. */
static int file_restart(udig_capture *c)
{
	struct scap_src *s = c->src;
	char why[UDIG_ERRBUF_SIZE];
	if (scap_in_rewind(&s->in, why) != 0) {
		capture_seterr(c, "%s", why);
		return UDIG_NOT_SUPPORTED;
	}
	disarm(c);
	s->failed = 0;
	memset(&c->stats, 0, sizeof c->stats);
	memset(&c->pending, 0, sizeof c->pending);
	memset(c->exited, 0, sizeof c->exited);
	tables_free(&c->tables);
	tables_init(&c->tables);
	int rc = load_section(&s->in, &c->tables, why);
	if (rc != UDIG_OK) {
		capture_seterr(c, "restarting the capture: %s", why);
		return fail(c, rc);
	}
	return UDIG_OK;
}

static const struct udig_source_ops scap_file_ops = {
	.name = "file",
	.skip_invalid = 0,
	.next = file_next,
	.close = file_close,
	.restart = file_restart,
};

udig_capture *scap_file_open(int fd, const char *name, char *err)
{
	(void)name; /* messages name offsets; the caller knows the file */
	struct scap_src *s = calloc(1, sizeof *s);
	if (!s) {
		close(fd);
		udig_errf(err, "out of memory");
		return NULL;
	}
	if (scap_in_open(&s->in, fd, err)) {
		free(s);
		return NULL;
	}
	udig_capture *c = capture_alloc(&scap_file_ops, s);
	if (!c) {
		scap_in_close(&s->in);
		free(s);
		udig_errf(err, "out of memory");
		return NULL;
	}
	disarm(c);
	if (load_section(&s->in, &c->tables, err) != UDIG_OK) {
		udig_close(c);
		return NULL;
	}
	return c;
}
