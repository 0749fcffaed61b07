/*
 * notif_floor getppid|openclose|openreadclose N — the same loop as
 * bench/loop.c, in a child whose loop syscalls go to a seccomp
 * user-notification supervisor that only answers CONTINUE: the cost no
 * user-notification tracer can go below, waited for as the unotify engine
 * waits (poll, RECV, SEND) and with SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
 * (specs/intercept-costs.md measured ~5-6 us a round trip on these
 * machines).  The loop pins itself to CPU 0, the supervisor is free: the
 * arrangement bench/syscalls.sh gives the unotify engine.
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "loop_pattern.h"

#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS SECCOMP_IOW(4, __u64)
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (1UL << 0)
#endif

/* The loop's syscalls (glibc's open is openat). */
static const unsigned loop_nrs[] = { SYS_getppid, SYS_openat, SYS_read, SYS_close };
#define NNRS (sizeof loop_nrs / sizeof loop_nrs[0])

static int install_filter(void)
{
	struct sock_filter f[3 + 2 * NNRS + 2];
	unsigned n = 0, i;

	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
	for (i = 0; i < NNRS; i++) {
		/* jump to the final USER_NOTIF: past the other compares and the ALLOW */
		f[n] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, loop_nrs[i],
						    (uint8_t)(NNRS - 1 - i + 1), 0);
		n++;
	}
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF);
	struct sock_fprog prog = { (unsigned short)n, f };
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -1;
	return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
}

static void child(int pattern, long n, int ctl_w, int go_r)
{
	cpu_set_t cpus;
	char c;
	CPU_ZERO(&cpus);
	CPU_SET(0, &cpus);
	sched_setaffinity(0, sizeof cpus, &cpus);
	int fd = install_filter();
	if (write(ctl_w, &fd, sizeof fd) != (ssize_t)sizeof fd || fd < 0)
		_exit(1);
	/* a notified read: answered once the supervisor has the listener */
	if (read(go_r, &c, 1) != 1)
		_exit(1);
	printf("%.1f\n", loop_time(pattern, n));
	fflush(stdout);
	_exit(0);
}

/* Answers CONTINUE until no task uses the filter any more. */
static int serve(int lfd)
{
	struct seccomp_notif req;
	struct seccomp_notif_resp resp;

	for (;;) {
		struct pollfd p = { lfd, POLLIN, 0 };
		if (poll(&p, 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (!(p.revents & POLLIN))
			return 0; /* POLLHUP: the child is gone */
		memset(&req, 0, sizeof req);
		if (ioctl(lfd, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0)
			continue;
		memset(&resp, 0, sizeof resp);
		resp.id = req.id;
		resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
		ioctl(lfd, SECCOMP_IOCTL_NOTIF_SEND, &resp);
	}
}

int main(int argc, char **argv)
{
	int pattern, ctl[2], go[2], cfd = -1;
	long n;
	if (loop_args(argc, argv, "notif_floor", &pattern, &n))
		return 2;
	if (pipe(ctl) || pipe(go)) {
		perror("notif_floor: pipe");
		return 1;
	}
	pid_t pid = fork();
	if (pid < 0) {
		perror("notif_floor: fork");
		return 1;
	}
	if (pid == 0)
		child(pattern, n, ctl[1], go[0]);
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	int lfd = -1;
	if (read(ctl[0], &cfd, sizeof cfd) == (ssize_t)sizeof cfd && cfd >= 0 && pidfd >= 0)
		lfd = (int)syscall(SYS_pidfd_getfd, pidfd, cfd, 0);
	if (lfd < 0) {
		fprintf(stderr, "notif_floor: no listener from the child: %s\n", strerror(errno));
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return 1;
	}
	if (ioctl(lfd, SECCOMP_IOCTL_NOTIF_SET_FLAGS, SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP))
		fprintf(stderr, "notif_floor: no SYNC_WAKE_UP: %s\n", strerror(errno));
	if (write(go[1], "g", 1) != 1 || serve(lfd) < 0) {
		perror("notif_floor");
		kill(pid, SIGKILL);
	}
	int st;
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}
