/*
 * One thread's process-table fields, read from /proc/<pid>/ (main thread)
 * or /proc/<pid>/task/<tid>/ the way libscap's /proc scan reads them:
 *
 *   comm      first word of "Name:" in status (libscap scans it with %s)
 *   exe       argv[0];  args = argv[1..], NUL-separated (cmdline, < 4096 bytes)
 *   exepath   readlink(exe);  cwd, root = readlink, no trailing '/'
 *   env       environ, first 4096 bytes
 *   uid/gid   effective ids;  ptid = PPid;  pid = Tgid
 *   vtid/vpid last-but-one NSpid/NStgid entry (the namespace view), else tid/pid
 *   sid, vpgid, tty from stat (vpgid: NSpgid when present)
 *   clone_ts  the change time of the /proc directory (libscap's guess at the
 *             start: proc.duration of a thread older than the capture)
 *   vm sizes  VmSize/VmRSS/VmSwap;  page faults: majflt/minflt of stat
 *   fdlimit   soft RLIMIT_NOFILE (prlimit, else /proc/<pid>/limits), -1 unknown
 *   cgroups   "subsys=path" per controller; the unified (v2) line becomes
 *             cpu, memory and cpuset entries, as libscap writes it (this
 *             libscap version keeps the line's '\n' in those three paths)
 *   loginuid  -1 when unset;  flags CLONE_THREAD|CLONE_FILES for non-main
 *             threads, so that readers share the main thread's fd table
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include "procscan-int.h"

struct thread_bufs {
	char comm[PS_MAX_PATH + 1];
	char exe[PS_MAX_PATH + 1];
	char exepath[PS_MAX_PATH + 1];
	char cwd[PS_MAX_PATH + 1];
	char root[PS_MAX_PATH + 1];
	char args[PS_MAX_ARGS];
	char env[PS_MAX_ENV + 1];
	char cgroups[PS_MAX_CGROUPS];
	char tmp[PS_MAX_ENV + 1];
};

static void path_of(char *out, size_t cap, const char *dir, const char *name)
{
	snprintf(out, cap, "%s%s", dir, name);
}

/* The value after a "Key:" line prefix, or NULL. */
static const char *status_field(const char *line, const char *key)
{
	size_t kl = strlen(key);
	return strncmp(line, key, kl) == 0 ? line + kl : NULL;
}

/* The second whitespace-separated number (the effective id of Uid/Gid,
 * or the first namespace-nested id of NSpid/NStgid/NSpgid). */
static int second_number(const char *s, int64_t *v)
{
	char *end;
	strtoll(s, &end, 10);
	if (end == s)
		return 0;
	s = end;
	while (*s == ' ' || *s == '\t')
		s++;
	if (*s < '0' || *s > '9')
		return 0;
	*v = strtoll(s, &end, 10);
	return 1;
}

/* status: Name, Tgid, Uid, Gid, PPid, Vm*, NS*.  Returns 0 if unreadable. */
static int read_status(const char *dir, struct udig_threadinfo *ti, struct thread_bufs *b, int64_t *vpgid)
{
	char path[128];
	char *line, *next;
	int64_t v;

	path_of(path, sizeof path, dir, "status");
	if (ps_read(path, b->tmp, sizeof b->tmp) <= 0)
		return 0;
	for (line = b->tmp; line && *line; line = next) {
		const char *val;
		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		if ((val = status_field(line, "Name:")) != NULL) {
			while (*val == ' ' || *val == '\t')
				val++;
			size_t n = strcspn(val, " \t");
			if (n > PS_MAX_PATH)
				n = PS_MAX_PATH;
			memcpy(b->comm, val, n);
			b->comm[n] = 0;
		} else if ((val = status_field(line, "Tgid:")) != NULL) {
			ti->pid = strtoll(val, NULL, 10);
		} else if ((val = status_field(line, "PPid:")) != NULL) {
			ti->ptid = strtoll(val, NULL, 10);
		} else if ((val = status_field(line, "Uid:")) != NULL) {
			if (second_number(val, &v))
				ti->uid = (uint32_t)v;
		} else if ((val = status_field(line, "Gid:")) != NULL) {
			if (second_number(val, &v))
				ti->gid = (uint32_t)v;
		} else if ((val = status_field(line, "VmSize:")) != NULL) {
			ti->vmsize_kb = (uint32_t)strtoul(val, NULL, 10);
		} else if ((val = status_field(line, "VmRSS:")) != NULL) {
			ti->vmrss_kb = (uint32_t)strtoul(val, NULL, 10);
		} else if ((val = status_field(line, "VmSwap:")) != NULL) {
			ti->vmswap_kb = (uint32_t)strtoul(val, NULL, 10);
		} else if ((val = status_field(line, "NSpid:")) != NULL) {
			if (second_number(val, &v))
				ti->vtid = v;
		} else if ((val = status_field(line, "NStgid:")) != NULL) {
			if (second_number(val, &v))
				ti->vpid = v;
		} else if ((val = status_field(line, "NSpgid:")) != NULL) {
			if (second_number(val, &v))
				*vpgid = v;
		}
	}
	return 1;
}

