/*
 * Serialisers of the .scap metadata blocks (SHB, MI, IL v2, UL v2, PL v9,
 * FDL v2) from the state tables.  Host byte order, packed, every block
 * padded to 4 with zeros and closed by its length (specs/scap-file.md §2-9).
 *
 * String limits are those the reference reader enforces, so that whatever
 * the tables hold, the file stays readable: paths ≤ 1024 bytes, args, env
 * and cgroups ≤ 4096, user-list strings < 256, fd and interface names < 1024.
 */
#include <stdlib.h>
#include <string.h>
#include "write-int.h"

#define SW_MAX_PATH 1024
#define SW_MAX_BLOB 4096
#define SW_MAX_USERSTR 255
#define SW_MAX_FDNAME 1023
#define SW_MAX_IFNAME 1023

static int sb_grow(struct sbuf *b, size_t n)
{
	if (b->oom)
		return -1;
	if (b->len + n <= b->cap)
		return 0;
	size_t cap = b->cap ? b->cap : 4096;
	while (cap < b->len + n)
		cap *= 2;
	uint8_t *p = realloc(b->p, cap);
	if (!p) {
		b->oom = 1;
		return -1;
	}
	b->p = p;
	b->cap = cap;
	return 0;
}

void sb_bytes(struct sbuf *b, const void *p, size_t n)
{
	if (n == 0 || sb_grow(b, n))
		return;
	memcpy(b->p + b->len, p, n);
	b->len += n;
}

void sb_u8(struct sbuf *b, uint8_t v) { sb_bytes(b, &v, 1); }
void sb_u16(struct sbuf *b, uint16_t v) { sb_bytes(b, &v, 2); }
void sb_u32(struct sbuf *b, uint32_t v) { sb_bytes(b, &v, 4); }
void sb_u64(struct sbuf *b, uint64_t v) { sb_bytes(b, &v, 8); }

void sb_blob16(struct sbuf *b, const void *p, size_t len, size_t max)
{
	if (!p)
		len = 0;
	if (len > max)
		len = max;
	sb_u16(b, (uint16_t)len);
	sb_bytes(b, p, len);
}

void sb_str16(struct sbuf *b, const char *s, size_t max)
{
	sb_blob16(b, s, s ? strnlen(s, max) : 0, max);
}

void sb_put32_at(struct sbuf *b, size_t off, uint32_t v)
{
	if (!b->oom && off + 4 <= b->len)
		memcpy(b->p + off, &v, 4);
}

size_t sb_block_begin(struct sbuf *b, uint32_t type)
{
	size_t start = b->len;
	sb_u32(b, type);
	sb_u32(b, 0);
	return start;
}

void sb_block_end(struct sbuf *b, size_t start)
{
	static const uint8_t zeros[4];
	size_t body = b->len - start - 8;
	uint32_t total = sw_block_len(body);
	sb_bytes(b, zeros, total - 12 - body);
	sb_u32(b, total);
	sb_put32_at(b, start + 4, total);
}

void sb_free(struct sbuf *b)
{
	free(b->p);
	memset(b, 0, sizeof *b);
}

void sw_shb(struct sbuf *b)
{
	size_t s = sb_block_begin(b, SW_SHB);
	sb_u32(b, 0x1A2B3C4D); /* byte-order magic, host order */
	sb_u16(b, 1);          /* major */
	sb_u16(b, 2);          /* minor */
	sb_u64(b, UINT64_MAX); /* section length: unknown */
	sb_block_end(b, s);
}

void sw_mi(struct sbuf *b, const struct udig_machine_info *mi)
{
	char host[128];
	size_t s = sb_block_begin(b, SW_MI);
	size_t hl = strnlen(mi->hostname, sizeof host - 1);
	memset(host, 0, sizeof host);
	memcpy(host, mi->hostname, hl);
	sb_u32(b, mi->num_cpus);
	sb_u64(b, mi->memory_size_bytes);
	sb_u64(b, mi->max_pid);
	sb_bytes(b, host, sizeof host);
	for (int i = 0; i < 4; i++)
		sb_u64(b, 0); /* reserved */
	sb_block_end(b, s);
}

