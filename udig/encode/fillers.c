/*
 * Fillers: native syscall number -> the enter and exit records of the
 * reference driver.  udig_syscall_table (the schema) says which event
 * pair a number maps to; the dispatch table below says which family
 * decoder fills each of the two.  Numbers the schema maps to the generic
 * events -- and numbers outside the table -- become PPME_GENERIC_E/X with
 * the PPM_SC code and the native number.
 *
 * Async-signal-safe: no allocation, no stdio, no locks; syscalls only via
 * sys.h (procinfo.c).  Stack (gcc -O2 -fstack-usage, x86_64): the deepest
 * path is the clone/execve exit, about 5.2 KiB in all (fill_proc_exit
 * 4.7 KiB with its 4 KiB scratch page, plus its /proc reader); mmap/brk
 * exits about 4.4 KiB; every other decoder stays under 1 KiB.
 */
#include <sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include "fill_int.h"

struct fill_pair {
	fill_fn enter, exit;
};

#define P(e, x) { fill_##e, fill_##x }

static const struct fill_pair dispatch[UDIG_SYSCALL_TABLE_SIZE] = {
	/* files */
	[SYS_open] = P(open_e, open_x),
	[SYS_openat] = P(openat_e, openat_x),
	[SYS_openat2] = P(openat2_e, openat2_x),
	[SYS_creat] = P(creat_e, creat_x),
	[SYS_close] = P(fd_e, res_x),
	[SYS_stat] = P(none, path0_x),
	[SYS_lstat] = P(none, path0_x),
	[SYS_fstat] = P(fd_e, res_x),
	[SYS_access] = P(access_e, path0_x),
	[SYS_lseek] = P(lseek_e, res_x),
	[SYS_flock] = P(flock_e, res_x),
	[SYS_getdents] = P(fd_e, res_x),
	[SYS_getdents64] = P(fd_e, res_x),
	[SYS_getcwd] = P(none, getcwd_x),
	[SYS_chdir] = P(none, path0_x),
	[SYS_fchdir] = P(fd_e, res_x),
	[SYS_chroot] = P(none, path0_x),
	/* file-system namespace */
	[SYS_mkdir] = P(mkdir_e, path0_x),
	[SYS_mkdirat] = P(none, mkdirat_x),
	[SYS_rmdir] = P(none, path0_x),
	[SYS_unlink] = P(none, path0_x),
	[SYS_unlinkat] = P(none, unlinkat_x),
	[SYS_rename] = P(none, path01_x),
	[SYS_renameat] = P(none, renameat_x),
	[SYS_renameat2] = P(none, renameat2_x),
	[SYS_link] = P(none, path01_x),
	[SYS_linkat] = P(none, linkat_x),
	[SYS_symlink] = P(none, path01_x),
	[SYS_symlinkat] = P(none, symlinkat_x),
	[SYS_chmod] = P(none, chmod_x),
	[SYS_fchmod] = P(none, fchmod_x),
	[SYS_fchmodat] = P(none, fchmodat_x),
	[SYS_mount] = P(mount_e, mount_x),
	[SYS_umount2] = P(umount_e, path0_x),
	/* I/O */
	[SYS_read] = P(rw_e, read_x),
	[SYS_write] = P(rw_e, write_x),
	[SYS_pread64] = P(prw_e, read_x),
	[SYS_pwrite64] = P(prw_e, write_x),
	[SYS_readv] = P(readv_e, readv_x),
	[SYS_writev] = P(writev_e, writev_x),
	[SYS_preadv] = P(preadv_e, readv_x),
	[SYS_pwritev] = P(pwritev_e, writev_x),
	[SYS_sendfile] = P(sendfile_e, sendfile_x),
	[SYS_copy_file_range] = P(copy_file_range_e, copy_file_range_x),
	[SYS_splice] = P(splice_e, res_x),
	/* sockets */
	[SYS_socket] = P(socket_e, res_x),
	[SYS_socketpair] = P(socket_e, socketpair_x),
	[SYS_bind] = P(fd_e, bind_x),
	[SYS_connect] = P(connect_e, connect_x),
	[SYS_listen] = P(listen_e, res_x),
	[SYS_accept] = P(none, accept_x),
	[SYS_accept4] = P(accept4_e, accept_x),
	[SYS_sendto] = P(sendto_e, send_x),
	[SYS_recvfrom] = P(recvfrom_e, recvfrom_x),
	[SYS_sendmsg] = P(sendmsg_e, sendmsg_x),
	[SYS_recvmsg] = P(fd_e, recvmsg_x),
	[SYS_sendmmsg] = P(none, none),
	[SYS_recvmmsg] = P(none, none),
	[SYS_shutdown] = P(shutdown_e, res_x),
	[SYS_getsockname] = P(none, none),
	[SYS_getpeername] = P(none, none),
	[SYS_setsockopt] = P(none, setsockopt_x),
	[SYS_getsockopt] = P(none, getsockopt_x),
	/* descriptors */
	[SYS_dup] = P(fd_e, res_x),
	[SYS_dup2] = P(fd_e, res_x),
	[SYS_dup3] = P(fd_e, res_x),
	[SYS_pipe] = P(none, pipe_x),
	[SYS_pipe2] = P(none, pipe_x),
	[SYS_fcntl] = P(fcntl_e, res_x),
	[SYS_ioctl] = P(ioctl_e, res_x),
	[SYS_eventfd] = P(eventfd_e, res_x),
	[SYS_eventfd2] = P(eventfd_e, res_x),
	[SYS_signalfd] = P(signalfd_e, res_x),
	[SYS_signalfd4] = P(signalfd_e, res_x),
	[SYS_timerfd_create] = P(timerfd_create_e, res_x),
	[SYS_inotify_init] = P(inotify_init_e, res_x),
	[SYS_inotify_init1] = P(inotify_init_e, res_x),
	[SYS_userfaultfd] = P(none, userfaultfd_x),
	/* memory */
	[SYS_mmap] = P(mmap_e, mm_x),
	[SYS_munmap] = P(munmap_e, mm_x),
	[SYS_mprotect] = P(mprotect_e, res_x),
	[SYS_brk] = P(brk_e, mm_x),
	/* processes */
	[SYS_clone] = P(none, proc_x),
	[SYS_clone3] = P(none, proc_x),
	[SYS_fork] = P(none, proc_x),
	[SYS_vfork] = P(none, proc_x),
	[SYS_execve] = P(execve_e, proc_x),
	[SYS_execveat] = P(execveat_e, proc_x),
	/* signals */
	[SYS_kill] = P(kill_e, res_x),
	[SYS_tkill] = P(kill_e, res_x),
	[SYS_tgkill] = P(tgkill_e, res_x),
	/* waiting */
	[SYS_poll] = P(poll_e, poll_x),
	[SYS_ppoll] = P(ppoll_e, poll_x),
	[SYS_select] = P(none, res_x),
	[SYS_epoll_wait] = P(epoll_wait_e, res_x),
	[SYS_nanosleep] = P(nanosleep_e, res_x),
	[SYS_futex] = P(futex_e, res_x),
	/* tracing, credentials, groups, limits, namespaces */
	[SYS_ptrace] = P(ptrace_e, ptrace_x),
	[SYS_setuid] = P(id_e, res_x),
	[SYS_setgid] = P(id_e, res_x),
	[SYS_setresuid] = P(id3_e, res_x),
	[SYS_setresgid] = P(id3_e, res_x),
	[SYS_getuid] = P(none, id_ret_x),
	[SYS_geteuid] = P(none, id_ret_x),
	[SYS_getgid] = P(none, id_ret_x),
	[SYS_getegid] = P(none, id_ret_x),
	[SYS_getresuid] = P(none, getresid_x),
	[SYS_getresgid] = P(none, getresid_x),
	[SYS_setpgid] = P(setpgid_e, res_x),
	[SYS_setsid] = P(none, res_x),
	[SYS_getrlimit] = P(rlimit_e, rlimit_x),
	[SYS_setrlimit] = P(rlimit_e, rlimit_x),
	[SYS_prlimit64] = P(prlimit_e, prlimit_x),
	[SYS_setns] = P(setns_e, res_x),
	[SYS_unshare] = P(unshare_e, res_x),
	[SYS_seccomp] = P(seccomp_e, res_x),
	[SYS_bpf] = P(bpf_e, bpf_x),
	/* System V semaphores, quotas */
	[SYS_semget] = P(semget_e, res_x),
	[SYS_semop] = P(semop_e, semop_x),
	[SYS_semctl] = P(semctl_e, res_x),
	[SYS_quotactl] = P(quotactl_e, quotactl_x),
};

