/*
 * The fast path proper: one syscall from a rewritten site, recorded by the
 * very code the trap path runs (up_passthrough: same fillers, same ring
 * writer, same events), performed from our own code region so SUD lets it
 * through.  Runs on the program's stack, below its red zone (tramp.c),
 * with the program's signal mask: a signal may arrive anywhere in here,
 * exactly as it may inside the SIGSYS handler.
 */
#include <sys/syscall.h>
#include "urw.h"

struct urw_frame {
	uint64_t r12, rbx, r11, r10, r9, r8, rdi, rsi, rdx, rcx, rax, rflags, ret;
};

__thread unsigned char urw_mask_ok __attribute__((tls_model("initial-exec")));

int urw_fast(struct urw_frame *f);
int urw_fast(struct urw_frame *f)
{
	const struct urw_tpage *h = (const struct urw_tpage *)(uintptr_t)(f->ret & ~(uint64_t)(URW_TPAGE - 1));
	long nr = (long)f->rax;
	struct up_call c;
	unsigned char direct;

	/* Only calls the handler passes through plainly (it told us which,
	 * urw_seen); everything with a path of its own takes the trap.  So
	 * does a task sharing its creator's TLS block: the trap path knows
	 * how to treat it. */
	if (nr < 0 || nr >= 512 || !(__atomic_load_n(&urw_g.pass[nr >> 6], __ATOMIC_RELAXED) & (1ull << (nr & 63))) ||
	    up_t.shared)
		return 0;
	c.nr = nr;
	c.args[0] = f->rdi;
	c.args[1] = f->rsi;
	c.args[2] = f->rdx;
	c.args[3] = f->r10;
	c.args[4] = f->r8;
	c.args[5] = f->r9;
	/* The fillers may read the program's memory with the checked copy
	 * only if a fault there can reach our handler: the trap path looks at
	 * the interrupted mask; here the last trap's view of it must still
	 * hold (site.c), else they go through process_vm_readv. */
	direct = up_t.direct;
	up_t.direct = up_g.faults_ok && urw_mask_ok && !__atomic_load_n(&urw_g.masking_handlers, __ATOMIC_RELAXED);
	f->rax = (uint64_t)up_passthrough(&c);
	up_t.direct = direct;
	f->rcx = h->resume;
	f->r11 = f->rflags;
	return 1;
}
