/*
 * Seccomp BPF for syscall selection.  Unselected syscalls return ALLOW
 * whatever their arguments, so the kernel's action cache lets them through
 * without running the program: they pay only the seccomp slow path
 * (~+60 ns), never a stop.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <sys/syscall.h>

#include "inject/filter.h"
#include "inject/inject.h"

#define ARG_LO(i) ((uint32_t)(offsetof(struct seccomp_data, args) + 8 * (i)))
#define ARG_HI(i) (ARG_LO(i) + 4)

static struct sock_filter stmt(uint16_t code, uint32_t k)
{
	struct sock_filter f = { code, 0, 0, k };
	return f;
}

static struct sock_filter jump(uint16_t code, uint32_t k, uint8_t jt, uint8_t jf)
{
	struct sock_filter f = { code, jt, jf, k };
	return f;
}

/* The syscalls that create a task, by ABI: i386 numbers, and the native
 * numbers x32 shares (with __X32_SYSCALL_BIT set). */
static const uint32_t i386_creators[] = { 2 /* fork */, 120 /* clone */, 190 /* vfork */, 435 /* clone3 */ };
static const uint32_t native_creators[] = { SYS_clone, SYS_fork, SYS_vfork, SYS_clone3 };
#define X32_BIT 0x40000000u
#define NCREATORS (sizeof native_creators / sizeof native_creators[0])

int inj_filter_creates_task(uint32_t arch, long nr)
{
	const uint32_t *set = arch == AUDIT_ARCH_I386 ? i386_creators : native_creators;
	unsigned i;

	if (arch != AUDIT_ARCH_I386 && arch != AUDIT_ARCH_X86_64)
		return 0;
	if (arch == AUDIT_ARCH_X86_64)
		nr &= ~(long)X32_BIT;
	for (i = 0; i < NCREATORS; i++)
		if ((long)set[i] == nr)
			return 1;
	return 0;
}

/* Branches are "JEQ k, 0, 1" followed by a BPF_JA to a label patched at the
 * end: JA's offset is not limited to 255 like jt/jf. */
enum label { L_NATIVE, L_I386, L_HIT };

struct prog {
	struct sock_filter *out;
	unsigned n;
	unsigned ja_at[INJ_FILTER_MAX / 2];   /* a JA follows each JEQ */
	uint8_t ja_to[INJ_FILTER_MAX / 2];
	unsigned nja;
	unsigned at[3];
};

static void put(struct prog *p, struct sock_filter f)
{
	p->out[p->n++] = f;
}

static void jeq_to(struct prog *p, uint32_t k, enum label l)
{
	put(p, jump(BPF_JMP | BPF_JEQ | BPF_K, k, 0, 1));
	p->ja_at[p->nja] = p->n;
	p->ja_to[p->nja++] = (uint8_t)l;
	put(p, stmt(BPF_JMP | BPF_JA, 0));
}

unsigned inj_filter_build(const uint8_t *mask, uint32_t action, uint64_t cookie, int all_creators,
                          struct sock_filter *out)
{
	struct prog p;
	unsigned i;
	long nr;

	memset(&p, 0, sizeof p);
	p.out = out;
	put(&p, stmt(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)));
	jeq_to(&p, AUDIT_ARCH_X86_64, L_NATIVE);
	if (all_creators)
		jeq_to(&p, AUDIT_ARCH_I386, L_I386);
	put(&p, stmt(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
	if (all_creators) {
		p.at[L_I386] = p.n;
		put(&p, stmt(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)));
		for (i = 0; i < NCREATORS; i++)
			jeq_to(&p, i386_creators[i], L_HIT);
		put(&p, stmt(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
	}
	p.at[L_NATIVE] = p.n;
	put(&p, stmt(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)));
	for (nr = 0; nr < INJECT_NSYSCALLS; nr++) {
		int sel = (mask[nr >> 3] & (1u << (nr & 7))) != 0;
		for (i = 0; all_creators && !sel && i < NCREATORS; i++)
			sel = native_creators[i] == (uint32_t)nr;
		if (sel)
			jeq_to(&p, (uint32_t)nr, L_HIT);
	}
	for (i = 0; all_creators && i < NCREATORS; i++)
		jeq_to(&p, native_creators[i] | X32_BIT, L_HIT);
	put(&p, stmt(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
	p.at[L_HIT] = p.n;
	if (cookie) {
		put(&p, stmt(BPF_LD | BPF_W | BPF_ABS, ARG_LO(5)));
		put(&p, jump(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)cookie, 0, 2));
		put(&p, stmt(BPF_LD | BPF_W | BPF_ABS, ARG_HI(5)));
		put(&p, jump(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)(cookie >> 32), 1, 0));
		put(&p, stmt(BPF_RET | BPF_K, action));
		put(&p, stmt(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
	} else {
		put(&p, stmt(BPF_RET | BPF_K, action));
	}
	for (i = 0; i < p.nja; i++)
		out[p.ja_at[i]].k = p.at[p.ja_to[i]] - (p.ja_at[i] + 1);
	return p.n;
}

long inj_filter_install(const struct sock_filter *prog, unsigned len, unsigned flags)
{
	struct sock_fprog fp = { (unsigned short)len, (struct sock_filter *)prog };
	long r = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &fp);
	return r < 0 ? -errno : r;
}
