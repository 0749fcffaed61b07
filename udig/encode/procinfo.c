/*
 * Process facts for the clone/fork/vfork/clone3 and execve/execveat exits
 * and the memory figures of mmap/munmap/brk exits, read from the traced
 * process's /proc directory (ops->procdir: "/proc/self" in-process,
 * "/proc/<tid>" from a tracer) with raw syscalls into one bounded stack
 * buffer.  What the kernel driver reads from the task and its mm we read
 * from the files the kernel derives from the same fields:
 *
 *   exe, args      cmdline (mm->arg_start..arg_end, capped at a page)
 *   pid, ptid      status Tgid, PPid
 *   cwd            readlink cwd (the kernel driver sends an empty cwd)
 *   fdlimit        the soft RLIMIT_NOFILE: prlimit64 on ourselves in-process,
 *                  else limits "Max open files"
 *   pgft_maj/min   task/<tid>/stat majflt, minflt
 *   vm_*           status VmSize, VmRSS, VmSwap (KiB)
 *   comm           task/<tid>/stat, between the first '(' and the last ')':
 *                  task->comm as the driver copies it, a trailing newline
 *                  included (the comm file adds one of its own, which made
 *                  it ambiguous), and one file fewer to open
 *   cgroups        cgroup, as subsystem=path pairs
 *   uid, gid       status Uid, Gid (effective)
 *   vtid, vpid     status NSpid, NStgid (innermost namespace)
 *   env            environ (mm->env_start..env_end, capped at a page)
 *   tty, pgid      stat tty_nr (already new_encode_dev'd), pgrp
 *   loginuid       loginuid
 *
 * Stack: one 4 KiB scratch buffer plus a path buffer (~4.5 KiB per call).
 */
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include "fill_int.h"
#include "sys.h"

#define PAGE 4096
#define PATH_CAP 192

struct pbuf {
	char p[PATH_CAP];
};

static void cat(char *dst, size_t *n, const char *s)
{
	while (*s && *n + 1 < PATH_CAP)
		dst[(*n)++] = *s++;
	dst[*n] = 0;
}

