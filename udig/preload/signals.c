/*
 * The program's own signal use, kept working under interception.
 *
 * - SIGSYS's disposition is virtual: the kernel keeps ours, the program sees
 *   and sets its own copy, and SIGSYS that are not our traps go to it.
 *   SIGSEGV and SIGBUS likewise (faults.c), when our handlers for them are
 *   in place: faults of our checked copy never reach the program.
 * - SIGSYS is never really blocked: a SIGSYS forced while blocked kills the
 *   process.  Masks given to rt_sigaction and the mask-swapping waits lose
 *   the bit; rt_sigprocmask remembers it per thread only to report it back.
 * - Every syscall runs inside our handler, and the kernel restores the
 *   handler context's mask on return: rt_sigprocmask is emulated on that
 *   saved mask (uc_sigmask), which becomes the program's mask when we return.
 * - The program's rt_sigreturn (its handlers return through glibc's
 *   restorer, outside our region) is performed on its own stack from ours.
 */
#include <errno.h>
#include <string.h>
#include <sys/syscall.h>
#include "udig/encode/sys.h"
#include "preload.h"

#define UNBLOCKABLE (UP_SIGBIT(SIGKILL) | UP_SIGBIT(SIGSTOP) | UP_SIGBIT(SIGSYS))

const int up_vsig_signo[UP_NVSIG] = {
	[UP_VSIG_SYS] = SIGSYS, [UP_VSIG_SEGV] = SIGSEGV, [UP_VSIG_BUS] = SIGBUS,
};

struct up_ksigaction *up_app_action(int sig)
{
	switch (sig) {
	case SIGSYS:
		return &up_g.app_act[UP_VSIG_SYS];
	case SIGSEGV:
		return up_g.faults_ok ? &up_g.app_act[UP_VSIG_SEGV] : NULL;
	case SIGBUS:
		return up_g.faults_ok ? &up_g.app_act[UP_VSIG_BUS] : NULL;
	default:
		return NULL;
	}
}

long up_sys_rt_sigaction(const struct up_call *c)
{
	struct up_ksigaction act, old, *v;
	int sig = (int)c->args[0];
	long r;

	up_record(c, 0, 0);
	if (c->args[3] != 8) {
		r = -EINVAL;
	} else if ((v = up_app_action(sig))) {
		r = 0;
		old = *v;
		if (c->args[1] && up_read_mem(&act, c->args[1], sizeof act) != sizeof act)
			r = -EFAULT;
		if (!r && c->args[2] && up_write_mem(c->args[2], &old, sizeof old) != sizeof old)
			r = -EFAULT;
		if (!r && c->args[1]) {
			*v = act;
			up_fault_action_sync(sig);
		}
	} else if (c->args[1]) {
		if (up_read_mem(&act, c->args[1], sizeof act) != sizeof act) {
			r = -EFAULT;
		} else {
			act.mask &= ~UP_SIGBIT(SIGSYS);
			r = udig_sys4(SYS_rt_sigaction, c->args[0], &act, c->args[2], 8);
		}
	} else {
		r = udig_sys4(SYS_rt_sigaction, c->args[0], 0, c->args[2], 8);
	}
	up_record(c, 1, r);
	return r;
}

long up_sys_rt_sigprocmask(const struct up_call *c, ucontext_t *uc)
{
	uint64_t *cur = (uint64_t *)(void *)&uc->uc_sigmask;
	uint64_t set = 0, old = *cur;
	long how = (long)c->args[0], r = 0;

	up_record(c, 0, 0);
	if (up_t.sigsys_blocked)
		old |= UP_SIGBIT(SIGSYS);
	if (c->args[3] != 8)
		r = -EINVAL;
	else if (c->args[1] && up_read_mem(&set, c->args[1], sizeof set) != sizeof set)
		r = -EFAULT;
	else if (c->args[1] && how != SIG_BLOCK && how != SIG_UNBLOCK && how != SIG_SETMASK)
		r = -EINVAL;
	else if (c->args[2] && up_write_mem(c->args[2], &old, sizeof old) != sizeof old)
		r = -EFAULT;
	if (!r && c->args[1]) {
		uint64_t m = old;

		if (how == SIG_BLOCK)
			m |= set;
		else if (how == SIG_UNBLOCK)
			m &= ~set;
		else
			m = set;
		up_t.sigsys_blocked = (m & UP_SIGBIT(SIGSYS)) != 0;
		*cur = m & ~UNBLOCKABLE;
	}
	up_record(c, 1, r);
	return r;
}

/* rt_sigsuspend, ppoll, pselect6, epoll_pwait(2): the temporary mask must
 * not block SIGSYS either (a handler that runs during the wait makes
 * syscalls).  Replace the program's mask by a cleaned copy. */
