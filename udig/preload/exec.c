/*
 * execve / execveat.
 *
 * The new image must be captured too: its environment gets LD_PRELOAD with
 * this library and our UDIG_* variables back if the program dropped them
 * (env -i, execle with a fresh environment), and a marker
 * UDIG_EXEC_MARK=<pid>:<nr>:<ignored> telling the new image's constructor
 * that it was exec'd by a captured image, so it writes the execve exit event
 * (res 0) from the new image, as the kernel driver does.  The constructor
 * removes the marker from its environ.  <ignored> is the mask of our virtual
 * signals (SIGSYS, SIGSEGV, SIGBUS) the program ignores: natively SIG_IGN
 * survives an exec, but the kernel resets our handlers to SIG_DFL, so the
 * new image takes the program's SIG_IGN back from the marker.  A failed
 * exec returns here and the old image writes the exit with the error.
 *
 * Under the seccomp fallback the filter would survive the exec while our
 * handler does not, and the new image would die of SIGSYS at ld.so's first
 * syscall: exec is refused there.  The program survives and sees an
 * ordinary exec failure: the error the kernel would give for a file it
 * cannot execute at all (ENOENT, EACCES, ...), else EPERM.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include "udig/encode/sys.h"
#include "preload.h"

extern char **environ;

#define MARK UDIG_ENV_EXEC_MARK
#define PRELOAD "LD_PRELOAD="
#define MAX_ENV 65536

struct bld {
	uint8_t *mem;
	size_t cap, used;
	int ok;
};

static char *bld_alloc(struct bld *b, size_t n)
{
	char *p;

	n = (n + 7) & ~(size_t)7;
	if (!b->ok || b->used + n > b->cap) {
		b->ok = 0;
		return NULL;
	}
	p = (char *)b->mem + b->used;
	b->used += n;
	return p;
}

size_t up_put_dec(char *p, unsigned long v)
{
	char t[24];
	size_t n = 0, i;

	do t[n++] = (char)('0' + v % 10); while ((v /= 10));
	for (i = 0; i < n; i++)
		p[i] = t[n - 1 - i];
	return n;
}

int up_env_put3(char *out, size_t size, const char *name, unsigned long a, unsigned long b, unsigned long c)
{
	char t[64 + 3 * 21 + 3];
	size_t k = strlen(name), n = k;
	unsigned long v[3] = { a, b, c };

	if (k > 64)
		return 0;
	memcpy(t, name, k);
	for (int i = 0; i < 3; i++) {
		if (i)
			t[n++] = ':';
		n += up_put_dec(t + n, v[i]);
	}
	t[n++] = 0;
	if (n > size)
		return 0;
	memcpy(out, t, n);
	return (int)n;
}

int up_env_get3(const char *var, const char *name, long v[3])
{
	size_t k = strlen(name);
	const char *p;
	char *q;

	if (strncmp(var, name, k) != 0)
		return 0;
	v[0] = v[1] = v[2] = -1;
	p = var + k;
	for (int i = 0; i < 3; i++) {
		if (i && *p++ != ':')
			return 1;
		v[i] = strtol(p, &q, 10);
		if (q == p) {
			v[i] = -1;
			return 1;
		}
		p = q;
	}
	return 1;
}

/* Does the colon/space separated list contain our library? */
static int lists_us(const char *v)
{
	size_t n = strlen(up_g.preload_path);

	while (*v) {
		size_t l = strcspn(v, ": ");

		if (l == n && memcmp(v, up_g.preload_path, n) == 0)
			return 1;
		v += l;
		if (*v)
			v++;
	}
	return 0;
}

/* Reads the program's string at addr into the builder (NUL-terminated). */
static char *fetch(struct bld *b, uint64_t addr, size_t *len)
{
	char *s = (char *)b->mem + b->used;
	size_t room = b->cap - b->used, n = 0;

	while (n < room) {
		size_t chunk = room - n < 256 ? room - n : 256;
		/* Never past a page end in one read: the environment's last
		 * strings sit at the very top of the stack, and a read across
		 * it costs a fault and a failed process_vm_readv (four per
		 * exec of a shell's child) to learn what the NUL already said. */
		size_t to_page_end = 4096 - (size_t)((addr + n) & 4095);
		long r;
		char *z;

		if (chunk > to_page_end)
			chunk = to_page_end;
		r = up_read_mem(s + n, addr + n, chunk);

		if (r <= 0)
			return NULL;
		z = memchr(s + n, 0, (size_t)r);
		if (z) {
			*len = (size_t)(z - s);
			bld_alloc(b, *len + 1);
			return b->ok ? s : NULL;
		}
		n += (size_t)r;
	}
	return NULL;
}

