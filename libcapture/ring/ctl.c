/*
 * libscap's capture controls on a live ring: sampling (dropping mode),
 * suppression, dynamic snaplen and the full-capture ports, simple mode,
 * tracer capture.  Those the consumer block has fields for go there, as
 * the reference writes them; the rest go into the ".ctl" object
 * (udig/ring.h, UDIG_EXT_CTL), which the producers also count into.
 *
 * Producers map that object read-write, so a traced program can scribble
 * on it: our requests (flags, comms, tids and their counts) are kept in
 * ring_src.req and only ever written to it, never read back.
 */
#include <string.h>
#include <sys/mman.h>
#include "../../udig/encode/ring_shm.h"
#include "live.h"

#define NS_PER_S 1000000000u

int ring_ctl_name(const char *mask_name, char *out, size_t size)
{
	size_t n = strlen(mask_name), sl = sizeof UDIG_MASK_SUFFIX - 1;
	if (n < sl || strcmp(mask_name + n - sl, UDIG_MASK_SUFFIX) != 0 || n - sl + sizeof UDIG_CTL_SUFFIX > size)
		return -1;
	memcpy(out, mask_name, n - sl);
	memcpy(out + n - sl, UDIG_CTL_SUFFIX, sizeof UDIG_CTL_SUFFIX);
	return 0;
}

void ring_ctl_stats(const struct ring_src *s, struct udig_stats *st)
{
	const struct udig_ctl *k = s->ctl;
	if (!k)
		return;
	st->suppressed = __atomic_load_n(&k->n_suppressed, __ATOMIC_RELAXED);
	st->tids_suppressed = __atomic_load_n(&k->n_tids_suppressed, __ATOMIC_RELAXED);
	st->sampled = __atomic_load_n(&k->n_sampled, __ATOMIC_RELAXED);
	st->drops_bug = __atomic_load_n(&k->n_drops_bug, __ATOMIC_RELAXED);
}

/* The live source of c, or NULL (with the error set) for a file. */
static struct ring_src *live(const udig_capture *c, const char *what)
{
	if (c->ops != &ring_live_ops) {
		capture_seterr((udig_capture *)c, "%s captures do not support %s", c->ops->name, what);
		return NULL;
	}
	return c->src;
}

static void publish_ext(struct ring_src *s, uint32_t flag)
{
	if (s->ext_flags & flag)
		return;
	s->ext_flags |= flag;
	if (s->owner)
		__atomic_store_n(udig_ring_ext_word(s->descs), udig_ext_make(s->pid, s->ext_flags), __ATOMIC_SEQ_CST);
}

/* Creates (or takes over and clears) the .ctl object and publishes it. */
static struct udig_ctl *ctl_get(udig_capture *c, struct ring_src *s)
{
	if (s->ctl)
		return s->ctl;
	char err[UDIG_ERRBUF_SIZE];
	int created;
	struct udig_shm_req req = { s->ctl_name, UDIG_CTL_BYTES, s->mode, s->create, s->shared_ok };
	struct udig_ctl *k = udig_shm_attach(&req, &created, err);
	if (!k) {
		capture_seterr(c, "capture controls: %s", err);
		return NULL;
	}
	/* A previous consumer's lists and counts are not ours. */
	memset(k, 0, UDIG_CTL_BYTES);
	k->gen = 1;
	__atomic_store_n(&k->magic, UDIG_CTL_MAGIC, __ATOMIC_RELEASE);
	s->ctl = k;
	publish_ext(s, UDIG_EXT_CTL);
	return k;
}

static void bump(struct udig_ctl *k)
{
	uint32_t g = k->gen + 1;
	__atomic_store_n(&k->gen, g ? g : 1, __ATOMIC_SEQ_CST);
}

