/* The writers' lock with dead-owner recovery (see ring_lock.h). */
#include "ring_lock.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <limits.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <time.h>
#include "ring_pidns.h"
#include "sys.h"

/* Spin this many times before yielding the CPU: a writer holds the lock for
 * a few hundred nanoseconds when nothing goes wrong. */
#define SPINS 128
#define YIELDS 16
/* Sleep bounds between later attempts, and how often the owner is checked. */
#define SLEEP_MIN_NS 2000L
#define SLEEP_MAX_NS 200000L
#define CHECK_EVERY_NS 1000000ull
/* A write takes microseconds: an owner outside our namespace that holds
 * the lock this long is stopped or dead, and we cannot tell which. */
#define UNSEEN_MAX_NS 2000000000ull

/* The owner value of this thread, cached: a syscall costs over a
 * microsecond in some VMs, more than the whole write.  initial-exec keeps
 * the access a plain %fs-relative load (no __tls_get_addr, which may
 * allocate) — safe in a signal handler.  A new thread starts with 0. */
static __thread uint64_t self_cache __attribute__((tls_model("initial-exec")));

uint64_t udig_lock_self(void)
{
	uint64_t v = self_cache;
	if (v)
		return v;
	/* Ids of the consumer's namespace, which every writer shares: a
	 * writer in a namespace of its own names itself as the others would
	 * (ring_pidns.h), or — a kernel that cannot tell — by its own ids. */
	int32_t ltid = (int32_t)udig_sys0(SYS_gettid), pid = -1, tid = -1;
	if (udig_pidns_fd() >= 0) {
		pid = udig_pidns_out(ltid, 1);
		tid = udig_pidns_out(ltid, 0);
	}
	if (pid <= 0 || tid <= 0) {
		pid = (int32_t)udig_sys0(SYS_getpid);
		tid = ltid;
	}
	v = (uint64_t)(uint32_t)pid << 32 | (uint32_t)tid;
	self_cache = v;
	return v;
}

void udig_lock_self_reset(void)
{
	self_cache = 0;
}

static int task_status(int32_t pid, int32_t tid, char *state, uint32_t *euid);

int udig_lock_owner_state(uint64_t v)
{
	int32_t pid = (int32_t)(v >> 32), tid = (int32_t)(uint32_t)v;
	char state;
	uint32_t euid;
	if (pid <= 0 || tid <= 0)
		return UDIG_OWNER_DEAD;
	if (udig_pidns_fd() >= 0) {
		/* The owner's ids are the reference namespace's: ours may not
		 * show it at all (a writer outside our namespace), which says
		 * nothing of whether it lives. */
		int32_t lt = udig_pidns_in(tid, 0), lp = udig_pidns_in(tid, 1);
		if (!lt || !lp)
			return UDIG_OWNER_UNSEEN;
		if (lp != udig_pidns_in(pid, 1))
			return UDIG_OWNER_DEAD; /* that tid is another process's now */
		pid = lp;
		tid = lt;
	}
	/* Signal 0: existence and thread-group membership only, nothing is sent.
	 * EPERM means it exists but belongs to someone we may not signal. */
	long r = udig_sys3(SYS_tgkill, pid, tid, 0);
	if (r == -ESRCH)
		return UDIG_OWNER_DEAD;
	/* A process killed mid-write is a zombie until reaped, and answers
	 * tgkill; its reaper (a preloaded parent, whose wait is recorded)
	 * may be the very writer waiting here. */
	if (task_status(pid, tid, &state, &euid) == 0 && (state == 'Z' || state == 'X'))
		return UDIG_OWNER_DEAD;
	return UDIG_OWNER_ALIVE;
}