/* Is this UDIG_ name (up to '=') already in the new environment? */
static int has_name(char **env, size_t n, const char *var)
{
	size_t l = strcspn(var, "=") + 1, i;

	for (i = 0; i < n; i++)
		if (strncmp(env[i], var, l) == 0)
			return 1;
	return 0;
}

static unsigned long ignored_mask(void)
{
	unsigned long m = 0;
	int i;

	for (i = 0; i < UP_NVSIG; i++) {
		const struct up_ksigaction *a = up_app_action(up_vsig_signo[i]);

		if (a && a->handler == (uint64_t)(uintptr_t)SIG_IGN)
			m |= UP_SIGBIT(up_vsig_signo[i]);
	}
	return m;
}

/* The new environment: the program's, fixed up.  NULL when the program's
 * own array is unreadable (the kernel then reports the error itself). */
static char **build_env(struct bld *b, uint64_t envp, long nr)
{
	size_t n = 0, cap = b->cap / 4 / sizeof(char *), len, off;
	char **out = (char **)(void *)bld_alloc(b, sizeof(char *) * cap);
	int saw_preload = 0;
	char *s;

	if (!out)
		return NULL;
	for (;;) {
		uint64_t p = 0;

		if (!envp)
			break;
		if (up_read_mem(&p, envp + 8 * n, 8) != 8)
			return NULL;
		if (!p)
			break;
		if (n + 8 >= cap || !(s = fetch(b, p, &len)))
			return NULL;
		if (strncmp(s, MARK, sizeof MARK - 1) == 0 || up_creds_scan_only(s) || up_pidns_scan_only(s)) {
			envp += 8;   /* drop a stale marker: skip the slot */
			continue;
		}
		if (strncmp(s, PRELOAD, sizeof PRELOAD - 1) == 0) {
			saw_preload = 1;
			if (!lists_us(s + sizeof PRELOAD - 1)) {
				size_t pl = strlen(up_g.preload_path);
				char *t = bld_alloc(b, len + pl + 2);

				if (!t)
					return NULL;
				memcpy(t, PRELOAD, sizeof PRELOAD - 1);
				memcpy(t + sizeof PRELOAD - 1, up_g.preload_path, pl);
				t[sizeof PRELOAD - 1 + pl] = ':';
				memcpy(t + sizeof PRELOAD + pl, s + sizeof PRELOAD - 1,
				       len - (sizeof PRELOAD - 1) + 1);
				s = t;
			}
		}
		out[n++] = s;
	}
	if (!saw_preload) {
		size_t pl = strlen(up_g.preload_path);

		if (!(s = bld_alloc(b, sizeof PRELOAD + pl)))
			return NULL;
		memcpy(s, PRELOAD, sizeof PRELOAD - 1);
		memcpy(s + sizeof PRELOAD - 1, up_g.preload_path, pl + 1);
		out[n++] = s;
	}
	for (off = 0; off < up_g.env_save_len; off += strlen(up_g.env_save + off) + 1) {
		const char *var = up_g.env_save + off;

		if (n + 4 >= cap) /* room for the marker, two descriptor variables, NULL */
			return NULL;
		if (!has_name(out, n, var))
			out[n++] = (char *)var;
	}
	if (!(s = bld_alloc(b, sizeof MARK + 80)))
		return NULL;
	memcpy(s, MARK, sizeof MARK - 1);
	len = sizeof MARK - 1;
	len += up_put_dec(s + len, (unsigned long)udig_sys0(SYS_getpid));
	s[len++] = ':';
	len += up_put_dec(s + len, (unsigned long)nr);
	s[len++] = ':';
	len += up_put_dec(s + len, ignored_mask());
	s[len] = 0;
	out[n++] = s;
	/* The ring's descriptors, when this process changed its uid (creds.c). */
	if ((s = bld_alloc(b, 64)) && up_creds_env(s, 64))
		out[n++] = s;
	/* The way back to the consumer's PID namespace (pidns.c). */
	if ((s = bld_alloc(b, 64)) && up_pidns_env(s, 64))
		out[n++] = s;
	out[n] = NULL;
	return out;
}

