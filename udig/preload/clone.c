/*
 * clone, clone3, fork, vfork.
 *
 * Three shapes, by what the child shares with us:
 * - no CLONE_VM (fork and friends): the child has its own copy of our
 *   handler's frame and simply returns through it, after re-arming (SUD is
 *   not inherited) and announcing itself.  A new stack is honoured by
 *   editing the context's RSP.
 * - CLONE_VM with a new stack (threads, posix_spawn): the child must not
 *   return into a frame that belongs to the parent.  It starts in
 *   up_clone_thread (trampoline.S) on its new stack, where the parent left
 *   the program's registers just below the stack pointer; it re-arms,
 *   announces itself and jumps to the program's next instruction.
 * - CLONE_VM without a stack (vfork): the child runs on the parent's stack
 *   and tramples the frames below the program's stack pointer, ours
 *   included.  The parent snapshots them first and restores them when the
 *   kernel lets it run again (up_vfork_run); the child leaves through the
 *   same resume path as a thread.
 * The child-side clone exit (res 0, the child's tid) is written by the child
 * before it runs any program code; the parent writes its own exit.
 */
#include <errno.h>
#include <sched.h>
#include <string.h>
#include <linux/sched.h>
#include <sys/syscall.h>
#include "udig/encode/sys.h"
#include "preload.h"

_Static_assert(offsetof(struct up_vfork, nr) == 208, "trampoline.S V_NR");
_Static_assert(offsetof(struct up_vfork, a) == 216, "trampoline.S V_A");
_Static_assert(offsetof(struct up_vfork, appsp) == 256, "trampoline.S V_APPSP");
_Static_assert(offsetof(struct up_vfork, save) == 264, "trampoline.S V_SAVE");
_Static_assert(offsetof(struct up_vfork, cap) == 272, "trampoline.S V_CAP");
_Static_assert(offsetof(struct up_vfork, len) == 280, "trampoline.S V_LEN");

#define CLONE_ARGS_MAX 128  /* clone3 argument block we copy (size is checked by the kernel) */

/* The child of a fork-like clone, still in our handler. */
void up_after_fork_child(void)
{
	up_t.tid = (int)udig_sys0(SYS_gettid);
	up_t.pid = (int)udig_sys0(SYS_getpid);
	up_pidns_fork_child();
	up_t.busy = 0;
	up_arm_thread();
	if (up_g.rw_ok)
		udig_rw_after_fork(&up_g.rw);
	/* The parent reports what it counted so far; the copy is not ours. */
	up_g.n_enter = up_g.n_exit = up_g.n_procexit = up_g.n_nested = 0;
}

/* First thing a CLONE_VM child runs (from trampoline.S, on its own stack). */
void up_child_entry(struct up_child *ch)
{
	struct up_call c;

	if (!(ch->flags & CLONE_SETTLS) && !(ch->flags & CLONE_VFORK)) {
		/* Still the creator's TLS block, used concurrently: ids are
		 * not cached, and `busy` belongs to whoever holds it. */
		up_t.shared = 1;
	} else {
		/* A fresh block (zeroed by the thread library), or the
		 * suspended vfork parent's, which it restores on resume. */
		up_t.tid = (int)udig_sys0(SYS_gettid);
		up_t.pid = (int)udig_sys0(SYS_getpid);
		/* (the process-wide pidns state stays: this memory is shared) */
		up_t.rtid = up_t.rpid = 0;
	}
	up_arm_thread();
	/* A vfork child takes its own lock owner id; the parent takes its
	 * back when it resumes (they share the writer's memory). */
	if ((ch->flags & CLONE_VFORK) && !(ch->flags & CLONE_THREAD) && up_g.rw_ok)
		udig_rw_after_fork(&up_g.rw);
	c.nr = ch->nr;
	memcpy(c.args, ch->args, sizeof c.args);
	up_record(&c, 1, 0);
}

