/*
 * Internal interface of the fillers: the per-call state every family
 * decoder works on, the parameter helpers (fill_util.c), the flag
 * translations (fill_flags.c) and the decoders of each family.
 *
 * Everything here runs inside the SIGSYS handler of the traced program:
 * no allocation, no stdio, no libc call that may take a lock or make a
 * syscall of its own.  Syscalls go through sys.h only.  Tracee memory is
 * reached only through ops->read_mem; a tracee pointer is never
 * dereferenced.
 */
#ifndef UDIG_FILL_INT_H
#define UDIG_FILL_INT_H

#include <stddef.h>
#include <stdint.h>
#include <udig/encode.h>
#include "fillers.h"

struct fill {
	const struct udig_syscall_ctx *sc;
	struct udig_enc e;
};

/* One decoder adds every parameter of one event, in table order. */
typedef void (*fill_fn)(struct fill *f);

static inline uint64_t fa(const struct fill *f, unsigned i) { return f->sc->args[i]; }
/* int-typed arguments: the kernel looks only at the low 32 bits. */
static inline int64_t fa32(const struct fill *f, unsigned i) { return (int32_t)(uint32_t)f->sc->args[i]; }
static inline int64_t fret(const struct fill *f) { return f->sc->ret; }

/* ---- tracee access (fill_util.c) */

/* Copies up to len bytes from the tracee; page by page, so a short count
 * means the next page is not mapped.  Returns the bytes copied (0 when
 * nothing is readable, also for addr 0). */
size_t fill_read(struct fill *f, void *dst, uint64_t addr, size_t len);
/* Whole object or nothing: 1 if all len bytes were read. */
int fill_read_all(struct fill *f, void *dst, uint64_t addr, size_t len);
/* dev and inode of a tracee fd; 0 on success. */
int fill_fd_stat(struct fill *f, int64_t fd, uint64_t *dev, uint64_t *ino);

/* ---- parameters (fill_util.c) */

void p_u8(struct fill *f, uint64_t v);
void p_u16(struct fill *f, uint64_t v);
void p_u32(struct fill *f, uint64_t v);
void p_u64(struct fill *f, uint64_t v);
static inline void p_s64(struct fill *f, int64_t v) { p_u64(f, (uint64_t)v); }
/* res of the exit events (PT_ERRNO, PT_FD, PT_PID, ...): the raw result. */
static inline void p_res(struct fill *f) { p_s64(f, fret(f)); }
/* An int fd argument, sign-extended (AT_FDCWD stays -100 = PPM_AT_FDCWD). */
static inline void p_fdarg(struct fill *f, unsigned i) { p_s64(f, fa32(f, i)); }
/* A string of our own. */
void p_cstr(struct fill *f, const char *s);
/* A string parameter from tracee memory (CHARBUF, FSPATH, FSRELPATH):
 * NULL, or a pointer that cannot be read, gives "(NULL)" as the driver
 * writes for a string it could not copy; max bounds the bytes kept
 * including the NUL (0 = UDIG_MAX_ARG_SIZE). */
void p_ustr(struct fill *f, uint64_t addr, size_t max);
/* I/O data from tracee memory, cut at the snaplen (BYTEBUF). */
void p_udata(struct fill *f, uint64_t addr, uint64_t len);
/* An empty parameter (length 0). */
void p_empty(struct fill *f);
/* The snaplen in force for this call. */
size_t fill_snaplen(const struct fill *f);

/* iovec arrays: total of the iov_len (the size parameters keep its low
 * 32 bits, as the driver's UINT32), 0 with *ok = 0 when unreadable. */
uint64_t fill_iov_size(struct fill *f, uint64_t iov, uint64_t iovcnt, int *ok);
/* Gathers up to limit bytes of the iovecs as one BYTEBUF parameter. */
void p_iov_data(struct fill *f, uint64_t iov, uint64_t iovcnt, uint64_t limit);

