/* scapgen — see scapgen.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "scapgen.h"

void sgb_bytes(struct sgbuf *b, const void *p, size_t n)
{
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		while (cap < b->len + n)
			cap *= 2;
		uint8_t *q = realloc(b->p, cap);
		if (!q)
			abort();
		b->p = q;
		b->cap = cap;
	}
	if (n)
		memcpy(b->p + b->len, p, n);
	b->len += n;
}

static void le(struct sgbuf *b, uint64_t v, unsigned n)
{
	uint8_t t[8];
	for (unsigned i = 0; i < n; i++)
		t[i] = (uint8_t)(v >> (8 * i));
	sgb_bytes(b, t, n);
}

void sgb_u8(struct sgbuf *b, uint8_t v) { le(b, v, 1); }
void sgb_u16(struct sgbuf *b, uint16_t v) { le(b, v, 2); }
void sgb_u32(struct sgbuf *b, uint32_t v) { le(b, v, 4); }
void sgb_u64(struct sgbuf *b, uint64_t v) { le(b, v, 8); }

void sgb_blob16(struct sgbuf *b, const char *s, size_t n)
{
	sgb_u16(b, (uint16_t)n);
	sgb_bytes(b, s, n);
}

void sgb_str16(struct sgbuf *b, const char *s)
{
	sgb_blob16(b, s ? s : "", s ? strlen(s) : 0);
}

void sgb_free(struct sgbuf *b)
{
	free(b->p);
	memset(b, 0, sizeof *b);
}

void sg_init(struct scapgen *g, const char *path, int gzip)
{
	memset(g, 0, sizeof *g);
	g->path = path;
	g->gzip = gzip;
}

void sg_block(struct scapgen *g, uint32_t type, const void *body, size_t len, uint32_t trailer_override)
{
	uint32_t total = (uint32_t)((8 + len + 4 + 3) & ~(size_t)3);
	static const uint8_t zero[4];
	sgb_u32(&g->out, type);
	sgb_u32(&g->out, total);
	sgb_bytes(&g->out, body, len);
	sgb_bytes(&g->out, zero, total - 12 - len);
	sgb_u32(&g->out, trailer_override ? trailer_override : total);
}

void sg_shb(struct scapgen *g, uint16_t major, uint16_t minor)
{
	struct sgbuf b = { 0 };
	sgb_u32(&b, 0x1A2B3C4D);
	sgb_u16(&b, major);
	sgb_u16(&b, minor);
	sgb_u64(&b, ~0ull);
	sg_block(g, SG_SHB, b.p, b.len, 0);
	sgb_free(&b);
}

void sg_mi(struct scapgen *g, uint32_t ncpus, uint64_t mem, const char *hostname)
{
	uint8_t body[180] = { 0 };
	struct sgbuf b = { 0 };
	sgb_u32(&b, ncpus);
	sgb_u64(&b, mem);
	sgb_u64(&b, 0);
	memcpy(body, b.p, b.len);
	strncpy((char *)body + 20, hostname, 127);
	sg_block(g, SG_MI, body, sizeof body, 0);
	sgb_free(&b);
}

void sg_pl9(struct scapgen *g, const struct sg_thread *t, size_t n)
{
	struct sgbuf b = { 0 };
	for (size_t i = 0; i < n; i++) {
		struct sgbuf e = { 0 };
		sgb_u64(&e, t[i].tid);
		sgb_u64(&e, t[i].pid);
		sgb_u64(&e, t[i].ptid);
		sgb_u64(&e, t[i].sid);
		sgb_u64(&e, t[i].vpgid);
		sgb_str16(&e, t[i].comm);
		sgb_str16(&e, t[i].exe);
		sgb_str16(&e, t[i].exepath);
		sgb_blob16(&e, t[i].args, t[i].args_len);
		sgb_str16(&e, t[i].cwd);
		sgb_u64(&e, (uint64_t)t[i].fdlimit);
		sgb_u32(&e, t[i].flags);
		sgb_u32(&e, t[i].uid);
		sgb_u32(&e, t[i].gid);
		sgb_u32(&e, 0); /* vmsize */
		sgb_u32(&e, 0); /* vmrss */
		sgb_u32(&e, 0); /* vmswap */
		sgb_u64(&e, 0); /* pfmajor */
		sgb_u64(&e, 0); /* pfminor */
		sgb_blob16(&e, t[i].env, t[i].env_len);
		sgb_u64(&e, (uint64_t)t[i].vtid);
		sgb_u64(&e, (uint64_t)t[i].vpid);
		sgb_blob16(&e, t[i].cgroups, t[i].cgroups_len);
		sgb_str16(&e, t[i].root ? t[i].root : "/");
		sgb_u32(&e, (uint32_t)t[i].loginuid);
		sgb_u8(&e, 0); /* exe_writable */
		sgb_u32(&b, (uint32_t)(4 + e.len));
		sgb_bytes(&b, e.p, e.len);
		sgb_free(&e);
	}
	sg_block(g, SG_PL9, b.p, b.len, 0);
	sgb_free(&b);
}

void sg_fdl2_files(struct scapgen *g, uint64_t tid, const int64_t *fds, const char *const *names, size_t n, uint32_t flags)
{
	struct sgbuf b = { 0 };
	sgb_u64(&b, tid);
	for (size_t i = 0; i < n; i++) {
		size_t nl = strlen(names[i]);
		sgb_u32(&b, (uint32_t)(4 + 8 + 8 + 1 + 4 + 2 + nl + 4));
		sgb_u64(&b, (uint64_t)fds[i]);
		sgb_u64(&b, 1000 + (uint64_t)i); /* inode */
		sgb_u8(&b, 16);                  /* FILE_V2 */
		sgb_u32(&b, flags);
		sgb_blob16(&b, names[i], nl);
		sgb_u32(&b, 0x800001);           /* dev */
	}
	sg_block(g, SG_FDL2, b.p, b.len, 0);
	sgb_free(&b);
}

void sg_ev(struct scapgen *g, uint16_t cpu, const void *rec, size_t len)
{
	struct sgbuf b = { 0 };
	sgb_u16(&b, cpu);
	sgb_bytes(&b, rec, len);
	sg_block(g, SG_EV2, b.p, b.len, 0);
	sgb_free(&b);
}

void sg_evf(struct scapgen *g, uint16_t cpu, uint32_t flags, const void *rec, size_t len)
{
	struct sgbuf b = { 0 };
	sgb_u16(&b, cpu);
	sgb_u32(&b, flags);
	sgb_bytes(&b, rec, len);
	sg_block(g, SG_EVF2, b.p, b.len, 0);
	sgb_free(&b);
}

int sg_close(struct scapgen *g, size_t truncate_at)
{
	size_t n = g->out.len;
	int rc = 0;
	if (truncate_at && truncate_at < n)
		n = truncate_at;
	if (g->gzip) {
		gzFile z = gzopen(g->path, "wb");
		if (!z || (n && gzwrite(z, g->out.p, (unsigned)n) != (int)n))
			rc = -1;
		if (z && gzclose(z) != Z_OK)
			rc = -1;
	} else {
		FILE *f = fopen(g->path, "wb");
		if (!f || fwrite(g->out.p, 1, n, f) != n)
			rc = -1;
		if (f && fclose(f))
			rc = -1;
	}
	sgb_free(&g->out);
	return rc;
}