/* Decoded by a family: the schema maps nr to a real event pair and a
 * decoder exists for it (tests/fillers checks both agree everywhere). */
static const struct fill_pair *decoder(long nr)
{
	if (nr < 0 || nr >= UDIG_SYSCALL_TABLE_SIZE)
		return NULL;
	if (udig_syscall_table[nr].enter == UEV_GENERIC_E || !dispatch[nr].enter)
		return NULL;
	return &dispatch[nr];
}

uint16_t udig_fill_enter_type(long nr)
{
	return decoder(nr) ? udig_syscall_table[nr].enter : UEV_GENERIC_E;
}

uint16_t udig_fill_exit_type(long nr)
{
	return decoder(nr) ? udig_syscall_table[nr].exit : UEV_GENERIC_X;
}

/* The PPM_SC code of a generic event; 0 (<unknown>) outside the table. */
static uint16_t sc_code(long nr)
{
	return (nr >= 0 && nr < UDIG_SYSCALL_TABLE_SIZE) ? udig_syscall_table[nr].sc : 0;
}

static size_t fill_one(const struct udig_syscall_ctx *sc, void *buf, size_t cap, int exit)
{
	const struct fill_pair *d = decoder(sc->nr);
	struct fill f;

	f.sc = sc;
	udig_enc_begin(&f.e, buf, cap, exit ? udig_fill_exit_type(sc->nr) : udig_fill_enter_type(sc->nr), sc->ts, (uint64_t)sc->tid);
	if (d) {
		(exit ? d->exit : d->enter)(&f);
	} else {
		udig_enc_u16(&f.e, sc_code(sc->nr));
		if (!exit)
			udig_enc_u16(&f.e, (uint16_t)sc->nr);
	}
	return udig_enc_end(&f.e);
}