void sw_il(struct sbuf *b, const struct udig_tables *t)
{
	size_t s, i;
	if (t->n_if4 == 0 && t->n_if6 == 0)
		return;
	s = sb_block_begin(b, SW_IL_V2);
	/* The reference writes every IPv4 entry first.  The IL v2 entry
	 * length counts the bytes after itself (unlike PL/FDL/UL). */
	for (i = 0; i < t->n_if4; i++) {
		const struct udig_iface4 *f = &t->if4[i];
		size_t nl = f->name ? strnlen(f->name, SW_MAX_IFNAME) : 0;
		sb_u32(b, (uint32_t)(2 + 2 + 12 + 8 + nl));
		sb_u16(b, 1); /* IPv4 */
		sb_u16(b, (uint16_t)nl);
		sb_bytes(b, f->addr, 4);
		sb_bytes(b, f->netmask, 4);
		sb_bytes(b, f->bcast, 4);
		sb_u64(b, f->linkspeed);
		sb_bytes(b, f->name, nl);
	}
	for (i = 0; i < t->n_if6; i++) {
		const struct udig_iface6 *f = &t->if6[i];
		size_t nl = f->name ? strnlen(f->name, SW_MAX_IFNAME) : 0;
		sb_u32(b, (uint32_t)(2 + 2 + 48 + 8 + nl));
		sb_u16(b, 2); /* IPv6 */
		sb_u16(b, (uint16_t)nl);
		sb_bytes(b, f->addr, 16);
		sb_bytes(b, f->netmask, 16);
		sb_bytes(b, f->bcast, 16);
		sb_u64(b, f->linkspeed);
		sb_bytes(b, f->name, nl);
	}
	sb_block_end(b, s);
}

void sw_ul(struct sbuf *b, const struct udig_tables *t)
{
	const struct user_entry *u, *utmp;
	const struct group_entry *g, *gtmp;
	size_t s, e;
	if (!t->users && !t->groups)
		return;
	s = sb_block_begin(b, SW_UL_V2);
	HASH_ITER(hh, t->users, u, utmp) {
		e = b->len;
		sb_u32(b, 0);
		sb_u8(b, 0); /* user */
		sb_u32(b, u->u.uid);
		sb_u32(b, u->u.gid);
		sb_str16(b, u->u.name, SW_MAX_USERSTR);
		sb_str16(b, u->u.homedir, SW_MAX_USERSTR);
		sb_str16(b, u->u.shell, SW_MAX_USERSTR);
		sb_put32_at(b, e, (uint32_t)(b->len - e));
	}
	HASH_ITER(hh, t->groups, g, gtmp) {
		e = b->len;
		sb_u32(b, 0);
		sb_u8(b, 1); /* group */
		sb_u32(b, g->g.gid);
		sb_str16(b, g->g.name, SW_MAX_USERSTR);
		sb_put32_at(b, e, (uint32_t)(b->len - e));
	}
	sb_block_end(b, s);
}

static void pl_entry(struct sbuf *b, const struct udig_threadinfo *ti)
{
	size_t e = b->len;
	sb_u32(b, 0); /* entry length, includes itself */
	sb_u64(b, (uint64_t)ti->tid);
	sb_u64(b, (uint64_t)ti->pid);
	sb_u64(b, (uint64_t)ti->ptid);
	sb_u64(b, (uint64_t)ti->sid);
	sb_u64(b, (uint64_t)ti->vpgid);
	sb_str16(b, ti->comm, SW_MAX_PATH);
	sb_str16(b, ti->exe, SW_MAX_PATH);
	sb_str16(b, ti->exepath, SW_MAX_PATH);
	sb_blob16(b, ti->args.data, ti->args.len, SW_MAX_BLOB);
	sb_str16(b, ti->cwd, SW_MAX_PATH);
	sb_u64(b, (uint64_t)ti->fdlimit);
	sb_u32(b, ti->flags);
	sb_u32(b, ti->uid);
	sb_u32(b, ti->gid);
	sb_u32(b, ti->vmsize_kb);
	sb_u32(b, ti->vmrss_kb);
	sb_u32(b, ti->vmswap_kb);
	sb_u64(b, ti->pfmajor);
	sb_u64(b, ti->pfminor);
	sb_blob16(b, ti->env.data, ti->env.len, SW_MAX_BLOB);
	sb_u64(b, (uint64_t)ti->vtid);
	sb_u64(b, (uint64_t)ti->vpid);
	sb_blob16(b, ti->cgroups.data, ti->cgroups.len, SW_MAX_BLOB);
	sb_str16(b, ti->root, SW_MAX_PATH);
	sb_u32(b, (uint32_t)ti->loginuid);
	sb_u8(b, ti->exe_writable ? 1 : 0);
	sb_put32_at(b, e, (uint32_t)(b->len - e));
}

