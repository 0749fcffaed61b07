/* The seccomp filter both engines install in the program they launch. */
#ifndef INJECT_FILTER_H
#define INJECT_FILTER_H

#include <stdint.h>
#include <linux/filter.h>

/* Room for the largest filter inj_filter_build() makes. */
#define INJ_FILTER_MAX 1100

/*
 * Builds a filter that returns `action` for every native x86_64 syscall
 * selected in mask and SECCOMP_RET_ALLOW for everything else (other ABIs
 * included: i386 and x32 numbers mean different syscalls and are not
 * captured).  all_creators: the syscalls that create a task (clone, clone3,
 * fork, vfork) return `action` too, in every ABI, so that the engine sees
 * every task its tree creates (see inj_filter_creates_task).
 * cookie != 0: a selected syscall whose 6th argument equals the
 * cookie is allowed instead — the launcher's own hand-off syscalls between
 * installing the filter and exec (the program never learns the cookie: it
 * lives in the kernel's copy of the filter only).  Returns the number of
 * instructions.
 */
unsigned inj_filter_build(const uint8_t *mask, uint32_t action, uint64_t cookie, int all_creators,
                          struct sock_filter *out);

/* Whether syscall nr of ABI arch (seccomp_data.arch; x32 numbers carry
 * __X32_SYSCALL_BIT) creates a task. */
int inj_filter_creates_task(uint32_t arch, long nr);

/* seccomp(SECCOMP_SET_MODE_FILTER, flags, prog): the result of the syscall
 * (a listener fd with SECCOMP_FILTER_FLAG_NEW_LISTENER), or -errno. */
long inj_filter_install(const struct sock_filter *prog, unsigned len, unsigned flags);

#endif