/* SOCKADDR from a tracee sockaddr of addrlen bytes (empty when absent,
 * unreadable or of a family the driver does not pack). */
void p_sockaddr(struct fill *f, uint64_t addr, uint64_t addrlen);
/* SOCKTUPLE of fd: local name from ops->sock_name; the remote end from the
 * tracee address (addr != 0) or from the socket's peer name.  inbound:
 * src = remote, dst = local; outbound the other way round. */
void p_socktuple(struct fill *f, int64_t fd, uint64_t addr, uint64_t addrlen, int inbound);

/* FDLIST of a tracee pollfd array: events on enter, non-zero revents on exit. */
void p_fdlist(struct fill *f, uint64_t fds, uint64_t nfds, int exit);
/* RELTIME from a tracee struct timespec (0 when absent/unreadable). */
void p_timespec(struct fill *f, uint64_t addr);

/* ---- flag translations, native -> PPM (fill_flags.c) */

uint32_t xl_open_flags(uint64_t flags);
uint32_t xl_open_mode(uint64_t flags, uint64_t mode);
uint32_t xl_chmod_mode(uint64_t mode);
uint32_t xl_clone_flags(uint64_t flags);
uint32_t xl_prot(uint64_t prot);
uint32_t xl_mmap_flags(uint64_t flags);
uint8_t xl_fcntl_cmd(uint64_t cmd);
uint16_t xl_poll_events(uint64_t ev);
uint16_t xl_futex_op(uint64_t op);
uint32_t xl_access_mode(uint64_t mode);
uint8_t xl_rlimit_resource(uint64_t res);
uint8_t xl_shutdown_how(uint64_t how);
uint8_t xl_lseek_whence(uint64_t whence);
uint16_t xl_ptrace_request(uint64_t req);
uint8_t xl_sockopt_level(uint64_t level);
uint8_t xl_sockopt_name(uint64_t level, uint64_t name);
uint32_t xl_unlinkat_flags(uint64_t flags);
uint32_t xl_linkat_flags(uint64_t flags);
uint32_t xl_execveat_flags(uint64_t flags);
uint32_t xl_openat2_resolve(uint64_t resolve);
uint32_t xl_mount_flags(uint64_t flags);
uint32_t xl_flock_op(uint64_t op);
uint32_t xl_splice_flags(uint64_t flags);
uint32_t xl_semget_flags(uint64_t flags);
uint16_t xl_semop_flags(uint64_t flags);
uint16_t xl_semctl_cmd(uint64_t cmd);
uint16_t xl_quotactl_cmd(uint64_t cmd);
uint8_t xl_quotactl_type(uint64_t cmd);
uint8_t xl_quotactl_fmt(uint64_t fmt);
/* Linux dev_t (glibc layout of st_dev) -> the driver's new_encode_dev(). */
uint32_t xl_dev(uint64_t dev);

/* ---- process facts (procinfo.c) */

/* The 20 parameters after res of the clone/fork/vfork/clone3 and
 * execve/execveat exits.  clone: 1 for the clone family, 0 for execve. */
void fill_proc_exit(struct fill *f, int clone);
/* VmSize, VmRSS, VmSwap in KiB of the traced process (0 when unknown). */
void fill_vm_sizes(struct fill *f, uint32_t *size, uint32_t *rss, uint32_t *swap);

/* ---- decoders, one pair per event, by family */

