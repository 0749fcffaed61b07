/* The kernel's rules for credentials at exec (see setid.h). */
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <linux/capability.h>

#include "inject/setid.h"

unsigned inj_setid_changes(const struct inj_setid_file *f, const struct inj_setid_creds *c)
{
	unsigned ch = 0;
	uid_t new_euid = c->euid;
	gid_t new_egid = c->egid;

	/* Natively under no_new_privs, or from a nosuid mount, the kernel
	 * honours neither the bits nor the file's capabilities. */
	if (c->no_new_privs || f->nosuid)
		return 0;
	if (f->mode & S_ISUID)
		new_euid = f->uid;
	if ((f->mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP))
		new_egid = f->gid;
	/* __is_setuid()/__is_setgid(): new effective against old real. */
	if (new_euid != c->ruid)
		ch |= INJ_SETID_UID;
	if (new_egid != c->rgid)
		ch |= INJ_SETID_GID;
	if (f->has_fcaps && new_euid != 0 && c->ruid != 0) {
		/* pP' = (pI & fI) | (fP & cap_bset), ambient aside. */
		uint64_t gained = (c->cap_inheritable & f->fcap_inheritable) | (f->fcap_permitted & c->cap_bounding);
		if (gained & ~c->cap_permitted)
			ch |= INJ_SETID_CAPS;
	}
	return ch;
}

int inj_setid_lost(unsigned changes, int nnp_now, int ptraced, int tracer_capable)
{
	return changes != 0 && (nnp_now || (ptraced && !tracer_capable));
}

static void append(char *out, size_t len, const char *what)
{
	size_t n = strlen(out);
	if (n < len)
		snprintf(out + n, len - n, "%s%s", n ? " and " : "", what);
}

void inj_setid_describe(unsigned changes, const struct inj_setid_file *f, char *out, size_t len)
{
	char part[160];

	if (len == 0)
		return;
	out[0] = 0;
	if (changes & INJ_SETID_UID) {
		struct passwd pw, *r = NULL;
		char buf[1024];
		if (getpwuid_r(f->uid, &pw, buf, sizeof buf, &r) == 0 && r)
			snprintf(part, sizeof part, "set-user-ID %s", r->pw_name);
		else
			snprintf(part, sizeof part, "set-user-ID %u", (unsigned)f->uid);
		/* Without the bit, the change is the process's own euid. */
		append(out, len, (f->mode & S_ISUID) ? part : "run with an effective user ID not its real one");
	}
	if (changes & INJ_SETID_GID) {
		struct group gr, *r = NULL;
		char buf[4096];
		if (getgrgid_r(f->gid, &gr, buf, sizeof buf, &r) == 0 && r)
			snprintf(part, sizeof part, "set-group-ID %s", r->gr_name);
		else
			snprintf(part, sizeof part, "set-group-ID %u", (unsigned)f->gid);
		append(out, len, (f->mode & S_ISGID) ? part : "run with an effective group ID not its real one");
	}
	if (changes & INJ_SETID_CAPS)
		append(out, len, "with file capabilities");
}

/* The value after "Name:" on its own line, or NULL. */
static const char *field(const char *text, const char *name)
{
	size_t n = strlen(name);
	const char *p = text;

	while (p && *p) {
		if (!strncmp(p, name, n) && p[n] == ':')
			return p + n + 1;
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return NULL;
}

static int two_ids(const char *text, const char *name, unsigned long *real, unsigned long *eff)
{
	const char *v = field(text, name);
	char *end;

	if (!v)
		return -1;
	*real = strtoul(v, &end, 10);
	if (end == v)
		return -1;
	v = end;
	*eff = strtoul(v, &end, 10);
	return end == v ? -1 : 0;
}

static int hex_set(const char *text, const char *name, uint64_t *out)
{
	const char *v = field(text, name);
	char *end;

	if (!v)
		return -1;
	*out = strtoull(v, &end, 16);
	return end == v ? -1 : 0;
}

int inj_setid_parse_status(const char *text, struct inj_setid_creds *c)
{
	unsigned long r, e, nnp;
	const char *v;
	char *end;

	memset(c, 0, sizeof *c);
	if (two_ids(text, "Uid", &r, &e) < 0)
		return -1;
	c->ruid = (uid_t)r;
	c->euid = (uid_t)e;
	if (two_ids(text, "Gid", &r, &e) < 0)
		return -1;
	c->rgid = (gid_t)r;
	c->egid = (gid_t)e;
	if (hex_set(text, "CapInh", &c->cap_inheritable) < 0 || hex_set(text, "CapPrm", &c->cap_permitted) < 0 ||
	    hex_set(text, "CapEff", &c->cap_effective) < 0 || hex_set(text, "CapBnd", &c->cap_bounding) < 0)
		return -1;
	v = field(text, "NoNewPrivs");
	if (!v)
		return -1;
	nnp = strtoul(v, &end, 10);
	if (end == v)
		return -1;
	c->no_new_privs = nnp != 0;
	return 0;
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

int inj_setid_parse_fcaps(const void *val, size_t len, struct inj_setid_file *f)
{
	const unsigned char *p = val;
	uint32_t magic;
	size_t words;

	if (len < 4)
		return -1;
	magic = le32(p);
	switch (magic & VFS_CAP_REVISION_MASK) {
	case VFS_CAP_REVISION_1: words = VFS_CAP_U32_1; if (len != XATTR_CAPS_SZ_1) return -1; break;
	case VFS_CAP_REVISION_2: words = VFS_CAP_U32_2; if (len != XATTR_CAPS_SZ_2) return -1; break;
	/* Revision 3 names the user namespace's root (rootid) the
	 * capabilities are for; taken as ours. */
	case VFS_CAP_REVISION_3: words = VFS_CAP_U32_3; if (len != XATTR_CAPS_SZ_3) return -1; break;
	default: return -1;
	}
	f->has_fcaps = 1;
	f->fcap_permitted = le32(p + 4);
	f->fcap_inheritable = le32(p + 8);
	if (words > 1) {
		f->fcap_permitted |= (uint64_t)le32(p + 12) << 32;
		f->fcap_inheritable |= (uint64_t)le32(p + 16) << 32;
	}
	return 0;
}
