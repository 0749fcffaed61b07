/* .scap framing walker for the writer tests: see scapwalk.h. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "scapwalk.h"

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Entries that start with a u32 length counting itself (PL v9, FDL v2
 * after the tid, UL v2) must fill the body up to at most 3 padding bytes. */
static long count_entries(const uint8_t *p, size_t n)
{
	size_t pos = 0;
	long cnt = 0;
	while (n - pos >= 4) {
		uint32_t el = rd32(p + pos);
		if (el < 4 || el > n - pos)
			return -1;
		pos += el;
		cnt++;
	}
	return cnt;
}

static void fail(struct scapwalk *w, const char *msg, size_t off)
{
	if (!w->error[0])
		snprintf(w->error, sizeof w->error, "%s at offset %zu", msg, off);
}

int scapwalk_file(const char *path, struct scapwalk *w)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	size_t n, pos = 0;
	int in_events = 0;

	memset(w, 0, sizeof *w);
	if (!f)
		return -1;
	fseek(f, 0, SEEK_END);
	n = (size_t)ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(n ? n : 1);
	if (!buf || fread(buf, 1, n, f) != n) {
		fclose(f);
		free(buf);
		return -1;
	}
	fclose(f);
	w->bytes = n;
	while (pos < n) {
		uint32_t type, len;
		if (n - pos < 12) {
			fail(w, "truncated block header", pos);
			break;
		}
		type = rd32(buf + pos);
		len = rd32(buf + pos + 4);
		if (len < 12 || len % 4 || len > n - pos) {
			fail(w, "bad block length", pos);
			break;
		}
		if (rd32(buf + pos + len - 4) != len)
			fail(w, "trailer differs from header", pos);
		const uint8_t *body = buf + pos + 8;
		size_t blen = len - 12;
		if (pos == 0 && type != 0x0A0D0D0A)
			fail(w, "file does not start with a section header", pos);
		switch (type) {
		case 0x0A0D0D0A:
			w->n_shb++;
			if (len != 28)
				fail(w, "section header not 28 bytes", pos);
			break;
		case 0x201:
			w->n_mi++;
			if (blen != 180)
				fail(w, "machine info body not 180 bytes", pos);
			break;
		case 0x219:
			w->n_il++;
			break;
		case 0x220:
			w->n_ul++;
			if (count_entries(body, blen) < 0)
				fail(w, "user list entries do not fill the block", pos);
			break;
		case 0x215: {
			long c = count_entries(body, blen);
			w->n_pl++;
			if (c < 0)
				fail(w, "process list entries do not fill the block", pos);
			else
				w->n_threads += (size_t)c;
			break;
		}
		case 0x218:
			w->n_fdl++;
			if (blen < 8 || count_entries(body + 8, blen - 8) < 0)
				fail(w, "fd list entries do not fill the block", pos);
			break;
		case 0x216: case 0x217: case 0x221: case 0x222: {
			size_t head = (type == 0x217 || type == 0x222) ? 6 : 2;
			in_events = 1;
			if (type == 0x216 || type == 0x221)
				w->n_ev++;
			else
				w->n_evf++;
			if (type == 0x221 || type == 0x222)
				w->n_ev_large++;
			if (blen < head + 26 || rd32(body + head + 16) > blen - head ||
			    ((8 + head + rd32(body + head + 16) + 4 + 3) & ~3u) != len)
				fail(w, "event length does not match its block", pos);
			break;
		}
		default:
			fail(w, "unknown block type", pos);
		}
		if (in_events && type != 0x216 && type != 0x217 && type != 0x221 && type != 0x222)
			fail(w, "metadata block after the first event", pos);
		pos += len;
	}
	free(buf);
	return 0;
}

static int read_all(const char *path, uint8_t **buf, size_t *n)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	fseek(f, 0, SEEK_END);
	*n = (size_t)ftell(f);
	fseek(f, 0, SEEK_SET);
	*buf = malloc(*n ? *n : 1);
	if (!*buf || fread(*buf, 1, *n, f) != *n) {
		fclose(f);
		free(*buf);
		return -1;
	}
	fclose(f);
	return 0;
}

