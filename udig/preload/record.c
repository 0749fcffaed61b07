/*
 * Building and writing records: fillers into the per-thread buffer, then the
 * ring writer.  Also how the fillers reach "the tracee" — ourselves — without
 * ever faulting on a bad pointer the program passed: a checked copy whose
 * faults our SIGSEGV/SIGBUS handler turns into a short count (faults.c),
 * or, where that cannot be used, process_vm_readv on our own pid.
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include "udig/encode/ring_pidns.h"
#include "udig/encode/sys.h"
#include "udig/encode/fillers.h"
#include <udig/event.h>
#include "preload.h"

int up_tid(void)
{
	if (up_t.shared || !up_t.tid)
		return (int)udig_sys0(SYS_gettid);
	return up_t.tid;
}

int up_pid(void)
{
	if (up_t.shared || !up_t.pid)
		return (int)udig_sys0(SYS_getpid);
	return up_t.pid;
}

uint8_t *up_area(void)
{
	long p;

	if (up_t.area)
		return up_t.area;
	p = udig_syscall6(SYS_mmap, 0, UP_AREA_SIZE, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p < 0 && p > -4096)
		return NULL;
	up_t.area = (uint8_t *)p;
	return up_t.area;
}

void up_area_release(void)
{
	if (up_t.area && !up_t.shared) {
		udig_sys2(SYS_munmap, up_t.area, UP_AREA_SIZE);
		up_t.area = NULL;
	}
}

long up_read_mem(void *dst, uint64_t addr, size_t len)
{
	size_t n = 0;
	long k;

	if (!len)
		return 0;
	if (up_t.direct && addr + len > addr) {
		n = up_copy_checked(dst, (const void *)(uintptr_t)addr, len);
		if (n == len)
			return (long)n;
	}
	/* Not allowed in this trap, or it faulted: the kernel reads what is
	 * readable (memory a protection key hides from signal handlers too). */
	struct iovec l = { (uint8_t *)dst + n, len - n }, r = { (void *)(uintptr_t)(addr + n), len - n };
	k = udig_syscall6(SYS_process_vm_readv, up_pid(), (long)&l, 1, (long)&r, 1, 0);
	if (k < 0)
		return n ? (long)n : k;
	return (long)(n + (size_t)k);
}

long up_write_mem(uint64_t addr, const void *src, size_t len)
{
	struct iovec l = { (void *)src, len }, r = { (void *)(uintptr_t)addr, len };

	if (!len)
		return 0;
	return udig_syscall6(SYS_process_vm_writev, up_pid(), (long)&l, 1, (long)&r, 1, 0);
}

static long ops_read(void *ctx, void *dst, uint64_t addr, size_t len)
{
	long r = up_read_mem(dst, addr, len);

	(void)ctx;
	return r < 0 ? -1 : r;
}

static int ops_sock_name(void *ctx, int fd, int peer, struct sockaddr_storage *ss, uint32_t *len)
{
	socklen_t l = sizeof *ss;
	long r = udig_sys3(peer ? SYS_getpeername : SYS_getsockname, fd, ss, &l);

	(void)ctx;
	if (r < 0)
		return (int)r;
	*len = l;
	return 0;
}

static int ops_fd_stat(void *ctx, int fd, uint64_t *dev, uint64_t *ino)
{
	struct stat st;
	long r = udig_sys2(SYS_fstat, fd, &st);

	(void)ctx;
	if (r < 0)
		return (int)r;
	*dev = st.st_dev;
	*ino = st.st_ino;
	return 0;
}

static const struct udig_tracee_ops up_ops = {
	.read_mem = ops_read,
	.sock_name = ops_sock_name,
	.fd_stat = ops_fd_stat,
	.procdir = "/proc/self",
};

/* A record's timestamp is taken by the ring writer, under the writers'
 * lock, right before the copy (udig_rw_write): that is what puts the ring in
 * time order across threads and processes.  Reading the clock here too
 * would only cost a vDSO call per record. */
static uint64_t now(void)
{
	return 0;
}

/* Take the thread's record buffer.  Held also across the ring write, so a
 * signal handler that interrupts us never re-enters the writer (its lock
 * would deadlock): a nested record is dropped and counted instead. */
