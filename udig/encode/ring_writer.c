/*
 * The producer side of the udig ring (specs/udig-ring.md §5), plus our
 * opt-in extensions (lossless, event mask; see udig/ring.h).
 *
 * udig_rw_open/close use libc; everything else runs inside signal handlers
 * of traced programs: atomics, memcpy and udig_sys* only.
 *
 * Nothing the consumer or a traced program can write is trusted for memory
 * safety: head and tail are range-checked, copies are split at the ring end
 * by our own arithmetic, and a scribbled lock word is broken like a dead one.
 */
#include "ring_writer.h"

#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <udig/event.h>
#include "ring_lock.h"
#include "ring_shm.h"
#include "sys.h"

#define R UDIG_RINGBUF_SIZE
/* Default mode: how long a writer waits for a live but slow lock holder
 * before it drops its event rather than stall the program. */
#define LOCK_MAX_WAIT_MS 50
/* Lossless wait for space: spins, then futex sleeps of at most this long;
 * the consumer's liveness is checked every 64 sleeps or wake-ups. */
#define SPINS 256
#define WAIT_SLICE_NS 1000000L
/* How long, in its own ring, a writer gives up at once on a lock owner it
 * already waited LOCK_MAX_WAIT_MS for. */
#define STUCK_NS 1000000000ull
/* In a shared ring, a consumer that frees no byte for this long is not
 * waited for (any more): anyone may have written its pid there, even the
 * pid of another producer, so progress is the only proof of a reader.
 * Long enough for a real consumer on a loaded machine. */
#define SHARED_STALL_NS 5000000000ull

/* w->mask points here when the mask object could not be mapped: everything
 * is wanted (the consumer filters again on its side). */
static const uint8_t mask_unavailable;
/* w->ctl points here when the .ctl object could not be mapped: no control
 * applies (a capture that asked for one is counted nothing). */
static struct udig_ctl ctl_unavailable;

/* Takes the mapped objects: the first side to map the descriptors
 * initializes the status fields (never head/tail: resetting those is the
 * consumer's job). */
