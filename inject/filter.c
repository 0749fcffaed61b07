/*
 * Seccomp BPF for syscall selection.  Unselected syscalls return ALLOW
 * whatever their arguments, so the kernel's action cache lets them through
 * without running the program: they pay only the seccomp slow path
 * (~+60 ns), never a stop.
 */
#include <errno.h>
#include <stddef.h>
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

unsigned inj_filter_build(const uint8_t *mask, uint32_t action, uint64_t cookie,
                          struct sock_filter *out)
{
	unsigned n = 0, hit_at, i;
	unsigned ja_at[INJECT_NSYSCALLS];
	unsigned nja = 0;
	long nr;

	out[n++] = stmt(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
	out[n++] = jump(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0);
	out[n++] = stmt(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	out[n++] = stmt(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
	/* One compare per selected number; the far jump to the hit block uses
	 * BPF_JA, whose offset is not limited to 255 like jt/jf. */
	for (nr = 0; nr < INJECT_NSYSCALLS; nr++) {
		if (!(mask[nr >> 3] & (1u << (nr & 7))))
			continue;
		out[n++] = jump(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)nr, 0, 1);
		ja_at[nja++] = n;
		out[n++] = stmt(BPF_JMP | BPF_JA, 0);
	}
	out[n++] = stmt(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	hit_at = n;
	if (cookie) {
		out[n++] = stmt(BPF_LD | BPF_W | BPF_ABS, ARG_LO(5));
		out[n++] = jump(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)cookie, 0, 2);
		out[n++] = stmt(BPF_LD | BPF_W | BPF_ABS, ARG_HI(5));
		out[n++] = jump(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)(cookie >> 32), 1, 0);
		out[n++] = stmt(BPF_RET | BPF_K, action);
		out[n++] = stmt(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	} else {
		out[n++] = stmt(BPF_RET | BPF_K, action);
	}
	for (i = 0; i < nja; i++)
		out[ja_at[i]].k = hit_at - (ja_at[i] + 1);
	return n;
}

long inj_filter_install(const struct sock_filter *prog, unsigned len, unsigned flags)
{
	struct sock_fprog fp = { (unsigned short)len, (struct sock_filter *)prog };
	long r = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &fp);
	return r < 0 ? -errno : r;
}
