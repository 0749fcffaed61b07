/*
 * The SIGSYS handler: one trapped syscall of the program.
 *
 * The kernel rolled the syscall back before raising SIGSYS, so the context
 * holds the program's registers at its `syscall` instruction with RIP just
 * after it; we record the enter event, perform the call from our own code
 * (allowed by SUD's region and by the seccomp filter), record the exit event
 * and leave the result in RAX.  Calls that cannot simply be re-issued from
 * here have their own paths.
 */
#include <errno.h>
#include <string.h>
#include <sys/syscall.h>
#include "udig/encode/sys.h"
#include "preload.h"
#include "seccomp.h"
#include "udig/rewrite/rewrite.h"

#ifndef SYS_USER_DISPATCH
#define SYS_USER_DISPATCH 2
#endif
#ifndef SYS_SECCOMP
#define SYS_SECCOMP 1
#endif

long up_passthrough(const struct up_call *c)
{
	long r;

	up_record(c, 0, 0);
	r = udig_syscall6(c->nr, (long)c->args[0], (long)c->args[1], (long)c->args[2],
			  (long)c->args[3], (long)c->args[4], (long)c->args[5]);
	up_record(c, 1, r);
	return r;
}

/* Is this SIGSYS one of our traps (rather than raise(SIGSYS), a kill from
 * elsewhere, or the program's own seccomp filter)? */
static int ours(const siginfo_t *si)
{
	if (up_g.mode == UP_SUD)
		return si->si_code == SYS_USER_DISPATCH;
	return si->si_code == SYS_SECCOMP && si->si_errno == UP_SECCOMP_DATA;
}

void up_sigsys(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	greg_t *g = uc->uc_mcontext.gregs;
	struct up_call c;
	long r;
	uint64_t mask;
	unsigned char direct = up_t.direct;

	if (!ours(si)) {
		up_forward_signal(sig, si, uc);
		return;
	}
	/* May this trap read the program's memory directly (faults.c)? */
	memcpy(&mask, &uc->uc_sigmask, sizeof mask);
	up_t.direct = up_g.faults_ok && !up_t.shared &&
		      !(mask & (UP_SIGBIT(SIGSEGV) | UP_SIGBIT(SIGBUS)));
	c.nr = si->si_syscall;
	c.args[0] = (uint64_t)g[REG_RDI];
	c.args[1] = (uint64_t)g[REG_RSI];
	c.args[2] = (uint64_t)g[REG_RDX];
	c.args[3] = (uint64_t)g[REG_R10];
	c.args[4] = (uint64_t)g[REG_R8];
	c.args[5] = (uint64_t)g[REG_R9];

	switch (c.nr) {
	case SYS_rt_sigreturn:
		urw_sigreturn(uc);
		up_sys_app_sigreturn(&c, uc);
	case SYS_rt_sigaction:
		if (!urw_sigaction(&c, &r))
			r = up_sys_rt_sigaction(&c);
		break;
	case SYS_rt_sigprocmask:
		r = up_sys_rt_sigprocmask(&c, uc);
		break;
	case SYS_rt_sigsuspend:
	case SYS_ppoll:
	case SYS_pselect6:
	case SYS_epoll_pwait:
#ifdef SYS_epoll_pwait2
	case SYS_epoll_pwait2:
#endif
		r = up_sys_masked_wait(&c);
		break;
	case SYS_clone:
	case SYS_clone3:
	case SYS_fork:
	case SYS_vfork:
		urw_fork_enter(&c);
		r = up_sys_clone(&c, uc);
		urw_fork_leave();
		break;
	case SYS_execve:
	case SYS_execveat:
		r = up_sys_execve(&c);
		break;
	case SYS_setuid:
	case SYS_setreuid:
	case SYS_setresuid:
	case SYS_setfsuid:
		r = up_sys_setid(&c);
		break;
	case SYS_unshare:
	case SYS_setns:
		r = up_sys_pidns(&c);
		break;
	case SYS_exit:
	case SYS_exit_group:
		if (c.nr == SYS_exit_group)
			urw_exit();
		r = up_sys_exit(&c);
		break;
	case SYS_wait4:
	case SYS_waitid:
		r = up_sys_wait(&c);
		break;
	case SYS_kill:
	case SYS_tgkill:
	case SYS_tkill:
		r = up_sys_kill(&c, uc);
		break;
	default:
		r = up_passthrough(&c);
		/* The fast path's door: this site may be rewritten (udig/rewrite). */
		urw_seen(g, c.nr);
		break;
	}
	g[REG_RAX] = r;
	up_t.direct = direct;
	urw_trap_done(uc);
}