uint64_t udig_mono_ns(void)
{
	struct timespec ts;
	if (udig_sys2(SYS_clock_gettime, CLOCK_MONOTONIC, &ts) < 0)
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void udig_pause_ns(long ns)
{
	struct timespec ts = { ns / 1000000000L, ns % 1000000000L };
	udig_sys2(SYS_nanosleep, &ts, NULL);
}

void udig_futex_wait(volatile uint32_t *addr, uint32_t val, long timeout_ns)
{
	/* Shared (not PRIVATE) futex: the word lives in a MAP_SHARED object
	 * and the waker is another process. */
	struct timespec ts = { timeout_ns / 1000000000L, timeout_ns % 1000000000L };
	udig_syscall6(SYS_futex, (long)addr, FUTEX_WAIT, val, (long)&ts, 0, 0);
}

void udig_futex_wake(volatile uint32_t *addr)
{
	udig_syscall6(SYS_futex, (long)addr, FUTEX_WAKE, INT_MAX, 0, 0, 0);
}

void udig_yield(void)
{
	udig_sys0(SYS_sched_yield);
}

/* The value after "\n<key>" in a /proc status text, or NULL. */
static const char *status_field(const char *buf, long len, const char *key)
{
	size_t kl = strlen(key);
	for (long k = 0; k + (long)kl < len; k++)
		if (buf[k] == '\n' && memcmp(buf + k + 1, key, kl) == 0)
			return buf + k + 1 + kl;
	return NULL;
}

static int put_dec(char *p, uint32_t v)
{
	char digits[12];
	int n = 0, i = 0;
	do
		digits[n++] = (char)('0' + v % 10);
	while (v /= 10);
	while (n)
		p[i++] = digits[--n];
	return i;
}

/* Reads /proc/<pid>/status (tid 0) or /proc/<pid>/task/<tid>/status with
 * raw syscalls: its state letter and its effective uid (the second number
 * of "Uid:").  0, or -1 if unreadable. */
static int task_status(int32_t pid, int32_t tid, char *state, uint32_t *euid)
{
	char path[64] = "/proc/", buf[1024];
	int i = 6;
	i += put_dec(path + i, (uint32_t)pid);
	if (tid > 0) {
		memcpy(path + i, "/task/", 6);
		i += 6;
		i += put_dec(path + i, (uint32_t)tid);
	}
	memcpy(path + i, "/status", 8);
	long fd = udig_sys4(SYS_openat, AT_FDCWD, path, O_RDONLY | O_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	buf[0] = '\n'; /* so that the first line matches too */
	long len = udig_sys3(SYS_read, fd, buf + 1, sizeof buf - 2);
	udig_sys1(SYS_close, fd);
	if (len <= 0)
		return -1;
	len++;
	const char *st = status_field(buf, len, "State:\t");
	const char *uid = status_field(buf, len, "Uid:\t");
	if (!st || !uid)
		return -1;
	*state = *st;
	while (uid < buf + len && *uid >= '0' && *uid <= '9') /* the real uid */
		uid++;
	while (uid < buf + len && (*uid == '\t' || *uid == ' '))
		uid++;
	uint32_t e = 0;
	if (uid >= buf + len || *uid < '0' || *uid > '9')
		return -1;
	for (; uid < buf + len && *uid >= '0' && *uid <= '9'; uid++)
		e = e * 10 + (uint32_t)(*uid - '0');
	*euid = e;
	return 0;
}

int udig_pid_trusted(int32_t pid, uint32_t euid)
{
	char state;
	uint32_t e;
	if (pid <= 0)
		return -1;
	if (udig_pidns_fd() >= 0) {
		int32_t here = udig_pidns_in(pid, 1);
		if (!here)
			return 1; /* outside our namespace (ring_lock.h) */
		pid = here;
	}
	if (task_status(pid, 0, &state, &e) < 0)
		return -1;
	if (state == 'Z' || state == 'X')
		return -1;
	return e == euid || e == 0 ? 0 : -1;
}

static int try_take(volatile uint64_t *word, uint64_t expect, uint64_t self)
{
	return __atomic_compare_exchange_n(word, &expect, self, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

int udig_lock_acquire(volatile uint64_t *word, uint64_t self, struct udig_lock_wait *how, int *broke)
{
	*broke = 0;
	if (try_take(word, 0, self))
		return 0;
	uint64_t start = 0, last_check = 0, unseen = 0, unseen_since = 0;
	long sleep_ns = SLEEP_MIN_NS;
	for (unsigned i = 0;; i++) {
		uint64_t v = __atomic_load_n(word, __ATOMIC_RELAXED);
		if (v == 0) {
			if (try_take(word, 0, self))
				return 0;
			continue;
		}
		/* Our own thread holds it: we interrupted our own write from a
		 * signal handler.  Waiting would never end. */
		if (v == self)
			return -1;
		if (i < SPINS) {
			udig_cpu_relax();
			continue;
		}
		/* The owner that made us give up before and still holds it:
		 * a word that never changes is no writer at work. */
		if (!how->lossless && how->give_up_on && v == how->give_up_on) {
			how->last_owner = v;
			return -1;
		}
		uint64_t now = udig_mono_ns();
		if (!start)
			start = last_check = now;
		if (now - last_check >= CHECK_EVERY_NS) {
			last_check = now;
			int st = udig_lock_owner_state(v);
			if (st == UDIG_OWNER_DEAD && try_take(word, v, self)) {
				*broke = 1;
				return 0;
			}
			/* An owner we cannot see is never robbed; a lossless wait on
			 * one ends when the same owner held it UNSEEN_MAX_NS. */
			if (st == UDIG_OWNER_UNSEEN && v != unseen) {
				unseen = v;
				unseen_since = now;
			}
			int unseen_stuck = st == UDIG_OWNER_UNSEEN && now - unseen_since >= UNSEEN_MAX_NS;
			if (how->lossless ? ((how->keep_waiting && !how->keep_waiting(how->arg)) || unseen_stuck)
					  : now - start >= (uint64_t)how->max_wait_ms * 1000000ull) {
				how->last_owner = v;
				return -1;
			}
		}
		if (i < SPINS + YIELDS) {
			udig_yield();
		} else {
			udig_pause_ns(sleep_ns);
			if (sleep_ns < SLEEP_MAX_NS)
				sleep_ns *= 2;
		}
	}
}

void udig_lock_release(volatile uint64_t *word, uint64_t self)
{
	/* Only if still ours: a waiter that wrongly judged us dead (pid reuse
	 * cannot cause that, but a scribbled word can) must not be robbed. */
	uint64_t expect = self;
	__atomic_compare_exchange_n(word, &expect, 0, 0, __ATOMIC_RELEASE, __ATOMIC_RELAXED);
}
