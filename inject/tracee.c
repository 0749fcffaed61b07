/* udig_tracee_ops for a tracer or supervisor in another process. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>

#include "inject/procfs.h"
#include "inject/tracee.h"

#define PAGE 4096u
/* Remote iovecs per process_vm_readv call: the kernel reports partial
 * transfers per iovec, so splitting at page boundaries makes a read that
 * runs into an unmapped page return what precedes it. */
#define IOV_PAGES 16

long inj_read_mem(pid_t tid, void *dst, uint64_t addr, size_t len)
{
	size_t done = 0;

	while (done < len) {
		struct iovec local, remote[IOV_PAGES];
		size_t want = 0;
		unsigned n = 0;
		ssize_t r;
		uint64_t a = addr + done;

		while (n < IOV_PAGES && done + want < len) {
			size_t chunk = PAGE - (size_t)(a % PAGE);
			if (chunk > len - done - want)
				chunk = len - done - want;
			remote[n].iov_base = (void *)(uintptr_t)a;
			remote[n].iov_len = chunk;
			n++;
			a += chunk;
			want += chunk;
		}
		local.iov_base = (uint8_t *)dst + done;
		local.iov_len = want;
		r = process_vm_readv(tid, &local, 1, remote, n, 0);
		if (r < 0)
			return done > 0 ? (long)done : -1;
		done += (size_t)r;
		if ((size_t)r < want)
			break;
	}
	return (long)done;
}

void inj_pidfds_init(struct inj_pidfds *c)
{
	unsigned i;
	memset(c, 0, sizeof *c);
	for (i = 0; i < INJ_PIDFD_SLOTS; i++)
		c->slot[i].fd = -1;
}

void inj_pidfds_close(struct inj_pidfds *c)
{
	unsigned i;
	for (i = 0; i < INJ_PIDFD_SLOTS; i++) {
		if (c->slot[i].fd >= 0)
			close(c->slot[i].fd);
		c->slot[i].fd = -1;
		c->slot[i].tgid = 0;
	}
}

void inj_pidfds_forget(struct inj_pidfds *c, pid_t tgid)
{
	unsigned i;
	for (i = 0; i < INJ_PIDFD_SLOTS; i++)
		if (c->slot[i].fd >= 0 && c->slot[i].tgid == tgid) {
			close(c->slot[i].fd);
			c->slot[i].fd = -1;
			c->slot[i].tgid = 0;
		}
}

static int pidfd_for(struct inj_pidfds *c, pid_t tgid)
{
	unsigned i, victim = 0;
	int fd;

	for (i = 0; i < INJ_PIDFD_SLOTS; i++)
		if (c->slot[i].fd >= 0 && c->slot[i].tgid == tgid) {
			c->slot[i].used = ++c->clock;
			return c->slot[i].fd;
		}
	fd = (int)syscall(SYS_pidfd_open, tgid, 0);
	if (fd < 0)
		return -errno;
	/* Least recently used slot (an empty one has used == 0). */
	for (i = 1; i < INJ_PIDFD_SLOTS; i++)
		if (c->slot[i].used < c->slot[victim].used)
			victim = i;
	if (c->slot[victim].fd >= 0)
		close(c->slot[victim].fd);
	c->slot[victim].fd = fd;
	c->slot[victim].tgid = tgid;
	c->slot[victim].used = ++c->clock;
	return fd;
}

/* A local duplicate of the tracee's fd, or -errno.  A cached pidfd of a
 * process that has died (and whose pid was reused) fails with ESRCH: open
 * a fresh one once. */
static int steal_fd(struct inj_tracee *t, int fd)
{
	int attempt;
	for (attempt = 0; attempt < 2; attempt++) {
		int pidfd = pidfd_for(t->pidfds, t->tgid), local;
		if (pidfd < 0)
			return pidfd;
		local = (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0);
		if (local >= 0)
			return local;
		if (errno != ESRCH)
			return -errno;
		inj_pidfds_forget(t->pidfds, t->tgid);
	}
	return -ESRCH;
}

static long op_read_mem(void *ctx, void *dst, uint64_t addr, size_t len)
{
	struct inj_tracee *t = ctx;
	t->reached++;
	return inj_read_mem(t->tid, dst, addr, len);
}

static int op_sock_name(void *ctx, int fd, int peer, struct sockaddr_storage *ss, uint32_t *len)
{
	struct inj_tracee *t = ctx;
	socklen_t sl = sizeof *ss;
	int local, r;
	t->reached++;
	local = steal_fd(t, fd);
	if (local < 0)
		return local;
	r = peer ? getpeername(local, (struct sockaddr *)ss, &sl) : getsockname(local, (struct sockaddr *)ss, &sl);
	r = r < 0 ? -errno : 0;
	close(local);
	if (r == 0)
		*len = sl;
	return r;
}

static int op_fd_stat(void *ctx, int fd, uint64_t *dev, uint64_t *ino)
{
	struct inj_tracee *t = ctx;
	struct stat st;
	int local, r;
	t->reached++;
	local = steal_fd(t, fd);
	if (local < 0)
		return local;
	r = fstat(local, &st) < 0 ? -errno : 0;
	close(local);
	if (r == 0) {
		*dev = st.st_dev;
		*ino = st.st_ino;
	}
	return r;
}

void inj_tracee_init(struct inj_tracee *t, pid_t tid, pid_t tgid, struct inj_pidfds *c)
{
	t->tid = tid;
	t->tgid = tgid;
	t->pidfds = c;
	t->reached = 0;
	snprintf(t->procdir, sizeof t->procdir, "/proc/%d", (int)tid);
	t->ops.read_mem = op_read_mem;
	t->ops.sock_name = op_sock_name;
	t->ops.fd_stat = op_fd_stat;
	t->ops.procdir = t->procdir;
}

pid_t inj_tgid_of(pid_t tid)
{
	char path[48], buf[1024];
	const char *p;

	snprintf(path, sizeof path, "/proc/%d/status", (int)tid);
	if (inj_read_text(path, buf, sizeof buf) < 0)
		return -1;
	p = strstr(buf, "\nTgid:");
	return p ? (pid_t)strtol(p + 6, NULL, 10) : -1;
}
