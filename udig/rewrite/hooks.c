/*
 * The rewriter's other hooks into the trap path: what the thread's signal
 * mask allows the fast path (fast.c), and forks, which must never copy a
 * patch half done.
 */
#include <string.h>
#include <sys/syscall.h>
#include <linux/sched.h>
#include "udig/encode/sys.h"
#include "urw.h"
#include "rewrite.h"

#define FAULT_BITS (UP_SIGBIT(SIGSEGV) | UP_SIGBIT(SIGBUS))

void urw_block_all(uint64_t *old)
{
	uint64_t all = ~0ull;

	udig_sys4(SYS_rt_sigprocmask, SIG_SETMASK, &all, old, 8);
}

void urw_unblock(const uint64_t *old)
{
	udig_sys4(SYS_rt_sigprocmask, SIG_SETMASK, old, 0, 8);
}

void urw_trap_done(const ucontext_t *uc)
{
	uint64_t m;

	memcpy(&m, &uc->uc_sigmask, sizeof m);
	urw_mask_ok = !(m & FAULT_BITS);
}

void urw_sigreturn(const ucontext_t *uc)
{
	uint64_t m, at = (uint64_t)uc->uc_mcontext.gregs[REG_RSP] + offsetof(ucontext_t, uc_sigmask);

	urw_mask_ok = up_read_mem(&m, at, sizeof m) == sizeof m && !(m & FAULT_BITS);
}

int urw_sigaction(const struct up_call *c, long *r)
{
	struct up_ksigaction a;
	int sig = (int)c->args[0];

	(void)r;
	/* While such a handler runs, a fault in the checked copy would kill:
	 * the fast path stops using it (fast.c). */
	if (c->args[1] && up_read_mem(&a, c->args[1], sizeof a) == sizeof a &&
	    a.handler != (uint64_t)(uintptr_t)SIG_DFL && a.handler != (uint64_t)(uintptr_t)SIG_IGN &&
	    ((a.mask & FAULT_BITS) || sig == SIGSEGV || sig == SIGBUS))
		__atomic_store_n(&urw_g.masking_handlers, 1, __ATOMIC_RELAXED);
	return 0;
}

/* A fork waits for a patch in progress and copies no held lock. */
static __thread uint64_t fork_mask __attribute__((tls_model("initial-exec")));
static __thread unsigned char fork_locked __attribute__((tls_model("initial-exec")));

void urw_fork_enter(const struct up_call *c)
{
	uint64_t flags = 0;

	fork_locked = 0;
	if (!urw_g.enabled)
		return;
	if (c->nr == SYS_clone)
		flags = c->args[0];
	else if (c->nr == SYS_clone3 && up_read_mem(&flags, c->args[0], sizeof flags) != sizeof flags)
		return;
	else if (c->nr == SYS_vfork)
		flags = CLONE_VM;
	if (flags & CLONE_VM)
		return;
	urw_block_all(&fork_mask);
	urw_lock(1);
	fork_locked = 1;
}

void urw_fork_leave(void)
{
	if (!fork_locked)
		return;
	fork_locked = 0;
	urw_pid = up_pid();     /* the parent's own, or the child's new one */
	urw_unlock();
	urw_unblock(&fork_mask);
}

