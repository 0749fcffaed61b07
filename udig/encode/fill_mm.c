/*
 * Memory family: mmap, munmap, mprotect, brk.  The exits of mmap, munmap
 * and brk carry the process's memory figures after the call, in KiB, as
 * the driver reads them from the mm (we read /proc: VmSize, VmRSS, VmSwap).
 */
#include "fill_int.h"

void fill_mmap_e(struct fill *f)
{
	p_u64(f, fa(f, 0));
	p_u64(f, fa(f, 1));
	p_u32(f, xl_prot(fa(f, 2)));
	p_u32(f, xl_mmap_flags(fa(f, 3)));
	p_fdarg(f, 4);
	p_u64(f, fa(f, 5));
}

/* mmap, munmap, brk exit: result, then vm_size, vm_rss, vm_swap. */
void fill_mm_x(struct fill *f)
{
	uint32_t size, rss, swap;

	p_res(f);
	fill_vm_sizes(f, &size, &rss, &swap);
	p_u32(f, size);
	p_u32(f, rss);
	p_u32(f, swap);
}

void fill_munmap_e(struct fill *f)
{
	p_u64(f, fa(f, 0));
	p_u64(f, fa(f, 1));
}

void fill_mprotect_e(struct fill *f)
{
	p_u64(f, fa(f, 0));
	p_u64(f, fa(f, 1));
	p_u32(f, xl_prot(fa(f, 2)));
}

void fill_brk_e(struct fill *f) { p_u64(f, fa(f, 0)); }
