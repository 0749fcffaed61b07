/*
 * The rewriter's internals, shared by the files of udig/rewrite/.
 *
 * A site is the address S of a `syscall` instruction (0f 05) that SUD
 * trapped.  Its patch point P is the start of the nearest instruction
 * before S that is at least 5 bytes long, with only relocatable
 * instructions between P and S: the 5 bytes of `jmp rel32` then lie inside
 * that one instruction, so every other instruction boundary of the original
 * code keeps its original bytes.  A thread stopped anywhere (before P, at a
 * later instruction of the window, at S itself, inside a trapped syscall
 * returning to S+2) resumes on original bytes; only P changes, with
 * atomic stores (patch.c).  The trampoline replays the window's
 * instructions (RIP-relative operands and branches fixed up), calls the
 * recorder (entry.S, fast.c) and jumps back to S+2.
 */
#ifndef UDIG_URW_H
#define UDIG_URW_H

#include <stddef.h>
#include <stdint.h>
#include "udig/preload/preload.h"

enum urw_reason {
	URW_R_OBJECT = 1, /* not in a loaded object (a JIT page, our trampolines) */
	URW_R_VDSO,     /* the vDSO */
	URW_R_MAIN,     /* the main program: programs may checksum their own text */
	URW_R_FDE,      /* no .eh_frame entry gives the enclosing function */
	URW_R_DECODE,   /* the function does not decode cleanly onto the site */
	URW_R_SHORT,    /* no instruction of >= 5 bytes within reach before the site */
	URW_R_RELOC,    /* an instruction of the window cannot be moved */
	URW_R_TARGET,   /* a branch of the function lands inside the patched bytes */
	URW_R_TRAMP,    /* no free page within +-2 GB for the trampoline */
	URW_R_PROT,     /* mprotect of the text refused */
	URW_R_SYNC,     /* membarrier SYNC_CORE unavailable */
	URW_R_ALIGN,    /* P is the last byte of an 8-byte word: no atomic first store */
	URW_R_FULL,     /* site table full */
	URW_R_N
};

/* A claimed slot (at != 0) starts COUNTING: the site is decided when its
 * trap count reaches urw_g.after (UDIG_REWRITE_AFTER, default below):
 * rewriting costs about as much as a few dozen traps, which a site that
 * runs a handful of times in a short-lived process never pays back. */
enum { URW_COUNTING = 0, URW_REWRITTEN, URW_REFUSED, URW_INTERNAL };
#define URW_AFTER_DEFAULT 32

struct urw_site {
	uintptr_t at;           /* S; written last (release): 0 = free slot */
	uintptr_t patch;        /* P once rewritten */
	uintptr_t tramp;        /* trampoline code start (replays from P) */
	uint32_t hits;          /* traps seen while COUNTING */
	uint8_t state, reason;  /* state written last (release) */
};

#define URW_MAX_SITES 2048      /* power of two: open addressing on S */
#define URW_MAX_WINDOW 48       /* bytes from P to S */
#define URW_TPAGE 4096

/* The header of a trampoline page (one page per site: a page is never
 * written again once executable, so no thread ever runs a page in flux). */
struct urw_tpage {
	uint64_t magic;
	uint64_t resume;        /* S + 2 */
	uint64_t entry;         /* urw_entry, called through this slot */
	uint64_t site;          /* S */
};
#define URW_TMAGIC 0x7564696772777470ull
#define URW_TCODE 64            /* code starts here in the page */

struct urw_global {
	int enabled;            /* may rewrite (still 1 after the last site: see `off`) */
	int off;                /* rewriting stopped for good in this process (reason) */
	int verbose;
	int switched_off;       /* UDIG_REWRITE=0 */
	unsigned after;         /* traps before a site is decided */
	unsigned claimed;       /* slots in use (atomic) */
	uintptr_t vdso;
	int masking_handlers;   /* some program handler runs with SIGSEGV or SIGBUS blocked */
	int lock;               /* owner pid, 0 = free (patch.c) */
	uint64_t pass[8];       /* syscall numbers handler.c passes through plainly */
	unsigned seen, rewritten, refused[URW_R_N];
	struct urw_site sites[URW_MAX_SITES];
};
extern struct urw_global urw_g;

/* Extended state the recorder may clobber (entry.S): x87, SSE, AVX, AVX-512. */

/* The mask the thread runs with is known not to block SIGSEGV/SIGBUS
 * (set at every trap, which sees it; new threads start unknown). */
extern __thread unsigned char urw_mask_ok __attribute__((tls_model("initial-exec")));

/* A planned rewrite (plan.c). */
struct urw_plan {
	uintptr_t p, s;                 /* patch point, syscall */
	uint8_t code[96];               /* relocated window, position-dependent: built for `at` */
	size_t len;
};

/* fde.c: bounds of the function containing pc from its object's
 * .eh_frame_hdr; 0, or a refusal reason. */
int urw_function(uintptr_t pc, uintptr_t *start, uintptr_t *end);
/* plan.c: choose P and check the window; 0 or a refusal reason. */
int urw_plan(uintptr_t s, struct urw_plan *pl);
/* plan.c: the window's instructions relocated to run at `at`; 0 or a reason. */
int urw_relocate(struct urw_plan *pl, uintptr_t at);
/* tramp.c: a trampoline for the plan; its code start, or 0 with *why. */
uintptr_t urw_tramp_make(struct urw_plan *pl, int *why);
int urw_is_tramp(uintptr_t a);
/* patch.c */
int urw_lock(int wait);
void urw_unlock(void);
int urw_patch(const struct urw_plan *pl, uintptr_t tramp);  /* 0 or a reason; under the lock */
/* site.c, hooks.c, report.c */
extern int urw_pid;
void urw_block_all(uint64_t *old);
void urw_unblock(const uint64_t *old);
void urw_report_init(void);
/* entry.S */
void urw_entry(void);
extern const char urw_entry_end[];

#endif
