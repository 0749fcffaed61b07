/*
 * The rewriter's state: its set-up in a new image, and which sites were
 * seen and what became of them.
 *
 * urw_seen runs after every plain passthrough trap, so its common case (a
 * site already decided, or still counting) is one hash probe and an atomic
 * increment.  A site is decided at its urw_g.after-th trap (SUD has seen it
 * execute that often): rewritten if plan.c proves it safe; either way it is
 * never looked at again in this image.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/syscall.h>
#include <linux/membarrier.h>
#include "udig/encode/sys.h"
#include "urw.h"
#include "rewrite.h"

struct urw_global urw_g;
int urw_pid;                    /* the process whose text we may change */

void urw_plan_init(void);   /* plan.c */

static int env_on(const char *name)
{
	const char *v = getenv(name);

	return v && *v && strcmp(v, "0") != 0;
}

void urw_init(void)
{
	const char *v = getenv("UDIG_REWRITE");

	const char *after = getenv("UDIG_REWRITE_AFTER");

	urw_g.verbose = env_on("UDIG_VERBOSE") || env_on("UDIG_REWRITE_VERBOSE");
	urw_g.after = after && atoi(after) > 0 ? (unsigned)atoi(after) : URW_AFTER_DEFAULT;
	if (urw_g.verbose)
		urw_report_init();
	urw_g.switched_off = v && strcmp(v, "0") == 0;
	if (up_g.mode != UP_SUD || urw_g.switched_off)
		return;
	if (udig_sys3(SYS_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE, 0, 0) < 0) {
		urw_g.off = URW_R_SYNC;
		return;
	}
	urw_g.vdso = getauxval(AT_SYSINFO_EHDR);
	urw_plan_init();
	urw_pid = up_pid();
	urw_g.enabled = 1;
}

static unsigned slot_of(uintptr_t s)
{
	return (unsigned)(((uint64_t)s * 0x9e3779b97f4a7c15ull) >> 53) & (URW_MAX_SITES - 1);
}

/* The site's slot, or the free slot where it goes (NULL: table full). */
static struct urw_site *find(uintptr_t s, int *known)
{
	unsigned i = slot_of(s), n;

	for (n = 0; n < URW_MAX_SITES; n++, i = (i + 1) & (URW_MAX_SITES - 1)) {
		uintptr_t at = __atomic_load_n(&urw_g.sites[i].at, __ATOMIC_ACQUIRE);

		if (at == s || !at) {
			*known = at == s;
			return &urw_g.sites[i];
		}
	}
	*known = 0;
	return NULL;
}

static void decide(struct urw_site *e, uintptr_t s)
{
	static struct urw_plan pl;      /* under the lock */
	uintptr_t t;
	int why;

	if (urw_is_tramp(s)) {          /* a trampoline's own trap-path syscall */
		__atomic_store_n(&e->state, URW_INTERNAL, __ATOMIC_RELEASE);
		return;
	}
	why = urw_plan(s, &pl);
	if (!why && (t = urw_tramp_make(&pl, &why))) {
		e->patch = pl.p;
		e->tramp = t;
		why = urw_patch(&pl, t);
	}
	if (why) {
		e->tramp = 0;
		e->reason = (uint8_t)why;
		urw_g.refused[why]++;
		if (why == URW_R_SYNC)
			urw_g.off = why;        /* no later site would fare better */
		__atomic_store_n(&e->state, URW_REFUSED, __ATOMIC_RELEASE);
	} else {
		urw_g.rewritten++;
		__atomic_store_n(&e->state, URW_REWRITTEN, __ATOMIC_RELEASE);
	}
}

void urw_seen(const greg_t *g, long nr)
{
	uintptr_t s = (uintptr_t)g[REG_RIP] - 2, zero = 0;
	struct urw_site *e;
	uint64_t old;
	int known;

	if (nr >= 0 && nr < 512 && !(urw_g.pass[nr >> 6] & (1ull << (nr & 63))))
		__atomic_fetch_or(&urw_g.pass[nr >> 6], 1ull << (nr & 63), __ATOMIC_RELAXED);
	if (!urw_g.enabled || urw_g.off)
		return;
	e = find(s, &known);
	if (!known) {
		/* Claim a slot, lock-free: a site is counted from its first trap. */
		if (!e || __atomic_load_n(&urw_g.claimed, __ATOMIC_RELAXED) >= URW_MAX_SITES * 3 / 4) {
			urw_g.off = URW_R_FULL;
			return;
		}
		if (__atomic_compare_exchange_n(&e->at, &zero, s, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
			__atomic_fetch_add(&urw_g.claimed, 1, __ATOMIC_RELAXED);
			__atomic_fetch_add(&urw_g.seen, 1, __ATOMIC_RELAXED);
		} else if (zero != s) {
			return;                 /* another site took the slot: next time */
		}
	}
	if (__atomic_load_n(&e->state, __ATOMIC_ACQUIRE) != URW_COUNTING ||
	    __atomic_add_fetch(&e->hits, 1, __ATOMIC_RELAXED) < urw_g.after)
		return;
	/* Only the process's own threads decide, each with a TLS of its own
	 * (not a vfork or other CLONE_VM child, borrowing this memory). */
	if (up_t.shared || up_pid() != urw_pid || !urw_lock(0))
		return;
	urw_block_all(&old);
	if (e->state == URW_COUNTING && !urw_g.off)
		decide(e, s);
	urw_unblock(&old);
	urw_unlock();
}

