/*
 * The /proc scanner: machine info and the walk over every visible process
 * and thread, or over one process's line of ancestors.  Field extraction
 * lives in procscan/thread.c, fds in procscan/fds.c, sockets in
 * procscan/net.c, users and interfaces in their own files.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "procscan-int.h"

ssize_t ps_read(const char *path, char *buf, size_t cap)
{
	size_t len = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	while (len + 1 < cap) {
		ssize_t r = read(fd, buf + len, cap - 1 - len);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			close(fd);
			return -1;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	close(fd);
	buf[len] = 0;
	return (ssize_t)len;
}

ssize_t ps_readlink(const char *path, char *buf, size_t cap)
{
	ssize_t r = readlink(path, buf, cap - 1);
	if (r < 0) {
		buf[0] = 0;
		return -1;
	}
	buf[r] = 0;
	return r;
}

/* The thread group (process) of tid, from /proc/<tid>/status; -1 when
 * there is no such thread (/proc/<tid> also resolves for threads that are
 * not group leaders, though it is not listed). */
int64_t ps_tgid(int64_t tid)
{
	char path[64], buf[1024];
	snprintf(path, sizeof path, "/proc/%lld/status", (long long)tid);
	if (ps_read(path, buf, sizeof buf) <= 0)
		return -1;
	const char *s = strstr(buf, "\nTgid:");
	return s ? strtoll(s + 6, NULL, 10) : -1;
}

int procscan_machine(struct udig_machine_info *mi, char *err)
{
	char buf[64];
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	long pages = sysconf(_SC_PHYS_PAGES);
	long psize = sysconf(_SC_PAGESIZE);

	memset(mi, 0, sizeof *mi);
	if (ncpu <= 0) {
		udig_errf(err, "can't count the online cpus: %s", strerror(errno));
		return UDIG_FAILURE;
	}
	mi->num_cpus = (uint32_t)ncpu;
	if (pages > 0 && psize > 0)
		mi->memory_size_bytes = (uint64_t)pages * (uint64_t)psize;
	if (gethostname(mi->hostname, sizeof mi->hostname - 1) != 0)
		mi->hostname[0] = 0;
	mi->hostname[sizeof mi->hostname - 1] = 0;
	if (ps_read("/proc/sys/kernel/pid_max", buf, sizeof buf) > 0)
		mi->max_pid = strtoull(buf, NULL, 10);
	return UDIG_OK;
}

/* All digits: a pid or tid directory. */
static int numeric(const char *s, int64_t *v)
{
	char *end;
	if (*s < '0' || *s > '9')
		return 0;
	errno = 0;
	long long n = strtoll(s, &end, 10);
	if (*end || errno)
		return 0;
	*v = n;
	return 1;
}

/* libscap decides the cgroup layout once: cgroup2 known to the kernel. */
static int cgroup_v2_known(void)
{
	char buf[4096];
	if (ps_read("/proc/filesystems", buf, sizeof buf) < 0)
		return 0;
	return strstr(buf, "cgroup2") != NULL;
}

/* One process: its main thread, its fds, then its other threads. */
static int scan_process(struct pscan_ctx *cx, struct udig_tables *t, int64_t pid)
{
	char dir[64], taskdir[64], tdir[96];
	struct dirent *de;
	DIR *d;
	int rc;

	snprintf(dir, sizeof dir, "/proc/%lld/", (long long)pid);
	rc = pscan_thread(cx, t, dir, pid);
	if (rc <= 0)
		return rc; /* kernel thread, vanished, or out of memory */
	if (pscan_fds(cx, t, dir, pid) < 0)
		return -1;

	snprintf(taskdir, sizeof taskdir, "/proc/%lld/task", (long long)pid);
	d = opendir(taskdir);
	if (!d)
		return 1; /* exited meanwhile: keep what we have */
	while ((de = readdir(d)) != NULL) {
		int64_t tid;
		if (!numeric(de->d_name, &tid) || tid == pid)
			continue;
		snprintf(tdir, sizeof tdir, "%s/%lld/", taskdir, (long long)tid);
		if (pscan_thread(cx, t, tdir, tid) < 0) {
			closedir(d);
			return -1;
		}
	}
	closedir(d);
	return 1;
}

