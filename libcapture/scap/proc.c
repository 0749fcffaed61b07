/*
 * Process list blocks, versions 1 to 9 (specs/scap-file.md §8).  Every
 * version is the v9 entry with some fields left out; which ones is a table.
 */
#include <string.h>
#include "format.h"

#define PL_PATH_MAX 1024u  /* comm, exe, exepath, cwd, root */
#define PL_BLOB_MAX 4096u  /* args, env, cgroups */

enum pl_fields {
	PF_SID = 1 << 0,
	PF_VPGID = 1 << 1,
	PF_EXEPATH = 1 << 2,
	PF_MEM = 1 << 3,   /* vmsize, vmrss, vmswap, pfmajor, pfminor */
	PF_ENV = 1 << 4,
	PF_NS = 1 << 5,    /* vtid, vpid, cgroups */
	PF_ROOT = 1 << 6,
	PF_TAIL = 1 << 7,  /* loginuid, exe_writable when the entry length covers them */
};

/* Fields present per version (index = version). */
static const unsigned pl_fields[10] = {
	[1] = 0,
	[2] = PF_MEM,
	[3] = PF_MEM | PF_ENV,
	[4] = PF_MEM | PF_ENV | PF_NS,
	[5] = PF_MEM | PF_ENV | PF_NS | PF_ROOT,
	[6] = PF_MEM | PF_ENV | PF_NS | PF_ROOT | PF_SID,
	[7] = PF_MEM | PF_ENV | PF_NS | PF_ROOT | PF_SID | PF_EXEPATH,
	[8] = PF_MEM | PF_ENV | PF_NS | PF_ROOT | PF_SID | PF_EXEPATH | PF_VPGID,
	[9] = PF_MEM | PF_ENV | PF_NS | PF_ROOT | PF_SID | PF_EXEPATH | PF_VPGID | PF_TAIL,
};

/* Bytes of a v9 entry before its variable strings: length, 5 ids, fdlimit,
 * flags, uid, gid, memory counters, vtid, vpid and 8 string lengths. */
#define PL9_FIXED (4u + 5 * 8 + 8 + 4 * 3 + 3 * 4 + 2 * 8 + 2 * 8 + 8 * 2)

struct pl_strings {
	char comm[PL_PATH_MAX + 1], exe[PL_PATH_MAX + 1], exepath[PL_PATH_MAX + 1];
	char cwd[PL_PATH_MAX + 1], root[PL_PATH_MAX + 1];
};

static void blob(struct scap_cur *c, const char *field, struct udig_blob *b)
{
	const char *s;
	size_t n;
	scap_cur_str16(c, PL_BLOB_MAX, field, &s, &n);
	b->data = (char *)s; /* copied by tables_thread_add */
	b->len = (uint32_t)n;
}

static int pl_entry(struct udig_tables *t, struct scap_cur *c, unsigned f, int have_len, struct pl_strings *s)
{
	struct udig_threadinfo ti;
	memset(&ti, 0, sizeof ti);
	ti.sid = ti.vpgid = ti.vtid = ti.vpid = -1;
	ti.loginuid = -1;
	ti.comm = s->comm;
	ti.exe = s->exe;
	ti.exepath = s->exepath;
	ti.cwd = s->cwd;
	ti.root = s->root;
	s->exepath[0] = s->root[0] = 0;
	ti.args.data = ti.env.data = ti.cgroups.data = (char *)"";

	ti.tid = (int64_t)scap_cur_u64(c, "tid");
	ti.pid = (int64_t)scap_cur_u64(c, "pid");
	ti.ptid = (int64_t)scap_cur_u64(c, "ptid");
	if (f & PF_SID)
		ti.sid = (int64_t)scap_cur_u64(c, "sid");
	if (f & PF_VPGID)
		ti.vpgid = (int64_t)scap_cur_u64(c, "vpgid");
	scap_cur_cstr16(c, PL_PATH_MAX, "comm", s->comm);
	scap_cur_cstr16(c, PL_PATH_MAX, "exe", s->exe);
	if (f & PF_EXEPATH)
		scap_cur_cstr16(c, PL_PATH_MAX, "exepath", s->exepath);
	blob(c, "args", &ti.args);
	scap_cur_cstr16(c, PL_PATH_MAX, "cwd", s->cwd);
	ti.fdlimit = (int64_t)scap_cur_u64(c, "fdlimit");
	ti.flags = scap_cur_u32(c, "flags");
	ti.uid = scap_cur_u32(c, "uid");
	ti.gid = scap_cur_u32(c, "gid");
	if (f & PF_MEM) {
		ti.vmsize_kb = scap_cur_u32(c, "vmsize");
		ti.vmrss_kb = scap_cur_u32(c, "vmrss");
		ti.vmswap_kb = scap_cur_u32(c, "vmswap");
		ti.pfmajor = scap_cur_u64(c, "pfmajor");
		ti.pfminor = scap_cur_u64(c, "pfminor");
	}
	if (f & PF_ENV)
		blob(c, "env", &ti.env);
	if (f & PF_NS) {
		ti.vtid = (int64_t)scap_cur_u64(c, "vtid");
		ti.vpid = (int64_t)scap_cur_u64(c, "vpid");
		blob(c, "cgroups", &ti.cgroups);
	}
	if (f & PF_ROOT)
		scap_cur_cstr16(c, PL_PATH_MAX, "root", s->root);
	/* The optional tail exists only as far as the entry length says. */
	if ((f & PF_TAIL) && have_len && scap_cur_left(c) >= 4)
		ti.loginuid = (int32_t)scap_cur_u32(c, "loginuid");
	if ((f & PF_TAIL) && have_len && scap_cur_left(c) >= 1)
		ti.exe_writable = scap_cur_u8(c, "exe_writable") != 0;
	if (c->bad)
		return -1;
	if (!tables_thread_add(t, &ti)) {
		scap_cur_fail(c, "out of memory");
		return -1;
	}
	return 0;
}

int scap_parse_pl(struct udig_tables *t, const struct scap_block_type *bt, const uint8_t *body, size_t len,
		  uint64_t off, char *err)
{
	struct pl_strings s;
	unsigned f = pl_fields[bt->version];
	struct scap_cur c;
	scap_cur_init(&c, body, len, off, "process list", err);
	/* Entries follow each other while 4 bytes remain; less is padding. */
	while (scap_cur_left(&c) >= 4) {
		struct scap_cur e;
		int have_len;
		if (scap_cur_entry(&c, &e, bt->flags & SB_ENTRYLEN, PL9_FIXED, "process list entry", &have_len))
			return -1;
		if (pl_entry(t, &e, f, have_len, &s))
			return -1;
		if (!have_len)
			c.p = e.p;
	}
	return 0;
}
