/*
 * Our SIGSEGV and SIGBUS handlers: what makes up_copy_checked (memcopy.S)
 * safe, so that the fillers read paths and buffers of the program directly
 * instead of through process_vm_readv, a syscall that costs more than a
 * microsecond on these VMs (two of them per open() once cost as much as the
 * SIGSYS trap itself).
 *
 * A fault at up_copy_checked's copy instruction resumes at its fixup, which
 * returns a short count.  Every other SIGSEGV or SIGBUS is the program's:
 * its virtual action (signals.c) is applied, its handler called.  The
 * kernel-level flags follow the program's SA_ONSTACK and SA_RESTART, so its
 * handler runs on the stack it asked for and interrupted calls restart as it
 * asked.
 *
 * The checked copy is only used where the fault can be delivered: SIGSEGV
 * and SIGBUS not blocked in the trapped context (a fault while blocked kills
 * the process) and a TLS block of our own (handler.c decides per trap).
 */
#include <string.h>
#include <sys/syscall.h>
#include "udig/encode/sys.h"
#include "preload.h"

#ifndef SA_RESTORER
#define SA_RESTORER 0x04000000
#endif

static struct up_ksigaction ours(const struct up_ksigaction *app)
{
	struct up_ksigaction a = { 0 };
	int handled = app->handler != (uint64_t)(uintptr_t)SIG_DFL &&
		      app->handler != (uint64_t)(uintptr_t)SIG_IGN;

	a.handler = (uint64_t)(uintptr_t)up_sigfault;
	/* Without a handler of its own, the program never sees the signal
	 * interrupt anything: restart whatever our handler interrupts. */
	a.flags = SA_SIGINFO | SA_RESTORER |
		  (handled ? (app->flags & (SA_ONSTACK | SA_RESTART)) : SA_RESTART);
	a.restorer = (uint64_t)(uintptr_t)up_restorer;
	return a;
}

int up_fault_action_sync(int sig)
{
	struct up_ksigaction *app = up_app_action(sig), a;

	if (!app || sig == SIGSYS)
		return 0;
	a = ours(app);
	return (int)udig_sys4(SYS_rt_sigaction, sig, &a, 0, 8);
}

/* The fault signals' slots: UP_VSIG_SEGV and UP_VSIG_BUS. */
#define FIRST UP_VSIG_SEGV
#define END (UP_VSIG_BUS + 1)

int up_install_fault_handlers(void)
{
	struct up_ksigaction old[UP_NVSIG], a;
	int i, j;
	long r;

	for (i = FIRST; i < END; i++) {
		r = udig_sys4(SYS_rt_sigaction, up_vsig_signo[i], 0, &old[i], 8);
		if (r == 0) {
			a = ours(&old[i]);
			r = udig_sys4(SYS_rt_sigaction, up_vsig_signo[i], &a, 0, 8);
		}
		if (r < 0) {
			for (j = FIRST; j < i; j++)
				udig_sys4(SYS_rt_sigaction, up_vsig_signo[j], &old[j], 0, 8);
			return (int)r;
		}
	}
	for (i = FIRST; i < END; i++)
		up_g.app_act[i] = old[i];
	__atomic_store_n(&up_g.faults_ok, 1, __ATOMIC_RELEASE);
	return 0;
}

void up_restore_fault_handlers(void)
{
	int i;

	if (!up_g.faults_ok)
		return;
	up_g.faults_ok = 0;
	for (i = FIRST; i < END; i++)
		udig_sys4(SYS_rt_sigaction, up_vsig_signo[i], &up_g.app_act[i], 0, 8);
}

/* Did the checked copy fault?  The signal must come from the fault itself
 * (si_code > 0: not a kill() that happened to land on that instruction)
 * and concern the bytes still to copy (rsi onwards), or be a general
 * protection fault (a non-canonical address, reported without one). */
static int copy_faulted(const siginfo_t *si, const greg_t *g)
{
	uintptr_t at = (uintptr_t)si->si_addr, from = (uintptr_t)g[REG_RSI];

	if ((uintptr_t)g[REG_RIP] != (uintptr_t)up_copy_checked_insn || si->si_code <= 0)
		return 0;
	return si->si_code == SI_KERNEL || (at >= from && at - from < (uintptr_t)g[REG_RCX]);
}

void up_sigfault(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	greg_t *g = uc->uc_mcontext.gregs;

	if (copy_faulted(si, g)) {
		g[REG_RIP] = (greg_t)(uintptr_t)up_copy_checked_fixup;
		return;
	}
	up_forward_signal(sig, si, uc);
}
