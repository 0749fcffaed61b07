/*
 * The facts behind a set-ID decision (see setid.h): the file an exec
 * would load, found the way the kernel finds it, and a thread's
 * credentials.  Files are opened O_PATH, so an execute-only program
 * (mode 4711) can be looked at too.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/xattr.h>

#include "inject/procfs.h"
#include "inject/setid.h"

/* binfmt_script's limit on nested interpreters (BINPRM_MAX_RECURSION). */
#define MAX_DEPTH 4
/* The kernel reads a #! line of at most this much (BINPRM_BUF_SIZE). */
#define HEAD 256

/* rootfd the same directory as our own root? */
static int same_root(int rootfd)
{
	struct stat a, b;
	return fstat(rootfd, &a) == 0 && stat("/", &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

int inj_setid_open(int rootfd, int dirfd, const char *path, int at_flags)
{
	int oflags = O_PATH | O_CLOEXEC | ((at_flags & AT_SYMLINK_NOFOLLOW) ? O_NOFOLLOW : 0);
	int fd;

	if (!path[0]) {
		if (!(at_flags & AT_EMPTY_PATH))
			return -ENOENT;
		fd = openat(dirfd, ".", O_PATH | O_CLOEXEC);
		/* dirfd is the file itself (fexecve): reopen what it names. */
		if (fd < 0 && errno == ENOTDIR) {
			char self[64];
			snprintf(self, sizeof self, "/proc/self/fd/%d", dirfd);
			fd = open(self, O_PATH | O_CLOEXEC);
		}
		return fd < 0 ? -errno : fd;
	}
	if (path[0] == '/' && rootfd >= 0 && !same_root(rootfd)) {
		/* Another root (chroot): absolute names and symlinks stay in it. */
		struct open_how how;
		memset(&how, 0, sizeof how);
		how.flags = (uint64_t)oflags;
		how.resolve = RESOLVE_IN_ROOT;
		fd = (int)syscall(SYS_openat2, rootfd, path, &how, sizeof how);
	} else {
		/* Relative names from dirfd: a symlink to an absolute name
		 * resolves in our root, the same one but under chroot. */
		fd = openat(dirfd, path, oflags);
	}
	return fd < 0 ? -errno : fd;
}

/* The interpreter named by a #! line in head (n bytes), into out. */
static int interpreter(const char *head, size_t n, char *out, size_t len)
{
	size_t i = 2, j;

	while (i < n && (head[i] == ' ' || head[i] == '\t'))
		i++;
	for (j = i; j < n && head[j] != ' ' && head[j] != '\t' && head[j] != '\n' && head[j]; j++)
		;
	if (j == i || j - i >= len)
		return -1;
	memcpy(out, head + i, j - i);
	out[j - i] = 0;
	return 0;
}

/* The first bytes of the file behind an O_PATH fd (needs read access:
 * an interpreter reads its script, so a script is readable). */
static ssize_t head_of(int fd, char *buf, size_t len)
{
	char self[64];
	ssize_t n;
	int rfd;

	snprintf(self, sizeof self, "/proc/self/fd/%d", fd);
	rfd = open(self, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (rfd < 0)
		return -1;
	n = pread(rfd, buf, len, 0);
	close(rfd);
	return n;
}

static int facts(int fd, int rootfd, int cwdfd, struct inj_setid_file *f, char *real, size_t reallen, int depth)
{
	char self[64], head[HEAD], interp[HEAD];
	unsigned char caps[64];
	struct statvfs vfs;
	struct stat st;
	ssize_t n;

	if (fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -EACCES;   /* the exec fails by itself */
	n = head_of(fd, head, sizeof head);
	if (n >= 2 && head[0] == '#' && head[1] == '!') {
		/* Linux ignores the bits of scripts: the interpreter's count. */
		int ifd, r;
		if (depth >= MAX_DEPTH || interpreter(head, (size_t)n, interp, sizeof interp) < 0)
			return -ENOEXEC;
		ifd = inj_setid_open(rootfd, cwdfd, interp, 0);
		if (ifd < 0)
			return ifd;
		r = facts(ifd, rootfd, cwdfd, f, real, reallen, depth + 1);
		close(ifd);
		return r;
	}
	memset(f, 0, sizeof *f);
	f->mode = st.st_mode;
	f->uid = st.st_uid;
	f->gid = st.st_gid;
	f->nosuid = fstatvfs(fd, &vfs) == 0 && (vfs.f_flag & ST_NOSUID);
	snprintf(self, sizeof self, "/proc/self/fd/%d", fd);
	n = getxattr(self, "security.capability", caps, sizeof caps);
	if (n > 0)
		inj_setid_parse_fcaps(caps, (size_t)n, f);
	if (real && reallen) {
		n = readlink(self, real, reallen - 1);
		real[n > 0 ? n : 0] = 0;
	}
	return 0;
}

int inj_setid_facts(int fd, int rootfd, int cwdfd, struct inj_setid_file *f, char *real, size_t reallen)
{
	return facts(fd, rootfd, cwdfd, f, real, reallen, 0);
}

int inj_setid_creds_of(pid_t tid, struct inj_setid_creds *c)
{
	char path[64], text[16384];  /* long Groups: lines */

	if (tid > 0)
		snprintf(path, sizeof path, "/proc/%d/status", (int)tid);
	else
		snprintf(path, sizeof path, "/proc/thread-self/status");
	if (inj_read_text(path, text, sizeof text) < 0)
		return -1;
	return inj_setid_parse_status(text, c);
}
