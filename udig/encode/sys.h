/*
 * The producers' only way into the kernel.
 *
 * Code that runs inside a traced process (the SIGSYS handler, the ring
 * writer, the fillers) must not use libc's syscall wrappers: their `syscall`
 * instructions lie outside the region Syscall User Dispatch lets through, and
 * the seccomp fallback allows exactly one instruction address — the one in
 * udig_syscall6() (syscall.S).  Everything goes through here; the result is
 * the raw kernel value (negative errno on failure), errno is never touched.
 */
#ifndef UDIG_SYS_H
#define UDIG_SYS_H

#include <stddef.h>
#include <stdint.h>

long udig_syscall6(long nr, long a1, long a2, long a3, long a4, long a5, long a6);

/* Address of the `syscall` instruction inside udig_syscall6, and the
 * instruction right after it (for seccomp's instruction_pointer check,
 * which sees the address after the instruction). */
extern const char udig_syscall_insn[];
extern const char udig_syscall_insn_end[];

#define udig_sys0(nr) udig_syscall6((nr), 0, 0, 0, 0, 0, 0)
#define udig_sys1(nr, a) udig_syscall6((nr), (long)(a), 0, 0, 0, 0, 0)
#define udig_sys2(nr, a, b) udig_syscall6((nr), (long)(a), (long)(b), 0, 0, 0, 0)
#define udig_sys3(nr, a, b, c) udig_syscall6((nr), (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define udig_sys4(nr, a, b, c, d) udig_syscall6((nr), (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)
#define udig_sys5(nr, a, b, c, d, e) udig_syscall6((nr), (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), 0)

#endif