/* stat: session, process group and page faults after the "(comm)" field. */
static void read_stat(const char *dir, struct udig_threadinfo *ti, struct thread_bufs *b, int64_t vpgid)
{
	char path[128], state;
	long long ppid, pgid, sid, tpgid;
	int tty;
	unsigned long flags;
	unsigned long long minflt, cminflt, majflt;
	const char *s;

	path_of(path, sizeof path, dir, "stat");
	if (ps_read(path, b->tmp, sizeof b->tmp) <= 0)
		return;
	s = strrchr(b->tmp, ')');
	if (!s || sscanf(s + 1, " %c %lld %lld %lld %d %lld %lu %llu %llu %llu", &state, &ppid, &pgid,
			 &sid, &tty, &tpgid, &flags, &minflt, &cminflt, &majflt) != 10)
		return;
	ti->sid = sid;
	ti->tty = tty;
	ti->vpgid = vpgid >= 0 ? vpgid : pgid;
	ti->pfminor = minflt;
	ti->pfmajor = majflt;
}

/* cmdline: argv[0] is exe, the rest (each NUL-terminated) are the args.
 * Returns the bytes read (0: empty, -1: unreadable). */
static ssize_t read_cmdline(const char *dir, struct udig_threadinfo *ti, struct thread_bufs *b)
{
	char path[128];
	ssize_t n;
	size_t exe_len;

	path_of(path, sizeof path, dir, "cmdline");
	n = ps_read(path, b->tmp, PS_MAX_ARGS);
	if (n <= 0)
		return n;
	exe_len = strlen(b->tmp);
	/* exe keeps at most a path's worth of argv[0] */
	size_t cut = exe_len < PS_MAX_PATH ? exe_len : PS_MAX_PATH;
	memcpy(b->exe, b->tmp, cut);
	b->exe[cut] = 0;
	if (exe_len < (size_t)n)
		exe_len++;
	memcpy(b->args, b->tmp + exe_len, (size_t)n - exe_len);
	ti->args.data = b->args;
	ti->args.len = (uint32_t)((size_t)n - exe_len);
	return n;
}

static void read_environ(const char *dir, struct udig_threadinfo *ti, struct thread_bufs *b)
{
	char path[128];
	ssize_t n;
	path_of(path, sizeof path, dir, "environ");
	n = ps_read(path, b->env, sizeof b->env);
	if (n <= 0)
		return;
	/* Like the reference: keep at most 4096 bytes, the last one a NUL. */
	if (n > PS_MAX_ENV)
		n = PS_MAX_ENV;
	b->env[n - 1] = 0;
	ti->env.data = b->env;
	ti->env.len = (uint32_t)n;
}

static int64_t read_fdlimit(const char *dir, int64_t tid, struct thread_bufs *b)
{
	struct rlimit rl;
	char path[128];
	const char *s;

	if (prlimit((pid_t)tid, RLIMIT_NOFILE, NULL, &rl) == 0)
		return rl.rlim_cur == RLIM_INFINITY ? -1 : (int64_t)rl.rlim_cur;
	/* Other users' processes: the limits file is world-readable. */
	path_of(path, sizeof path, dir, "limits");
	if (ps_read(path, b->tmp, sizeof b->tmp) <= 0 || !(s = strstr(b->tmp, "Max open files")))
		return -1;
	s += strlen("Max open files");
	while (*s == ' ')
		s++;
	if (strncmp(s, "unlimited", 9) == 0)
		return -1;
	return strtoll(s, NULL, 10);
}

static void cg_append(struct udig_threadinfo *ti, struct thread_bufs *b, const char *subsys, size_t sl,
		      const char *path, int newline)
{
	size_t pl = strlen(path) + (newline ? 1 : 0);
	size_t need = sl + 1 + pl + 1;
	if (need > sizeof b->cgroups - ti->cgroups.len)
		return; /* full: the reference stops adding too */
	char *p = b->cgroups + ti->cgroups.len;
	memcpy(p, subsys, sl);
	p[sl] = '=';
	memcpy(p + sl + 1, path, pl);
	if (newline)
		p[sl + pl] = '\n';
	p[sl + 1 + pl] = 0;
	ti->cgroups.len += (uint32_t)need;
	ti->cgroups.data = b->cgroups;
}

