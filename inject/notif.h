/*
 * The supervisor side of a seccomp user-notification filter, shared by the
 * unotify engine and the ptrace engine's preload-aware mode.
 */
#ifndef INJECT_NOTIF_H
#define INJECT_NOTIF_H

#include <stddef.h>
#include <sys/types.h>
#include <linux/seccomp.h>

struct inj_notif {
	int fd;                          /* the listener, or -1 */
	struct seccomp_notif *req;       /* the notification just received */
	struct seccomp_notif_resp *resp;
	size_t req_size, resp_size;
	int sync_wake_up;                /* SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP accepted */
};

/* Buffers sized for the running kernel; fd = -1.  0 or -1 with err. */
int inj_notif_init(struct inj_notif *n, char *err);
/* Copies the listener (fd number child_fd in the process of pidfd) and asks
 * for SYNC_WAKE_UP.  0 or -1 with err. */
int inj_notif_take(struct inj_notif *n, int pidfd, int child_fd, char *err);
/* Receives one notification into n->req: 0, or -1 (the task was killed
 * meanwhile, or EINTR). */
int inj_notif_recv(struct inj_notif *n);
/* Is n->req still pending (its task alive and waiting)? */
int inj_notif_valid(const struct inj_notif *n);
/* Lets the kernel run the syscall of n->req: 0 or -errno. */
int inj_notif_continue(struct inj_notif *n);
/* Fails the syscall of n->req with error e instead: 0 or -errno. */
int inj_notif_fail(struct inj_notif *n, int e);
void inj_notif_close(struct inj_notif *n);

#endif