static void ctx_init(struct pscan_ctx *cx, int proc_dirfd)
{
	memset(cx, 0, sizeof *cx);
	cx->cgroup_v2 = cgroup_v2_known();
	cx->euid = geteuid();
	cx->self_pid = getpid();
	cx->proc_dirfd = proc_dirfd;
}

int procscan_threads(struct udig_tables *t, char *err)
{
	struct pscan_ctx cx;
	struct dirent *de;
	DIR *d = opendir("/proc");
	int rc = UDIG_OK;

	if (!d) {
		udig_errf(err, "can't open /proc: %s", strerror(errno));
		return UDIG_FAILURE;
	}
	ctx_init(&cx, dirfd(d));
	while ((de = readdir(d)) != NULL) {
		int64_t pid;
		if (!numeric(de->d_name, &pid))
			continue;
		/* A tid already present came in through its process's task list. */
		if (tables_thread_get(t, pid))
			continue;
		if (scan_process(&cx, t, pid) < 0) {
			udig_errf(err, "out of memory scanning /proc");
			rc = UDIG_FAILURE;
			break;
		}
	}
	closedir(d);
	pscan_net_free(&cx);
	return rc;
}

int procscan_ancestry(struct udig_tables *t, int64_t pid, char *err)
{
	struct pscan_ctx cx;
	int rc = UDIG_OK;

	ctx_init(&cx, -1);
	pid = ps_tgid(pid); /* a thread's line is its process's */
	/* Up the parent links the scan itself reads.  Ids reused into a loop
	 * while we walk end at a process already in the table; a parent
	 * outside our pid namespace reads as 0; a parent that exited
	 * meanwhile ends the line where it is.  pid itself comes whole, with
	 * its threads and fds (a child it starts inherits them); of an
	 * ancestor, only what names it in a line of ancestry: its main
	 * thread. */
	for (int depth = 0; depth < 4096 && pid > 0 && !tables_thread_get(t, pid); depth++) {
		char dir[64];
		int r;
		const struct thread_entry *te;
		if (depth == 0) {
			r = scan_process(&cx, t, pid);
		} else {
			snprintf(dir, sizeof dir, "/proc/%lld/", (long long)pid);
			r = pscan_thread(&cx, t, dir, pid);
		}
		if (r < 0) {
			udig_errf(err, "out of memory scanning /proc");
			rc = UDIG_FAILURE;
			break;
		}
		te = r > 0 ? tables_thread_get(t, pid) : NULL;
		if (!te || te->ti.ptid == pid)
			break;
		pid = te->ti.ptid;
	}
	pscan_net_free(&cx);
	return rc;
}

/* Does pid's process descend from anc?  Walks the parents the scan read;
 * a chain that leaves the table (a parent gone, or not visible) or runs
 * long (ids reused into a loop) is not anc's. */
static int descends_from(const struct udig_tables *t, int64_t pid, int64_t anc)
{
	for (int depth = 0; depth < 1024 && pid > 0 && pid != anc; depth++) {
		const struct thread_entry *p = tables_thread_get(t, pid);
		if (!p)
			return 0;
		if (p->ti.ptid == anc)
			return 1;
		pid = p->ti.ptid;
	}
	return 0;
}

void procscan_drop_descendants(struct udig_tables *t, int64_t anc)
{
	struct thread_entry *te, *tmp;
	int64_t *drop = NULL;
	size_t n = 0, cap = 0;
	/* Decided on the whole table first: removing as we go would cut the
	 * chains of the grandchildren still to be looked at. */
	HASH_ITER(hh, t->threads, te, tmp) {
		if (!descends_from(t, te->ti.pid, anc))
			continue;
		if (n == cap) {
			size_t nc = cap ? cap * 2 : 16;
			int64_t *p = realloc(drop, nc * sizeof *p);
			if (!p)
				break; /* kept: they are described again by their events */
			drop = p;
			cap = nc;
		}
		drop[n++] = te->ti.tid;
	}
	for (size_t i = 0; i < n; i++)
		tables_thread_remove(t, drop[i]);
	free(drop);
}
