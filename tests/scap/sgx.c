/* See sgx.h. */
#include <string.h>
#include "sgx.h"

void sgx_record(struct sgbuf *b, uint64_t ts, uint64_t tid, uint16_t type, const struct sgx_param *ps, unsigned n, int large)
{
	uint32_t len = 26 + n * (large ? 4 : 2);
	for (unsigned i = 0; i < n; i++)
		len += ps[i].len;
	sgb_u64(b, ts);
	sgb_u64(b, tid);
	sgb_u32(b, len);
	sgb_u16(b, type);
	sgb_u32(b, n);
	for (unsigned i = 0; i < n; i++) {
		if (large)
			sgb_u32(b, ps[i].len);
		else
			sgb_u16(b, (uint16_t)ps[i].len);
	}
	for (unsigned i = 0; i < n; i++)
		sgb_bytes(b, ps[i].p, ps[i].len);
}

void sgx_evblock(struct scapgen *g, uint32_t id, uint16_t cpu, uint32_t flags, const uint8_t *rec, size_t len)
{
	struct sgbuf b = { 0 };
	int v1 = id == 0x204 || id == 0x8010ABCD || id == 0x208;
	int evf = id == 0x208 || id == 0x217 || id == 0x222;
	sgb_u16(&b, cpu);
	if (evf)
		sgb_u32(&b, flags);
	if (v1) {
		/* 22-byte header: the length shrinks by the nparams word. */
		uint32_t l = (uint32_t)(len - 4);
		sgb_bytes(&b, rec, 16);
		sgb_u32(&b, l);
		sgb_bytes(&b, rec + 20, 2);
		sgb_bytes(&b, rec + 26, len - 26);
	} else {
		sgb_bytes(&b, rec, len);
	}
	sg_block(g, id, b.p, b.len, 0);
	sgb_free(&b);
}

void sgx_pl(struct scapgen *g, uint32_t id, unsigned v, const struct sg_thread *t, size_t n, int tail)
{
	struct sgbuf b = { 0 };
	for (size_t i = 0; i < n; i++) {
		struct sgbuf e = { 0 };
		sgb_u64(&e, t[i].tid);
		sgb_u64(&e, t[i].pid);
		sgb_u64(&e, t[i].ptid);
		if (v >= 6)
			sgb_u64(&e, t[i].sid);
		if (v >= 8)
			sgb_u64(&e, t[i].vpgid);
		sgb_str16(&e, t[i].comm);
		sgb_str16(&e, t[i].exe);
		if (v >= 7)
			sgb_str16(&e, t[i].exepath);
		sgb_blob16(&e, t[i].args, t[i].args_len);
		sgb_str16(&e, t[i].cwd);
		sgb_u64(&e, (uint64_t)t[i].fdlimit);
		sgb_u32(&e, t[i].flags);
		sgb_u32(&e, t[i].uid);
		sgb_u32(&e, t[i].gid);
		if (v >= 2) {
			sgb_u32(&e, 1000); /* vmsize */
			sgb_u32(&e, 200);  /* vmrss */
			sgb_u32(&e, 3);    /* vmswap */
			sgb_u64(&e, 7);    /* pfmajor */
			sgb_u64(&e, 8);    /* pfminor */
		}
		if (v >= 3)
			sgb_blob16(&e, t[i].env, t[i].env_len);
		if (v >= 4) {
			sgb_u64(&e, (uint64_t)t[i].vtid);
			sgb_u64(&e, (uint64_t)t[i].vpid);
			sgb_blob16(&e, t[i].cgroups, t[i].cgroups_len);
		}
		if (v >= 5)
			sgb_str16(&e, t[i].root ? t[i].root : "/");
		if (v == 9 && tail) {
			sgb_u32(&e, (uint32_t)t[i].loginuid);
			sgb_u8(&e, 1); /* exe_writable */
		}
		if (v == 9)
			sgb_u32(&b, (uint32_t)(4 + e.len));
		sgb_bytes(&b, e.p, e.len);
		sgb_free(&e);
	}
	sg_block(g, id, b.p, b.len, 0);
	sgb_free(&b);
}

