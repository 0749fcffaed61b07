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
 * - Handlers that run on the program's alternate stack get that stack to
 *   themselves (up_call_handler): every syscall they make nests a SIGSYS
 *   frame below them, as big as the frame that brought them there.
 */
#include <errno.h>
#include <string.h>
#include <sys/syscall.h>
#include "udig/encode/sys.h"
#include "preload.h"

#define UNBLOCKABLE (UP_SIGBIT(SIGKILL) | UP_SIGBIT(SIGSTOP) | UP_SIGBIT(SIGSYS))
#ifndef SA_RESTORER
#define SA_RESTORER 0x04000000
#endif

/* The program's actions that asked for SA_ONSTACK, by signal number: the
 * kernel holds up_onstack in their place.  Written before the kernel can
 * deliver to up_onstack; the handler word last, atomically, for readers in
 * other threads. */
static struct up_ksigaction onstack_act[65];

static int wraps(int sig, const struct up_ksigaction *a)
{
	return sig > 0 && sig < 65 && sig != SIGKILL && sig != SIGSTOP && (a->flags & SA_ONSTACK) &&
	       a->handler != (uint64_t)(uintptr_t)SIG_DFL && a->handler != (uint64_t)(uintptr_t)SIG_IGN;
}

static void set_onstack(int sig, const struct up_ksigaction *a)
{
	onstack_act[sig].flags = a->flags;
	onstack_act[sig].restorer = a->restorer;
	onstack_act[sig].mask = a->mask;
	__atomic_store_n(&onstack_act[sig].handler, a->handler, __ATOMIC_RELEASE);
}

/* A real (not virtual) action: the kernel's, with the SIGSYS bit out of its
 * mask and up_onstack standing in for an alternate-stack handler.  What
 * the program reads back is what it set. */
static long real_sigaction(int sig, const struct up_ksigaction *act, uint64_t oldp)
{
	struct up_ksigaction k, old, prev = { 0 };
	long r;

	if (sig > 0 && sig < 65)
		prev = onstack_act[sig];
	if (act) {
		k = *act;
		k.mask &= ~UP_SIGBIT(SIGSYS);
		if (wraps(sig, act)) {
			set_onstack(sig, act);
			k.handler = (uint64_t)(uintptr_t)up_onstack;
			k.flags |= SA_SIGINFO | SA_RESTORER;
			k.restorer = (uint64_t)(uintptr_t)up_restorer;
		}
	}
	r = udig_sys4(SYS_rt_sigaction, sig, act ? &k : 0, oldp ? &old : 0, 8);
	if (r < 0 || !oldp)
		return r;
	if (old.handler == (uint64_t)(uintptr_t)up_onstack)
		old = prev;
	return up_write_mem(oldp, &old, sizeof old) == sizeof old ? 0 : -EFAULT;
}

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
	} else if (c->args[1] && up_read_mem(&act, c->args[1], sizeof act) != sizeof act) {
		r = -EFAULT;
	} else {
		r = real_sigaction(sig, c->args[1] ? &act : NULL, c->args[2]);
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
	up_call_handler(a.handler, sig, si, uc);
}

/* The program's handler returned: its rt_sigreturn, which we perform. */
void up_onstack_return(void)
{
	struct up_call c = { .nr = SYS_rt_sigreturn };

	up_record(&c, 0, 0);
	up_record(&c, 1, 0);
}

void up_onstack(int sig, siginfo_t *si, void *uc)
{
	uint64_t h = sig > 0 && sig < 65 ? __atomic_load_n(&onstack_act[sig].handler, __ATOMIC_ACQUIRE) : 0;

	if (h != (uint64_t)(uintptr_t)SIG_DFL && h != (uint64_t)(uintptr_t)SIG_IGN)
		up_call_handler(h, sig, si, uc);
}

/*
 * Calling a program handler whose kernel frame the kernel put on the
 * program's alternate stack.
 *
 * Natively that frame (about 3 KB with AVX-512: see AT_MINSIGSTKSZ) and
 * the handler share the stack, and the handler's syscalls cost it nothing.
 * Here each of them raises SIGSYS, whose frame the kernel puts right below
 * the handler's stack pointer on the same stack: a second frame of that
 * size, plus our handler's C frames, which a stack sized for the native
 * case (5.5 KB is plenty natively) cannot hold; the kernel then kills the
 * process with SIGSEGV.  Cutting our C frames cannot fix that alone (the
 * kernel frame is most of the cost), and neither SIGSYS nor our C code can
 * move to another stack while a handler is live on the alternate one: the
 * kernel nests a signal on that stack only when the interrupted stack
 * pointer lies on it, so a signal arriving while we ran elsewhere would be
 * built at its top, over the live handler.
 *
 * So while the handler runs its kernel frame waits on a stack of ours (in
 * the per-thread area), and the handler runs from where that frame was:
 * it has the whole stack the program gave, room for the SIGSYS frames of
 * its syscalls.  It still runs on its alternate stack (sigaltstack reports
 * SS_ONSTACK, its stack pointer is where the program expects it); only
 * `si` and `uc` point to our copy, which is what goes back (edits to the
 * context included) before rt_sigreturn.  No syscall is added: two copies
 * of the frame per signal, and rt_sigreturn from our code instead of the
 * program's restorer.  See up_onstack_run in trampoline.S.
 *
 * Our stack nests like the alternate one: a signal that interrupts code on
 * the alternate stack keeps the moved frames live (their handlers are below
 * it), one that interrupts any other code starts afresh, as the kernel does
 * with the alternate stack (a handler left with siglongjmp holds nothing).
 */