long up_sys_masked_wait(const struct up_call *c)
{
	struct up_call k = *c;
	uint64_t mask;
	struct { uint64_t p; uint64_t len; } ps;
	int mi = -1;
	long r;

	switch (c->nr) {
	case SYS_rt_sigsuspend: mi = 0; break;
	case SYS_ppoll: mi = 3; break;
	case SYS_epoll_pwait: mi = 4; break;
#ifdef SYS_epoll_pwait2
	case SYS_epoll_pwait2: mi = 4; break;
#endif
	default: break;
	}
	if (c->nr == SYS_pselect6) {
		if (c->args[5] && up_read_mem(&ps, c->args[5], sizeof ps) == sizeof ps && ps.p &&
		    ps.len == 8 && up_read_mem(&mask, ps.p, 8) == 8) {
			mask &= ~UP_SIGBIT(SIGSYS);
			ps.p = (uint64_t)(uintptr_t)&mask;
			k.args[5] = (uint64_t)(uintptr_t)&ps;
		}
	} else if (mi >= 0 && c->args[mi] && up_read_mem(&mask, c->args[mi], 8) == 8) {
		mask &= ~UP_SIGBIT(SIGSYS);
		k.args[mi] = (uint64_t)(uintptr_t)&mask;
	}
	up_record(c, 0, 0);
	r = udig_syscall6(k.nr, (long)k.args[0], (long)k.args[1], (long)k.args[2],
			  (long)k.args[3], (long)k.args[4], (long)k.args[5]);
	up_record(c, 1, r);
	return r;
}

void up_sys_app_sigreturn(const struct up_call *c, ucontext_t *uc)
{
	uint64_t sp = (uint64_t)uc->uc_mcontext.gregs[REG_RSP];
	uint64_t mask;
	/* The frame (struct rt_sigframe) starts one word below sp with the
	 * return address; the ucontext follows: its saved mask must not
	 * block SIGSYS either. */
	uint64_t at = sp + offsetof(ucontext_t, uc_sigmask);

	up_record(c, 0, 0);
	up_record(c, 1, 0);
	if (up_read_mem(&mask, at, 8) == 8 && (mask & UP_SIGBIT(SIGSYS))) {
		mask &= ~UP_SIGBIT(SIGSYS);
		up_write_mem(at, &mask, 8);
	}
	up_app_sigreturn(sp);
}

/* Death by a virtual signal whose action is the default (all three dump
 * core): reported, then the signal is raised again with the kernel's
 * default action and its original siginfo. */
static void die_of(int sig, siginfo_t *si)
{
	struct up_ksigaction dfl = { 0 };
	uint64_t m = UP_SIGBIT(sig);
	long pid = udig_sys0(SYS_getpid), tid = udig_sys0(SYS_gettid);

	up_record_procexit(sig | 0x80);
	up_count_flush();
	udig_sys4(SYS_rt_sigaction, sig, &dfl, 0, 8);
	udig_sys4(SYS_rt_sigprocmask, SIG_UNBLOCK, &m, 0, 8);
	if (udig_sys4(SYS_rt_tgsigqueueinfo, pid, tid, sig, si) < 0)
		udig_sys3(SYS_tgkill, pid, tid, sig);
}

/* A virtual signal that is not one of ours, delivered as the program asked. */
void up_forward_signal(int sig, siginfo_t *si, ucontext_t *uc)
{
	struct up_ksigaction *v = up_app_action(sig), a;
	uint64_t cur, want;
	/* Raised by the kernel for a fault or a trap (si_code > 0): such a
	 * signal cannot be ignored, natively it kills when ignored. */
	int forced = si->si_code > 0;

	if (!v)
		return;
	a = *v;
	if (a.handler == (uint64_t)(uintptr_t)SIG_IGN && !forced)
		return;
	if (a.handler == (uint64_t)(uintptr_t)SIG_DFL || a.handler == (uint64_t)(uintptr_t)SIG_IGN) {
		die_of(sig, si);
		return;
	}
	if (a.flags & SA_RESETHAND) {
		v->handler = (uint64_t)(uintptr_t)SIG_DFL;
		up_fault_action_sync(sig);
	}
	/* The mask the program's handler runs with, as the kernel would have
	 * set it; the kernel puts back uc_sigmask when we return.  Our SIGSYS
	 * action is SA_NODEFER, the fault actions are not. */
	memcpy(&cur, &uc->uc_sigmask, sizeof cur);
	want = cur | a.mask | ((a.flags & SA_NODEFER) ? 0 : UP_SIGBIT(sig));
	if (sig != SIGSYS)
		cur |= UP_SIGBIT(sig);
	want &= ~UNBLOCKABLE;
	if (want != cur)
		udig_sys4(SYS_rt_sigprocmask, SIG_SETMASK, &want, 0, 8);
	((void (*)(int, siginfo_t *, void *))(uintptr_t)a.handler)(sig, si, uc);
}
