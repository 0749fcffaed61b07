/* See image.h.  Mirrors what ld.so and libudig's constructor will decide. */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <udig/ring.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "inject/image.h"

/* /proc/PID/environ of a process at its exec stop; bigger is cut here
 * (the kernel caps argv + envp at a quarter of the stack limit anyway). */
#define ENV_MAX (32u << 20)

void inj_preload_lib_init(struct inj_preload_lib *l, const char *path)
{
	struct stat st;

	memset(l, 0, sizeof *l);
	l->path = path;
	if (!realpath(path, l->real))
		l->real[0] = 0;
	if (stat(path, &st) == 0) {
		l->dev = st.st_dev;
		l->ino = st.st_ino;
		l->have_id = 1;
	}
}

static int same_file(const struct inj_preload_lib *l, const char *name, size_t n)
{
	char buf[PATH_MAX];
	struct stat st;

	if ((strlen(l->path) == n && memcmp(l->path, name, n) == 0) ||
	    (l->real[0] && strlen(l->real) == n && memcmp(l->real, name, n) == 0))
		return 1;
	/* Another absolute name of the same file (a symlink, a bind mount).
	 * Relative names depend on the tracee's cwd: not worth guessing. */
	if (!l->have_id || n == 0 || name[0] != '/' || n >= sizeof buf)
		return 0;
	memcpy(buf, name, n);
	buf[n] = 0;
	return stat(buf, &st) == 0 && st.st_dev == l->dev && st.st_ino == l->ino;
}

/* ld.so splits LD_PRELOAD at spaces and colons. */
static int lists(const struct inj_preload_lib *l, const char *v)
{
	while (*v) {
		size_t n = strcspn(v, ": ");
		if (n > 0 && same_file(l, v, n))
			return 1;
		v += n;
		if (*v)
			v++;
	}
	return 0;
}

static ssize_t read_file(const char *path, char **out)
{
	size_t cap = 16384, len = 0;
	char *buf = malloc(cap + 1);
	int fd;

	*out = NULL;
	if (!buf)
		return -1;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		free(buf);
		return -1;
	}
	for (;;) {
		ssize_t n;
		if (len == cap) {
			char *nb;
			if (cap >= ENV_MAX)
				break;
			nb = realloc(buf, cap * 2 + 1);
			if (!nb)
				break;
			buf = nb;
			cap *= 2;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = 0;
	*out = buf;
	return (ssize_t)len;
}

static void read_auxv(pid_t pid, struct inj_image *im)
{
	char path[48];
	Elf64_auxv_t av[64];
	ssize_t n;
	size_t i;
	int fd;

	snprintf(path, sizeof path, "/proc/%d/auxv", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = read(fd, av, sizeof av);
	close(fd);
	for (i = 0; n > 0 && i < (size_t)n / sizeof av[0]; i++) {
		if (av[i].a_type == AT_NULL)
			break;
		if (av[i].a_type == AT_BASE && av[i].a_un.a_val != 0)
			im->dynamic = 1;
		if (av[i].a_type == AT_SECURE && av[i].a_un.a_val != 0)
			im->secure = 1;
	}
}

/* `ld.so PROGRAM` has no interpreter of its own (AT_BASE 0) but is the
 * loader, and it honours LD_PRELOAD. */
static int is_loader(pid_t pid)
{
	char path[48], exe[PATH_MAX];
	const char *base;
	ssize_t n;

	snprintf(path, sizeof path, "/proc/%d/exe", (int)pid);
	n = readlink(path, exe, sizeof exe - 1);
	if (n <= 0)
		return 0;
	exe[n] = 0;
	base = strrchr(exe, '/');
	base = base ? base + 1 : exe;
	return strncmp(base, "ld-linux", 8) == 0 || strncmp(base, "ld.so", 5) == 0 ||
	       strncmp(base, "ld64.so", 7) == 0;
}

static void read_env(pid_t pid, const struct inj_preload_lib *l, struct inj_image *im)
{
	char path[48], *env, *e, *end;
	const char *preload = NULL;
	int intercept_seen = 0;
	ssize_t n;

	snprintf(path, sizeof path, "/proc/%d/environ", (int)pid);
	n = read_file(path, &env);
	if (n <= 0) {
		free(env);
		return;
	}
	end = env + n;
	for (e = env; e < end; e += strlen(e) + 1) {
		if (strncmp(e, "LD_PRELOAD=", 11) == 0) {
			preload = e + 11;   /* ld.so takes the last one */
		} else if (strncmp(e, "UDIG_INTERCEPT=", 15) == 0 && !intercept_seen) {
			intercept_seen = 1; /* getenv takes the first */
			im->intercept_off = strcmp(e + 15, "off") == 0;
		} else if (strncmp(e, UDIG_ENV_EXEC_MARK, sizeof UDIG_ENV_EXEC_MARK - 1) == 0) {
			/* libudig's up_exec_scan(): every marker naming this pid
			 * and an exec syscall counts, the last one wins. */
			char *q;
			long mpid = strtol(e + 15, &q, 10);
			long nr = *q == ':' ? strtol(q + 1, NULL, 10) : 0;
			if (mpid == (long)pid && (nr == SYS_execve || nr == SYS_execveat))
				im->mark_nr = nr;
		}
	}
	if (preload)
		im->lists_lib = lists(l, preload);
	free(env);
}

void inj_image_inspect(pid_t pid, const struct inj_preload_lib *l, struct inj_image *im)
{
	memset(im, 0, sizeof *im);
	read_auxv(pid, im);
	if (!im->dynamic)
		im->dynamic = is_loader(pid);
	read_env(pid, l, im);
	im->preloaded = im->dynamic && !im->secure && im->lists_lib && !im->intercept_off;
}