void sw_pl(struct sbuf *b, const struct udig_tables *t)
{
	const struct thread_entry *te, *tmp;
	size_t s;
	if (!t->threads)
		return;
	s = sb_block_begin(b, SW_PL_V9);
	HASH_ITER(hh, t->threads, te, tmp)
		pl_entry(b, &te->ti);
	sb_block_end(b, s);
}

/* The payload after the common fd-entry fields; 0 when the type is not
 * one a file can carry (the entry is then left out). */
static int fd_payload(struct sbuf *b, const struct udig_fdinfo *fi)
{
	switch (fi->type) {
	case UDIG_FD_IPV4_SOCK:
		sb_bytes(b, fi->sock.v4.sip, 4);
		sb_bytes(b, fi->sock.v4.dip, 4);
		sb_u16(b, fi->sock.v4.sport);
		sb_u16(b, fi->sock.v4.dport);
		sb_u8(b, fi->sock.v4.l4proto);
		return 1;
	case UDIG_FD_IPV6_SOCK:
		sb_bytes(b, fi->sock.v6.sip, 16);
		sb_bytes(b, fi->sock.v6.dip, 16);
		sb_u16(b, fi->sock.v6.sport);
		sb_u16(b, fi->sock.v6.dport);
		sb_u8(b, fi->sock.v6.l4proto);
		return 1;
	case UDIG_FD_IPV4_SERVSOCK:
		sb_bytes(b, fi->sock.v4serv.ip, 4);
		sb_u16(b, fi->sock.v4serv.port);
		sb_u8(b, fi->sock.v4serv.l4proto);
		return 1;
	case UDIG_FD_IPV6_SERVSOCK:
		sb_bytes(b, fi->sock.v6serv.ip, 16);
		sb_u16(b, fi->sock.v6serv.port);
		sb_u8(b, fi->sock.v6serv.l4proto);
		return 1;
	case UDIG_FD_UNIX_SOCK:
		sb_u64(b, fi->sock.unix_sock.source);
		sb_u64(b, fi->sock.unix_sock.dest);
		sb_str16(b, fi->name, SW_MAX_FDNAME);
		return 1;
	case UDIG_FD_FILE_V2:
		sb_u32(b, fi->open_flags);
		sb_str16(b, fi->name, SW_MAX_FDNAME);
		sb_u32(b, fi->dev);
		return 1;
	case UDIG_FD_FILE:
	case UDIG_FD_DIRECTORY:
	case UDIG_FD_FIFO:
	case UDIG_FD_EVENT:
	case UDIG_FD_UNSUPPORTED:
	case UDIG_FD_SIGNALFD:
	case UDIG_FD_EVENTPOLL:
	case UDIG_FD_INOTIFY:
	case UDIG_FD_TIMERFD:
	case UDIG_FD_NETLINK:
		sb_str16(b, fi->name, SW_MAX_FDNAME);
		return 1;
	default:
		return 0; /* unknown / uninitialised: the reference never writes them */
	}
}

void sw_fdl(struct sbuf *b, const struct thread_entry *te)
{
	const struct fd_entry *f, *tmp;
	size_t s = sb_block_begin(b, SW_FDL_V2);
	sb_u64(b, (uint64_t)te->ti.tid);
	HASH_ITER(hh, te->fds, f, tmp) {
		size_t e = b->len;
		sb_u32(b, 0); /* entry length, includes itself */
		sb_u64(b, (uint64_t)f->fi.fd);
		sb_u64(b, f->fi.ino);
		sb_u8(b, (uint8_t)f->fi.type);
		if (!fd_payload(b, &f->fi)) {
			if (!b->oom)
				b->len = e;
			continue;
		}
		sb_put32_at(b, e, (uint32_t)(b->len - e));
	}
	sb_block_end(b, s);
}