/* /proc/<pid>/cgroup lines "id:subsys,subsys:path". */
static void read_cgroups(struct pscan_ctx *cx, const char *dir, struct udig_threadinfo *ti, struct thread_bufs *b)
{
	static const char unified[] = "cpu,memory,cpuset";
	char path[128];
	char *line, *next;

	path_of(path, sizeof path, dir, "cgroup");
	if (ps_read(path, b->tmp, sizeof b->tmp) <= 0)
		return;
	for (line = b->tmp; line && *line; line = next) {
		const char *subsys, *cg;
		char *c1, *c2;
		int v2line = 0;
		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		c1 = strchr(line, ':');
		if (!c1)
			continue;
		c2 = strchr(c1 + 1, ':');
		if (!c2)
			continue;
		*c1 = 0;
		*c2 = 0;
		subsys = c1 + 1;
		cg = c2 + 1;
		if (!*subsys) {
			/* Empty controller list: the v2 hierarchy ("0::/path"),
			 * which libscap files under a fixed set of controllers. */
			if (!cx->cgroup_v2 || strcmp(line, "0") != 0)
				continue;
			subsys = unified;
			/* libscap takes this path up to the end of the line,
			 * newline included (it only cuts v1 paths at '\n'). */
			v2line = next != NULL;
		}
		while (*subsys) {
			size_t sl = strcspn(subsys, ",");
			if (sl)
				cg_append(ti, b, subsys, sl, cg, v2line);
			subsys += sl;
			if (*subsys == ',')
				subsys++;
		}
	}
}

static int32_t read_loginuid(const char *dir, struct thread_bufs *b)
{
	char path[128];
	path_of(path, sizeof path, dir, "loginuid");
	if (ps_read(path, b->tmp, 64) <= 0)
		return -1;
	/* "4294967295" (unset) wraps to -1 as in the reference. */
	return (int32_t)(uint32_t)strtoull(b->tmp, NULL, 10);
}

/*
 * libscap: writable when the process's user owns the executable, else
 * whether that user may write it.  It switches its thread's credentials to
 * ask the kernel; unprivileged we can only do that for ourselves, so for
 * other users the mode bits decide (root: always).
 */
static uint8_t exe_writable(struct pscan_ctx *cx, const char *dir, const struct udig_threadinfo *ti, const char *exepath)
{
	char path[PS_MAX_PATH + 128];
	struct stat st;
	if (!exepath[0])
		return 0;
	snprintf(path, sizeof path, "%sroot%s", dir, exepath);
	if (stat(path, &st) != 0)
		return 0;
	if (st.st_uid == ti->uid)
		return 1;
	if (ti->uid == cx->euid)
		return faccessat(AT_FDCWD, path, W_OK, AT_EACCESS) == 0;
	if (ti->uid == 0)
		return 1;
	if (st.st_gid == ti->gid)
		return (st.st_mode & S_IWGRP) != 0;
	return (st.st_mode & S_IWOTH) != 0;
}

int pscan_thread(struct pscan_ctx *cx, struct udig_tables *t, const char *dir, int64_t tid)
{
	struct udig_threadinfo ti;
	struct thread_bufs *b;
	char path[128];
	int64_t vpgid = -1;
	int rc = 1;

	b = malloc(sizeof *b);
	if (!b)
		return -1;
	memset(&ti, 0, sizeof ti);
	b->comm[0] = b->exe[0] = b->exepath[0] = b->cwd[0] = b->root[0] = 0;
	ti.tid = tid;
	ti.pid = tid;
	ti.ptid = -1;
	ti.uid = ti.gid = (uint32_t)-1;
	ti.vtid = -1;
	ti.vpid = -1;
	ti.args.data = ti.env.data = ti.cgroups.data = "";

	path_of(path, sizeof path, dir, "exe");
	if (ps_readlink(path, b->exepath, sizeof b->exepath) <= 0) {
		/* No exe link: a kernel thread (empty cmdline, skipped), another
		 * user's process, or one that is gone. */
		if (read_cmdline(dir, &ti, b) <= 0) {
			rc = 0;
			goto out;
		}
	} else if (read_cmdline(dir, &ti, b) < 0) {
		rc = 0; /* vanished */
		goto out;
	}
	if (!read_status(dir, &ti, b, &vpgid)) {
		rc = 0;
		goto out;
	}
	if (ti.vtid < 0)
		ti.vtid = ti.tid;
	if (ti.vpid < 0)
		ti.vpid = ti.pid;
	read_stat(dir, &ti, b, vpgid);
	read_environ(dir, &ti, b);
	path_of(path, sizeof path, dir, "cwd");
	ps_readlink(path, b->cwd, sizeof b->cwd);
	path_of(path, sizeof path, dir, "root");
	ps_readlink(path, b->root, sizeof b->root);
	ti.fdlimit = read_fdlimit(dir, tid, b);
	read_cgroups(cx, dir, &ti, b);
	ti.loginuid = read_loginuid(dir, b);
	ti.flags = ti.tid == ti.pid ? 0 : (UDIG_CLONE_THREAD | UDIG_CLONE_FILES);
	ti.exe_writable = exe_writable(cx, dir, &ti, b->exepath);
	struct stat st;
	if (stat(dir, &st) == 0)
		ti.clone_ts = (uint64_t)st.st_ctim.tv_sec * 1000000000u + (uint64_t)st.st_ctim.tv_nsec;
	ti.comm = b->comm;
	ti.exe = b->exe;
	ti.exepath = b->exepath;
	ti.cwd = b->cwd;
	ti.root = b->root;
	if (!tables_thread_add(t, &ti))
		rc = -1;
out:
	free(b);
	return rc;
}
