/*
 * The fallback where Syscall User Dispatch is unavailable: a seccomp filter
 * that traps (SIGSYS, SYS_SECCOMP, data UP_SECCOMP_DATA) every x86_64
 * syscall except those issued by our own `syscall` instructions, identified
 * by the address after the instruction.  It needs no_new_privs when
 * unprivileged.  The filter is inherited by threads and forks (so is our
 * handler) and cannot be removed: it also survives execve, where our handler
 * does not, so exec is refused in this mode (exec.c).
 */
#include <stddef.h>
#include <sys/syscall.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <linux/prctl.h>
#include "udig/encode/sys.h"
#include "preload.h"
#include "seccomp.h"

#define LD_ABS(off) { BPF_LD | BPF_W | BPF_ABS, 0, 0, (uint32_t)(off) }
#define JEQ(k, jt, jf) { BPF_JMP | BPF_JEQ | BPF_K, (jt), (jf), (uint32_t)(k) }
#define RET(k) { BPF_RET | BPF_K, 0, 0, (uint32_t)(k) }

int up_seccomp_install(void)
{
	const char *ok[] = { udig_syscall_insn_end, up_restorer_end, up_app_sigreturn_end,
			     up_clone_thread_end, up_vfork_run_end, up_onstack_run_end };
	enum { N = sizeof ok / sizeof ok[0] };
	struct sock_filter f[3 + 5 * N + 1];
	struct sock_fprog prog;
	size_t i, k = 0;
	long r;

	f[k++] = (struct sock_filter)LD_ABS(offsetof(struct seccomp_data, arch));
	f[k++] = (struct sock_filter)JEQ(AUDIT_ARCH_X86_64, 1, 0);
	f[k++] = (struct sock_filter)RET(SECCOMP_RET_ALLOW);
	for (i = 0; i < N; i++) {
		uint64_t ip = (uint64_t)(uintptr_t)ok[i];
		f[k++] = (struct sock_filter)LD_ABS(offsetof(struct seccomp_data, instruction_pointer));
		f[k++] = (struct sock_filter)JEQ((uint32_t)ip, 0, 3);
		f[k++] = (struct sock_filter)LD_ABS(offsetof(struct seccomp_data, instruction_pointer) + 4);
		f[k++] = (struct sock_filter)JEQ((uint32_t)(ip >> 32), 0, 1);
		f[k++] = (struct sock_filter)RET(SECCOMP_RET_ALLOW);
	}
	f[k++] = (struct sock_filter)RET(SECCOMP_RET_TRAP | UP_SECCOMP_DATA);
	prog.len = (unsigned short)k;
	prog.filter = f;

	r = udig_sys5(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	if (r < 0)
		return (int)r;
	r = udig_sys3(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog);
	return r < 0 ? (int)r : 0;
}