static void cat_dec(char *dst, size_t *n, uint64_t v)
{
	char t[24];
	int i = 0;

	do {
		t[i++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (i > 0 && *n + 1 < PATH_CAP)
		dst[(*n)++] = t[--i];
	dst[*n] = 0;
}

/* procdir/rel, or procdir/task/<tid>/rel when per_thread. */
static const char *proc_path(struct fill *f, struct pbuf *b, const char *rel, int per_thread)
{
	size_t n = 0;
	const char *dir = f->sc->ops ? f->sc->ops->procdir : NULL;

	b->p[0] = 0;
	if (dir) {
		cat(b->p, &n, dir);
	} else {
		cat(b->p, &n, "/proc/");
		cat_dec(b->p, &n, (uint64_t)f->sc->tid);
	}
	if (per_thread) {
		cat(b->p, &n, "/task/");
		cat_dec(b->p, &n, (uint64_t)f->sc->tid);
	}
	cat(b->p, &n, "/");
	cat(b->p, &n, rel);
	return b->p;
}

/* Reads up to cap bytes of a file; returns the length or -1. */
static long read_path(const char *path, void *buf, size_t cap)
{
	long fd = udig_sys4(SYS_openat, AT_FDCWD, path, O_RDONLY | O_CLOEXEC, 0);
	size_t n = 0;

	if (fd < 0)
		return -1;
	while (n < cap) {
		long r = udig_sys3(SYS_read, fd, (char *)buf + n, cap - n);
		if (r == -4 /* EINTR */)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	udig_sys1(SYS_close, fd);
	return (long)n;
}

/* A per-thread proc file, falling back to the process-wide one. */
static long read_proc(struct fill *f, const char *rel, int per_thread, void *buf, size_t cap)
{
	struct pbuf b;
	long n = -1;

	if (per_thread)
		n = read_path(proc_path(f, &b, rel, 1), buf, cap);
	if (n < 0)
		n = read_path(proc_path(f, &b, rel, 0), buf, cap);
	return n;
}

static int is_digit(char c) { return c >= '0' && c <= '9'; }

static int64_t parse_int(const char *s, const char *end, const char **next)
{
	int64_t v = 0;
	int neg = 0;

	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	if (s < end && *s == '-') {
		neg = 1;
		s++;
	}
	while (s < end && is_digit(*s))
		v = v * 10 + (*s++ - '0');
	if (next)
		*next = s;
	return neg ? -v : v;
}

/* The line of a "Key:\tvalues" file starting with key; NULL if absent. */
static const char *find_key(const char *buf, size_t len, const char *key)
{
	size_t kl = strlen(key);
	const char *p = buf, *end = buf + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if ((size_t)(end - p) > kl && memcmp(p, key, kl) == 0 && p[kl] == ':')
			return p + kl + 1;
		if (!nl)
			break;
		p = nl + 1;
	}
	return NULL;
}

static const char *line_end(const char *p, const char *end)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	return nl ? nl : end;
}

/* Field i (0-based) of a whitespace-separated value list. */
static int64_t key_field(const char *buf, size_t len, const char *key, int i, int64_t dflt)
{
	const char *p = find_key(buf, len, key), *end;

	if (!p)
		return dflt;
	end = line_end(p, buf + len);
	for (int k = 0; k < i; k++)
		parse_int(p, end, &p);
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (p >= end || !(is_digit(*p) || *p == '-'))
		return dflt;
	return parse_int(p, end, NULL);
}

/* Last field of a list (NSpid, NStgid: the innermost namespace). */
static int64_t key_last(const char *buf, size_t len, const char *key, int64_t dflt, int *count)
{
	const char *p = find_key(buf, len, key), *end;
	int64_t v = dflt;
	int n = 0;

	if (count)
		*count = 0;
	if (!p)
		return dflt;
	end = line_end(p, buf + len);
	for (;;) {
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (p >= end || !is_digit(*p))
			break;
		v = parse_int(p, end, &p);
		n++;
	}
	if (count)
		*count = n;
	return v;
}

struct status_facts {
	int64_t tgid, ppid, vtid, vpid;
	uint32_t euid, egid, vm_size, vm_rss, vm_swap;
	int in_pidns;
};

static void read_status(struct fill *f, char *buf, struct status_facts *st)
{
	long n = read_proc(f, "status", 1, buf, PAGE);
	int depth = 0;

	st->tgid = f->sc->pid;
	st->ppid = 0;
	st->vtid = f->sc->tid;
	st->vpid = f->sc->pid;
	st->euid = st->egid = 0xffffffffu;
	st->vm_size = st->vm_rss = st->vm_swap = 0;
	st->in_pidns = 0;
	if (n <= 0)
		return;
	st->tgid = key_field(buf, (size_t)n, "Tgid", 0, st->tgid);
	st->ppid = key_field(buf, (size_t)n, "PPid", 0, 0);
	st->euid = (uint32_t)key_field(buf, (size_t)n, "Uid", 1, -1);
	st->egid = (uint32_t)key_field(buf, (size_t)n, "Gid", 1, -1);
	st->vtid = key_last(buf, (size_t)n, "NSpid", st->vtid, &depth);
	st->vpid = key_last(buf, (size_t)n, "NStgid", st->vpid, NULL);
	st->in_pidns = depth > 1;
	if (f->sc->ref_ppid) {
		st->tgid = f->sc->pid;
		st->ppid = f->sc->ref_ppid > 0 ? f->sc->ref_ppid : 0;
		st->in_pidns |= st->vtid != f->sc->tid;
	}
	st->vm_size = (uint32_t)key_field(buf, (size_t)n, "VmSize", 0, 0);
	st->vm_rss = (uint32_t)key_field(buf, (size_t)n, "VmRSS", 0, 0);
	st->vm_swap = (uint32_t)key_field(buf, (size_t)n, "VmSwap", 0, 0);
}

void fill_vm_sizes(struct fill *f, uint32_t *size, uint32_t *rss, uint32_t *swap)
{
	char buf[PAGE];
	struct status_facts st;

	read_status(f, buf, &st);
	*size = st.vm_size;
	*rss = st.vm_rss;
	*swap = st.vm_swap;
}

struct stat_facts {
	int64_t pgrp;
	int32_t tty;
	uint64_t minflt, majflt;
	char comm[16]; /* TASK_COMM_LEN, NUL included */
	int have_comm;
};

/* stat: "pid (comm) state ppid pgrp session tty_nr tpgid flags minflt
 * cminflt majflt ..."; comm may hold anything, so start after the last ')'. */
static void read_stat(struct fill *f, char *buf, struct stat_facts *st)
{
	long n = read_proc(f, "stat", 1, buf, PAGE);
	const char *p, *end;
	int64_t v[10];

	memset(st, 0, sizeof *st);
	if (n <= 0)
		return;
	end = buf + n;
	p = end;
	while (p > buf && p[-1] != ')')
		p--;
	if (p == buf)
		return;
	const char *open = memchr(buf, '(', (size_t)n);
	if (open && open < p - 1) {
		size_t cl = (size_t)(p - 1 - (open + 1));
		if (cl > sizeof st->comm - 1)
			cl = sizeof st->comm - 1;
		memcpy(st->comm, open + 1, cl);
		st->comm[cl] = 0;
		st->have_comm = 1;
	}
	while (p < end && *p == ' ')
		p++;
	if (p < end)
		p++; /* state letter */
	for (int i = 0; i < 10; i++)
		v[i] = parse_int(p, end, &p);
	/* v: ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt */
	st->pgrp = v[1];
	st->tty = (int32_t)v[3];
	st->minflt = (uint64_t)v[6];
	st->majflt = (uint64_t)v[8];
}

/* The soft limit; RLIM_INFINITY as the driver's int64, -1.  In-process a
 * syscall (limits is the costliest file here to generate: ~13 us against
 * 0.5); a tracer reads the tracee's
 * limits: "Max open files            1024                 524288               files" */
static int64_t read_fdlimit(struct fill *f, char *buf)
{
	const char *dir = f->sc->ops ? f->sc->ops->procdir : NULL;
	struct { uint64_t cur, max; } rl;
	long n;
	const char *p, *end;

	if (dir && !strcmp(dir, "/proc/self") &&
	    udig_sys4(SYS_prlimit64, 0, 7 /* RLIMIT_NOFILE */, 0, (long)&rl) == 0)
		return rl.cur == ~(uint64_t)0 ? -1 : (int64_t)rl.cur;
	n = read_proc(f, "limits", 0, buf, PAGE);
	if (n <= 0)
		return 0;
	end = buf + n;
	p = buf;
	while (p < end) {
		const char *le = line_end(p, end);
		if ((size_t)(le - p) > 14 && memcmp(p, "Max open files", 14) == 0) {
			p += 14;
			while (p < le && *p == ' ')
				p++;
			if (le - p >= 9 && memcmp(p, "unlimited", 9) == 0)
				return -1; /* RLIM_INFINITY as the driver's int64 */
			return parse_int(p, le, NULL);
		}
		p = le + 1;
	}
	return 0;
}

/* A string parameter from a small proc file (comm), without its newline. */
static void p_proc_line(struct fill *f, const char *rel, char *buf)
{
	long n = read_proc(f, rel, 1, buf, 64);

	if (n < 0)
		n = 0;
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == 0))
		n--;
	buf[n] = 0;
	p_cstr(f, buf);
}