size_t udig_fill_enter(const struct udig_syscall_ctx *sc, void *buf, size_t cap)
{
	return fill_one(sc, buf, cap, 0);
}

size_t udig_fill_exit(const struct udig_syscall_ctx *sc, void *buf, size_t cap)
{
	return fill_one(sc, buf, cap, 1);
}

size_t udig_fill_launch_fork(const struct udig_syscall_ctx *sc, void *buf, size_t cap)
{
	/* glibc's fork(): clone(flags, 0, NULL, &tid, 0), 0 in the child. */
	struct udig_syscall_ctx c = *sc;
	c.nr = SYS_clone;
	c.args[0] = CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID | SIGCHLD;
	for (unsigned i = 1; i < 6; i++)
		c.args[i] = 0;
	c.ret = 0;
	return fill_one(&c, buf, cap, 1);
}

/* PPME_PROCEXIT_1_E as the driver fills it from the task's exit_code (a
 * wait(2) status): status as is, ret = WEXITSTATUS, sig = WTERMSIG when
 * killed by a signal else 0, core = WCOREDUMP. */
size_t udig_fill_procexit(uint64_t ts, int64_t tid, int wstatus, void *buf, size_t cap)
{
	struct udig_enc e;
	unsigned low = (unsigned)wstatus & 0x7f;
	int signaled = low != 0 && low != 0x7f;

	udig_enc_begin(&e, buf, cap, UEV_PROCEXIT_1_E, ts, (uint64_t)tid);
	udig_enc_s64(&e, wstatus);
	udig_enc_s64(&e, ((unsigned)wstatus >> 8) & 0xff);
	udig_enc_u8(&e, signaled ? (uint8_t)low : 0);
	udig_enc_u8(&e, (wstatus & 0x80) != 0);
	return udig_enc_end(&e);
}