static void fill_child(struct up_child *ch, const ucontext_t *uc, uint64_t sp,
		       const struct up_call *c, uint64_t flags)
{
	memcpy(ch->regs, uc->uc_mcontext.gregs, sizeof ch->regs);
	ch->regs[REG_RSP] = sp;
	ch->nr = c->nr;
	memcpy(ch->args, c->args, sizeof ch->args);
	ch->flags = flags;
}

/* State of the parent that a vfork child (same memory, same TLS block)
 * may change and the parent must get back. */
struct vfork_keep {
	int tid, pid, rtid, rpid;
	unsigned char sigsys_blocked;
	struct up_ksigaction act[UP_NVSIG];
};

static void keep(struct vfork_keep *k)
{
	k->tid = up_t.tid;
	k->pid = up_t.pid;
	k->rtid = up_t.rtid;
	k->rpid = up_t.rpid;
	k->sigsys_blocked = up_t.sigsys_blocked;
	memcpy(k->act, up_g.app_act, sizeof k->act);
}

static void unkeep(const struct vfork_keep *k)
{
	up_t.tid = k->tid;
	up_t.pid = k->pid;
	up_t.rtid = k->rtid;
	up_t.rpid = k->rpid;
	up_t.sigsys_blocked = k->sigsys_blocked;
	memcpy(up_g.app_act, k->act, sizeof up_g.app_act);
	up_t.busy = 0;
	if (up_g.rw_ok)
		udig_rw_after_fork(&up_g.rw);
}

static long fork_like(const struct up_call *c, ucontext_t *uc, uint64_t newsp)
{
	struct up_call k = *c;
	long r;

	if (newsp) {
		/* The child must come back through our frame (its copy of it)
		 * and only then switch to its new stack: issue the call
		 * without one and set the context's RSP in the child. */
		if (c->nr == SYS_clone) {
			k.args[1] = 0;
		} else {
			uint8_t *area = up_area();
			uint64_t *ca = area ? (uint64_t *)(void *)(area + UP_AREA_SCRATCH) : NULL;
			size_t n = c->args[1] < CLONE_ARGS_MAX ? c->args[1] : CLONE_ARGS_MAX;

			if (!ca || up_read_mem(ca, c->args[0], n) != (long)n) {
				up_record(c, 1, -EFAULT);
				return -EFAULT;
			}
			ca[5] = ca[6] = 0;
			k.args[0] = (uint64_t)(uintptr_t)ca;
		}
	}
	r = udig_syscall6(k.nr, (long)k.args[0], (long)k.args[1], (long)k.args[2],
			  (long)k.args[3], (long)k.args[4], (long)k.args[5]);
	if (r == 0) {
		up_after_fork_child();
		if (newsp)
			uc->uc_mcontext.gregs[REG_RSP] = (greg_t)newsp;
	}
	up_record(c, 1, r);
	return r;
}

static long new_stack(const struct up_call *c, ucontext_t *uc, uint64_t flags, uint64_t newsp)
{
	struct up_child ch;
	uint64_t at = ((newsp - 128 - sizeof ch) & ~(uint64_t)15);
	struct vfork_keep k;
	long r;

	fill_child(&ch, uc, newsp, c, flags);
	if (up_write_mem(at, &ch, sizeof ch) != sizeof ch) {
		/* The stack is not writable: the child would crash natively too. */
		return fork_like(c, uc, 0);
	}
	if (flags & CLONE_VFORK)
		keep(&k);
	else if (!(flags & CLONE_SETTLS))
		up_t.shared = 1;
	r = up_clone_thread(c->nr, (long)c->args[0], (long)c->args[1], (long)c->args[2],
			    (long)c->args[3], (long)c->args[4], (struct up_child *)(uintptr_t)at);
	if (flags & CLONE_VFORK)
		unkeep(&k);
	up_record(c, 1, r);
	return r;
}

