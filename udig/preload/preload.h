/*
 * libudig.so internals: the in-process capture engine.
 *
 * Every syscall of the program traps (Syscall User Dispatch, or a seccomp
 * RET_TRAP filter as fallback) into one SIGSYS handler (handler.c) that
 * records the enter event, performs the call through udig_syscall6() or one
 * of the special paths below, records the exit event and puts the result in
 * the interrupted context.  Special paths, one file each: signal syscalls
 * (signals.c), clone/fork/vfork (clone.c + trampoline.S), execve (exec.c),
 * exit (exit.c), wait4/waitid (wait.c).  The fillers read the program's memory with a copy whose
 * faults our SIGSEGV/SIGBUS handler recovers (memcopy.S, faults.c).  Everything reachable from the handler is async-signal-safe:
 * no malloc, no stdio, no libc locks, syscalls only through udig/encode/sys.h
 * or the instructions in trampoline.S (the only ones the seccomp filter lets
 * through besides udig_syscall6's).
 */
#ifndef UDIG_PRELOAD_H
#define UDIG_PRELOAD_H

#include <stddef.h>
#include <stdint.h>
#include <signal.h>
#include <ucontext.h>
#include "udig/encode/ring_writer.h"

enum up_mode { UP_OFF = 0, UP_SUD, UP_SECCOMP };

/* The kernel's struct sigaction for rt_sigaction (x86_64, 8-byte mask). */
struct up_ksigaction {
	uint64_t handler;
	uint64_t flags;
	uint64_t restorer;
	uint64_t mask;
};

#define UP_SIGBIT(s) (1ULL << ((s) - 1))

/* Signals whose disposition is virtual (signals.c): the kernel keeps our
 * handler, the program sees and sets its own copy.  SIGSYS carries our
 * traps; SIGSEGV and SIGBUS let us read the program's memory without a
 * syscall (faults.c). */
enum { UP_VSIG_SYS, UP_VSIG_SEGV, UP_VSIG_BUS, UP_NVSIG };
extern const int up_vsig_signo[UP_NVSIG];   /* signals.c: slot -> signal number */

/* Process-wide state, set up by the constructor before arming and
 * read-only afterwards except where noted. */
struct up_global {
	int mode;                       /* enum up_mode */
	int rw_ok;                      /* ring writer opened */
	int count_fd;                   /* UDIG_DEBUG_COUNT_FD, or -1 */
	int verbose;
	uintptr_t text_start, text_end; /* our executable segment: SUD's allowed region */
	struct udig_ring_writer rw;
	struct up_ksigaction app_act[UP_NVSIG]; /* the program's (virtual) actions; written by handler */
	int faults_ok;                  /* our SIGSEGV and SIGBUS handlers are in place */
	char preload_path[4096];        /* this library's absolute path, for LD_PRELOAD in exec'd images */
	char env_save[8192];            /* our UDIG_* variables, NUL-separated, carried across execve */
	size_t env_save_len;
	uint64_t n_enter, n_exit, n_procexit, n_nested; /* debug counters (atomic) */
};
extern struct up_global up_g;

/* Per-thread state in initial-exec TLS.  Threads created with CLONE_VM but
 * without CLONE_SETTLS share their creator's block: `shared` makes the ids
 * uncached, `busy` is taken atomically so that two users never share the
 * record buffer. */
struct up_thread {
	volatile unsigned char selector; /* SUD selector: always BLOCK once armed */
	unsigned char busy;              /* record buffer in use (also: no ring write in progress) */
	unsigned char shared;            /* TLS block shared with another task */
	unsigned char sigsys_blocked;    /* the program believes SIGSYS is blocked */
	unsigned char direct;            /* this trap may read memory with up_copy_checked */
	int tid, pid;                    /* cached ids; 0 = unknown */
	int rtid, rpid;                  /* the same in the reference PID namespace (pidns.c) */
	uint8_t *area;                   /* per-thread scratch mapping (see UP_AREA_*) */
	uint64_t reloc_sp;               /* lowest live relocated signal frame (signals.c), 0 = none */
};
extern __thread struct up_thread up_t __attribute__((tls_model("initial-exec")));

/* Per-thread mapping, allocated on first use: record buffer, vfork stack
 * snapshot (with its control block), exec environment scratch, and the
 * stack that holds the kernel frames of the program's alternate-stack
 * handlers while they run (signals.c, up_call_handler). */
