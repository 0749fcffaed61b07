/*
 * Changing the program's text while its other threads run it.
 *
 * Only the 5 bytes at P change, and P starts one instruction that covers
 * them all (urw.h), so the only way a thread can meet the bytes in flux is
 * to fetch an instruction at P.  Every change a thread could fetch is one
 * aligned atomic store inside one 8-byte word (a fetch sees all of it or
 * none of it), followed by membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED_
 * SYNC_CORE), which makes every running thread of the process serialise its
 * instruction stream before we go on:
 *   - P..P+4 inside one 8-byte word: the jump in one store;
 *   - otherwise (P..P+1 inside one word), the protocol HotSpot uses to patch
 *     live x86 code: a 2-byte self-loop `jmp .` at P (a thread arriving
 *     spins there), then the jump's last 3 bytes (behind the loop, fetched
 *     by no one), then the jump's first 2 bytes over the loop;
 *   - P at the last byte of a word: refused.
 * Not int3-first: the thread that meets an int3 gets a SIGTRAP, and a
 * thread that blocks SIGTRAP (every new glibc thread does, until it has
 * started; many programs' worker threads do for good) dies of it.
 *
 * Everything runs under one lock, with every signal blocked, from the
 * SIGSYS handler of the thread that trapped, so the spin is bounded by a
 * few system calls of ours.
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <linux/membarrier.h>
#include "udig/encode/sys.h"
#include "urw.h"

int urw_lock(int wait)
{
	int me = up_pid(), cur;

	/* A fork never copies a held lock: urw_fork_enter takes it first. */
	for (;;) {
		cur = 0;
		if (__atomic_compare_exchange_n(&urw_g.lock, &cur, me, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
			return 1;
		if (!wait)
			return 0;
		udig_sys0(SYS_sched_yield);
	}
}

void urw_unlock(void)
{
	__atomic_store_n(&urw_g.lock, 0, __ATOMIC_RELEASE);
}

static int sync_core(void)
{
	long r = udig_sys3(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE, 0, 0);

	/* Registration is per address space: a fork child registers anew. */
	if (r == -EPERM &&
	    udig_sys3(SYS_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE, 0, 0) == 0)
		r = udig_sys3(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE, 0, 0);
	return r == 0 ? 0 : -1;
}

/* n bytes at `at`, all inside one aligned 8-byte word, in one store (the
 * word's other bytes written back as they are). */
static void store_in_word(uintptr_t at, const uint8_t *b, size_t n)
{
	uint64_t *w = (uint64_t *)(at & ~(uintptr_t)7);
	uint64_t old = __atomic_load_n(w, __ATOMIC_RELAXED), nv;

	do {
		nv = old;
		memcpy((uint8_t *)&nv + (at & 7), b, n);
	} while (!__atomic_compare_exchange_n(w, &old, nv, 0, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED));
}

int urw_patch(const struct urw_plan *pl, uintptr_t tramp)
{
	static const uint8_t spin[2] = { 0xeb, 0xfe };  /* jmp . */
	uintptr_t lo = pl->p & ~(uintptr_t)4095, hi = (pl->p + 5 + 4095) & ~(uintptr_t)4095;
	uint8_t jmp[5];
	int32_t rel = (int32_t)(int64_t)(tramp - (pl->p + 5));
	unsigned off = pl->p & 7;
	volatile uint8_t *tail = (volatile uint8_t *)(pl->p + 2);

	if (off == 7)
		return URW_R_ALIGN;
	if (sync_core() < 0)
		return URW_R_SYNC;
	/* The text keeps executing meanwhile: write access is added to
	 * read-execute, never instead of it, and read-execute is what it
	 * gets back (fde.c only finds loaded objects' code). */
	if (udig_sys3(SYS_mprotect, lo, hi - lo, PROT_READ | PROT_WRITE | PROT_EXEC) < 0)
		return URW_R_PROT;
	jmp[0] = 0xe9;
	memcpy(jmp + 1, &rel, 4);
	if (off <= 3) {
		store_in_word(pl->p, jmp, 5);
	} else {
		store_in_word(pl->p, spin, 2);
		sync_core();
		tail[0] = jmp[2];
		tail[1] = jmp[3];
		tail[2] = jmp[4];
		sync_core();
		store_in_word(pl->p, jmp, 2);
	}
	sync_core();
	udig_sys3(SYS_mprotect, lo, hi - lo, PROT_READ | PROT_EXEC);
	return 0;
}