static long on_our_stack(const struct up_call *c, ucontext_t *uc, uint64_t flags)
{
	uint8_t *area = up_area();
	struct up_vfork *v;
	struct vfork_keep k;
	uint64_t sp = (uint64_t)uc->uc_mcontext.gregs[REG_RSP];
	long r;

	v = area ? (struct up_vfork *)(void *)(area + UP_AREA_VFORK) : NULL;
	if (!v || v->busy) {
		/* No room, or a vfork child vforking again before its exec:
		 * fall back to a plain fork (memory is copied, not shared). */
		struct up_call f = { .nr = SYS_fork };
		r = fork_like(&f, uc, 0);
		return r;
	}
	memset(v, 0, sizeof *v);
	fill_child(&v->child, uc, sp, c, flags);
	if (c->nr == SYS_clone3) {
		uint64_t *ca = (uint64_t *)(void *)(area + UP_AREA_SCRATCH);
		size_t n = c->args[1] < CLONE_ARGS_MAX ? c->args[1] : CLONE_ARGS_MAX;

		memset(ca, 0, CLONE_ARGS_MAX);
		if (up_read_mem(ca, c->args[0], n) != (long)n)
			return -EFAULT;
		/* stack + stack_size is the child's stack pointer */
		ca[5] = sp - 4096;
		ca[6] = 4096;
		v->nr = SYS_clone3;
		v->a[0] = (uint64_t)(uintptr_t)ca;
		v->a[1] = c->args[1];
	} else {
		v->nr = SYS_clone;
		v->a[0] = c->nr == SYS_vfork ? (CLONE_VM | CLONE_VFORK | SIGCHLD) : c->args[0];
		v->a[1] = sp;
		v->a[2] = c->nr == SYS_vfork ? 0 : c->args[2];
		v->a[3] = c->nr == SYS_vfork ? 0 : c->args[3];
		v->a[4] = c->nr == SYS_vfork ? 0 : c->args[4];
	}
	v->appsp = sp;
	v->save = area + UP_AREA_VFORK + 4096;
	v->cap = UP_VFORK_CAP;
	v->busy = 1;
	keep(&k);
	r = up_vfork_run(v);
	unkeep(&k);
	v->busy = 0;
	if (v->len == (uint64_t)-1) {
		struct up_call f = { .nr = SYS_fork };
		return fork_like(&f, uc, 0);
	}
	up_record(c, 1, r);
	return r;
}

long up_sys_clone(const struct up_call *c, ucontext_t *uc)
{
	uint64_t flags = 0, newsp = 0;

	switch (c->nr) {
	case SYS_fork:
		flags = SIGCHLD;
		break;
	case SYS_vfork:
		flags = CLONE_VM | CLONE_VFORK | SIGCHLD;
		break;
	case SYS_clone:
		flags = c->args[0];
		newsp = c->args[1];
		break;
	case SYS_clone3: {
		uint64_t ca[7];

		if (c->args[1] < sizeof ca || up_read_mem(ca, c->args[0], sizeof ca) != sizeof ca)
			return up_passthrough(c);  /* the kernel reports the error */
		flags = ca[0];
		newsp = ca[5] ? ca[5] + ca[6] : 0;
		break;
	}
	default:
		break;
	}
	up_record(c, 0, 0);
	long r;
	if (flags & CLONE_NEWPID)
		up_pidns_keep();
	if (!(flags & CLONE_THREAD))
		up_pidns_fork_parent();
	if (!(flags & CLONE_VM))
		r = fork_like(c, uc, newsp);
	else if (newsp)
		r = new_stack(c, uc, flags, newsp);
	else if (flags & CLONE_VFORK)
		r = on_our_stack(c, uc, flags);
	else /* CLONE_VM on the same stack without CLONE_VFORK: two tasks on
	      * one stack cannot work natively either; issue it as asked. */
		r = fork_like(c, uc, 0);
	/* (a vfork child has exec'd, or is a zombie: both still have ids) */
	if (r > 0 && !(flags & CLONE_THREAD))
		up_pidns_note_child((int32_t)r);
	return r;
}