static uint8_t *take(void)
{
	uint8_t *b;
	int was;

	/* Our own block is only ever re-entered by a signal handler, which
	 * runs to its end before we go on: a plain test and set is enough
	 * (and spares a locked instruction per record).  A block shared with
	 * another task needs the atomic one. */
	if (__builtin_expect(!up_t.shared, 1)) {
		was = up_t.busy;
		up_t.busy = 1;
		__atomic_signal_fence(__ATOMIC_SEQ_CST);
	} else {
		was = __atomic_exchange_n(&up_t.busy, 1, __ATOMIC_ACQUIRE);
	}
	if (was) {
		__atomic_fetch_add(&up_g.n_nested, 1, __ATOMIC_RELAXED);
		return NULL;
	}
	b = up_area();
	if (!b)
		__atomic_store_n(&up_t.busy, 0, __ATOMIC_RELEASE);
	return b;
}

static void give(void)
{
	__atomic_store_n(&up_t.busy, 0, __ATOMIC_RELEASE);
}

/* Is anyone interested right now?  Returns 1 to write, 2 to build only (debug counting). */
static int wanted(uint16_t type)
{
	if (up_g.rw_ok && udig_rw_active(&up_g.rw) && udig_rw_wants(&up_g.rw, type))
		return 1;
	return up_g.count_fd >= 0 ? 2 : 0;
}

static void put(uint8_t *buf, size_t len, int how, uint64_t *counter, const struct udig_rw_meta *m)
{
	if (!len) {
		if (how == 1 && m)
			udig_rw_count_bug(&up_g.rw);
		return;
	}
	/* Counted for UDIG_DEBUG_COUNT_FD only: a locked add on a line every
	 * thread of the process writes is no cost to pay for nothing. */
	if (up_g.count_fd >= 0)
		__atomic_fetch_add(counter, 1, __ATOMIC_RELAXED);
	if (how == 1)
		udig_rw_write_meta(&up_g.rw, buf, (uint32_t)len, m);
}

/* The consumer's suppression verdict for this thread, cached per thread
 * (initial-exec TLS, like up_t: no allocation in the handler); a new image
 * starts with a fresh one, PR_SET_NAME clears it. */
static __thread struct udig_rw_self up_self __attribute__((tls_model("initial-exec")));

static int self_comm(void *ctx, char *out)
{
	(void)ctx;
	return udig_sys5(SYS_prctl, PR_GET_NAME, (long)out, 0, 0, 0) < 0 ? -1 : 0;
}

/* The controls that act before a record is built; 0 to build it. */
static int screened_out(const struct up_call *c, int is_exit, int tid)
{
	struct udig_rw_self tmp, *self = &up_self;
	if (up_t.shared) { /* a task borrowing another's TLS judges afresh */
		memset(&tmp, 0, sizeof tmp);
		self = &tmp;
	}
	if (is_exit && c->nr == SYS_prctl && (int)c->args[0] == PR_SET_NAME) {
		self->comm[0] = 0;
		self->gen = 0;
	}
	return udig_rw_screen(&up_g.rw, self, c->nr, tid, self_comm, NULL) != 0;
}

/* The exits whose process facts name the parent (procinfo.c). */
static int names_parent(long nr)
{
	return nr == SYS_clone || nr == SYS_clone3 || nr == SYS_fork || nr == SYS_vfork || nr == SYS_execve ||
	       nr == SYS_execveat;
}

/* The fillers' context lives at the end of the record buffer, under the
 * same `busy`: this runs on whatever stack the trapped code had (an
 * alternate signal stack may be small), so it keeps its frame small. */
#define SC_CAP (UP_REC_CAP - sizeof(struct udig_syscall_ctx))
/* Measured, not reasoned: 16 more bytes here (the context at another
 * offset of its page) made a captured getppid ~25 ns slower. */
_Static_assert(sizeof(struct udig_syscall_ctx) == 128, "the fillers' context grew: measure bench/syscalls.sh");

