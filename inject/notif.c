/* Seccomp user-notification plumbing (see notif.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>

#include "inject/engine.h"
#include "inject/notif.h"

/* Linux 6.6 uapi, absent from older headers: wake the supervisor on the
 * notifying task's CPU (removes the cross-CPU wake-up cost). */
#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS SECCOMP_IOW(4, __u64)
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (1UL << 0)
#endif

int inj_notif_init(struct inj_notif *n, char *err)
{
	struct seccomp_notif_sizes sizes;

	memset(n, 0, sizeof *n);
	n->fd = -1;
	/* The kernel may use larger structures than our headers know. */
	memset(&sizes, 0, sizeof sizes);
	if (syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sizes) < 0) {
		inj_err(err, "seccomp user notification unavailable: %s", strerror(errno));
		return -1;
	}
	n->req_size = sizes.seccomp_notif > sizeof *n->req ? sizes.seccomp_notif : sizeof *n->req;
	n->resp_size = sizes.seccomp_notif_resp > sizeof *n->resp ? sizes.seccomp_notif_resp : sizeof *n->resp;
	n->req = calloc(1, n->req_size);
	n->resp = calloc(1, n->resp_size);
	if (!n->req || !n->resp) {
		inj_err(err, "out of memory");
		return -1;
	}
	return 0;
}

int inj_notif_take(struct inj_notif *n, int pidfd, int child_fd, char *err)
{
	n->fd = pidfd < 0 ? -1 : (int)syscall(SYS_pidfd_getfd, pidfd, child_fd, 0);
	if (n->fd < 0) {
		inj_err(err, "cannot take the seccomp listener: %s", strerror(errno));
		return -1;
	}
	n->sync_wake_up = ioctl(n->fd, SECCOMP_IOCTL_NOTIF_SET_FLAGS, SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP) == 0;
	return 0;
}

int inj_notif_recv(struct inj_notif *n)
{
	memset(n->req, 0, n->req_size);
	return ioctl(n->fd, SECCOMP_IOCTL_NOTIF_RECV, n->req) < 0 ? -1 : 0;
}

int inj_notif_valid(const struct inj_notif *n)
{
	return ioctl(n->fd, SECCOMP_IOCTL_NOTIF_ID_VALID, &n->req->id) == 0;
}

int inj_notif_continue(struct inj_notif *n)
{
	memset(n->resp, 0, n->resp_size);
	n->resp->id = n->req->id;
	n->resp->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
	return ioctl(n->fd, SECCOMP_IOCTL_NOTIF_SEND, n->resp) < 0 ? -errno : 0;
}

int inj_notif_fail(struct inj_notif *n, int e)
{
	memset(n->resp, 0, n->resp_size);
	n->resp->id = n->req->id;
	n->resp->error = -e;
	return ioctl(n->fd, SECCOMP_IOCTL_NOTIF_SEND, n->resp) < 0 ? -errno : 0;
}

void inj_notif_close(struct inj_notif *n)
{
	if (n->fd >= 0)
		close(n->fd);
	n->fd = -1;
	free(n->req);
	free(n->resp);
	n->req = NULL;
	n->resp = NULL;
}
