/* Machine info, interface list and user list blocks (specs/scap-file.md §5-7). */
#include <string.h>
#include "format.h"

#define MI_BODY 180u
#define IL_NAME_MAX 1023u   /* names must be shorter than 1024 */
#define UL_STR_MAX 255u     /* user list strings must be shorter than 256 */

int scap_parse_mi(struct udig_tables *t, const struct scap_block_type *bt, const uint8_t *body, size_t len,
		  uint64_t off, char *err)
{
	(void)bt;
	/* The reference reads exactly 180 bytes and expects the trailer next. */
	if (len != MI_BODY) {
		udig_errf(err, "offset %llu: machine info block body is %zu bytes, expected %u",
			  (unsigned long long)off, len, MI_BODY);
		return -1;
	}
	struct udig_machine_info *mi = &t->machine;
	memset(mi, 0, sizeof *mi);
	mi->num_cpus = scap_le32(body);
	mi->memory_size_bytes = scap_le64(body + 4);
	mi->max_pid = scap_le64(body + 12);
	memcpy(mi->hostname, body + 20, sizeof mi->hostname - 1);
	mi->hostname[sizeof mi->hostname - 1] = 0;
	t->have_machine = 1;
	return 0;
}

/* ------------------------------------------------------------ interfaces */

enum { IF_V4 = 1, IF_V6 = 2, IF_V4_NOSPEED = 3, IF_V6_NOSPEED = 4 };

static int il_entry(struct udig_tables *t, struct scap_cur *c)
{
	char name[IL_NAME_MAX + 1];
	uint16_t type = scap_cur_u16(c, "type");
	uint16_t namelen = scap_cur_u16(c, "name length");
	if (c->bad)
		return -1;
	if (type < IF_V4 || type > IF_V6_NOSPEED) {
		c->p -= 4;
		scap_cur_fail(c, "unknown interface type %u", type);
		return -1;
	}
	if (namelen > IL_NAME_MAX) {
		c->p -= 2;
		scap_cur_fail(c, "name length %u exceeds %u", namelen, IL_NAME_MAX);
		return -1;
	}
	int v6 = type == IF_V6 || type == IF_V6_NOSPEED;
	size_t alen = v6 ? 16 : 4;
	const uint8_t *addr = scap_cur_bytes(c, alen, "address");
	const uint8_t *mask = scap_cur_bytes(c, alen, "netmask");
	const uint8_t *bcast = scap_cur_bytes(c, alen, "broadcast");
	uint64_t speed = (type == IF_V4 || type == IF_V6) ? scap_cur_u64(c, "link speed") : 0;
	const uint8_t *n = scap_cur_bytes(c, namelen, "name");
	if (c->bad)
		return -1;
	memcpy(name, n, namelen);
	name[namelen] = 0;
	int rc;
	if (v6) {
		struct udig_iface6 i = { .name = name, .linkspeed = speed };
		memcpy(i.addr, addr, 16);
		memcpy(i.netmask, mask, 16);
		memcpy(i.bcast, bcast, 16);
		rc = tables_iface6_add(t, &i);
	} else {
		struct udig_iface4 i = { .name = name, .linkspeed = speed };
		memcpy(i.addr, addr, 4);
		memcpy(i.netmask, mask, 4);
		memcpy(i.bcast, bcast, 4);
		rc = tables_iface4_add(t, &i);
	}
	if (rc)
		scap_cur_fail(c, "out of memory");
	return rc;
}

int scap_parse_il(struct udig_tables *t, const struct scap_block_type *bt, const uint8_t *body, size_t len,
		  uint64_t off, char *err)
{
	struct scap_cur c;
	scap_cur_init(&c, body, len, off, "interface list", err);
	/* A later interface list replaces the earlier one. */
	tables_ifaces_clear(t);
	while (scap_cur_left(&c) >= 4) {
		struct scap_cur e;
		if (bt->flags & SB_ENTRYLEN) {
			/* IL v2 counts the bytes after the length word only. */
			uint32_t elen = scap_cur_u32(&c, "entry length");
			if (scap_cur_sub(&c, &e, elen, "interface entry"))
				return -1;
		} else {
			e = c;
			e.what = "interface entry";
		}
		if (il_entry(t, &e))
			return -1;
		if (!(bt->flags & SB_ENTRYLEN))
			c.p = e.p;
	}
	return 0;
}

/* ------------------------------------------------------------ users */

enum { UL_USER = 0, UL_GROUP = 1 };

static int ul_entry(struct udig_tables *t, struct scap_cur *c)
{
	char name[UL_STR_MAX + 1], home[UL_STR_MAX + 1], shell[UL_STR_MAX + 1];
	uint8_t kind = scap_cur_u8(c, "kind");
	if (c->bad)
		return -1;
	if (kind == UL_USER) {
		struct udig_user u = { .name = name, .homedir = home, .shell = shell };
		u.uid = scap_cur_u32(c, "uid");
		u.gid = scap_cur_u32(c, "gid");
		scap_cur_cstr16(c, UL_STR_MAX, "user name", name);
		scap_cur_cstr16(c, UL_STR_MAX, "home directory", home);
		scap_cur_cstr16(c, UL_STR_MAX, "shell", shell);
		if (c->bad)
			return -1;
		if (tables_user_add(t, &u))
			scap_cur_fail(c, "out of memory");
	} else if (kind == UL_GROUP) {
		struct udig_group g = { .name = name };
		g.gid = scap_cur_u32(c, "gid");
		scap_cur_cstr16(c, UL_STR_MAX, "group name", name);
		if (c->bad)
			return -1;
		if (tables_group_add(t, &g))
			scap_cur_fail(c, "out of memory");
	} else {
		c->p--;
		scap_cur_fail(c, "unknown entry kind %u", kind);
	}
	return c->bad ? -1 : 0;
}

int scap_parse_ul(struct udig_tables *t, const struct scap_block_type *bt, const uint8_t *body, size_t len,
		  uint64_t off, char *err)
{
	struct scap_cur c;
	scap_cur_init(&c, body, len, off, "user list", err);
	/* A later user list replaces the earlier one. */
	tables_users_clear(t);
	tables_groups_clear(t);
	while (scap_cur_left(&c) >= 4) {
		struct scap_cur e;
		if (bt->flags & SB_ENTRYLEN) {
			/* UL v2 counts its own length word. */
			const uint8_t *start = c.p;
			uint32_t elen = scap_cur_u32(&c, "entry length");
			if (elen < 4) {
				c.p = start;
				scap_cur_fail(&c, "entry length %u is shorter than its own length field", elen);
				return -1;
			}
			c.p = start;
			if (scap_cur_sub(&c, &e, elen, "user list entry"))
				return -1;
			e.p += 4;
		} else {
			e = c;
			e.what = "user list entry";
		}
		if (ul_entry(t, &e))
			return -1;
		if (!(bt->flags & SB_ENTRYLEN))
			c.p = e.p;
	}
	return 0;
}
