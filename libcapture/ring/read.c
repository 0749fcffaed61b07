/*
 * Live capture from a udig ring: becoming its consumer (specs/udig-ring.md
 * §4.1), capture control, statistics and closing.  Reading records is in
 * ring/next.c.
 */
#include <errno.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "../../udig/encode/ring_shm.h"
#include "live.h"

#define R UDIG_RINGBUF_SIZE
#define STATSD_PORT 8125

static void ring_close(udig_capture *c);

/* kill(pid, 0) as well: under a hidepid mount of /proc another user's
 * consumer is invisible there, yet alive, and must not be taken over.
 * Never for pid <= 0 (a scribbled word): that would ask about a group. */
static int proc_exists(int32_t pid)
{
	char p[32];
	if (pid <= 0)
		return 0;
	snprintf(p, sizeof p, "/proc/%d", (int)pid);
	return access(p, F_OK) == 0 || kill(pid, 0) == 0 || errno == EPERM;
}

/* "pid 1234 (udig) of user alice (uid 1000)", from /proc/<pid>/status;
 * where that is not readable (hidepid, another pid namespace) the pid and
 * the reason alone. */
static void describe_holder(int32_t pid, char *out, size_t size)
{
	char path[64], line[256], name[64] = "?";
	long ruid = -1, euid = -1;
	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	FILE *f = fopen(path, "re");
	if (!f) {
		snprintf(out, size, "pid %d (its user is unknown: %s: %s)", (int)pid, path, strerror(errno));
		return;
	}
	while (fgets(line, sizeof line, f)) {
		if (!strncmp(line, "Name:", 5))
			sscanf(line + 5, " %63[^\n]", name);
		else if (!strncmp(line, "Uid:", 4) && sscanf(line + 4, "%ld %ld", &ruid, &euid) == 2)
			break;
	}
	fclose(f);
	if (euid < 0) {
		snprintf(out, size, "pid %d (%s)", (int)pid, name);
		return;
	}
	struct passwd pw, *res = NULL;
	char buf[1024];
	if (getpwuid_r((uid_t)euid, &pw, buf, sizeof buf, &res) == 0 && res)
		snprintf(out, size, "pid %d (%s) of user %s (uid %ld)", (int)pid, name, res->pw_name, euid);
	else
		snprintf(out, size, "pid %d (%s) of a user without a name (uid %ld)", (int)pid, name, euid);
}

/*
 * Resetting head/tail races with a producer that passed its gate under a
 * previous consumer and is still copying (the reference ignores this).  We
 * hold the writers' lock across the reset when we can get it within a short
 * while; a dead holder is overruled, a live stuck one is not waited for.
 */
