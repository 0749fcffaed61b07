/* Values of the current layout that the 2022 records lack (see fill.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include "fill.h"

static const struct {
	const char *event; /* NULL: any event */
	const char *param;
	enum fill_id id;
} fills[] = {
	{ NULL, "ino", FILL_INO },
	{ "execve", "trusted_exepath", FILL_TRUSTED_EXEPATH },
	{ "execve", "cap_inheritable", FILL_CAP_INHERITABLE },
	{ "execve", "cap_permitted", FILL_CAP_PERMITTED },
	{ "execve", "cap_effective", FILL_CAP_EFFECTIVE },
	{ "execve", "exe_ino", FILL_EXE_INO },
	{ "execve", "exe_ino_ctime", FILL_EXE_INO_CTIME },
	{ "execve", "exe_ino_mtime", FILL_EXE_INO_MTIME },
	{ "execve", "uid", FILL_EUID },
	{ "execve", "gid", FILL_EGID },
	{ "execve", "pgid", FILL_PGID },
	{ "execveat", "trusted_exepath", FILL_TRUSTED_EXEPATH },
	{ "execveat", "cap_inheritable", FILL_CAP_INHERITABLE },
	{ "execveat", "cap_permitted", FILL_CAP_PERMITTED },
	{ "execveat", "cap_effective", FILL_CAP_EFFECTIVE },
	{ "execveat", "exe_ino", FILL_EXE_INO },
	{ "execveat", "exe_ino_ctime", FILL_EXE_INO_CTIME },
	{ "execveat", "exe_ino_mtime", FILL_EXE_INO_MTIME },
	{ "execveat", "uid", FILL_EUID },
	{ "execveat", "gid", FILL_EGID },
	{ "execveat", "pgid", FILL_PGID },
};

enum fill_id fill_find(const char *event, const char *param)
{
	for (size_t i = 0; i < sizeof fills / sizeof fills[0]; i++)
		if ((!fills[i].event || !strcmp(fills[i].event, event)) && !strcmp(fills[i].param, param))
			return fills[i].id;
	return FILL_NONE;
}

/* The record's parameter called `name`, through the udig table. */
static int param_index(const struct udig_evt *ev, const char *name)
{
	const struct udig_event_info *ei = udig_event_info(ev->type);
	for (uint32_t i = 0; ei && i < ev->nvals && i < ei->nparams; i++)
		if (!strcmp(ei->params[i].name, name))
			return (int)i;
	return -1;
}

/* The kernel's new_encode_dev(), as the driver (and udig's fillers) write dev. */
static uint32_t encode_dev(dev_t dev)
{
	uint32_t maj = major(dev), min = minor(dev);
	return (min & 0xff) | (maj << 8) | ((min & ~0xffu) << 12);
}

static int put_u64(uint64_t v, uint8_t *out, size_t cap)
{
	if (cap < 8)
		return -1;
	memcpy(out, &v, 8);
	return 8;
}

static int put_u32(uint32_t v, uint8_t *out, size_t cap)
{
	if (cap < 4)
		return -1;
	memcpy(out, &v, 4);
	return 4;
}

/* The inode of an open's file: a stat of its absolute path, trusted only
 * if the device is the one the producer's fstat gave. */
static int fill_ino(const struct udig_evt *ev, uint8_t *out, size_t cap)
{
	int n = param_index(ev, "name"), d = param_index(ev, "dev"), fd = param_index(ev, "fd");
	if (n < 0 || d < 0 || (fd >= 0 && udig_evt_int(ev, (unsigned)fd, -1) < 0))
		return -1;
	const char *path = udig_evt_str(ev, (unsigned)n);
	struct stat st;
	if (!path || path[0] != '/' || stat(path, &st) < 0)
		return -1;
	if (encode_dev(st.st_dev) != (uint32_t)udig_evt_uint(ev, (unsigned)d, 0))
		return -1;
	return put_u64((uint64_t)st.st_ino, out, cap);
}

/* /proc/<tid>/<what>, opened only while the thread still runs the image
 * the record describes (same comm). */