long up_sys_execve(const struct up_call *c)
{
	struct up_call k = *c;
	int ei = c->nr == SYS_execveat ? 3 : 2;
	uint8_t *area = up_area();
	struct bld b = { NULL, 0, 0, 1 };
	long r, m = 0;
	char **env;

	up_record(c, 0, 0);
	if (up_g.mode == UP_SECCOMP) {
		if (c->nr == SYS_execve)
			r = udig_sys3(SYS_faccessat, AT_FDCWD, c->args[0], X_OK);
		else
			r = udig_sys4(SYS_faccessat2, c->args[0], c->args[1], X_OK,
				      c->args[4] & (AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW));
		if (r == 0)
			r = -EPERM;
		goto out;
	}
	if (area) {
		b.mem = area + UP_AREA_SCRATCH;
		b.cap = UP_SCRATCH_CAP;
	}
	env = area ? build_env(&b, c->args[ei], c->nr) : NULL;
	if (!env) {
		/* Large environment: a bigger scratch mapping, given back if the
		 * exec fails (on success the old image is gone anyway). */
		m = udig_syscall6(SYS_mmap, 0, MAX_ENV * 16, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (m < 0 && m > -4096)
			m = 0;
		b.mem = (uint8_t *)m;
		b.cap = m ? MAX_ENV * 16 : 0;
		b.used = 0;
		b.ok = 1;
		env = m ? build_env(&b, c->args[ei], c->nr) : NULL;
	}
	if (env)
		k.args[ei] = (uint64_t)(uintptr_t)env;
	/* This image's counts end here if the exec works. */
	up_count_flush();
	if (env) {
		up_creds_exec(1);
		up_pidns_exec(1);
	}
	r = udig_syscall6(k.nr, (long)k.args[0], (long)k.args[1], (long)k.args[2],
			  (long)k.args[3], (long)k.args[4], (long)k.args[5]);
	if (env) {
		up_creds_exec(0);
		up_pidns_exec(0);
	}
	if (m)
		udig_sys2(SYS_munmap, m, MAX_ENV * 16);
out:
	up_record(c, 1, r);
	return r;
}

static long mark_nr;
static unsigned long mark_ignored;

/* In the constructor of every image, before anything else: hide the marker
 * from the program, and remember it if it is for this process (not left
 * over by an uncaptured image in between, e.g. a static binary). */
void up_exec_scan(void)
{
	char **e, **w;

	if (!environ)
		return;
	for (e = w = environ; *e; e++) {
		if (strncmp(*e, MARK, sizeof MARK - 1) == 0) {
			char *q;
			long pid = strtol(*e + sizeof MARK - 1, &q, 10);
			long nr = *q == ':' ? strtol(q + 1, &q, 10) : 0;
			unsigned long ign = *q == ':' ? strtoul(q + 1, NULL, 10) : 0;

			if (pid == (long)udig_sys0(SYS_getpid) && (nr == SYS_execve || nr == SYS_execveat)) {
				mark_nr = nr;
				mark_ignored = ign;
			}
			continue;
		}
		if (up_creds_scan(*e) || up_pidns_scan(*e))
			continue;
		*w++ = *e;
	}
	*w = NULL;
}

/* Once our handlers are in place: the dispositions the program ignored
 * before the exec are its virtual ones again (and, should capture be given
 * up, what unwinding puts back in the kernel). */
void up_exec_inherit_ignored(void)
{
	int i;

	for (i = 0; i < UP_NVSIG; i++) {
		int sig = up_vsig_signo[i];
		struct up_ksigaction *a = up_app_action(sig);

		if (!a || !(mark_ignored & UP_SIGBIT(sig)))
			continue;
		memset(a, 0, sizeof *a);
		a->handler = (uint64_t)(uintptr_t)SIG_IGN;
		up_fault_action_sync(sig);
	}
}

/* Once armed: the exit event of the execve that brought us here, written
 * by the new image as the kernel driver does, whoever captured the old
 * image (libudig, whose marker names the syscall, or a tracer, which
 * leaves a preloaded image's exit to it) — or nobody: a program started
 * with the library from an uncaptured shell announces itself so, or a
 * consumer that did not see it start (`sysdig -u`, which finds no /proc
 * entry for a process already gone) could not name it.  Without an enter,
 * consumers (libsinsp's parse_execve_exit too) take the process's name,
 * arguments, ids and parent from the exit alone. */
void up_exec_arrived(void)
{
	struct up_call c = { .nr = mark_nr ? mark_nr : SYS_execve };

	up_record(&c, 1, 0);
}
