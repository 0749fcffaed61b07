/* Finding, creating, judging and mapping the udig shm objects (see ring_shm.h). */
#include "ring_shm.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define ERRBUF 256 /* UDIG_ERRBUF_SIZE; this file does not see capture.h */

static void seterr(char *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void seterr(char *err, const char *fmt, ...)
{
	va_list ap;
	if (!err)
		return;
	va_start(ap, fmt);
	vsnprintf(err, ERRBUF, fmt, ap);
	va_end(ap);
}

const char *udig_shm_pick_name(const char *given, const char *env_var, const char *dflt)
{
	if (given && *given)
		return given;
	const char *e = env_var ? getenv(env_var) : NULL;
	return e && *e ? e : dflt;
}

int udig_shm_shared_opt_in(void)
{
	const char *v = getenv(UDIG_ENV_SHARED_RING);
	return v && *v && strcmp(v, "0") != 0;
}

int udig_shm_mask_name(const char *descs_name, char *out, size_t size)
{
	while (*descs_name == '/')
		descs_name++;
	int n = snprintf(out, size, "%s%s", descs_name, ".mask");
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

int udig_shm_path(const char *shm_name, char *out, size_t size)
{
	/* glibc's shm_open strips leading slashes and lives in /dev/shm. */
	while (*shm_name == '/')
		shm_name++;
	int n = snprintf(out, size, "/dev/shm/%s", shm_name);
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

enum udig_shm_distrust udig_shm_judge(const struct stat *st, uid_t euid, int shared_ok)
{
	if (!S_ISREG(st->st_mode))
		return UDIG_SHM_NOT_REGULAR;
	if (st->st_uid != euid && st->st_uid != 0)
		return UDIG_SHM_FOREIGN_OWNER;
	if (!shared_ok && (st->st_mode & 077))
		return UDIG_SHM_OPEN_MODE;
	return UDIG_SHM_TRUSTED;
}

void udig_shm_distrust_msg(enum udig_shm_distrust why, const char *name, const struct stat *st, char *err)
{
	switch (why) {
	case UDIG_SHM_TRUSTED:
		seterr(err, "%s is trusted", name);
		break;
	case UDIG_SHM_NOT_REGULAR:
		seterr(err, "%s is not a shared memory object (mode %o)", name, (unsigned)st->st_mode);
		break;
	case UDIG_SHM_FOREIGN_OWNER:
		seterr(err, "%s belongs to uid %u, neither you (uid %u) nor root: another user may read or forge "
			    "its events; remove it or choose other names (UDIG_RING, UDIG_DESCS)",
		       name, (unsigned)st->st_uid, (unsigned)geteuid());
		break;
	case UDIG_SHM_OPEN_MODE:
		seterr(err, "%s has mode %03o: other users may read or forge its events; set %s=1 to use a "
			    "shared ring knowingly",
		       name, (unsigned)(st->st_mode & 0777), UDIG_ENV_SHARED_RING);
		break;
	}
}

/* Object names are single path components: a '/' inside, "." or ".."
 * would let a name chosen through the environment open files elsewhere. */
static int valid_name(const char *name)
{
	while (*name == '/')
		name++;
	size_t n = strlen(name);
	return n > 0 && n < 250 && !strchr(name, '/') && strcmp(name, ".") != 0 && strcmp(name, "..") != 0;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

/* Opens, creating if the request allows it; the loop absorbs the window in
 * which another process created the object (our O_EXCL fails) or removed
 * it (our plain open fails) between our two attempts.  O_NOFOLLOW: a
 * symbolic link planted in /dev/shm is never followed. */
static int open_or_create(const struct udig_shm_req *r, const char *path, int *created, char *err)
{
	for (int attempt = 0; attempt < 100; attempt++) {
		int fd;
		if (r->create != UDIG_SHM_CREATE_NEW) {
			fd = open(path, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
			if (fd >= 0) {
				*created = 0;
				return fd;
			}
			if (errno != ENOENT || r->create == UDIG_SHM_JOIN) {
				int e = errno;
				if (e == ELOOP) {
					/* Planted: as untrustworthy as a foreign owner. */
					seterr(err, "%s is a symbolic link: refused", path);
					e = EPERM;
				} else {
					seterr(err, "can't open %s: %s%s", path, strerror(e),
					       e == EACCES ? " (it belongs to another user; choose other names "
							     "with UDIG_RING/UDIG_DESCS)" : "");
				}
				errno = e;
				return -1;
			}
		}
		fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, r->mode);
		if (fd >= 0) {
			/* open applied the umask; the mode must be exactly ours. */
			if (fchmod(fd, r->mode) < 0) {
				int e = errno;
				seterr(err, "can't set the mode of %s: %s", path, strerror(e));
				close(fd);
				unlink(path);
				errno = e;
				return -1;
			}
			*created = 1;
			return fd;
		}
		if (errno != EEXIST || r->create == UDIG_SHM_CREATE_NEW) {
			int e = errno;
			seterr(err, "can't create %s: %s", path, strerror(e));
			errno = e;
			return -1;
		}
	}
	seterr(err, "%s keeps appearing and disappearing", path);
	errno = EAGAIN;
	return -1;
}

void *udig_shm_map_fd(int fd, const struct udig_shm_req *r, int created, char *err)
{
	struct stat st;
	for (int waited = 0;; waited++) {
		if (fstat(fd, &st) < 0) {
			int e = errno;
			seterr(err, "can't stat %s: %s", r->name, strerror(e));
			errno = e;
			return NULL;
		}
		/* Before the first byte: the object must be one we may trust. */
		enum udig_shm_distrust why = udig_shm_judge(&st, geteuid(), r->shared_ok || created);
		if (why != UDIG_SHM_TRUSTED) {
			udig_shm_distrust_msg(why, r->name, &st, err);
			errno = EPERM;
			return NULL;
		}
		/* A creator sizes the object right after creating it; give it a
		 * moment, then size it ourselves (same size: harmless if both do). */
		if (st.st_size != 0 || created || waited >= 50)
			break;
		sleep_ms(2);
	}
	if (st.st_size == 0) {
		if (ftruncate(fd, (off_t)r->size) < 0) {
			int e = errno;
			seterr(err, "can't size %s to %zu bytes: %s", r->name, r->size, strerror(e));
			errno = e;
			return NULL;
		}
	} else if ((size_t)st.st_size != r->size) {
		seterr(err, "%s is %lld bytes, expected %zu (the udig protocol fixes the size); remove it or use "
			    "other names",
		       r->name, (long long)st.st_size, r->size);
		errno = EINVAL;
		return NULL;
	}
	void *p = mmap(NULL, r->size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		int e = errno;
		seterr(err, "can't map %s: %s", r->name, strerror(e));
		errno = e;
		return NULL;
	}
	return p;
}

void *udig_shm_attach(const struct udig_shm_req *r, int *created, char *err)
{
	char path[300];
	*created = 0;
	if (!valid_name(r->name) || udig_shm_path(r->name, path, sizeof path) < 0) {
		seterr(err, "invalid shared memory object name '%s' (one path component expected)", r->name);
		errno = EINVAL;
		return NULL;
	}
	int fd = open_or_create(r, path, created, err);
	if (fd < 0)
		return NULL;
	struct udig_shm_req named = *r;
	named.name = path;
	void *p = udig_shm_map_fd(fd, &named, *created, err);
	int e = errno;
	/* The mapping keeps the object; the fd would only shift the traced
	 * program's descriptor numbers. */
	close(fd);
	if (!p && *created) {
		unlink(path);
		*created = 0;
	}
	errno = e;
	return p;
}
