/*
 * Internals of the /proc scanner: small file helpers, one thread's fields,
 * one process's fds, and the socket tables of /proc/<pid>/net.
 *
 * The scanner fills the tables the way libscap's own /proc scan does, so
 * that sysdig shows the same proc.* and fd.* values for a file we write as
 * for one it writes itself.  It runs unprivileged: what another user's
 * process hides (exe link, cwd, environ, fds) is simply left empty.
 */
#ifndef UDIG_PROCSCAN_INT_H
#define UDIG_PROCSCAN_INT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "../capture-int.h"

/* Limits of the reference's per-thread buffers (SCAP_MAX_*). */
#define PS_MAX_PATH 1024
#define PS_MAX_ARGS 4096
#define PS_MAX_ENV 4096
#define PS_MAX_CGROUPS 4096

/* Reads up to cap-1 bytes of a (proc) file and NUL-terminates them;
 * returns the byte count, or -1 when it cannot be opened or read. */
ssize_t ps_read(const char *path, char *buf, size_t cap);
/* readlink with NUL termination; returns the length or -1. */
ssize_t ps_readlink(const char *path, char *buf, size_t cap);
/* The process of thread tid (/proc/<tid>/status Tgid); -1 when gone. */
int64_t ps_tgid(int64_t tid);

/* Scan-wide settings and caches. */
struct pscan_net;
struct pscan_ctx {
	int cgroup_v2;          /* /proc/filesystems lists cgroup2 */
	uid_t euid;
	struct pscan_net *net;  /* socket tables by network namespace */
	/* The scanner's own directory streams are fds of this process while
	 * it scans itself; they are not part of its state and are left out. */
	int64_t self_pid;
	int proc_dirfd;
};

/* One thread read from dir ("/proc/<pid>/" or "/proc/<pid>/task/<tid>/").
 * Returns 1 and adds it to t, 0 when it is a kernel thread or vanished,
 * -1 when memory ran out. */
int pscan_thread(struct pscan_ctx *cx, struct udig_tables *t, const char *dir, int64_t tid);

/* The fds of process pid (its main thread's table) from dir/fd. */
int pscan_fds(struct pscan_ctx *cx, struct udig_tables *t, const char *dir, int64_t pid);

/* Socket lookup by inode in the network namespace netns, whose tables are
 * read from dir/net/ the first time.  NULL when not found. */
const struct udig_fdinfo *pscan_net_lookup(struct pscan_ctx *cx, const char *dir, uint64_t netns, uint64_t ino);
void pscan_net_free(struct pscan_ctx *cx);

#endif