void ring_ctl_repair(struct ring_src *s)
{
	struct udig_ctl *k = s->ctl;
	if (!k)
		return;
	int fixed = 0;
	/* Entries before counts, as when they were first published: a producer
	 * that sees a count finds the entries it covers in place. */
	for (uint32_t i = 0; i < s->req.n_comms; i++)
		if (memcmp(k->comms[i], s->req.comms[i], UDIG_CTL_COMM_LEN)) {
			memcpy(k->comms[i], s->req.comms[i], UDIG_CTL_COMM_LEN);
			fixed = 1;
		}
	for (uint32_t i = 0; i < s->req.n_tids; i++)
		if (k->tids[i] != s->req.tids[i]) {
			k->tids[i] = s->req.tids[i];
			fixed = 1;
		}
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (k->n_comms != s->req.n_comms || k->n_tids != s->req.n_tids || k->flags != s->req.flags ||
	    k->magic != UDIG_CTL_MAGIC) {
		__atomic_store_n(&k->n_comms, s->req.n_comms, __ATOMIC_SEQ_CST);
		__atomic_store_n(&k->n_tids, s->req.n_tids, __ATOMIC_SEQ_CST);
		__atomic_store_n(&k->flags, s->req.flags, __ATOMIC_SEQ_CST);
		__atomic_store_n(&k->magic, UDIG_CTL_MAGIC, __ATOMIC_SEQ_CST);
		fixed = 1;
	}
	/* Producers cache their verdicts per thread until gen moves. */
	if (fixed)
		bump(k);
}

int udig_sampling_start(udig_capture *c, uint32_t ratio)
{
	struct ring_src *s = live(c, "dropping mode");
	if (!s)
		return UDIG_NOT_SUPPORTED;
	if (ratio == 0 || ratio > UDIG_SAMPLING_MAX || (ratio & (ratio - 1))) {
		capture_seterr(c, "sampling ratio %u: must be 1, 2, 4, 8, 16, 32, 64 or 128", ratio);
		return UDIG_ILLEGAL_INPUT;
	}
	/* The producers count what they sample out into the .ctl object. */
	if (!ctl_get(c, s))
		return UDIG_FAILURE;
	struct udig_consumer *k = &s->descs->status.consumer;
	/* Interval and ratio first: a producer that sees the mode sees them. */
	__atomic_store_n(&k->sampling_interval, NS_PER_S / ratio, __ATOMIC_SEQ_CST);
	__atomic_store_n(&k->sampling_ratio, ratio, __ATOMIC_SEQ_CST);
	__atomic_store_n(&k->dropping_mode, 1, __ATOMIC_SEQ_CST);
	return UDIG_OK;
}

int udig_sampling_stop(udig_capture *c)
{
	struct ring_src *s = live(c, "dropping mode");
	if (!s)
		return UDIG_NOT_SUPPORTED;
	struct udig_consumer *k = &s->descs->status.consumer;
	/* As the drivers' ioctl; a span still open is closed by our producers
	 * with a DROP_X at their next event. */
	__atomic_store_n(&k->dropping_mode, 0, __ATOMIC_SEQ_CST);
	__atomic_store_n(&k->sampling_interval, NS_PER_S, __ATOMIC_SEQ_CST);
	__atomic_store_n(&k->sampling_ratio, 1, __ATOMIC_SEQ_CST);
	return UDIG_OK;
}

int udig_suppress_comm(udig_capture *c, const char *comm)
{
	struct ring_src *s = live(c, "suppression");
	if (!s)
		return UDIG_NOT_SUPPORTED;
	size_t n = comm ? strlen(comm) : 0;
	if (n == 0 || n >= UDIG_CTL_COMM_LEN) {
		capture_seterr(c, "suppressed comm \"%s\": must be 1 to %u bytes (a task's comm)", comm ? comm : "",
			       UDIG_CTL_COMM_LEN - 1);
		return UDIG_ILLEGAL_INPUT;
	}
	struct udig_ctl *k = ctl_get(c, s);
	if (!k)
		return UDIG_FAILURE;
	uint32_t i = s->req.n_comms;
	for (uint32_t j = 0; j < i; j++)
		if (strncmp(s->req.comms[j], comm, UDIG_CTL_COMM_LEN) == 0)
			return UDIG_OK;
	if (i >= UDIG_CTL_MAX_COMMS) {
		capture_seterr(c, "too many suppressed comms (at most %u)", UDIG_CTL_MAX_COMMS);
		return UDIG_ILLEGAL_INPUT;
	}
	memset(s->req.comms[i], 0, UDIG_CTL_COMM_LEN);
	memcpy(s->req.comms[i], comm, n);
	s->req.n_comms = i + 1;
	memcpy(k->comms[i], s->req.comms[i], UDIG_CTL_COMM_LEN);
	__atomic_store_n(&k->n_comms, s->req.n_comms, __ATOMIC_SEQ_CST);
	bump(k);
	return UDIG_OK;
}

