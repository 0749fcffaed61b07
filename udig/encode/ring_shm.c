/* Finding, creating and mapping the udig shm objects (see ring_shm.h). */
#include "ring_shm.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
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

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

/* Opens, creating if absent; the loop absorbs the window in which another
 * process created the object (our O_EXCL fails) or removed it (our plain
 * open fails) between our two attempts. */
static int open_or_create(const char *name, mode_t mode, int *created, char *err)
{
	for (int attempt = 0; attempt < 100; attempt++) {
		int fd = shm_open(name, O_RDWR, 0);
		if (fd >= 0) {
			*created = 0;
			return fd;
		}
		if (errno != ENOENT) {
			seterr(err, "can't open shared memory object %s: %s%s", name, strerror(errno),
			       errno == EACCES ? " (it belongs to another user; choose other names with "
						 "UDIG_RING/UDIG_DESCS)" : "");
			return -1;
		}
		fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, mode);
		if (fd >= 0) {
			/* shm_open applied the umask; the mode must be exactly ours. */
			if (fchmod(fd, mode) < 0) {
				seterr(err, "can't set the mode of %s: %s", name, strerror(errno));
				close(fd);
				return -1;
			}
			*created = 1;
			return fd;
		}
		if (errno != EEXIST) {
			seterr(err, "can't create shared memory object %s: %s", name, strerror(errno));
			return -1;
		}
	}
	seterr(err, "shared memory object %s keeps appearing and disappearing", name);
	return -1;
}

void *udig_shm_attach(const char *name, size_t size, mode_t mode, int *created, char *err)
{
	int fd = open_or_create(name, mode, created, err);
	if (fd < 0)
		return NULL;
	struct stat st;
	for (int waited = 0;; waited++) {
		if (fstat(fd, &st) < 0) {
			seterr(err, "can't stat %s: %s", name, strerror(errno));
			close(fd);
			return NULL;
		}
		/* A creator sizes the object right after creating it; give it a
		 * moment, then size it ourselves (same size: harmless if both do). */
		if (st.st_size != 0 || *created || waited >= 50)
			break;
		sleep_ms(2);
	}
	if (st.st_size == 0) {
		if (ftruncate(fd, (off_t)size) < 0) {
			seterr(err, "can't size %s to %zu bytes: %s", name, size, strerror(errno));
			close(fd);
			return NULL;
		}
	} else if ((size_t)st.st_size != size) {
		seterr(err, "shared memory object %s is %lld bytes, expected %zu (the udig protocol fixes "
			    "the size); remove it or use other names",
		       name, (long long)st.st_size, size);
		close(fd);
		return NULL;
	}
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	int e = errno;
	/* The mapping keeps the object; the fd would only shift the traced
	 * program's descriptor numbers. */
	close(fd);
	if (p == MAP_FAILED) {
		seterr(err, "can't map %s: %s", name, strerror(e));
		return NULL;
	}
	return p;
}
