/*
 * How the fillers reach a tracee from outside: its memory through
 * process_vm_readv, its descriptors through pidfd_getfd (a local copy of the
 * tracee's fd, queried here and closed), its facts under /proc/<tid>.
 */
#ifndef INJECT_TRACEE_H
#define INJECT_TRACEE_H

#include <sys/types.h>
#include "udig/encode/fillers.h"

#define INJ_PIDFD_SLOTS 64

/* tgid -> pidfd, so that fd queries cost one pidfd_getfd, not an open too. */
struct inj_pidfds {
	struct { pid_t tgid; int fd; unsigned long used; } slot[INJ_PIDFD_SLOTS];
	unsigned long clock;
};

struct inj_tracee {
	struct udig_tracee_ops ops;   /* ops.procdir points into procdir */
	pid_t tid, tgid;
	struct inj_pidfds *pidfds;
	char procdir[32];
	unsigned reached;   /* calls of read_mem, sock_name, fd_stat */
};

void inj_pidfds_init(struct inj_pidfds *c);
void inj_pidfds_close(struct inj_pidfds *c);
/* The process is gone: its pid may be reused. */
void inj_pidfds_forget(struct inj_pidfds *c, pid_t tgid);

/* Sets up t for thread tid of process tgid. */
void inj_tracee_init(struct inj_tracee *t, pid_t tid, pid_t tgid, struct inj_pidfds *c);

/* Copy len bytes of the tracee's memory; bytes copied (short at an unmapped
 * page) or -1. */
long inj_read_mem(pid_t tid, void *dst, uint64_t addr, size_t len);

/* Thread group of tid from /proc, or -1. */
pid_t inj_tgid_of(pid_t tid);

#endif