/* A NUL-separated proc file (cmdline, environ) read straight into the
 * record, capped at a page with the last byte forced to NUL as the driver
 * does.  Returns the length (0 when unreadable). */
static size_t read_list_into(struct fill *f, const char *rel, uint8_t *dst, size_t room)
{
	size_t cap = room < PAGE ? room : PAGE;
	long n;

	if (cap == 0)
		return 0;
	n = read_proc(f, rel, 0, dst, cap);
	if (n <= 0)
		return 0;
	dst[n - 1] = 0;
	return (size_t)n;
}

/* exe and args from a NUL-separated buffer already in the record at the
 * exe position: exe = first string, args = the rest, without copying. */
static void p_exe_args_inplace(struct fill *f, size_t len)
{
	size_t room, exe_len = 0;
	uint8_t *dst = udig_enc_reserve(&f->e, &room);

	if (!dst)
		return;
	if (room == 0) {
		udig_enc_commit(&f->e, 1); /* reports NOSPACE */
		return;
	}
	if (len == 0) {
		dst[0] = 0;
		udig_enc_commit(&f->e, 1);
		p_empty(f);
		return;
	}
	while (exe_len < len && dst[exe_len])
		exe_len++;
	if (exe_len < len)
		exe_len++;
	udig_enc_commit(&f->e, exe_len);
	/* the args bytes already sit where the next value starts */
	if (udig_enc_reserve(&f->e, &room))
		udig_enc_commit(&f->e, len - exe_len);
}