#define UP_AREA_REC      0
#define UP_REC_CAP       (256u * 1024)
#define UP_AREA_VFORK    (UP_AREA_REC + UP_REC_CAP)
#define UP_VFORK_CAP     (64u * 1024)
#define UP_AREA_SCRATCH  (UP_AREA_VFORK + 4096 + UP_VFORK_CAP)
#define UP_SCRATCH_CAP   (128u * 1024)
#define UP_AREA_RELOC    (UP_AREA_SCRATCH + UP_SCRATCH_CAP)
#define UP_RELOC_CAP     (64u * 1024)
#define UP_AREA_SIZE     (UP_AREA_RELOC + UP_RELOC_CAP)
uint8_t *up_area(void);
void up_area_release(void);

/* One trapped call. */
struct up_call {
	long nr;
	uint64_t args[6];
};

/* Registers to resume the program with in a new task, then what the child
 * side needs to announce itself.  Layout shared with trampoline.S. */
struct up_child {
	uint64_t regs[18];      /* gregs REG_R8 .. REG_EFL; REG_RSP is the child's stack */
	long nr;
	uint64_t args[6];
	uint64_t flags;         /* clone flags in effect */
};

/* vfork control block, in the per-thread area (never on the stack the child
 * will run on).  Layout shared with trampoline.S. */
struct up_vfork {
	struct up_child child;
	long nr;                /* the syscall actually issued (clone or clone3) */
	uint64_t a[5];
	uint64_t appsp;         /* the program's stack pointer: the child's stack */
	uint8_t *save;          /* snapshot of [our sp, appsp) */
	uint64_t cap;
	uint64_t len;           /* bytes saved, or (uint64_t)-1 when it did not fit */
	uint64_t busy;
};

/* A program handler called on its alternate stack with its kernel frame
 * moved out of the way (signals.c).  Layout shared with trampoline.S. */
struct up_onstack_call {
	uint64_t handler;
	uint64_t sig;
	uint64_t si, uc;        /* in the moved frame */
	uint64_t moved;         /* the moved frame */
	uint64_t frame;         /* where the kernel built it, where it goes back */
	uint64_t len;
	uint64_t fpslot, fp;    /* its FPU state pointer, and that pointer's original value */
	uint64_t pop;           /* up_t.reloc_sp once the frame is back */
	uint64_t slot;          /* &up_t.reloc_sp */
};

/* memcopy.S */
size_t up_copy_checked(void *dst, const void *src, size_t len);
extern const char up_copy_checked_insn[], up_copy_checked_fixup[];

/* trampoline.S */
void up_restorer(void);
void up_app_sigreturn(uint64_t sp) __attribute__((noreturn));
void up_onstack_run(const struct up_onstack_call *k, uint64_t sp) __attribute__((noreturn));
long up_clone_thread(long nr, long a0, long a1, long a2, long a3, long a4, struct up_child *ch);
long up_vfork_run(struct up_vfork *v);
extern const char up_restorer_end[], up_app_sigreturn_end[], up_clone_thread_end[], up_vfork_run_end[],
	up_onstack_run_end[];

/* arm.c */
int up_arm_thread(void);                 /* SUD for the calling thread; 0 or -errno */
int up_install_handler(void);            /* our SIGSYS action; saves the program's */

/* faults.c */
int up_install_fault_handlers(void);     /* our SIGSEGV/SIGBUS actions; saves the program's */
int up_fault_action_sync(int sig);       /* our kernel action's flags follow the program's (SIGSYS: none to follow) */
void up_restore_fault_handlers(void);    /* the program's own actions back (init failed) */
void up_sigfault(int sig, siginfo_t *si, void *uc);

/* seccomp.c */
int up_seccomp_install(void);

/* handler.c */
void up_sigsys(int sig, siginfo_t *si, void *uc);
long up_passthrough(const struct up_call *c);

/* record.c */
int up_tid(void);
int up_pid(void);
void up_record(const struct up_call *c, int is_exit, long ret);
void up_record_procexit(int wstatus);
void up_record_reaped(int pid, int wstatus); /* a child the program reaped (wait.c) */
void up_record_thread_end(int tid, int wstatus); /* another thread exit_group ends (exit.c) */
long up_read_mem(void *dst, uint64_t addr, size_t len);
long up_write_mem(uint64_t addr, const void *src, size_t len);

