/*
 * Arming: our SIGSYS action and Syscall User Dispatch for one thread.
 * SUD is per task and is not inherited by clone/fork children, so every new
 * task re-arms itself (clone.c); execve clears it and the new image's
 * constructor arms again.
 */
#include <sys/syscall.h>
#include <linux/prctl.h>

#ifndef SA_RESTORER
#define SA_RESTORER 0x04000000 /* x86: the kernel takes sa_restorer only with this flag */
#endif
#include "udig/encode/sys.h"
#include "preload.h"

#ifndef PR_SET_SYSCALL_USER_DISPATCH
#define PR_SET_SYSCALL_USER_DISPATCH 59
#endif
#ifndef PR_SYS_DISPATCH_ON
#define PR_SYS_DISPATCH_ON 1
#endif
#define UP_SUD_ALLOW 0
#define UP_SUD_BLOCK 1

int up_arm_thread(void)
{
	long r;

	if (up_g.mode != UP_SUD)
		return 0;
	/* Our own code (the library's executable segment) is always let
	 * through; everything else traps while the selector says BLOCK, which
	 * it always does: the handler never flips it, so a task that shares
	 * this TLS block (CLONE_VM without CLONE_SETTLS) shares a constant. */
	up_t.selector = UP_SUD_ALLOW;
	r = udig_sys5(SYS_prctl, PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_ON,
		      up_g.text_start, up_g.text_end - up_g.text_start, &up_t.selector);
	if (r < 0)
		return (int)r;
	up_t.selector = UP_SUD_BLOCK;
	return 0;
}

int up_install_handler(void)
{
	struct up_ksigaction act = { 0 }, old;
	long r;

	r = udig_sys4(SYS_rt_sigaction, SIGSYS, 0, &old, 8);
	if (r < 0)
		return (int)r;
	up_g.app_act[UP_VSIG_SYS] = old;
	/* SA_NODEFER: a SIGSYS forced while SIGSYS is blocked kills the
	 * process, and the handler must be re-entered when a program signal
	 * handler that interrupted it makes a syscall.  No sa_mask: the handler
	 * runs with the program's own mask, so the syscalls it performs are
	 * interrupted exactly as they would be natively (EINTR, SA_RESTART).
	 * Our restorer: glibc's lies outside the allowed region. */
	act.handler = (uint64_t)(uintptr_t)up_sigsys;
	act.flags = SA_SIGINFO | SA_NODEFER | SA_RESTORER;
	act.restorer = (uint64_t)(uintptr_t)up_restorer;
	act.mask = 0;
	r = udig_sys4(SYS_rt_sigaction, SIGSYS, &act, 0, 8);
	return r < 0 ? (int)r : 0;
}