static uint64_t reset_lock(struct udig_ring_descs *d)
{
	uint64_t self = (uint64_t)(uint32_t)getpid() << 32 | (uint32_t)syscall(SYS_gettid);
	for (int i = 0; i < 500; i++) {
		uint64_t v = __atomic_load_n(&d->status.buffer_lock, __ATOMIC_RELAXED);
		int32_t opid = (int32_t)(v >> 32), otid = (int32_t)(uint32_t)v;
		int dead = v != 0 && (opid <= 0 || otid <= 0 || (syscall(SYS_tgkill, opid, otid, 0) < 0 && errno == ESRCH));
		if ((v == 0 || dead) &&
		    __atomic_compare_exchange_n(&d->status.buffer_lock, &v, self, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
			return self;
		struct timespec ts = { 0, 100000 };
		nanosleep(&ts, NULL);
	}
	return 0;
}

static int begin_capture(struct ring_src *s, const struct udig_live_opts *o, const char *descs_name, char *err)
{
	struct udig_ring_descs *d = s->descs;
	int32_t cur = __atomic_load_n(&d->status.capturing_pid, __ATOMIC_ACQUIRE);
	if (cur != 0) {
		if (proc_exists(cur)) {
			char who[UDIG_ERRBUF_SIZE];
			describe_holder(cur, who, sizeof who);
			udig_errf(err, "another udig capture is already active on ring %s: %s; a ring has one "
				  "consumer at a time (other ring names give a capture of its own)", descs_name, who);
			return -1;
		}
		/* A consumer that crashed without closing. */
		__atomic_compare_exchange_n(&d->status.capturing_pid, &cur, 0, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
	}
	/* Our extension word first: it is tied to our pid, so it is inert until
	 * (and unless) our CAS below succeeds, and producers never see our pid
	 * without it. */
	*udig_ring_ext_word(d) = udig_ext_make(s->pid, s->ext_flags);

	uint64_t lk = reset_lock(d);
	/* Any unread data belongs to no one: discard it, as the reference does. */
	d->info.head = 0;
	d->info.tail = 0;
	d->info.n_evts = 0;
	d->info.n_drops_buffer = 0;
	if (lk) {
		uint64_t expect = lk;
		__atomic_compare_exchange_n(&d->status.buffer_lock, &expect, 0, 0, __ATOMIC_RELEASE, __ATOMIC_RELAXED);
	}

	int32_t zero = 0;
	if (!__atomic_compare_exchange_n(&d->status.capturing_pid, &zero, s->pid, 0, __ATOMIC_SEQ_CST,
					 __ATOMIC_SEQ_CST)) {
		udig_errf(err, "cannot start the capture: another consumer (pid %d) took the ring first", (int)zero);
		return -1;
	}
	s->owner = 1;
	d->status.stopped = 0;
	d->status.last_print_time.tv_nsec = 0;
	struct udig_consumer *k = &d->status.consumer;
	memset(k, 0, sizeof *k);
	k->snaplen = o->snaplen ? o->snaplen : UDIG_DEFAULT_SNAPLEN;
	k->sampling_ratio = 1;
	k->sampling_interval = 0;
	k->statsd_port = STATSD_PORT;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	s->tail = s->span_end = 0;
	return 0;
}

/* Creates or opens the mask object and makes it say "everything" (or what
 * `bits` says for the types it covers). */
static int mask_setup(struct ring_src *s, const uint8_t *bits, char *err)
{
	if (!s->mask) {
		int created;
		struct udig_shm_req req = { s->mask_name, UDIG_MASK_BYTES, s->mode, s->create, s->shared_ok };
		s->mask = udig_shm_attach(&req, &created, err);
		if (!s->mask)
			return -1;
		memset(s->want, 0xff, sizeof s->want);
		if (bits)
			for (unsigned t = 0; t < UDIG_EVENT_MAX; t++)
				if (!((bits[t >> 3] >> (t & 7)) & 1))
					s->want[t >> 3] &= (uint8_t) ~(1u << (t & 7));
		memcpy(s->mask, s->want, sizeof s->want);
	}
	return 0;
}

udig_capture *ring_live_open(const struct udig_live_opts *o, char *err)
{
	struct ring_src *s = calloc(1, sizeof *s);
	if (!s) {
		udig_errf(err, "out of memory");
		return NULL;
	}
	udig_capture *c = capture_alloc(&ring_live_ops, s);
	if (!c) {
		free(s);
		udig_errf(err, "out of memory");
		return NULL;
	}
	s->pid = (int32_t)getpid();
	s->mode = o->shared_ring ? 0666 : 0600;
	s->shared_ok = o->shared_ring;
	s->create = o->new_ring ? UDIG_SHM_CREATE_NEW : UDIG_SHM_JOIN_OR_CREATE;
	s->backoff_ns = 0;
	memset(s->want, 0xff, sizeof s->want);
	const char *rn = udig_shm_pick_name(o->ring_name, UDIG_ENV_RING_NAME, UDIG_RING_NAME_DEFAULT);
	const char *dn = udig_shm_pick_name(o->descs_name, UDIG_ENV_DESCS_NAME, UDIG_DESCS_NAME_DEFAULT);
	if (udig_shm_mask_name(dn, s->mask_name, sizeof s->mask_name) < 0 ||
	    ring_ctl_name(s->mask_name, s->ctl_name, sizeof s->ctl_name) < 0) {
		udig_errf(err, "ring descriptor name too long: %s", dn);
		goto fail;
	}
	int created;
	struct udig_shm_req req = { dn, UDIG_DESCS_SIZE, s->mode, s->create, s->shared_ok };
	s->descs = udig_shm_attach(&req, &created, err);
	if (!s->descs)
		goto fail;
	req.name = rn;
	req.size = R;
	s->ring = udig_shm_attach(&req, &created, err);
	if (!s->ring)
		goto fail;
	s->populated = created ? 0 : R;
	int32_t zero = 0;
	if (__atomic_compare_exchange_n(&s->descs->status.initialized, &zero, 1, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
		s->descs->status.buffer_lock = 0;
		s->descs->status.capturing_pid = 0;
		s->descs->status.stopped = 0;
		*udig_ring_ext_word(s->descs) = 0;
		s->descs->status.last_print_time.tv_nsec = 0;
	}
	if (o->event_mask) {
		if (mask_setup(s, o->event_mask, err) < 0)
			goto fail;
		s->ext_flags |= UDIG_EXT_MASK;
	}
	if (o->lossless)
		s->ext_flags |= UDIG_EXT_LOSSLESS;
	s->ext_flags |= UDIG_EXT_ENDS_ONCE; /* capture.c, told_twice */

	/* State first, then the pid: events a producer writes once it sees our
	 * pid are all newer than this snapshot. */
	c->self_pid = s->pid;
	char why[UDIG_ERRBUF_SIZE];
	if (procscan_machine(&c->tables.machine, why) == UDIG_OK)
		c->tables.have_machine = 1;
	c->scan_line_of = o->proc_scan_line_of;
	if (o->proc_scan_late && !o->no_proc_scan)
		c->scan_pending = 1;
	else if (!o->no_proc_scan)
		capture_scan(c);
	(void)procscan_users(&c->tables, why);
	(void)procscan_ifaces(&c->tables, why);
	/* Threads that start after this snapshot are read from /proc when
	 * their first event names them (procscan/lookup.c); without the
	 * memory for that they just stay "<NA>", as before. */
	c->lookup = proc_lookup_new();

	if (begin_capture(s, o, dn, err) < 0)
		goto fail;
	return c;
fail:
	udig_close(c);
	return NULL;
}

static void ring_close(udig_capture *c)
{
	struct ring_src *s = c->src;
	if (!s)
		return;
	if (s->descs && s->owner) {
		ring_release(s);
		uint64_t ext = udig_ext_make(s->pid, s->ext_flags);
		__atomic_compare_exchange_n(udig_ring_ext_word(s->descs), &ext, 0, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
		int32_t me = s->pid;
		__atomic_compare_exchange_n(&s->descs->status.capturing_pid, &me, 0, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
	}
	if (s->mask)
		munmap(s->mask, UDIG_MASK_BYTES);
	if (s->ctl)
		munmap(s->ctl, UDIG_CTL_BYTES);
	if (s->ring)
		munmap(s->ring, R);
	if (s->descs)
		munmap(s->descs, UDIG_DESCS_SIZE);
	free(s->scratch);
	free(s);
	c->src = NULL;
}

static int ring_start(udig_capture *c)
{
	struct ring_src *s = c->src;
	s->stopped = 0;
	__atomic_store_n(&s->descs->status.stopped, 0, __ATOMIC_SEQ_CST);
	return UDIG_OK;
}

static int ring_stop(udig_capture *c)
{
	struct ring_src *s = c->src;
	s->stopped = 1;
	__atomic_store_n(&s->descs->status.stopped, 1, __ATOMIC_SEQ_CST);
	return UDIG_OK;
}

static int ring_set_snaplen(udig_capture *c, uint32_t snaplen)
{
	struct ring_src *s = c->src;
	if (snaplen == 0) {
		capture_seterr(c, "snaplen must be at least 1");
		return UDIG_ILLEGAL_INPUT;
	}
	__atomic_store_n(&s->descs->status.consumer.snaplen, snaplen, __ATOMIC_SEQ_CST);
	return UDIG_OK;
}

static int ring_set_eventmask(udig_capture *c, uint16_t type, int enabled)
{
	struct ring_src *s = c->src;
	if (type >= UDIG_EVENT_MAX) {
		capture_seterr(c, "event type %u out of range (0..%u)", type, UDIG_EVENT_MAX - 1);
		return UDIG_ILLEGAL_INPUT;
	}
	char err[UDIG_ERRBUF_SIZE];
	if (mask_setup(s, NULL, err) < 0) {
		capture_seterr(c, "event mask: %s", err);
		return UDIG_FAILURE;
	}
	uint8_t bit = (uint8_t)(1u << (type & 7));
	if (enabled)
		s->want[type >> 3] |= bit;
	else
		s->want[type >> 3] &= (uint8_t)~bit;
	__atomic_store_n(&s->mask[type >> 3], s->want[type >> 3], __ATOMIC_SEQ_CST);
	if (!(s->ext_flags & UDIG_EXT_MASK)) {
		s->ext_flags |= UDIG_EXT_MASK;
		if (s->owner)
			__atomic_store_n(udig_ring_ext_word(s->descs), udig_ext_make(s->pid, s->ext_flags), __ATOMIC_SEQ_CST);
	}
	return UDIG_OK;
}

static void ring_stats(const udig_capture *c, struct udig_stats *st)
{
	const struct ring_src *s = c->src;
	const struct udig_ring_info *i = &s->descs->info;
	st->producer_events = __atomic_load_n(&i->n_evts, __ATOMIC_RELAXED);
	st->drops_buffer = __atomic_load_n(&i->n_drops_buffer, __ATOMIC_RELAXED);
	st->drops_pf = __atomic_load_n(&i->n_drops_pf, __ATOMIC_RELAXED);
	st->drops_invalid += s->bad_heads;
	ring_ctl_stats(s, st);
}

static int ring_restart(udig_capture *c)
{
	capture_seterr(c, "live udig captures cannot restart: a ring's events are gone once read "
			  "(udig_stop and udig_start pause and resume the capture)");
	return UDIG_NOT_SUPPORTED;
}

const struct udig_source_ops ring_live_ops = {
	.name = "live udig",
	.skip_invalid = 1,
	.proc_local = 1,
	.restart = ring_restart,
	.buf_used = ring_buf_used,
	.next = ring_next,
	.close = ring_close,
	.start = ring_start,
	.stop = ring_stop,
	.set_snaplen = ring_set_snaplen,
	.set_eventmask = ring_set_eventmask,
	.stats = ring_stats,
	.wake = ring_wake,
};