static void fd_payload(struct sgbuf *e, const struct sgx_fd *f, int v2)
{
	switch (f->type) {
	case 3:
		sgb_bytes(e, f->sip, 4);
		sgb_bytes(e, f->dip, 4);
		sgb_u16(e, f->sport);
		sgb_u16(e, f->dport);
		sgb_u8(e, f->l4);
		break;
	case 4:
		sgb_bytes(e, f->sip, 16);
		sgb_bytes(e, f->dip, 16);
		sgb_u16(e, f->sport);
		sgb_u16(e, f->dport);
		sgb_u8(e, f->l4);
		break;
	case 5:
		sgb_bytes(e, f->sip, 4);
		sgb_u16(e, f->sport);
		sgb_u8(e, f->l4);
		break;
	case 6:
		sgb_bytes(e, f->sip, 16);
		sgb_u16(e, f->sport);
		sgb_u8(e, f->l4);
		break;
	case 8:
		sgb_u64(e, f->src_ep);
		sgb_u64(e, f->dst_ep);
		sgb_str16(e, f->name);
		break;
	case 16:
		sgb_u32(e, f->flags);
		sgb_str16(e, f->name);
		if (v2)
			sgb_u32(e, f->dev);
		break;
	case 0:
		break;
	default:
		sgb_str16(e, f->name);
	}
}

void sgx_fdl(struct scapgen *g, uint32_t id, uint64_t tid, const struct sgx_fd *fds, size_t n)
{
	struct sgbuf b = { 0 };
	int v2 = id == 0x218;
	sgb_u64(&b, tid);
	for (size_t i = 0; i < n; i++) {
		struct sgbuf e = { 0 };
		sgb_u64(&e, (uint64_t)fds[i].fd);
		sgb_u64(&e, fds[i].ino);
		sgb_u8(&e, fds[i].type);
		fd_payload(&e, &fds[i], v2);
		if (v2)
			sgb_u32(&b, (uint32_t)(4 + e.len));
		sgb_bytes(&b, e.p, e.len);
		sgb_free(&e);
	}
	sg_block(g, id, b.p, b.len, 0);
	sgb_free(&b);
}

void sgx_il(struct scapgen *g, uint32_t id, const struct sgx_if *ifs, size_t n)
{
	struct sgbuf b = { 0 };
	int v2 = id == 0x219;
	for (size_t i = 0; i < n; i++) {
		struct sgbuf e = { 0 };
		size_t alen = (ifs[i].type == 2 || ifs[i].type == 4) ? 16 : 4;
		sgb_u16(&e, ifs[i].type);
		sgb_u16(&e, (uint16_t)strlen(ifs[i].name));
		sgb_bytes(&e, ifs[i].addr, alen);
		sgb_bytes(&e, ifs[i].mask, alen);
		sgb_bytes(&e, ifs[i].bcast, alen);
		if (ifs[i].type == 1 || ifs[i].type == 2)
			sgb_u64(&e, ifs[i].speed);
		sgb_bytes(&e, ifs[i].name, strlen(ifs[i].name));
		if (v2)
			sgb_u32(&b, (uint32_t)e.len); /* IL v2 does not count the length word */
		sgb_bytes(&b, e.p, e.len);
		sgb_free(&e);
	}
	sg_block(g, id, b.p, b.len, 0);
	sgb_free(&b);
}