/* signals.c */
long up_sys_rt_sigaction(const struct up_call *c);
long up_sys_rt_sigprocmask(const struct up_call *c, ucontext_t *uc);
long up_sys_masked_wait(const struct up_call *c);
void up_sys_app_sigreturn(const struct up_call *c, ucontext_t *uc) __attribute__((noreturn));
struct up_ksigaction *up_app_action(int sig);  /* the virtual action, or NULL */
void up_forward_signal(int sig, siginfo_t *si, ucontext_t *uc);
void up_onstack(int sig, siginfo_t *si, void *uc);  /* kernel action of the program's SA_ONSTACK handlers */
void up_call_handler(uint64_t handler, int sig, siginfo_t *si, ucontext_t *uc);
void up_onstack_return(void);                       /* from up_onstack_run */

/* clone.c */
long up_sys_clone(const struct up_call *c, ucontext_t *uc);
void up_child_entry(struct up_child *ch);
void up_after_fork_child(void);

/* exec.c */
long up_sys_execve(const struct up_call *c);
void up_exec_scan(void);                 /* constructor: find and hide the exec marker */
void up_exec_inherit_ignored(void);      /* constructor: SIG_IGN the old image had */
void up_exec_arrived(void);              /* constructor, armed: that execve's exit event */

/* creds.c: the ring's descriptors across a uid change and exec */
long up_sys_setid(const struct up_call *c);
int up_creds_scan(const char *var);       /* constructor: UDIG_RING_FDS for us? (1: it is the variable) */
int up_creds_scan_only(const char *var);  /* is it the variable? (no side effect) */
int up_creds_open(struct udig_ring_writer *w, char *err); /* constructor: map inherited ones; 0 or -1 */
int up_creds_env(char *out, size_t size); /* exec: the variable for the new image, or 0 */
void up_creds_exec(int before);           /* exec: descriptors inheritable (1) or not again (0) */
size_t up_put_dec(char *p, unsigned long v); /* exec.c */
/* exec.c: "<name><a>:<b>:<c>" into out (its length with the NUL, 0 if it
 * does not fit); and back: 1 if var is that variable, its numbers in v
 * (-1 for one missing or malformed). */
int up_env_put3(char *out, size_t size, const char *name, unsigned long a, unsigned long b, unsigned long c);
int up_env_get3(const char *var, const char *name, long v[3]);

/* pidns.c: ids of the consumer's PID namespace for a process in another */
int up_rtid(void);                        /* the reference namespace's ids, for records */
int up_rpid(void);
/* The same from the thread's cache when it holds them (every record asks). */
static inline int up_rtid_cached(void)
{
	return up_t.rtid && !up_t.shared ? up_t.rtid : up_rtid();
}
static inline int up_rpid_cached(void)
{
	return up_t.rpid && !up_t.shared ? up_t.rpid : up_rpid();
}
int up_rppid(void);                       /* the parent's */
int up_pidns_is_consumers(void);          /* 1: we share the consumer's namespace; 0 no; -1 unknown */
void up_pidns_keep(void);                 /* before making a namespace: hold the way back */
long up_sys_pidns(const struct up_call *c);    /* unshare, setns */
void up_pidns_fork_parent(void);          /* right before a fork-like clone */
void up_pidns_fork_child(void);           /* in the new process */
void up_pidns_note_child(int32_t here);   /* a child's id, translated while it lives */
int32_t up_pidns_reaped(int32_t here);    /* that child's reference id (0: unknown) */
int up_pidns_env(char *out, size_t size); /* exec: UDIG_PIDNS_FD for the new image, or 0 */
void up_pidns_exec(int before);
int up_pidns_scan(const char *var);
int up_pidns_scan_only(const char *var);
void up_pidns_open(void);                 /* constructor: the descriptor an exec handed over */

/* wait.c: wait4 and waitid, with the procexit of a child they reap */
long up_sys_wait(const struct up_call *c);

/* exit.c */
long up_sys_exit(const struct up_call *c);
long up_sys_kill(const struct up_call *c, const ucontext_t *uc);

/* debug.c */
void up_count_flush(void);

#endif