int udig_suppress_tid(udig_capture *c, int64_t tid)
{
	struct ring_src *s = live(c, "suppression");
	if (!s)
		return UDIG_NOT_SUPPORTED;
	if (tid <= 0 || tid > INT32_MAX) {
		capture_seterr(c, "suppressed tid %lld: not a thread id", (long long)tid);
		return UDIG_ILLEGAL_INPUT;
	}
	struct udig_ctl *k = ctl_get(c, s);
	if (!k)
		return UDIG_FAILURE;
	if (udig_check_suppressed_tid(c, tid))
		return UDIG_OK;
	uint32_t i = s->req.n_tids;
	if (i >= UDIG_CTL_MAX_TIDS) {
		capture_seterr(c, "too many suppressed tids (at most %u)", UDIG_CTL_MAX_TIDS);
		return UDIG_ILLEGAL_INPUT;
	}
	s->req.tids[i] = tid;
	s->req.n_tids = i + 1;
	k->tids[i] = tid;
	__atomic_store_n(&k->n_tids, s->req.n_tids, __ATOMIC_SEQ_CST);
	bump(k);
	return UDIG_OK;
}

int udig_check_suppressed_tid(const udig_capture *c, int64_t tid)
{
	const struct ring_src *s = c->ops == &ring_live_ops ? c->src : NULL;
	for (uint32_t i = 0; s && i < s->req.n_tids; i++)
		if (s->req.tids[i] == tid)
			return 1;
	return 0;
}

int udig_enable_dynamic_snaplen(udig_capture *c, int enabled)
{
	struct ring_src *s = live(c, "dynamic snaplen");
	if (!s)
		return UDIG_NOT_SUPPORTED;
	__atomic_store_n(&s->descs->status.consumer.do_dynamic_snaplen, enabled != 0, __ATOMIC_SEQ_CST);
	return UDIG_OK;
}

int udig_set_fullcapture_port_range(udig_capture *c, uint16_t lo, uint16_t hi)
{
	struct ring_src *s = live(c, "full-capture ports");
	if (!s)
		return UDIG_NOT_SUPPORTED;
	if (lo == 0 || lo > hi) {
		capture_seterr(c, "full-capture port range %u-%u: need 1 <= low <= high", lo, hi);
		return UDIG_ILLEGAL_INPUT;
	}
	struct udig_consumer *k = &s->descs->status.consumer;
	__atomic_store_n(&k->fullcapture_port_range_start, lo, __ATOMIC_SEQ_CST);
	__atomic_store_n(&k->fullcapture_port_range_end, hi, __ATOMIC_SEQ_CST);
	return UDIG_OK;
}

static int set_flag(udig_capture *c, uint32_t flag, const char *what)
{
	struct ring_src *s = live(c, what);
	if (!s)
		return UDIG_NOT_SUPPORTED;
	struct udig_ctl *k = ctl_get(c, s);
	if (!k)
		return UDIG_FAILURE;
	s->req.flags |= flag;
	__atomic_store_n(&k->flags, s->req.flags, __ATOMIC_SEQ_CST);
	return UDIG_OK;
}

int udig_enable_simple_mode(udig_capture *c)
{
	return set_flag(c, UDIG_CTL_SIMPLE, "simple mode");
}

int udig_enable_tracers_capture(udig_capture *c)
{
	return set_flag(c, UDIG_CTL_TRACERS, "tracer capture");
}