void sgx_ul(struct scapgen *g, uint32_t id, const struct sgx_user *u, size_t nu, const struct sgx_group *gr, size_t ng)
{
	struct sgbuf b = { 0 };
	int v2 = id == 0x220;
	for (size_t i = 0; i < nu + ng; i++) {
		struct sgbuf e = { 0 };
		if (i < nu) {
			sgb_u8(&e, 0);
			sgb_u32(&e, u[i].uid);
			sgb_u32(&e, u[i].gid);
			sgb_str16(&e, u[i].name);
			sgb_str16(&e, u[i].home);
			sgb_str16(&e, u[i].shell);
		} else {
			sgb_u8(&e, 1);
			sgb_u32(&e, gr[i - nu].gid);
			sgb_str16(&e, gr[i - nu].name);
		}
		if (v2)
			sgb_u32(&b, (uint32_t)(4 + e.len));
		sgb_bytes(&b, e.p, e.len);
		sgb_free(&e);
	}
	sg_block(g, id, b.p, b.len, 0);
	sgb_free(&b);
}

static const char pl_args[] = "--flag\0/etc/hostname";
static const char pl_env[] = "HOME=/home/alice\0TERM=xterm";
static const char pl_cg[] = "cpu=/user.slice";

void sgx_sample_events(struct scapgen *g, const struct sgx_opts *o)
{
	static const char path[] = "/etc/hostname", data[] = "probe-host\n", hello[] = "hello\n", get[] = "GET /";
	uint32_t id = o->ev_id ? o->ev_id : 0x216;
	/* Large blocks change nothing for these types: their lengths stay u16. */
	int large = 0;
	for (unsigned i = 0; i < SGX_NEVENTS; i++) {
		struct sgbuf r = { 0 };
		uint64_t fd3 = 3, fd0 = 0, fd1 = 1, fd5 = 5;
		int64_t res;
		uint32_t size = 4096, oflags = 1, mode = 0, dev = 0x800001;
		uint16_t type;
		struct sgx_param p[5];
		unsigned n = 0;
		switch (i) {
		case 0: type = 2; p[0] = (struct sgx_param){ path, sizeof path }; p[1] = (struct sgx_param){ &oflags, 4 };
			p[2] = (struct sgx_param){ &mode, 4 }; n = 3; break;
		case 1: type = 3; p[0] = (struct sgx_param){ &fd3, 8 }; p[1] = (struct sgx_param){ path, sizeof path };
			p[2] = (struct sgx_param){ &oflags, 4 }; p[3] = (struct sgx_param){ &mode, 4 };
			p[4] = (struct sgx_param){ &dev, 4 }; n = 5; break;
		case 2: type = 6; p[0] = (struct sgx_param){ &fd3, 8 }; p[1] = (struct sgx_param){ &size, 4 }; n = 2; break;
		case 3: type = 7; res = 11; p[0] = (struct sgx_param){ &res, 8 }; p[1] = (struct sgx_param){ data, 11 }; n = 2; break;
		case 4: type = 6; p[0] = (struct sgx_param){ &fd0, 8 }; p[1] = (struct sgx_param){ &size, 4 }; n = 2; break;
		case 5: type = 7; res = 6; p[0] = (struct sgx_param){ &res, 8 }; p[1] = (struct sgx_param){ hello, 6 }; n = 2; break;
		case 6: type = 8; p[0] = (struct sgx_param){ &fd1, 8 }; p[1] = (struct sgx_param){ &size, 4 }; n = 2; break;
		case 7: type = 9; res = 6; p[0] = (struct sgx_param){ &res, 8 }; p[1] = (struct sgx_param){ hello, 6 }; n = 2; break;
		case 8: type = 8; p[0] = (struct sgx_param){ &fd5, 8 }; p[1] = (struct sgx_param){ &size, 4 }; n = 2; break;
		case 9: type = 9; res = 5; p[0] = (struct sgx_param){ &res, 8 }; p[1] = (struct sgx_param){ get, 5 }; n = 2; break;
		case 10: type = 4; p[0] = (struct sgx_param){ &fd3, 8 }; n = 1; break;
		default: type = 5; res = 0; p[0] = (struct sgx_param){ &res, 8 }; n = 1; break;
		}
		/* Little-endian host assumed, as the format itself is host order. */
		sgx_record(&r, SGX_TS0 + 1000ull * i, SGX_TID, type, p, n, large);
		sgx_evblock(g, id, (uint16_t)(o->cpu0 + i % 2), o->flags, r.p, r.len);
		sgb_free(&r);
	}
}