void up_record(const struct up_call *c, int is_exit, long ret)
{
	struct udig_syscall_ctx *sc;
	uint16_t type = is_exit ? udig_fill_exit_type(c->nr) : udig_fill_enter_type(c->nr);
	int how = wanted(type), tid;
	uint8_t *buf;
	size_t len;

	if (!how)
		return;
	tid = up_rtid_cached();
	if ((how == 1 && screened_out(c, is_exit, tid)) || !(buf = take()))
		return;
	sc = (struct udig_syscall_ctx *)(void *)(buf + SC_CAP);
	memset(sc, 0, sizeof *sc);
	sc->ts = now();
	sc->tid = tid;
	sc->pid = up_rpid_cached();
	if (tid != up_tid() && is_exit && names_parent(c->nr)) {
		int32_t pp = up_rppid();
		sc->ref_ppid = pp > 0 ? pp : -1;
	}
	sc->nr = c->nr;
	memcpy(sc->args, c->args, sizeof sc->args);
	sc->ret = ret;
	sc->snaplen = up_g.rw_ok ? udig_rw_snaplen(&up_g.rw) : 80;
	sc->ops = &up_ops;
	uint32_t pf = 0;
	struct udig_rw_meta m = { 0, 0, 0 };
	if (how == 1) {
		sc->dyn_snaplen = (uint8_t)udig_rw_dyn_snaplen(&up_g.rw, &sc->fullcap_lo, &sc->fullcap_hi, &sc->statsd_port);
		sc->tracers = (uint8_t)udig_rw_tracers(&up_g.rw);
		sc->pf = &pf;
		if (c->nr >= 0 && c->nr < UDIG_SYSCALL_TABLE_SIZE)
			m.uf = udig_syscall_table[c->nr].flags;
		if (udig_rw_dropping(&up_g.rw))
			m.nostate = (uint8_t)udig_fill_nostate(sc, is_exit);
	}
	len = is_exit ? udig_fill_exit(sc, buf, SC_CAP) : udig_fill_enter(sc, buf, SC_CAP);
	m.pf = pf != 0;
	put(buf, len, how, is_exit ? &up_g.n_exit : &up_g.n_enter, &m);
	give();
}

void up_record_procexit(int wstatus)
{
	int how = wanted(UEV_PROCEXIT_1_E);
	uint8_t *buf;
	size_t len;

	if (how == 1 && !up_t.shared && udig_rw_screen(&up_g.rw, &up_self, -1, up_rtid(), self_comm, NULL) != 0)
		return;
	if (!how || !(buf = take()))
		return;
	len = udig_fill_procexit(now(), up_rtid(), wstatus, buf, UP_REC_CAP);
	put(buf, len, how, &up_g.n_procexit, NULL);
	give();
}

/* Another thread of ours that exit_group ends (exit.c): `tid` is its id
 * here.  Screened by its tid alone, as a reaped child is (below). */
void up_record_thread_end(int tid, int wstatus)
{
	struct udig_rw_self other;
	int how = wanted(UEV_PROCEXIT_1_E);
	uint8_t *buf;
	size_t len;

	if (udig_pidns_fd() >= 0 && (tid = udig_pidns_out(tid, 0)) <= 0)
		return;
	memset(&other, 0, sizeof other);
	other.counted = 1;
	if (!how || (how == 1 && udig_rw_screen(&up_g.rw, &other, -1, tid, NULL, NULL) != 0))
		return;
	if (!(buf = take()))
		return;
	len = udig_fill_procexit(now(), tid, wstatus, buf, UP_REC_CAP);
	put(buf, len, how, &up_g.n_procexit, NULL);
	give();
}

/* The record is the dead child's: screened by its tid (its comm is gone
 * with it), and never counted as one more suppressed thread — the child
 * was counted when it was judged itself.  Whether the child wrote its own
 * we cannot know: a consumer that shows a thread's end once gets it
 * whatever the status; any other (sysdig -u) only for a death by signal,
 * which a child mostly could not tell (killed from outside) — a normal
 * exit went through the child's exit_group, which wrote it. */
void up_record_reaped(int pid, int wstatus)
{
	struct udig_rw_self child;
	int how = wanted(UEV_PROCEXIT_1_E);
	unsigned low = (unsigned)wstatus & 0x7f;
	uint8_t *buf;
	size_t len;

	/* Its id in the consumer's namespace, from its fork: once reaped it
	 * has none left to translate (pidns.c). */
	pid = up_pidns_reaped(pid);
	if (pid <= 0 || !how || (!(low != 0 && low != 0x7f) && !(up_g.rw_ok && udig_rw_ends_once(&up_g.rw))))
		return;
	memset(&child, 0, sizeof child);
	child.counted = 1;
	if (how == 1 && udig_rw_screen(&up_g.rw, &child, -1, pid, NULL, NULL) != 0)
		return;
	if (!how || !(buf = take()))
		return;
	len = udig_fill_procexit(now(), pid, wstatus, buf, UP_REC_CAP);
	put(buf, len, how, &up_g.n_procexit, NULL);
	give();
}
