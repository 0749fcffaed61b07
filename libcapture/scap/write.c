/*
 * The .scap writer (udig_dump_*): section header and metadata blocks from a
 * capture's state (or from a scan of this machine), then one event block per
 * record, exactly as libscap lays them out (specs/scap-file.md §10-12).
 */
#include <stdlib.h>
#include <string.h>
#include "write-int.h"

struct udig_dumper {
	struct scap_out out;
	char err[UDIG_ERRBUF_SIZE]; /* last error of any kind (udig_dump_geterr) */
};

static int dumper_err(udig_dumper *d, int status, const char *msg)
{
	snprintf(d->err, sizeof d->err, "%s", msg);
	return status;
}

/* This machine's state, for udig_dump_open(NULL, ...). */
static int scan_machine(struct udig_tables *t, char *err)
{
	if (procscan_machine(&t->machine, err) != UDIG_OK)
		return UDIG_FAILURE;
	t->have_machine = 1;
	if (procscan_ifaces(t, err) != UDIG_OK || procscan_users(t, err) != UDIG_OK ||
	    procscan_threads(t, err) != UDIG_OK)
		return UDIG_FAILURE;
	return UDIG_OK;
}

/* SHB, MI, IL, UL, PL, then one FDL per thread (after the PL, which must
 * define each tid first).  Built block by block into one buffer. */
static int write_header(struct scap_out *o, const struct udig_tables *t, char *err)
{
	struct sbuf b = {0};
	const struct thread_entry *te, *tmp;
	int rc;

	sw_shb(&b);
	if (t->have_machine)
		sw_mi(&b, &t->machine);
	sw_il(&b, t);
	sw_ul(&b, t);
	sw_pl(&b, t);
	HASH_ITER(hh, t->threads, te, tmp) {
		sw_fdl(&b, te);
		/* Keep the staging buffer small on machines with many threads. */
		if (b.len >= (1u << 20) && !b.oom) {
			if (sout_write(o, b.p, b.len) != UDIG_OK)
				break;
			b.len = 0;
		}
	}
	if (b.oom) {
		sb_free(&b);
		udig_errf(err, "out of memory building the capture header");
		return UDIG_FAILURE;
	}
	rc = sout_write(o, b.p, b.len);
	sb_free(&b);
	/* The header goes to the file now, compressed or not: a capture that
	 * dies before its first flush of events still leaves a file that reads
	 * as a capture (with no events), and an unwritable destination shows
	 * up here already. */
	if (rc == UDIG_OK)
		rc = sout_flush(o);
	if (rc != UDIG_OK)
		udig_errf(err, "%s", o->err);
	return rc;
}

/* Where a dumper writes: one of the three sout_open_* calls. */
struct dump_target {
	const char *path; /* a file we create */
	int fd;           /* or the caller's descriptor (path NULL, buf NULL) */
	void *buf;        /* or the caller's memory */
	size_t size;
	int compress;
};

static int target_open(struct scap_out *o, const struct dump_target *to, char *err)
{
	if (to->path)
		return sout_open(o, to->path, to->compress, err);
	if (to->buf)
		return sout_open_mem(o, to->buf, to->size, err);
	return sout_open_fd(o, to->fd, to->compress, err);
}

/* The dumper with its header written: the metadata of c's state, or of a
 * scan of this machine when c is NULL. */
static udig_dumper *dump_open(udig_capture *c, const struct dump_target *to, char *err)
{
	struct udig_tables scanned;
	const struct udig_tables *t;
	udig_dumper *d = calloc(1, sizeof *d);
	if (!d) {
		udig_errf(err, "out of memory");
		return NULL;
	}
	tables_init(&scanned);
	if (c) {
		capture_scan_late(c);
		t = &c->tables;
	} else {
		if (scan_machine(&scanned, err) != UDIG_OK)
			goto fail;
		t = &scanned;
	}
	if (target_open(&d->out, to, err) != UDIG_OK)
		goto fail;
	if (write_header(&d->out, t, err) != UDIG_OK) {
		sout_close(&d->out);
		goto fail;
	}
	tables_free(&scanned);
	return d;
fail:
	tables_free(&scanned);
	free(d);
	return NULL;
}

udig_dumper *udig_dump_open(udig_capture *c, const char *path, int compress, char *err)
{
	if (!path) {
		udig_errf(err, "no output file name");
		return NULL;
	}
	struct dump_target to = { .path = path, .compress = compress };
	return dump_open(c, &to, err);
}

udig_dumper *udig_dump_open_fd(udig_capture *c, int fd, int compress, char *err)
{
	struct dump_target to = { .fd = fd, .compress = compress };
	return dump_open(c, &to, err);
}