/* A NULL-terminated array of tracee strings (argv, envp) into the record
 * at the current position, NUL-separated, at most one page in all. */
static size_t gather_strv(struct fill *f, uint64_t vec, uint8_t *dst, size_t room)
{
	size_t cap = room < PAGE ? room : PAGE, len = 0;

	if (!vec)
		return 0;
	for (uint64_t i = 0; len < cap; i++) {
		uint64_t p = 0;
		size_t got;
		const uint8_t *nul;
		if (!fill_read_all(f, &p, vec + i * 8, 8))
			return 0; /* the driver gives up on unreadable memory */
		if (!p)
			break;
		got = fill_read(f, dst + len, p, cap - len);
		nul = got ? memchr(dst + len, 0, got) : NULL;
		if (!nul)
			return 0; /* cut or unreadable string: the driver gives up */
		len = (size_t)(nul - dst) + 1;
	}
	return len;
}

/* cgroup lines "id:subsys[,subsys]:/path" -> "subsys=/path\0" each.
 * Named hierarchies (name=...) are no kernel subsystems and are skipped.
 * On a cgroup-v2 host ("0::/path") every controller lives in the unified
 * hierarchy: the driver then reports that path for each subsystem. */
static const char *const v2_subsys[] = {
	"cpuset", "cpu", "cpuacct", "io", "memory", "devices", "freezer", "net_cls",
	"perf_event", "net_prio", "hugetlb", "pids", "rdma", "misc",
};

static size_t put_pair(uint8_t *dst, size_t pos, size_t cap, const char *s, size_t sl, const char *path, size_t pl)
{
	if (pos + sl + 1 + pl + 1 > cap)
		return 0;
	memcpy(dst + pos, s, sl);
	dst[pos + sl] = '=';
	memcpy(dst + pos + sl + 1, path, pl);
	dst[pos + sl + 1 + pl] = 0;
	return sl + 1 + pl + 1;
}

static void p_cgroups(struct fill *f, char *buf)
{
	size_t room, pos = 0, cap;
	long n = read_proc(f, "cgroup", 0, buf, PAGE);
	const char *p, *end, *v2 = NULL;
	size_t v2len = 0;
	int v1 = 0;
	uint8_t *dst = udig_enc_reserve(&f->e, &room);

	if (!dst)
		return;
	cap = room < PAGE ? room : PAGE;
	if (n <= 0)
		n = 0;
	p = buf;
	end = buf + n;
	while (p < end) {
		const char *le = line_end(p, end);
		const char *c1 = memchr(p, ':', (size_t)(le - p)), *c2;
		if (c1 && (c2 = memchr(c1 + 1, ':', (size_t)(le - c1 - 1)))) {
			const char *path = c2 + 1, *s = c1 + 1;
			size_t pl = (size_t)(le - path);
			if (s == c2) {
				v2 = path;
				v2len = pl;
			} else {
				while (s < c2) {
					const char *comma = memchr(s, ',', (size_t)(c2 - s));
					const char *se = comma ? comma : c2;
					if (!((size_t)(se - s) > 5 && memcmp(s, "name=", 5) == 0)) {
						pos += put_pair(dst, pos, cap, s, (size_t)(se - s), path, pl);
						v1 = 1;
					}
					s = se + 1;
				}
			}
		}
		p = le + 1;
	}
	if (!v1 && v2)
		for (size_t i = 0; i < sizeof v2_subsys / sizeof v2_subsys[0]; i++)
			pos += put_pair(dst, pos, cap, v2_subsys[i], strlen(v2_subsys[i]), v2, v2len);
	udig_enc_commit(&f->e, pos);
}

