/*
 * The preload engine's fast path (issue 12): hot syscall sites that SUD has
 * seen are rewritten into a 5-byte `jmp rel32` to a per-site trampoline
 * that calls the recorder directly, so later calls from that site cost a
 * call and a return instead of a SIGSYS round trip.  SUD stays the safety
 * net: anything not rewritten still traps, and a trampoline that cannot
 * take a call (a syscall with its own path in handler.c) executes a real
 * `syscall`, which traps.
 *
 * handler.c and init.c reach the rewriter only through the hooks below; a
 * build without Zydis (configure) gets them as no-ops and stays trap-only.
 */
#ifndef UDIG_REWRITE_H
#define UDIG_REWRITE_H

#include <signal.h>
#include <ucontext.h>
#include "config.h"

struct up_call;

#ifdef HAVE_ZYDIS
/* init.c, once armed: UDIG_REWRITE, UDIG_VERBOSE, CPU and kernel features. */
void urw_init(void);
/* handler.c, after a plain passthrough of syscall nr from the site that
 * ends at gregs[REG_RIP]: may that site be rewritten? */
void urw_seen(const greg_t *g, long nr);
/* handler.c, end of every trap: the mask the program resumes with. */
void urw_trap_done(const ucontext_t *uc);
/* handler.c, the program's rt_sigreturn: the mask its frame restores. */
void urw_sigreturn(const ucontext_t *uc);
/* handler.c, rt_sigaction: notes handlers that run with SIGSEGV/SIGBUS
 * blocked; 1 if it handled the call itself (result in *r), never so far. */
int urw_sigaction(const struct up_call *c, long *r);
/* handler.c, around clone/fork/vfork: a child never copies a half patch. */
void urw_fork_enter(const struct up_call *c);
void urw_fork_leave(void);
/* handler.c, exit_group: the -v report of a process that runs no destructor. */
void urw_exit(void);
#else
static inline void urw_init(void) {}
static inline void urw_seen(const greg_t *g, long nr) { (void)g; (void)nr; }
static inline void urw_trap_done(const ucontext_t *uc) { (void)uc; }
static inline void urw_sigreturn(const ucontext_t *uc) { (void)uc; }
static inline int urw_sigaction(const struct up_call *c, long *r) { (void)c; (void)r; return 0; }
static inline void urw_fork_enter(const struct up_call *c) { (void)c; }
static inline void urw_fork_leave(void) {}
static inline void urw_exit(void) {}
#endif

#endif