unsigned sgx_sample(struct scapgen *g, const struct sgx_opts *o)
{
	static const uint32_t pl_ids[10] = { 0, 0x202, 0x207, 0x209, 0x210, 0x211, 0x212, 0x213, 0x214, 0x215 };
	unsigned v = o->pl_version ? o->pl_version : 9;
	sg_shb(g, 1, 2);
	if (!o->no_meta) {
		sg_mi(g, 2, 8ull << 30, "probe-host");
		struct sgx_if ifs[3] = {
			{ .type = 1, .name = "lo", .addr = { 127, 0, 0, 1 }, .mask = { 255 }, .bcast = { 127, 255, 255, 255 } },
			{ .type = 1, .name = "eth0", .addr = { 10, 1, 2, 3 }, .mask = { 255, 255, 255 }, .bcast = { 10, 1, 2, 255 }, .speed = 1000 },
			{ .type = 2, .name = "lo", .addr = { [15] = 1 }, .mask = { 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255 } },
		};
		sgx_il(g, o->il_v1 ? 0x205 : 0x219, ifs, 3);
		struct sgx_user us[2] = { { 0, 0, "root", "/root", "/bin/bash" }, { 1000, 1000, "alice", "/home/alice", "/bin/sh" } };
		struct sgx_group gs[2] = { { 0, "root" }, { 1000, "alice" } };
		sgx_ul(g, o->ul_v1 ? 0x206 : 0x220, us, 2, gs, 2);
		struct sg_thread th[2] = {
			{ .tid = 1, .pid = 1, .ptid = 0, .sid = 1, .vpgid = 1, .comm = "init", .exe = "/sbin/init",
			  .exepath = "/sbin/init", .cwd = "/", .root = "/", .fdlimit = 1024, .vtid = 1, .vpid = 1, .loginuid = -1 },
			{ .tid = SGX_TID, .pid = SGX_TID, .ptid = 1, .sid = 100, .vpgid = 4242, .comm = "probecat",
			  .exe = "probecat", .exepath = "/usr/local/bin/probecat", .cwd = "/home/alice/", .root = "/",
			  .args = pl_args, .args_len = sizeof pl_args, .env = pl_env, .env_len = sizeof pl_env,
			  .cgroups = pl_cg, .cgroups_len = sizeof pl_cg, .fdlimit = 4096, .uid = 1000, .gid = 1000,
			  .vtid = 42, .vpid = 42, .loginuid = 1000 },
		};
		sgx_pl(g, pl_ids[v], v, th, 2, 1);
		struct sgx_fd fds[4] = {
			{ .fd = 0, .ino = 10, .type = 16, .flags = 3, .name = "/dev/pts/0", .dev = 0x88 },
			{ .fd = 1, .ino = 10, .type = 16, .flags = 3, .name = "/dev/pts/0", .dev = 0x88 },
			{ .fd = 2, .ino = 10, .type = 16, .flags = 3, .name = "/dev/pts/0", .dev = 0x88 },
			{ .fd = 5, .ino = 11, .type = 3, .sip = { 10, 1, 2, 3 }, .dip = { 93, 184, 216, 34 }, .sport = 40000, .dport = 443, .l4 = 2 },
		};
		sgx_fdl(g, o->fdl_v1 ? 0x203 : 0x218, SGX_TID, fds, 4);
		sgx_fdl(g, o->fdl_v1 ? 0x203 : 0x218, 1, NULL, 0);
	}
	sgx_sample_events(g, o);
	return SGX_NEVENTS;
}