#define REDZONE 128
#define FP_XSTATE_MAGIC1_ 0x46505853u  /* <asm/sigcontext.h> FP_XSTATE_MAGIC1 */

_Static_assert(offsetof(struct up_onstack_call, moved) == 32, "trampoline.S K_MOVED");
_Static_assert(offsetof(struct up_onstack_call, fpslot) == 56, "trampoline.S K_FPSLOT");
_Static_assert(offsetof(struct up_onstack_call, slot) == 80, "trampoline.S K_SLOT");

static int within(uint64_t p, uint64_t lo, uint64_t size)
{
	return p - lo < size;
}

/* The end of the kernel's frame, that is of its extended FPU state, or 0
 * when it does not look like one. */
static uint64_t frame_end(const siginfo_t *si, const ucontext_t *uc)
{
	uint64_t fp = (uint64_t)(uintptr_t)uc->uc_mcontext.fpregs, end = (uint64_t)(uintptr_t)(si + 1);
	uint32_t sw[2];

	if ((uint64_t)(uintptr_t)si < (uint64_t)(uintptr_t)uc)
		return 0;
	if (!fp)
		return end;
	if (fp < end || (fp & 63))
		return 0;
	memcpy(sw, (const uint8_t *)(uintptr_t)fp + 464, sizeof sw);  /* struct _fpx_sw_bytes */
	return fp + (sw[0] == FP_XSTATE_MAGIC1_ ? sw[1] : 512);
}

void up_call_handler(uint64_t handler, int sig, siginfo_t *si, ucontext_t *uc)
{
	uint64_t alt = (uint64_t)(uintptr_t)uc->uc_stack.ss_sp, altsz = uc->uc_stack.ss_size;
	/* The frame starts with the return address, just below uc. */
	uint64_t lo = (uint64_t)(uintptr_t)uc - 8, hi = frame_end(si, uc), len = hi - lo;
	uint64_t isp = (uint64_t)uc->uc_mcontext.gregs[REG_RSP];
	uint64_t rb, cur, base, at, sp, d;
	struct up_onstack_call *k;
	uint8_t *area;

	/* Not on the alternate stack (nothing to make room for), or a TLS
	 * block, hence an area, shared with another task: called here. */
	if (up_t.shared || (uc->uc_stack.ss_flags & SS_DISABLE) || !hi || !within(lo, alt, altsz) ||
	    !within(hi - 1, alt, altsz) || len > UP_RELOC_CAP / 4 || !(area = up_area()))
		goto here;
	rb = (uint64_t)(uintptr_t)(area + UP_AREA_RELOC);
	cur = __atomic_load_n(&up_t.reloc_sp, __ATOMIC_RELAXED);
	if (!within(isp, alt, altsz) || !within(cur, rb, UP_RELOC_CAP))
		cur = rb + UP_RELOC_CAP;
	/* Same offset modulo 64 as the original (the FPU state's alignment). */
	base = ((cur - len) & ~(uint64_t)63) + (lo & 63);
	if (base > cur - len)
		base -= 64;
	at = (base - sizeof *k) & ~(uint64_t)15;
	if (cur < rb + len + 1024)
		goto here;  /* nested too deep: called where the kernel put it */
	k = (struct up_onstack_call *)(uintptr_t)at;
	k->pop = cur == rb + UP_RELOC_CAP ? 0 : cur;
	/* Claimed before it is written: a signal from here on nests below. */
	__atomic_store_n(&up_t.reloc_sp, at, __ATOMIC_RELAXED);
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	memcpy((void *)(uintptr_t)base, (const void *)(uintptr_t)lo, len);
	d = base - lo;
	k->handler = handler;
	k->sig = (uint64_t)sig;
	k->si = (uint64_t)(uintptr_t)si + d;
	k->uc = (uint64_t)(uintptr_t)uc + d;
	k->moved = base;
	k->frame = lo;
	k->len = len;
	k->fpslot = 0;
	k->slot = (uint64_t)(uintptr_t)&up_t.reloc_sp;
	if (uc->uc_mcontext.fpregs) {
		fpregset_t *moved = &((ucontext_t *)(uintptr_t)k->uc)->uc_mcontext.fpregs;

		k->fpslot = (uint64_t)(uintptr_t)&uc->uc_mcontext.fpregs;
		k->fp = (uint64_t)(uintptr_t)uc->uc_mcontext.fpregs;
		*moved = (fpregset_t)(uintptr_t)(k->fp + d);
	}
	/* Where the frame began: the stack's top, or below the interrupted
	 * code's red zone when that code was already on it. */
	sp = within(isp, alt, altsz) ? isp - REDZONE : alt + altsz;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	up_onstack_run(k, sp & ~(uint64_t)15);
here:
	((void (*)(int, siginfo_t *, void *))(uintptr_t)handler)(sig, si, uc);
}