udig_dumper *udig_dump_open_mem(udig_capture *c, void *buf, size_t size, char *err)
{
	if (!buf || size == 0) {
		udig_errf(err, "no memory dump buffer (%s)", buf ? "size 0" : "NULL");
		return NULL;
	}
	struct dump_target to = { .buf = buf, .size = size };
	return dump_open(c, &to, err);
}

int64_t udig_dump_ftell(const udig_dumper *d)
{
	if (!d)
		return -1;
	return (int64_t)sout_tell(&d->out);
}

static void put16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }
static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }

int udig_dump_record(udig_dumper *d, const void *rec, uint32_t len, uint16_t cpu, uint32_t dump_flags)
{
	struct udig_evt_hdr h;
	const struct udig_event_info *info;
	int large, evf;
	size_t head, total;
	uint32_t type;
	uint8_t *p, *tmp = NULL;
	int rc;

	if (!d)
		return UDIG_FAILURE;
	if (d->out.status != UDIG_OK)
		return dumper_err(d, d->out.status, d->out.err);
	if (!rec || len < UDIG_HDR_SIZE)
		return dumper_err(d, UDIG_ILLEGAL_INPUT, "event record shorter than its header");
	udig_hdr_load(&h, rec);
	if (h.len != len) {
		char msg[UDIG_ERRBUF_SIZE];
		snprintf(msg, sizeof msg, "event record length field %u does not match its size %u", h.len, len);
		return dumper_err(d, UDIG_ILLEGAL_INPUT, msg);
	}
	info = udig_event_info(h.type);
	large = info && (info->flags & UDIG_EF_LARGE_PAYLOAD);
	if ((uint64_t)h.nparams * (large ? 4u : 2u) > len - UDIG_HDR_SIZE)
		return dumper_err(d, UDIG_ILLEGAL_INPUT, "event record too short for its parameter lengths");

	/* EV when there are no dump flags, EVF otherwise (libscap's rule). */
	evf = dump_flags != 0;
	head = 8 + 2 + (evf ? 4 : 0);
	total = sw_block_len(head - 8 + len);
	/* A non-large block over 64 KiB would be refused by the reference
	 * reader; the large ids carry any size and do not change decoding. */
	if (!large && total - 8 > 65536)
		large = 1;
	type = evf ? (large ? SW_EVF_V2_LARGE : SW_EVF_V2) : (large ? SW_EV_V2_LARGE : SW_EV_V2);

	p = sout_reserve(&d->out, total);
	if (!p) {
		if (d->out.status != UDIG_OK)
			return dumper_err(d, d->out.status, d->out.err);
		p = tmp = malloc(total);
		if (!p)
			return dumper_err(d, UDIG_FAILURE, "out of memory");
	}
	put32(p, type);
	put32(p + 4, (uint32_t)total);
	put16(p + 8, cpu);
	if (evf)
		put32(p + 10, dump_flags);
	memcpy(p + head, rec, len);
	memset(p + head + len, 0, total - 4 - head - len);
	put32(p + total - 4, (uint32_t)total);
	rc = UDIG_OK;
	if (tmp) {
		rc = sout_write(&d->out, tmp, total);
		free(tmp);
	}
	if (rc != UDIG_OK)
		return dumper_err(d, rc, d->out.err);
	return UDIG_OK;
}

int udig_dump(udig_dumper *d, const struct udig_evt *ev)
{
	if (!d)
		return UDIG_FAILURE;
	if (!ev || !ev->raw)
		return dumper_err(d, UDIG_ILLEGAL_INPUT, "no event");
	return udig_dump_record(d, ev->raw, ev->len, ev->cpu, ev->dump_flags);
}

int udig_dump_flush(udig_dumper *d)
{
	if (!d)
		return UDIG_FAILURE;
	/* A stuck error is reported again, as by udig_dump: the caller learns
	 * that the file stopped growing at its last complete block. */
	if (sout_flush(&d->out) != UDIG_OK)
		return dumper_err(d, d->out.status, d->out.err);
	return UDIG_OK;
}

const char *udig_dump_geterr(const udig_dumper *d)
{
	if (!d)
		return "no dumper";
	if (d->out.status != UDIG_OK)
		return d->out.err;
	return d->err;
}

int udig_dump_close(udig_dumper *d, char *err)
{
	int rc;
	if (!d) {
		udig_errf(err, "no dumper");
		return UDIG_FAILURE;
	}
	rc = sout_close(&d->out);
	if (rc != UDIG_OK)
		udig_errf(err, "%s", d->out.err);
	free(d);
	return rc;
}