#define FILL_DECL(n) void fill_##n(struct fill *f)
/* fill_file.c: open family, close, stat family, access, lseek, flock, dirs */
FILL_DECL(open_e); FILL_DECL(open_x); FILL_DECL(openat_e); FILL_DECL(openat_x);
FILL_DECL(openat2_e); FILL_DECL(openat2_x); FILL_DECL(creat_e); FILL_DECL(creat_x);
FILL_DECL(fd_e); FILL_DECL(res_x); FILL_DECL(path0_x); FILL_DECL(access_e);
FILL_DECL(lseek_e); FILL_DECL(flock_e); FILL_DECL(getcwd_x);
/* fill_fs.c: the file-system namespace */
FILL_DECL(mkdir_e); FILL_DECL(mkdirat_x); FILL_DECL(unlinkat_x); FILL_DECL(path01_x);
FILL_DECL(renameat_x); FILL_DECL(renameat2_x); FILL_DECL(linkat_x); FILL_DECL(symlinkat_x);
FILL_DECL(chmod_x); FILL_DECL(fchmod_x); FILL_DECL(fchmodat_x); FILL_DECL(mount_e);
FILL_DECL(mount_x); FILL_DECL(umount_e);
/* fill_io.c: data transfer */
FILL_DECL(rw_e); FILL_DECL(read_x); FILL_DECL(write_x); FILL_DECL(prw_e);
FILL_DECL(readv_e); FILL_DECL(readv_x); FILL_DECL(writev_e); FILL_DECL(writev_x);
FILL_DECL(preadv_e); FILL_DECL(pwritev_e); FILL_DECL(sendfile_e); FILL_DECL(sendfile_x);
FILL_DECL(copy_file_range_e); FILL_DECL(copy_file_range_x); FILL_DECL(splice_e);
/* fill_net.c: sockets */
FILL_DECL(socket_e); FILL_DECL(bind_x); FILL_DECL(connect_e); FILL_DECL(connect_x);
FILL_DECL(accept4_e); FILL_DECL(accept_x); FILL_DECL(listen_e); FILL_DECL(sendto_e);
FILL_DECL(send_x); FILL_DECL(recvfrom_e); FILL_DECL(recvfrom_x); FILL_DECL(sendmsg_e);
FILL_DECL(sendmsg_x); FILL_DECL(recvmsg_x); FILL_DECL(shutdown_e); FILL_DECL(socketpair_x);
FILL_DECL(setsockopt_x); FILL_DECL(getsockopt_x); FILL_DECL(none);
/* fill_fd.c: descriptor creation and manipulation */
FILL_DECL(pipe_x); FILL_DECL(fcntl_e); FILL_DECL(ioctl_e); FILL_DECL(eventfd_e);
FILL_DECL(signalfd_e); FILL_DECL(timerfd_create_e); FILL_DECL(inotify_init_e);
FILL_DECL(userfaultfd_x);
/* fill_mm.c: memory */
FILL_DECL(mmap_e); FILL_DECL(mm_x); FILL_DECL(munmap_e); FILL_DECL(mprotect_e); FILL_DECL(brk_e);
/* fill_process.c: process lifecycle */
FILL_DECL(proc_x); FILL_DECL(execve_e); FILL_DECL(execveat_e);
/* fill_signal.c */
FILL_DECL(kill_e); FILL_DECL(tgkill_e);
/* fill_misc.c: waiting, credentials, limits, namespaces, IPC, tracing */
FILL_DECL(poll_e); FILL_DECL(poll_x); FILL_DECL(ppoll_e); FILL_DECL(epoll_wait_e);
FILL_DECL(nanosleep_e); FILL_DECL(futex_e); FILL_DECL(ptrace_e); FILL_DECL(ptrace_x);
FILL_DECL(id_e); FILL_DECL(id3_e); FILL_DECL(id_ret_x); FILL_DECL(getresid_x);
FILL_DECL(setpgid_e); FILL_DECL(rlimit_e); FILL_DECL(rlimit_x); FILL_DECL(prlimit_e);
FILL_DECL(prlimit_x); FILL_DECL(setns_e); FILL_DECL(unshare_e); FILL_DECL(seccomp_e);
FILL_DECL(bpf_e); FILL_DECL(bpf_x); FILL_DECL(semget_e); FILL_DECL(semop_e);
FILL_DECL(semop_x); FILL_DECL(semctl_e); FILL_DECL(quotactl_e); FILL_DECL(quotactl_x);
#undef FILL_DECL

#endif