/* cwd via readlink, straight into the record. */
static void p_cwd(struct fill *f)
{
	struct pbuf b;
	size_t room;
	uint8_t *dst = udig_enc_reserve(&f->e, &room);
	long n;

	if (!dst)
		return;
	n = room > 1 ? udig_sys4(SYS_readlinkat, AT_FDCWD, proc_path(f, &b, "cwd", 0), dst, room - 1) : -1;
	if (n <= 0) {
		udig_enc_commit(&f->e, 0); /* what the kernel driver always sends */
		return;
	}
	dst[n] = 0;
	udig_enc_commit(&f->e, (size_t)n + 1);
}

/* PPM_EXE_WRITABLE: the driver asks "may the caller write the inode, or
 * does it own it" -- owner check first, then an effective-id access check. */
static uint32_t exe_flags(struct fill *f, uint32_t euid)
{
	struct pbuf b;
	struct stat st;
	const char *path = proc_path(f, &b, "exe", 0);
	long r;

	if (udig_sys4(SYS_newfstatat, AT_FDCWD, path, &st, 0) == 0 && st.st_uid == euid)
		return UDIG_EXE_WRITABLE;
#ifdef SYS_faccessat2
	r = udig_sys4(SYS_faccessat2, AT_FDCWD, path, 2 /* W_OK */, AT_EACCESS);
	if (r == -38 /* ENOSYS */)
#endif
		r = udig_sys3(SYS_faccessat, AT_FDCWD, path, 2);
	return r == 0 ? UDIG_EXE_WRITABLE : 0;
}

static int32_t read_loginuid(struct fill *f, char *buf)
{
	long n = read_proc(f, "loginuid", 0, buf, 32);

	if (n <= 0)
		return -1;
	return (int32_t)(uint32_t)parse_int(buf, buf + n, NULL);
}

void fill_proc_exit(struct fill *f, int clone)
{
	char buf[PAGE];
	struct status_facts st;
	struct stat_facts sf;
	int64_t ret = fret(f);
	size_t room, len = 0;
	uint8_t *dst;

	/* exe, args */
	if (clone && ret < 0) {
		p_cstr(f, "");
		p_empty(f);
	} else if ((dst = udig_enc_reserve(&f->e, &room)) != NULL) {
		if (ret >= 0)
			len = read_list_into(f, "cmdline", dst, room);
		else /* failed execve: the arguments it was given */
			len = gather_strv(f, f->sc->nr == 322 ? fa(f, 2) : fa(f, 1), dst, room);
		p_exe_args_inplace(f, len);
	}
	read_status(f, buf, &st);
	p_s64(f, f->sc->tid);
	p_s64(f, st.tgid);
	p_s64(f, st.ppid);
	p_cwd(f);
	p_s64(f, read_fdlimit(f, buf));
	read_stat(f, buf, &sf);
	p_u64(f, sf.majflt);
	p_u64(f, sf.minflt);
	p_u32(f, st.vm_size);
	p_u32(f, st.vm_rss);
	p_u32(f, st.vm_swap);
	if (sf.have_comm)
		p_cstr(f, sf.comm);
	else
		p_proc_line(f, "comm", buf);
	p_cgroups(f, buf);
	if (clone) {
		uint64_t flags = 0;
		if (f->sc->nr == 56)
			flags = fa(f, 0);
		else if (f->sc->nr == 435 && !fill_read_all(f, &flags, fa(f, 0), sizeof flags))
			flags = 0;
		p_u32(f, xl_clone_flags(flags) | (st.in_pidns ? 0x20000000u /* PPM_CL_CHILD_IN_PIDNS */ : 0));
		p_u32(f, st.euid);
		p_u32(f, st.egid);
		p_s64(f, st.vtid);
		p_s64(f, st.vpid);
		return;
	}
	/* env */
	if ((dst = udig_enc_reserve(&f->e, &room)) != NULL) {
		if (ret >= 0)
			len = read_list_into(f, "environ", dst, room);
		else
			len = gather_strv(f, f->sc->nr == 322 ? fa(f, 3) : fa(f, 2), dst, room);
		udig_enc_commit(&f->e, len);
	}
	p_u32(f, (uint32_t)sf.tty);
	p_s64(f, sf.pgrp);
	p_u32(f, (uint32_t)read_loginuid(f, buf));
	p_u32(f, exe_flags(f, st.euid));
}
