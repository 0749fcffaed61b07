/*
 * Trampolines: one page per site, within +-2 GB of it (a `jmp rel32` must
 * reach it and it must reach back).  A page is written while private and
 * read-write, then made read-execute and never written again, so no thread
 * ever executes a page in flux and no page is writable and executable.
 *
 *   T:       the window's instructions, relocated (plan.c)
 *            lea -128(%rsp),%rsp        leave the red zone alone
 *            call *entry(%rip)          urw_entry (entry.S), via the header
 *   T_done:  lea 128(%rsp),%rsp
 *            jmp S+2
 *   T_trap:  lea 128(%rsp),%rsp         urw_entry returns here instead when
 *            syscall                    the call must take the trap path:
 *            jmp S+2                    this `syscall` lies outside our
 *                                       region, so SUD catches it
 */
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include "udig/encode/sys.h"
#include "urw.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

#define TRAP_OFF 13             /* T_trap - T_done; entry.S knows it too */

/* Pages we made, to tell our own `syscall` (T_trap) from a program's. */
static uintptr_t pages[URW_MAX_SITES];
static unsigned npages;

int urw_is_tramp(uintptr_t a)
{
	unsigned i, n = __atomic_load_n(&npages, __ATOMIC_ACQUIRE);

	for (i = 0; i < n; i++)
		if (a - pages[i] < URW_TPAGE)
			return 1;
	return 0;
}

static int near(uintptr_t a, uintptr_t b)
{
	int64_t d = (int64_t)(a - b);

	return d > -0x7ff00000LL && d < 0x7ff00000LL;
}

static uintptr_t try_at(uintptr_t hint)
{
	long r = udig_syscall6(SYS_mmap, (long)hint, URW_TPAGE, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);

	if (r < 0 && r > -4096)
		return 0;
	if ((uintptr_t)r != hint) {     /* a kernel that took it as a hint only */
		udig_sys2(SYS_munmap, r, URW_TPAGE);
		return 0;
	}
	return hint;
}

/* A free page near `site`: 1 MB steps first (beside the object), then
 * 64 MB steps, both ways. */
static uintptr_t page_near(uintptr_t site)
{
	uintptr_t base = site & ~(uintptr_t)0xfffff, pg;
	int k, sign;

	for (k = 1; k <= 94; k++) {
		uintptr_t d = k <= 32 ? (uintptr_t)k << 20 : (uintptr_t)(k - 32) << 26;

		for (sign = -1; sign <= 1; sign += 2) {
			uintptr_t h = sign < 0 ? base - d : base + d;

			if ((sign < 0 && h > base) || h >= 0x7ffffffff000ull || h < 0x10000 || !near(h, site) ||
			    !near(h + URW_TPAGE, site))
				continue;
			if ((pg = try_at(h)))
				return pg;
		}
	}
	return 0;
}

static void put_jmp(uint8_t *out, uintptr_t from, uintptr_t to)
{
	int32_t r = (int32_t)(int64_t)(to - (from + 5));

	out[0] = 0xe9;
	memcpy(out + 1, &r, 4);
}

uintptr_t urw_tramp_make(struct urw_plan *pl, int *why)
{
	static const uint8_t lea_down[5] = { 0x48, 0x8d, 0x64, 0x24, 0x80 };
	static const uint8_t lea_up[8] = { 0x48, 0x8d, 0xa4, 0x24, 0x80, 0x00, 0x00, 0x00 };
	uintptr_t pg, t, resume = pl->s + 2, a;
	struct urw_tpage *h;
	uint8_t *c;
	int32_t d;
	size_t o;

	if (npages >= URW_MAX_SITES || !(pg = page_near(pl->p))) {
		*why = URW_R_TRAMP;
		return 0;
	}
	t = pg + URW_TCODE;
	if ((*why = urw_relocate(pl, t))) {
		udig_sys2(SYS_munmap, pg, URW_TPAGE);
		return 0;
	}
	h = (struct urw_tpage *)pg;
	h->magic = URW_TMAGIC;
	h->resume = resume;
	h->entry = (uint64_t)(uintptr_t)urw_entry;
	h->site = pl->s;
	c = (uint8_t *)t;
	memcpy(c, pl->code, pl->len);
	o = pl->len;
	memcpy(c + o, lea_down, sizeof lea_down);
	o += sizeof lea_down;
	a = t + o;                              /* call *entry(%rip) */
	c[o] = 0xff;
	c[o + 1] = 0x15;
	d = (int32_t)(int64_t)((uintptr_t)&h->entry - (a + 6));
	memcpy(c + o + 2, &d, 4);
	o += 6;
	memcpy(c + o, lea_up, sizeof lea_up);   /* T_done */
	o += sizeof lea_up;
	put_jmp(c + o, t + o, resume);
	o += 5;
	memcpy(c + o, lea_up, sizeof lea_up);   /* T_trap */
	o += sizeof lea_up;
	c[o] = 0x0f;
	c[o + 1] = 0x05;
	o += 2;
	put_jmp(c + o, t + o, resume);
	if (udig_sys3(SYS_mprotect, pg, URW_TPAGE, PROT_READ | PROT_EXEC) < 0) {
		udig_sys2(SYS_munmap, pg, URW_TPAGE);
		*why = URW_R_TRAMP;
		return 0;
	}
	pages[npages] = pg;
	__atomic_store_n(&npages, npages + 1, __ATOMIC_RELEASE);
	return t;
}

_Static_assert(sizeof(struct urw_tpage) <= URW_TCODE, "trampoline header");
_Static_assert(TRAP_OFF == 8 + 5, "T_trap - T_done");