static int proc_open(const struct udig_evt *ev, const char *what)
{
	char path[64], comm[32];
	snprintf(path, sizeof path, "/proc/%llu/comm", (unsigned long long)ev->tid);
	int c = param_index(ev, "comm"), fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t r = read(fd, comm, sizeof comm - 1);
	close(fd);
	const char *want = c >= 0 ? udig_evt_str(ev, (unsigned)c) : NULL;
	if (r <= 0 || !want)
		return -1;
	comm[r] = 0;
	comm[strcspn(comm, "\n")] = 0;
	if (strcmp(comm, want))
		return -1;
	snprintf(path, sizeof path, "/proc/%llu/%s", (unsigned long long)ev->tid, what);
	return open(path, O_RDONLY | O_CLOEXEC);
}

/* A "Key:\tvalue" line of /proc/<tid>/status; field: which number on it. */
static int status_field(const struct udig_evt *ev, const char *key, int field, int hex, uint64_t *v)
{
	char buf[4096];
	int fd = proc_open(ev, "status");
	if (fd < 0)
		return -1;
	ssize_t r = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (r <= 0)
		return -1;
	buf[r] = 0;
	size_t kl = strlen(key);
	for (char *l = buf; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		if (strncmp(l, key, kl) || l[kl] != ':')
			continue;
		char *p = l + kl + 1, *end;
		for (int i = 0; i <= field; i++) {
			errno = 0;
			*v = strtoull(p, &end, hex ? 16 : 10);
			if (end == p || errno)
				return -1;
			p = end;
		}
		return 0;
	}
	return -1;
}

static int fill_exe_stat(const struct udig_evt *ev, enum fill_id id, uint8_t *out, size_t cap)
{
	int fd = proc_open(ev, "exe");
	struct stat st;
	if (fd < 0)
		return -1;
	int ok = fstat(fd, &st) == 0;
	close(fd);
	if (!ok)
		return -1;
	if (id == FILL_EXE_INO)
		return put_u64((uint64_t)st.st_ino, out, cap);
	const struct timespec *t = id == FILL_EXE_INO_CTIME ? &st.st_ctim : &st.st_mtim;
	return put_u64((uint64_t)t->tv_sec * 1000000000ull + (uint64_t)t->tv_nsec, out, cap);
}

static int fill_exepath(const struct udig_evt *ev, uint8_t *out, size_t cap)
{
	/* proc_open checks the image; the link is read right after. */
	int fd = proc_open(ev, "comm");
	if (fd < 0)
		return -1;
	close(fd);
	char path[64];
	snprintf(path, sizeof path, "/proc/%llu/exe", (unsigned long long)ev->tid);
	ssize_t n = readlink(path, (char *)out, cap > 0 ? cap - 1 : 0);
	if (n <= 0 || (size_t)n >= cap - 1)
		return -1;
	out[n] = 0;
	return (int)n + 1;
}

int fill_value(enum fill_id id, const struct udig_evt *ev, uint8_t *out, size_t cap)
{
	uint64_t v;
	switch (id) {
	case FILL_INO:
		return fill_ino(ev, out, cap);
	case FILL_TRUSTED_EXEPATH:
		return fill_exepath(ev, out, cap);
	case FILL_CAP_INHERITABLE:
		return status_field(ev, "CapInh", 0, 1, &v) ? -1 : put_u64(v, out, cap);
	case FILL_CAP_PERMITTED:
		return status_field(ev, "CapPrm", 0, 1, &v) ? -1 : put_u64(v, out, cap);
	case FILL_CAP_EFFECTIVE:
		return status_field(ev, "CapEff", 0, 1, &v) ? -1 : put_u64(v, out, cap);
	case FILL_EXE_INO:
	case FILL_EXE_INO_CTIME:
	case FILL_EXE_INO_MTIME:
		return fill_exe_stat(ev, id, out, cap);
	case FILL_EUID: /* the driver's execve uid/gid are the effective ones */
		return status_field(ev, "Uid", 1, 0, &v) ? -1 : put_u32((uint32_t)v, out, cap);
	case FILL_EGID:
		return status_field(ev, "Gid", 1, 0, &v) ? -1 : put_u32((uint32_t)v, out, cap);
	case FILL_PGID: {
		pid_t g = getpgid((pid_t)ev->tid);
		return g < 0 ? -1 : put_u64((uint64_t)(int64_t)g, out, cap);
	}
	case FILL_NONE:
		break;
	}
	return -1;
}