static void rw_adopt(struct udig_ring_writer *w, uint8_t *ring, struct udig_ring_descs *d)
{
	int32_t zero = 0;
	if (__atomic_compare_exchange_n(&d->status.initialized, &zero, 1, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
		d->status.buffer_lock = 0;
		d->status.capturing_pid = 0;
		d->status.stopped = 0;
		*udig_ring_ext_word(d) = 0;
		d->status.last_print_time.tv_nsec = 0;
	}
	w->ring = ring;
	w->descs = d;
	w->pid = (int32_t)getpid();
	w->euid = (uint32_t)geteuid();
	const char *ll = getenv(UDIG_ENV_LOSSLESS);
	w->lossless_forced = ll && *ll && strcmp(ll, "0") != 0;
}

static int is_session(const char *name)
{
	while (*name == '/')
		name++;
	return strncmp(name, UDIG_SESSION_PREFIX, sizeof UDIG_SESSION_PREFIX - 1) == 0;
}

/* "<descs>.ctl" beside "<descs>.mask": the same name with the other
 * (shorter) suffix, so it fits wherever the mask path did. */
static void ctl_path_from_mask(struct udig_ring_writer *w)
{
	size_t n = strlen(w->mask_path), sl = sizeof UDIG_MASK_SUFFIX - 1;
	if (n >= sl && strcmp(w->mask_path + n - sl, UDIG_MASK_SUFFIX) == 0) {
		memcpy(w->ctl_path, w->mask_path, n - sl);
		memcpy(w->ctl_path + n - sl, UDIG_CTL_SUFFIX, sizeof UDIG_CTL_SUFFIX);
	}
}

int udig_rw_open(struct udig_ring_writer *w, const char *ring_name, const char *descs_name, char *err)
{
	memset(w, 0, sizeof *w);
	const char *rn = udig_shm_pick_name(ring_name, UDIG_ENV_RING_NAME, UDIG_RING_NAME_DEFAULT);
	const char *dn = udig_shm_pick_name(descs_name, UDIG_ENV_DESCS_NAME, UDIG_DESCS_NAME_DEFAULT);
	char mask_name[UDIG_RW_PATH_MAX];
	if (udig_shm_mask_name(dn, mask_name, sizeof mask_name) < 0 ||
	    udig_shm_path(mask_name, w->mask_path, sizeof w->mask_path) < 0) {
		if (err)
			strcpy(err, "ring descriptor name too long");
		return -1;
	}
	/* Upstream's protocol lets either side come first; a session ring is
	 * its consumer's alone (udig/ring.h). */
	int session = is_session(rn) || is_session(dn);
	w->shared_ok = udig_shm_shared_opt_in();
	struct udig_shm_req req = { dn, UDIG_DESCS_SIZE, 0600, session ? UDIG_SHM_JOIN : UDIG_SHM_JOIN_OR_CREATE,
				    w->shared_ok };
	int created;
	struct udig_ring_descs *d = udig_shm_attach(&req, &created, err);
	if (!d)
		return -1;
	req.name = rn;
	req.size = R;
	uint8_t *ring = udig_shm_attach(&req, &created, err);
	if (!ring) {
		int e = errno;
		munmap(d, UDIG_DESCS_SIZE);
		errno = e;
		return -1;
	}
	rw_adopt(w, ring, d);
	ctl_path_from_mask(w);
	/* Both fit: the mask's path, longer, did. */
	udig_shm_path(rn, w->ring_path, sizeof w->ring_path);
	udig_shm_path(dn, w->descs_path, sizeof w->descs_path);
	return 0;
}

int udig_rw_open_fds(struct udig_ring_writer *w, int ring_fd, int descs_fd, const char *descs_name, char *err)
{
	memset(w, 0, sizeof *w);
	char mask_name[UDIG_RW_PATH_MAX];
	if (udig_shm_mask_name(descs_name, mask_name, sizeof mask_name) < 0 ||
	    udig_shm_path(mask_name, w->mask_path, sizeof w->mask_path) < 0) {
		if (err)
			strcpy(err, "ring descriptor name too long");
		return -1;
	}
	w->shared_ok = udig_shm_shared_opt_in();
	struct udig_shm_req req = { "inherited ring descriptors", UDIG_DESCS_SIZE, 0600, UDIG_SHM_JOIN, w->shared_ok };
	struct udig_ring_descs *d = udig_shm_map_fd(descs_fd, &req, 0, err);
	if (!d)
		return -1;
	req.name = "inherited ring";
	req.size = R;
	uint8_t *ring = udig_shm_map_fd(ring_fd, &req, 0, err);
	if (!ring) {
		int e = errno;
		munmap(d, UDIG_DESCS_SIZE);
		errno = e;
		return -1;
	}
	rw_adopt(w, ring, d);
	ctl_path_from_mask(w);
	return 0;
}

void udig_rw_close(struct udig_ring_writer *w)
{
	if (w->mask && w->mask != &mask_unavailable)
		munmap((void *)w->mask, UDIG_MASK_BYTES);
	if (w->ctl && w->ctl != &ctl_unavailable)
		munmap(w->ctl, UDIG_CTL_BYTES);
	w->ctl = NULL;
	if (w->ring)
		munmap(w->ring, R);
	if (w->descs)
		munmap(w->descs, UDIG_DESCS_SIZE);
	w->ring = NULL;
	w->descs = NULL;
	w->mask = NULL;
}

void udig_rw_after_fork(struct udig_ring_writer *w)
{
	/* The forking thread's cached owner id names the parent: drop it. */
	udig_lock_self_reset();
	w->pid = (int32_t)udig_sys0(SYS_getpid);
	w->local_drops = 0;
	/* The child's page table has none of the ring's pages: a shared
	 * mapping's entries are not copied at fork. */
	memset(w->pages_probed, 0, sizeof w->pages_probed);
}

int udig_rw_active(const struct udig_ring_writer *w)
{
	if (!w->descs)
		return 0;
	const struct udig_ring_status *s = &w->descs->status;
	return __atomic_load_n(&s->capturing_pid, __ATOMIC_ACQUIRE) != 0 &&
	       __atomic_load_n(&s->stopped, __ATOMIC_RELAXED) == 0;
}

uint32_t udig_rw_snaplen(const struct udig_ring_writer *w)
{
	if (!w->descs)
		return UDIG_DEFAULT_SNAPLEN;
	uint32_t s = __atomic_load_n(&w->descs->status.consumer.snaplen, __ATOMIC_RELAXED);
	/* 0 would mean "uncut" to the encoder; a consumer never asks for that. */
	if (s == 0)
		return UDIG_DEFAULT_SNAPLEN;
	return s > UDIG_MAX_ARG_SIZE ? UDIG_MAX_ARG_SIZE : s;
}

static uint32_t ext_flags(const struct udig_ring_writer *w, int32_t capturing_pid)
{
	return udig_ext_flags(*udig_ring_ext_word(w->descs), capturing_pid);
}

/* Maps one of the consumer's side objects (mask, controls) with raw
 * syscalls (this runs in the signal handler): NULL when absent or not to
 * be trusted.  They only steer what we write, but one another user planted
 * would be theirs to steer: the ring's trust rule applies. */
static void *map_side_object(const struct udig_ring_writer *w, const char *path, size_t size, int writable)
{
	void *got = NULL;
	long fd = udig_sys4(SYS_openat, AT_FDCWD, path, (writable ? O_RDWR : O_RDONLY) | O_CLOEXEC | O_NOFOLLOW, 0);
	if (fd < 0)
		return NULL;
	struct stat st;
	if (udig_sys2(SYS_fstat, fd, &st) == 0 && st.st_size >= (off_t)size &&
	    udig_shm_judge(&st, w->euid, w->shared_ok) == UDIG_SHM_TRUSTED) {
		long p = udig_syscall6(SYS_mmap, 0, (long)size, PROT_READ | (writable ? PROT_WRITE : 0), MAP_SHARED, fd, 0);
		if (p > 0 || p < -4095)
			got = (void *)p;
	}
	udig_sys1(SYS_close, fd);
	return got;
}

/* Maps the consumer's mask object, once per process; raw syscalls because
 * this runs in the signal handler. */
static const uint8_t *mask_get(struct udig_ring_writer *w)
{
	const uint8_t *m = __atomic_load_n(&w->mask, __ATOMIC_ACQUIRE);
	if (m)
		return m;
	const uint8_t *got = map_side_object(w, w->mask_path, UDIG_MASK_BYTES, 0);
	if (!got)
		got = &mask_unavailable;
	const uint8_t *expect = NULL;
	if (!__atomic_compare_exchange_n(&w->mask, &expect, got, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		/* Another thread mapped it meanwhile. */
		if (got != &mask_unavailable)
			udig_sys2(SYS_munmap, got, UDIG_MASK_BYTES);
		return expect;
	}
	return got;
}

static int wants_type(struct udig_ring_writer *w, uint32_t flags, uint16_t type)
{
	if (!(flags & UDIG_EXT_MASK))
		return 1;
	const uint8_t *m = mask_get(w);
	return m == &mask_unavailable || udig_mask_wants(m, type);
}

int udig_rw_wants(const struct udig_ring_writer *w, uint16_t type)
{
	if (!w->descs)
		return 1;
	int32_t pid = __atomic_load_n(&w->descs->status.capturing_pid, __ATOMIC_ACQUIRE);
	/* Mapping the mask on first use caches it in *w (logically const). */
	return wants_type((struct udig_ring_writer *)w, ext_flags(w, pid), type);
}

/* Maps the .ctl object, once per process, as mask_get does; read-write,
 * because producers count into it. */
static struct udig_ctl *ctl_get(struct udig_ring_writer *w)
{
	struct udig_ctl *c = __atomic_load_n(&w->ctl, __ATOMIC_ACQUIRE);
	if (c)
		return c;
	struct udig_ctl *got = w->ctl_path[0] ? map_side_object(w, w->ctl_path, UDIG_CTL_BYTES, 1) : NULL;
	if (!got)
		got = &ctl_unavailable;
	struct udig_ctl *expect = NULL;
	if (!__atomic_compare_exchange_n(&w->ctl, &expect, got, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		if (got != &ctl_unavailable)
			udig_sys2(SYS_munmap, got, UDIG_CTL_BYTES);
		return expect;
	}
	return got;
}

/* The .ctl object in force for this consumer, or NULL. */
static struct udig_ctl *ctl_active(struct udig_ring_writer *w)
{
	if (!w->descs)
		return NULL;
	int32_t pid = __atomic_load_n(&w->descs->status.capturing_pid, __ATOMIC_ACQUIRE);
	if (!(ext_flags(w, pid) & UDIG_EXT_CTL))
		return NULL;
	struct udig_ctl *c = ctl_get(w);
	if (c == &ctl_unavailable || __atomic_load_n(&c->magic, __ATOMIC_ACQUIRE) != UDIG_CTL_MAGIC)
		return NULL;
	return c;
}

static void ctl_count(struct udig_ring_writer *w, size_t off)
{
	struct udig_ctl *c = ctl_active(w);
	if (c)
		__atomic_fetch_add((volatile uint64_t *)(void *)((uint8_t *)c + off), 1, __ATOMIC_RELAXED);
}

void udig_rw_count_bug(struct udig_ring_writer *w)
{
	ctl_count(w, offsetof(struct udig_ctl, n_drops_bug));
}

/* Does comm (NUL-bounded by us) appear in the consumer's list? */
static int comm_listed(const struct udig_ctl *c, const char *comm)
{
	uint32_t n = __atomic_load_n(&c->n_comms, __ATOMIC_RELAXED);
	if (n > UDIG_CTL_MAX_COMMS)
		n = UDIG_CTL_MAX_COMMS;
	for (uint32_t i = 0; i < n; i++) {
		const char *e = c->comms[i];
		uint32_t k = 0;
		/* Byte by byte, never past 15: the entry may lack its NUL. */
		while (k < UDIG_CTL_COMM_LEN - 1 && e[k] == comm[k] && e[k])
			k++;
		if (e[0] && (k == UDIG_CTL_COMM_LEN - 1 || (e[k] == 0 && comm[k] == 0)))
			return 1;
	}
	return 0;
}

static int tid_listed(const struct udig_ctl *c, int64_t tid)
{
	uint32_t n = __atomic_load_n(&c->n_tids, __ATOMIC_RELAXED);
	if (n > UDIG_CTL_MAX_TIDS)
		n = UDIG_CTL_MAX_TIDS;
	for (uint32_t i = 0; i < n; i++)
		if (c->tids[i] == tid)
			return 1;
	return 0;
}

int udig_rw_screen(struct udig_ring_writer *w, struct udig_rw_self *self, long nr, int64_t tid,
		   udig_rw_comm_fn comm, void *ctx)
{
	struct udig_ctl *c = ctl_active(w);
	if (!c)
		return 0;
	uint32_t cf = __atomic_load_n(&c->flags, __ATOMIC_RELAXED);
	int32_t cpid = __atomic_load_n(&w->descs->status.capturing_pid, __ATOMIC_RELAXED);
	/* With an event mask in force the mask is the choice (it holds the
	 * state-keeping events already): simple mode adds nothing to it. */
	if ((cf & UDIG_CTL_SIMPLE) && !(ext_flags(w, cpid) & UDIG_EXT_MASK) && nr >= 0 && nr < UDIG_SYSCALL_TABLE_SIZE &&
	    !(udig_syscall_table[nr].flags & UDIG_UF_SIMPLEDRIVER_KEEP))
		return UDIG_RW_MASKED;
	uint32_t gen = __atomic_load_n(&c->gen, __ATOMIC_ACQUIRE);
	/* gen 0 is "never judged": a consumer's first list is gen >= 1. */
	if (self->gen != gen || !gen) {
		if (!self->comm[0] && (!comm || comm(ctx, self->comm) < 0))
			self->comm[0] = 0;
		self->comm[UDIG_CTL_COMM_LEN - 1] = 0;
		self->suppressed = (uint8_t)((self->comm[0] && comm_listed(c, self->comm)) || tid_listed(c, tid));
		self->gen = gen;
		if (self->suppressed && !self->counted) {
			self->counted = 1;
			__atomic_fetch_add(&c->n_tids_suppressed, 1, __ATOMIC_RELAXED);
		}
	}
	if (!self->suppressed)
		return 0;
	__atomic_fetch_add(&c->n_suppressed, 1, __ATOMIC_RELAXED);
	return UDIG_RW_SUPPRESSED;
}

int udig_rw_ends_once(const struct udig_ring_writer *w)
{
	if (!w->descs)
		return 0;
	int32_t cpid = __atomic_load_n(&w->descs->status.capturing_pid, __ATOMIC_RELAXED);
	return (ext_flags(w, cpid) & UDIG_EXT_ENDS_ONCE) != 0;
}

int udig_rw_dropping(const struct udig_ring_writer *w)
{
	return w->descs && __atomic_load_n(&w->descs->status.consumer.dropping_mode, __ATOMIC_RELAXED) != 0;
}

int udig_rw_dyn_snaplen(const struct udig_ring_writer *w, uint16_t *lo, uint16_t *hi, uint16_t *statsd)
{
	*lo = *hi = *statsd = 0;
	if (!w->descs)
		return 0;
	const struct udig_consumer *k = &w->descs->status.consumer;
	/* A bool in shared memory may hold any byte: only 0 is false. */
	if (!*(const volatile uint8_t *)&k->do_dynamic_snaplen)
		return 0;
	*lo = k->fullcapture_port_range_start;
	*hi = k->fullcapture_port_range_end;
	*statsd = k->statsd_port;
	return 1;
}

int udig_rw_tracers(struct udig_ring_writer *w)
{
	struct udig_ctl *c = ctl_active(w);
	return c && (__atomic_load_n(&c->flags, __ATOMIC_RELAXED) & UDIG_CTL_TRACERS);
}

/* Lossless waits last only while the consumer that asked for them (or, when
 * forced by the environment, any consumer) is still there and capturing. */
struct consumer_watch {
	struct udig_ring_writer *w;
	int32_t pid;
	int unseen;     /* it runs outside our PID namespace: judged by its progress */
};

static int consumer_present(void *arg)
{
	struct consumer_watch *cw = arg;
	const struct udig_ring_status *s = &cw->w->descs->status;
	int32_t pid = __atomic_load_n(&s->capturing_pid, __ATOMIC_ACQUIRE);
	if (pid != cw->pid || __atomic_load_n(&s->stopped, __ATOMIC_RELAXED) != 0)
		return 0;
	if (!cw->w->lossless_forced && !(ext_flags(cw->w, pid) & UDIG_EXT_LOSSLESS))
		return 0;
	/* Alive, and ours or root's: a pid written into the block by anyone
	 * else would have us wait on a process that never reads. */
	int t = udig_pid_trusted(pid, cw->w->euid);
	cw->unseen = t == 1;
	return t >= 0;
}

/* The consumer's lossless request counts only in a ring no other user can
 * write: in a shared ring anyone can forge it, and the consumer's pid with
 * it, so there the ring keeps upstream's drop-and-count unless the program's
 * own environment asked for lossless (UDIG_LOSSLESS=1), and then only while
 * the consumer is seen to make progress (wait_for_space). */
static int lossless_allowed(const struct udig_ring_writer *w, uint32_t flags)
{
	return (w->lossless_forced || (!w->shared_ok && (flags & UDIG_EXT_LOSSLESS))) && !w->consumer_stalled;
}

/* The lock owner to give up on at once, if any: one we already waited
 * LOCK_MAX_WAIT_MS for, still holding the word.  Legitimate contention
 * changes the owner; a forged or dead-but-unprovable one does not, and
 * then costs the program one wait, not one per event.  In our own ring
 * that verdict lasts STUCK_NS (a preempted writer recovers); in a shared
 * one, for good. */
static uint64_t stuck_owner(struct udig_ring_writer *w)
{
	if (!w->stuck_owner)
		return 0;
	if (w->stuck_until == UINT64_MAX || udig_mono_ns() < w->stuck_until)
		return w->stuck_owner;
	w->stuck_owner = 0;
	return 0;
}

/* The record's timestamp, taken under the writers' lock right before the
 * copy: the lock orders every writer of the ring (every process, thread and
 * tracer), so ring order is time order, as the kernel drivers deliver it.
 * CLOCK_REALTIME through libc's vDSO path: no syscall where the clock
 * source allows (a raw one costs over a microsecond on these VMs).  In the
 * preload library this runs in the SIGSYS handler, as record.c's clock
 * read always did; a vDSO fallback syscall would trap while the thread's
 * record buffer is busy and go straight through. */
static uint64_t stamp_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Stores ts over the header's first 8 bytes at ring offset h (wrapping). */
static void stamp_at(uint8_t *ring, uint32_t h, uint64_t ts)
{
	uint32_t first = R - h;
	if (first >= sizeof ts) {
		memcpy(ring + h, &ts, sizeof ts);
	} else {
		memcpy(ring + h, &ts, first);
		memcpy(ring, (const uint8_t *)&ts + first, sizeof ts - first);
	}
}

static void count_drop(struct udig_ring_writer *w)
{
	__atomic_fetch_add(&w->descs->info.n_drops_buffer, 1, __ATOMIC_RELAXED);
	w->local_drops++;
}

/* Waits (lock held) until len bytes are free; 0 when they are, -1 when the
 * consumer went away.  *t is refreshed.  The lock holder is the only writer
 * that can be waiting here, so one flag bit says "wake me". */
static int wait_for_space(struct udig_ring_writer *w, struct consumer_watch *cw, uint32_t len, uint32_t h, uint32_t *t)
{
	struct udig_ring_descs *d = w->descs;
	volatile uint64_t *ww = udig_ring_wait_word(d);
	uint32_t seen = *t;
	uint64_t since = 0;
	for (unsigned i = 0;; i++) {
		*t = __atomic_load_n(&d->info.tail, __ATOMIC_SEQ_CST);
		if (*t < R && len <= udig_ring_free(h, *t))
			break;
		if (i < SPINS) {
			udig_cpu_relax();
			continue;
		}
		if ((i - SPINS) % 64 == 0) {
			if (!consumer_present(cw))
				break;
			/* Shared ring, or a consumer outside our namespace: it
			 * must be seen to make progress. */
			if (w->shared_ok || cw->unseen) {
				uint64_t now = udig_mono_ns();
				if (*t != seen || !since) {
					seen = *t;
					since = now;
				} else if (now - since >= SHARED_STALL_NS) {
					w->consumer_stalled = 1;
					break;
				}
			}
		}
		/* Announce, re-check (the consumer stores tail, then reads the
		 * flag: one of us sees the other), then sleep on tail. */
		__atomic_fetch_or(ww, UDIG_WAIT_WRITER, __ATOMIC_SEQ_CST);
		uint32_t t2 = __atomic_load_n(&d->info.tail, __ATOMIC_SEQ_CST);
		if (t2 == *t)
			udig_futex_wait(&d->info.tail, t2, WAIT_SLICE_NS);
	}
	__atomic_fetch_and(ww, ~(uint64_t)UDIG_WAIT_WRITER, __ATOMIC_SEQ_CST);
	return *t < R && len <= udig_ring_free(h, *t) ? 0 : -1;
}

/* Dropping mode, as the kernel drivers run it (specs/udig-ring.md 5.3):
 * the ratio is clamped to a power of two in 1..128 and the interval
 * derived from it (a forged interval cannot make us drop everything). */
static uint32_t sampling_ratio(const struct udig_consumer *k)
{
	uint32_t r = __atomic_load_n(&k->sampling_ratio, __ATOMIC_RELAXED), p = 1;
	while (p < UDIG_SAMPLING_MAX && p * 2 <= r)
		p *= 2;
	return p;
}

/* Reads a byte of each ring page in [h, h + len) that this process has
 * not yet probed.  The ring is a shared file mapping: a write to a page
 * not yet in this process's page table takes one fault per page, but a
 * read fault maps the whole 64 KB around it (the kernel's fault-around),
 * writable at once, since shared memory needs no write tracking.  Every
 * process writes records all over the 8 MB ring, and took a fault of
 * ~1 µs per page doing so, with the writers' lock held; probed, one per
 * 64 KB, once the consumer made the pages (ring_populate in
 * libcapture/ring/next.c; bench/pipeline_split.sh counts them). */
static void probe_pages(struct udig_ring_writer *w, uint32_t h, uint32_t len)
{
	uint32_t p = h / UDIG_RW_PROBE_PAGE, last = (h + len - 1) % R / UDIG_RW_PROBE_PAGE;
	for (;;) {
		uint8_t bit = (uint8_t)(1u << (p % 8)), *b = &w->pages_probed[p / 8];
		/* Threads of a process share the bits: a bit another thread set
		 * at the same moment may be lost, which costs one probe more. */
		uint8_t seen = __atomic_load_n(b, __ATOMIC_RELAXED);
		if (!(seen & bit)) {
			(void)*(volatile const uint8_t *)(w->ring + (size_t)p * UDIG_RW_PROBE_PAGE);
			__atomic_store_n(b, (uint8_t)(seen | bit), __ATOMIC_RELAXED);
		}
		if (p == last)
			break;
		p = (p + 1) % (R / UDIG_RW_PROBE_PAGE);
	}
}

/* Copies len bytes of rec at ring offset h, stamps ts; returns the new head. */
static uint32_t copy_in(struct udig_ring_writer *w, uint32_t h, const void *rec, uint32_t len, uint64_t ts)
{
	probe_pages(w, h, len);
	uint32_t first = R - h;
	if (first >= len) {
		memcpy(w->ring + h, rec, len);
	} else {
		memcpy(w->ring + h, rec, first);
		memcpy(w->ring, (const uint8_t *)rec + first, len - first);
	}
	stamp_at(w->ring, h, ts);
	uint32_t nh = h + len;
	return nh >= R ? nh - R : nh;
}

/* A DROP_E/DROP_X marker (ratio: UINT32) for the thread of rec, at *h if
 * it fits; else its need_to_insert flag stays set and the next event of
 * any producer retries, as in the drivers.  Lock held. */
static void put_marker(struct udig_ring_writer *w, const void *rec, uint16_t type, uint64_t ts, uint32_t *h, uint32_t t)
{
	struct udig_consumer *k = &w->descs->status.consumer;
	volatile int32_t *need = type == UEV_DROP_E ? &k->need_to_insert_drop_e : &k->need_to_insert_drop_x;
	uint8_t m[UDIG_HDR_SIZE + 2 + 4];
	uint32_t mlen = sizeof m, ratio = sampling_ratio(k);
	uint16_t l = 4;
	uint32_t np = 1;
	memset(m, 0, sizeof m);
	memcpy(m + 8, (const uint8_t *)rec + 8, 8); /* tid */
	memcpy(m + 16, &mlen, 4);
	memcpy(m + 20, &type, 2);
	memcpy(m + 22, &np, 4);
	memcpy(m + UDIG_HDR_SIZE, &l, 2);
	memcpy(m + UDIG_HDR_SIZE + 2, &ratio, 4);
	if (t >= R || mlen > udig_ring_free(*h, t)) {
		*need = 1;
		return;
	}
	*h = copy_in(w, *h, m, mlen, ts);
	*need = 0;
}

/* Under the lock, with the record's timestamp: 1 if dropping mode leaves
 * this record out.  Writes the markers that open or close a sampled span
 * (and any one still pending) at *h. */
static int sample_locked(struct udig_ring_writer *w, const void *rec, uint16_t uf, uint64_t ts, uint32_t *h, uint32_t t)
{
	struct udig_consumer *k = &w->descs->status.consumer;
	if (k->need_to_insert_drop_e == 1)
		put_marker(w, rec, UEV_DROP_E, ts, h, t);
	else if (k->need_to_insert_drop_x == 1)
		put_marker(w, rec, UEV_DROP_X, ts, h, t);
	int dropping = __atomic_load_n(&k->dropping_mode, __ATOMIC_RELAXED) != 0;
	if (dropping && !(uf & UDIG_UF_NEVER_DROP)) {
		uint32_t interval = 1000000000u / sampling_ratio(k);
		if (ts % 1000000000u >= interval) {
			if (k->is_dropping == 0) {
				k->is_dropping = 1;
				put_marker(w, rec, UEV_DROP_E, ts, h, t);
			}
			return 1;
		}
	}
	/* Out of a sampled span: close it, as the drivers do, with an event
	 * that could have been dropped; and (ours) once dropping mode ended,
	 * which the drivers leave unmarked. */
	if (k->is_dropping != 0 && (!dropping || !(uf & UDIG_UF_NEVER_DROP))) {
		k->is_dropping = 0;
		put_marker(w, rec, UEV_DROP_X, ts, h, t);
	}
	return 0;
}

enum udig_rw_result udig_rw_write(struct udig_ring_writer *w, const void *rec, uint32_t len)
{
	return udig_rw_write_meta(w, rec, len, NULL);
}

enum udig_rw_result udig_rw_write_meta(struct udig_ring_writer *w, const void *rec, uint32_t len,
				       const struct udig_rw_meta *meta)
{
	if (!w->descs)
		return UDIG_RW_INACTIVE;
	struct udig_ring_descs *d = w->descs;
	int32_t cpid = __atomic_load_n(&d->status.capturing_pid, __ATOMIC_ACQUIRE);
	if (cpid == 0 || __atomic_load_n(&d->status.stopped, __ATOMIC_RELAXED) != 0)
		return UDIG_RW_INACTIVE;
	if (len < UDIG_HDR_SIZE || len >= R)
		return UDIG_RW_INVALID;
	uint32_t flags = ext_flags(w, cpid);
	uint16_t type;
	memcpy(&type, (const uint8_t *)rec + 20, sizeof type);
	if (!wants_type(w, flags, type))
		return UDIG_RW_MASKED;
	uint16_t uf = meta ? meta->uf : UDIG_UF_NEVER_DROP;
	/* Dropping mode and a span to close are the only reasons to look
	 * further: two loads on the common path. */
	struct udig_consumer *k = &d->status.consumer;
	int sampling = __atomic_load_n(&k->dropping_mode, __ATOMIC_RELAXED) != 0 ||
		       __atomic_load_n(&k->is_dropping, __ATOMIC_RELAXED) != 0;
	if (sampling && __atomic_load_n(&k->dropping_mode, __ATOMIC_RELAXED) != 0 && meta &&
	    (meta->nostate || ((uf & UDIG_UF_ALWAYS_DROP) && !(uf & UDIG_UF_NEVER_DROP)))) {
		ctl_count(w, offsetof(struct udig_ctl, n_sampled));
		return UDIG_RW_SAMPLED;
	}
	if (meta && meta->pf)
		__atomic_fetch_add(&d->info.n_drops_pf, 1, __ATOMIC_RELAXED);

	struct consumer_watch cw = { w, cpid, 0 };
	int lossless = lossless_allowed(w, flags);
	struct udig_lock_wait how = {
		/* Waiting on the lock as long as the consumer lives is for our own
		 * ring, and for writers that cannot be the holder's only hope. */
		.lossless = lossless && !w->shared_ok && !w->lock_wait_cap_ms,
		.max_wait_ms = w->lock_wait_cap_ms ? w->lock_wait_cap_ms : LOCK_MAX_WAIT_MS,
		.keep_waiting = consumer_present,
		.arg = &cw,
		.give_up_on = stuck_owner(w),
	};
	uint64_t self = udig_lock_self();
	int broke;
	/* Counters are updated atomically even under the lock: a writer that
	 * gives up on the lock still counts its event, outside of it. */
	__atomic_fetch_add(&d->info.n_evts, 1, __ATOMIC_RELAXED);
	if (udig_lock_acquire(&d->status.buffer_lock, self, &how, &broke) < 0) {
		if (!how.lossless && how.last_owner && how.last_owner != how.give_up_on) {
			w->stuck_owner = how.last_owner;
			w->stuck_until = w->shared_ok ? UINT64_MAX : udig_mono_ns() + STUCK_NS;
		}
		count_drop(w);
		return UDIG_RW_DROPPED;
	}

	uint32_t h = __atomic_load_n(&d->info.head, __ATOMIC_RELAXED);
	uint32_t t = __atomic_load_n(&d->info.tail, __ATOMIC_ACQUIRE);
	if (h >= R) /* scribbled: restart where the consumer is */
		h = t < R ? t : 0;
	uint32_t h0 = h;
	uint64_t ts = stamp_now();
	if (sampling && sample_locked(w, rec, uf, ts, &h, t)) {
		/* Sampled events are not events to the drivers' counters either. */
		__atomic_fetch_sub(&d->info.n_evts, 1, __ATOMIC_RELAXED);
		if (h != h0) {
			__atomic_thread_fence(__ATOMIC_SEQ_CST);
			__atomic_store_n(&d->info.head, h, __ATOMIC_SEQ_CST);
		}
		udig_lock_release(&d->status.buffer_lock, self);
		ctl_count(w, offsetof(struct udig_ctl, n_sampled));
		return UDIG_RW_SAMPLED;
	}
	if (t >= R || len > udig_ring_free(h, t)) {
		if (!lossless || wait_for_space(w, &cw, len, h, &t) < 0) {
			if (h != h0) { /* a marker went in */
				__atomic_thread_fence(__ATOMIC_SEQ_CST);
				__atomic_store_n(&d->info.head, h, __ATOMIC_SEQ_CST);
			}
			udig_lock_release(&d->status.buffer_lock, self);
			count_drop(w);
			return UDIG_RW_DROPPED;
		}
	}

	uint32_t nh = copy_in(w, h, rec, len, ts);
	/* Every byte before head: the consumer trusts anything below it. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	__atomic_store_n(&d->info.head, nh, __ATOMIC_SEQ_CST);
	udig_lock_release(&d->status.buffer_lock, self);
	/* Our consumer may be asleep on head (seq_cst store, then load: it sets
	 * the flag, then re-reads head — one of us sees the other). */
	if (__atomic_load_n(udig_ring_wait_word(d), __ATOMIC_SEQ_CST) & UDIG_WAIT_CONSUMER)
		udig_futex_wake(&d->info.head);
	return UDIG_RW_WRITTEN;
}