static uint64_t rd64(const uint8_t *p)
{
	return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

static unsigned char *dup_bytes(const uint8_t *p, size_t n)
{
	unsigned char *d = malloc(n ? n : 1);
	if (d)
		memcpy(d, p, n);
	return d;
}

int scapwalk_thread(const char *path, long long tid, struct sw_thread *t)
{
	uint8_t *buf;
	size_t n, pos = 0;
	memset(t, 0, sizeof *t);
	if (read_all(path, &buf, &n))
		return -1;
	while (n - pos >= 12) {
		uint32_t type = rd32(buf + pos), len = rd32(buf + pos + 4);
		const uint8_t *body = buf + pos + 8;
		size_t blen = len - 12, p = 0;
		if (len < 12 || len > n - pos)
			break;
		if (type == 0x215) {
			while (blen - p >= 4) {
				uint32_t el = rd32(body + p);
				if (el < 12 || el > blen - p)
					break;
				if ((long long)rd64(body + p + 4) == tid && !t->pl) {
					t->pl = dup_bytes(body + p, el);
					t->pl_len = el;
				}
				p += el;
			}
		} else if (type == 0x218 && blen >= 8 && (long long)rd64(body) == tid) {
			t->have_fdl = 1;
			for (p = 8; blen - p >= 4;) {
				uint32_t el = rd32(body + p);
				if (el < 4 || el > blen - p)
					break;
				t->fd = realloc(t->fd, (t->n_fd + 1) * sizeof *t->fd);
				t->fd_len = realloc(t->fd_len, (t->n_fd + 1) * sizeof *t->fd_len);
				t->fd[t->n_fd] = dup_bytes(body + p, el);
				t->fd_len[t->n_fd++] = el;
				p += el;
			}
		}
		pos += len;
	}
	free(buf);
	return t->pl ? 0 : -1;
}

void sw_thread_free(struct sw_thread *t)
{
	size_t i;
	for (i = 0; i < t->n_fd; i++)
		free(t->fd[i]);
	free(t->fd);
	free(t->fd_len);
	free(t->pl);
	memset(t, 0, sizeof *t);
}

/* PL v9 layout: kinds of the fields after the entry length. */
enum { F64, F32, F8, FSTR };
static const struct { const char *name; int kind; int volatile_; } pl_fields[] = {
	{ "tid", F64, 0 }, { "pid", F64, 0 }, { "ptid", F64, 0 }, { "sid", F64, 0 }, { "vpgid", F64, 0 },
	{ "comm", FSTR, 0 }, { "exe", FSTR, 0 }, { "exepath", FSTR, 0 }, { "args", FSTR, 0 }, { "cwd", FSTR, 0 },
	{ "fdlimit", F64, 0 }, { "flags", F32, 0 }, { "uid", F32, 0 }, { "gid", F32, 0 },
	{ "vmsize_kb", F32, 1 }, { "vmrss_kb", F32, 1 }, { "vmswap_kb", F32, 1 },
	{ "pfmajor", F64, 1 }, { "pfminor", F64, 1 }, { "env", FSTR, 0 }, { "vtid", F64, 0 }, { "vpid", F64, 0 },
	{ "cgroups", FSTR, 0 }, { "root", FSTR, 0 }, { "loginuid", F32, 0 }, { "exe_writable", F8, 0 },
};

static size_t field_len(const unsigned char *p, size_t left, int kind)
{
	size_t l = kind == F64 ? 8 : kind == F32 ? 4 : kind == F8 ? 1 : 2;
	if (left < l)
		return 0;
	if (kind == FSTR)
		l += (size_t)(p[0] | p[1] << 8);
	return l <= left ? l : 0;
}

int sw_pl_compare(const struct sw_thread *a, const struct sw_thread *b, char *why, size_t cap)
{
	size_t pa = 4, pb = 4, i;
	for (i = 0; i < sizeof pl_fields / sizeof pl_fields[0]; i++) {
		size_t la = field_len(a->pl + pa, a->pl_len - pa, pl_fields[i].kind);
		size_t lb = field_len(b->pl + pb, b->pl_len - pb, pl_fields[i].kind);
		if (!la || !lb) {
			if (la != lb) {
				snprintf(why, cap, "%s present in only one entry", pl_fields[i].name);
				return -1;
			}
			return 0; /* both stop here: optional tail */
		}
		if (!pl_fields[i].volatile_ && (la != lb || memcmp(a->pl + pa, b->pl + pb, la) != 0)) {
			snprintf(why, cap, "%s differs", pl_fields[i].name);
			return -1;
		}
		pa += la;
		pb += lb;
	}
	return 0;
}

/* An fd entry without the dev of FILE_V2 (its last 4 bytes). */
static size_t fd_cmp_len(const unsigned char *e, size_t len)
{
	return (len > 21 && e[20] == 16 && len >= 4) ? len - 4 : len;
}

static int fd_in(const unsigned char *e, size_t len, const struct sw_thread *t)
{
	size_t i, l = fd_cmp_len(e, len);
	for (i = 0; i < t->n_fd; i++)
		if (fd_cmp_len(t->fd[i], t->fd_len[i]) == l && memcmp(t->fd[i] + 4, e + 4, l - 4) == 0)
			return 1;
	return 0;
}

int sw_fd_compare(const struct sw_thread *a, const struct sw_thread *b, char *why, size_t cap)
{
	size_t i;
	for (i = 0; i < a->n_fd; i++)
		if (!fd_in(a->fd[i], a->fd_len[i], b)) {
			snprintf(why, cap, "fd %lld (type %u, %.*s) only in the first", (long long)rd64(a->fd[i] + 4),
				 a->fd[i][20], (int)(a->fd_len[i] > 23 ? a->fd_len[i] - 23 : 0), (const char *)a->fd[i] + 23);
			return -1;
		}
	for (i = 0; i < b->n_fd; i++)
		if (!fd_in(b->fd[i], b->fd_len[i], a)) {
			snprintf(why, cap, "fd %lld (type %u, %.*s) only in the second", (long long)rd64(b->fd[i] + 4),
				 b->fd[i][20], (int)(b->fd_len[i] > 23 ? b->fd_len[i] - 23 : 0), (const char *)b->fd[i] + 23);
			return -1;
		}
	return 0;
}
