/*
 * Flag and value translations, native x86_64 Linux -> the driver's PPM
 * values (udig/flag_values.h, printed through the udig_names_* tables of
 * the schema; tests/fillers checks every PPM value used here against
 * those tables).
 *
 * Bit sets follow the driver's rule "a PPM bit is set when the argument
 * shares any bit with the native constant" -- which is why O_DSYNC alone
 * also shows O_SYNC (native O_SYNC = __O_SYNC|O_DSYNC), exactly as the
 * driver prints it.  Enumerations map one value to one value, with the
 * driver's fallback for unknown ones.
 *
 * Native values are spelled out (with the header name) rather than taken
 * from <fcntl.h> & co.: glibc hides some of them on x86_64 (O_LARGEFILE
 * is 0 in userspace but the kernel's 0100000) and the table must describe
 * the kernel ABI, not the C library.
 */
#include "fill_int.h"

struct xl_bit {
	uint64_t native;
	uint32_t ppm;
};

struct xl_val {
	uint64_t native;
	uint32_t ppm;
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static uint32_t bits(const struct xl_bit *t, size_t n, uint64_t v)
{
	uint32_t r = 0;
	for (size_t i = 0; i < n; i++)
		if (v & t[i].native)
			r |= t[i].ppm;
	return r;
}

static uint32_t value(const struct xl_val *t, size_t n, uint64_t v, uint32_t dflt)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].native == v)
			return t[i].ppm;
	return dflt;
}

/* open(2) flags, asm-generic/fcntl.h.  The access mode is a 2-bit value,
 * handled apart: O_RDONLY (0) is PPM_O_RDONLY = 1. */
static const struct xl_bit open_bits[] = {
	{ 0100, UDIG_O_CREAT },
	{ 02000, UDIG_O_APPEND },
	{ 010000, UDIG_O_DSYNC },
	{ 0200, UDIG_O_EXCL },
	{ 04000, UDIG_O_NONBLOCK },
	{ 04010000, UDIG_O_SYNC },
	{ 01000, UDIG_O_TRUNC },
	{ 040000, UDIG_O_DIRECT },
	{ 0200000, UDIG_O_DIRECTORY },
	{ 0100000, UDIG_O_LARGEFILE },
	{ 02000000, UDIG_O_CLOEXEC },
	{ 020000000, UDIG_O_TMPFILE },  /* __O_TMPFILE */
};

uint32_t xl_open_flags(uint64_t flags)
{
	uint32_t acc;
	switch (flags & 3) {
	case 1: acc = UDIG_O_WRONLY; break;
	case 2: acc = UDIG_O_RDWR; break;
	default: acc = UDIG_O_RDONLY; break;
	}
	return acc | bits(open_bits, N(open_bits), flags);
}

/* S_I* permission bits: PPM_S_* have the very same values (checked by the
 * tests), so the translation is a mask. */
uint32_t xl_chmod_mode(uint64_t mode)
{
	return (uint32_t)(mode & 07777);
}

/* The mode argument only means something when a file may be created. */
uint32_t xl_open_mode(uint64_t flags, uint64_t mode)
{
	if (!(flags & (0100 | 020000000)))
		return 0;
	return xl_chmod_mode(mode);
}

/* clone(2) flags, linux/sched.h.  CLONE_NEWTIME (0x80), CLONE_PIDFD
 * (0x1000) and CLONE_DETACHED have no PPM bit; the PPM bits 16-19, 21, 22
 * are libsinsp-internal and never sent. */
static const struct xl_bit clone_bits[] = {
	{ 0x00000400, UDIG_CLONE_FILES },
	{ 0x00000200, UDIG_CLONE_FS },
	{ 0x80000000, UDIG_CLONE_IO },
	{ 0x08000000, UDIG_CLONE_NEWIPC },
	{ 0x40000000, UDIG_CLONE_NEWNET },
	{ 0x00020000, UDIG_CLONE_NEWNS },
	{ 0x20000000, UDIG_CLONE_NEWPID },
	{ 0x04000000, UDIG_CLONE_NEWUTS },
	{ 0x00100000, UDIG_CLONE_PARENT_SETTID },
	{ 0x00008000, UDIG_CLONE_PARENT },
	{ 0x00002000, UDIG_CLONE_PTRACE },
	{ 0x00000800, UDIG_CLONE_SIGHAND },
	{ 0x00040000, UDIG_CLONE_SYSVSEM },
	{ 0x00010000, UDIG_CLONE_THREAD },
	{ 0x00800000, UDIG_CLONE_UNTRACED },
	{ 0x00000100, UDIG_CLONE_VM },
	{ 0x10000000, UDIG_CLONE_NEWUSER },
	{ 0x00200000, UDIG_CLONE_CHILD_CLEARTID },
	{ 0x01000000, UDIG_CLONE_CHILD_SETTID },
	{ 0x00080000, UDIG_CLONE_SETTLS },
	{ 0x00004000, UDIG_CLONE_VFORK },
	{ 0x02000000, UDIG_CLONE_NEWCGROUP },
};

uint32_t xl_clone_flags(uint64_t flags) { return bits(clone_bits, N(clone_bits), flags); }

/* mmap/mprotect prot, asm-generic/mman-common.h. */
static const struct xl_bit prot_bits[] = {
	{ 0x1, UDIG_PROT_READ },
	{ 0x2, UDIG_PROT_WRITE },
	{ 0x4, UDIG_PROT_EXEC },
	{ 0x8, UDIG_PROT_SEM },
	{ 0x01000000, UDIG_PROT_GROWSDOWN },
	{ 0x02000000, UDIG_PROT_GROWSUP },
};

uint32_t xl_prot(uint64_t prot) { return bits(prot_bits, N(prot_bits), prot); }

/* mmap flags, x86_64 (asm/mman.h + asm-generic/mman.h).  MAP_FILE is 0
 * natively, so the driver never sets PPM_MAP_FILE. */
static const struct xl_bit mmap_bits[] = {
	{ 0x01, UDIG_MAP_SHARED },
	{ 0x02, UDIG_MAP_PRIVATE },
	{ 0x10, UDIG_MAP_FIXED },
	{ 0x20, UDIG_MAP_ANONYMOUS },
	{ 0x40, UDIG_MAP_32BIT },
	{ 0x4000, UDIG_MAP_NORESERVE },
	{ 0x8000, UDIG_MAP_POPULATE },
	{ 0x10000, UDIG_MAP_NONBLOCK },
	{ 0x0100, UDIG_MAP_GROWSDOWN },
	{ 0x0800, UDIG_MAP_DENYWRITE },
	{ 0x1000, UDIG_MAP_EXECUTABLE },
	{ 0x2000, UDIG_MAP_LOCKED },
};

uint32_t xl_mmap_flags(uint64_t flags) { return bits(mmap_bits, N(mmap_bits), flags); }

/* fcntl commands (x86_64 has no F_*64 variants of its own). */
static const struct xl_val fcntl_vals[] = {
	{ 0, UDIG_F_DUPFD }, { 1, UDIG_F_GETFD }, { 2, UDIG_F_SETFD },
	{ 3, UDIG_F_GETFL }, { 4, UDIG_F_SETFL }, { 5, UDIG_F_GETLK },
	{ 6, UDIG_F_SETLK }, { 7, UDIG_F_SETLKW }, { 8, UDIG_F_SETOWN },
	{ 9, UDIG_F_GETOWN }, { 10, UDIG_F_SETSIG }, { 11, UDIG_F_GETSIG },
	{ 15, UDIG_F_SETOWN_EX }, { 16, UDIG_F_GETOWN_EX },
	{ 1024, UDIG_F_SETLEASE }, { 1025, UDIG_F_GETLEASE },
	{ 1029, UDIG_F_CANCELLK }, { 1030, UDIG_F_DUPFD_CLOEXEC },
	{ 1026, UDIG_F_NOTIFY }, { 1031, UDIG_F_SETPIPE_SZ }, { 1032, UDIG_F_GETPIPE_SZ },
	{ 36, UDIG_F_OFD_GETLK }, { 37, UDIG_F_OFD_SETLK }, { 38, UDIG_F_OFD_SETLKW },
};

uint8_t xl_fcntl_cmd(uint64_t cmd) { return (uint8_t)value(fcntl_vals, N(fcntl_vals), cmd, UDIG_UNKNOWN); }

/* poll(2) events, asm-generic/poll.h (x86_64 uses the generic values). */
static const struct xl_bit poll_bits[] = {
	{ 0x001, UDIG_POLLIN }, { 0x002, UDIG_POLLPRI }, { 0x004, UDIG_POLLOUT },
	{ 0x2000, UDIG_POLLRDHUP }, { 0x008, UDIG_POLLERR }, { 0x010, UDIG_POLLHUP },
	{ 0x020, UDIG_POLLNVAL }, { 0x040, UDIG_POLLRDNORM }, { 0x080, UDIG_POLLRDBAND },
	{ 0x100, UDIG_POLLWRNORM }, { 0x200, UDIG_POLLWRBAND },
};

uint16_t xl_poll_events(uint64_t ev) { return (uint16_t)bits(poll_bits, N(poll_bits), ev); }

/* futex op: command in the low 7 bits, then the two modifier bits. */
static const struct xl_val futex_vals[] = {
	{ 0, UDIG_FUTEX_WAIT }, { 1, UDIG_FUTEX_WAKE }, { 2, UDIG_FUTEX_FD },
	{ 3, UDIG_FUTEX_REQUEUE }, { 4, UDIG_FUTEX_CMP_REQUEUE }, { 5, UDIG_FUTEX_WAKE_OP },
	{ 6, UDIG_FUTEX_LOCK_PI }, { 7, UDIG_FUTEX_UNLOCK_PI }, { 8, UDIG_FUTEX_TRYLOCK_PI },
	{ 9, UDIG_FUTEX_WAIT_BITSET }, { 10, UDIG_FUTEX_WAKE_BITSET },
	{ 11, UDIG_FUTEX_WAIT_REQUEUE_PI }, { 12, UDIG_FUTEX_CMP_REQUEUE_PI },
};

uint16_t xl_futex_op(uint64_t op)
{
	uint16_t r = (uint16_t)value(futex_vals, N(futex_vals), op & 127, 0);
	if (op & 128)
		r |= UDIG_FUTEX_PRIVATE_FLAG;
	if (op & 256)
		r |= UDIG_FUTEX_CLOCK_REALTIME;
	return r;
}

/* access(2) mode: X_OK 1, W_OK 2, R_OK 4 as natively; 0 is F_OK. */
static const struct xl_bit access_bits[] = {
	{ 1, UDIG_X_OK }, { 2, UDIG_W_OK }, { 4, UDIG_R_OK },
};

uint32_t xl_access_mode(uint64_t mode)
{
	if ((uint32_t)mode == 0)
		return UDIG_F_OK;
	return bits(access_bits, N(access_bits), mode);
}

/* RLIMIT_* (asm-generic/resource.h) to PPM_RLIMIT_*, unknown -> 255. */
static const struct xl_val rlimit_vals[] = {
	{ 0, UDIG_RLIMIT_CPU }, { 1, UDIG_RLIMIT_FSIZE }, { 2, UDIG_RLIMIT_DATA },
	{ 3, UDIG_RLIMIT_STACK }, { 4, UDIG_RLIMIT_CORE }, { 5, UDIG_RLIMIT_RSS },
	{ 6, UDIG_RLIMIT_NPROC }, { 7, UDIG_RLIMIT_NOFILE }, { 8, UDIG_RLIMIT_MEMLOCK },
	{ 9, UDIG_RLIMIT_AS }, { 10, UDIG_RLIMIT_LOCKS }, { 11, UDIG_RLIMIT_SIGPENDING },
	{ 12, UDIG_RLIMIT_MSGQUEUE }, { 13, UDIG_RLIMIT_NICE }, { 14, UDIG_RLIMIT_RTPRIO },
	{ 15, UDIG_RLIMIT_RTTIME },
};

uint8_t xl_rlimit_resource(uint64_t res) { return (uint8_t)value(rlimit_vals, N(rlimit_vals), res, UDIG_RLIMIT_UNKNOWN); }

/* shutdown(2) how: known values map 1:1, others pass through (driver). */
static const struct xl_val shut_vals[] = {
	{ 0, UDIG_SHUT_RD }, { 1, UDIG_SHUT_WR }, { 2, UDIG_SHUT_RDWR },
};

uint8_t xl_shutdown_how(uint64_t how) { return (uint8_t)value(shut_vals, N(shut_vals), how, (uint32_t)how); }

/* lseek whence; SEEK_DATA/SEEK_HOLE and garbage read as SEEK_SET (0). */
static const struct xl_val whence_vals[] = {
	{ 0, UDIG_SEEK_SET }, { 1, UDIG_SEEK_CUR }, { 2, UDIG_SEEK_END },
};

uint8_t xl_lseek_whence(uint64_t whence) { return (uint8_t)value(whence_vals, N(whence_vals), whence, UDIG_SEEK_SET); }

/* ptrace requests, linux/ptrace.h + asm/ptrace-abi.h (x86_64). */
static const struct xl_val ptrace_vals[] = {
	{ 0, UDIG_PTRACE_TRACEME }, { 1, UDIG_PTRACE_PEEKTEXT }, { 2, UDIG_PTRACE_PEEKDATA },
	{ 3, UDIG_PTRACE_PEEKUSR }, { 4, UDIG_PTRACE_POKETEXT }, { 5, UDIG_PTRACE_POKEDATA },
	{ 6, UDIG_PTRACE_POKEUSR }, { 7, UDIG_PTRACE_CONT }, { 8, UDIG_PTRACE_KILL },
	{ 9, UDIG_PTRACE_SINGLESTEP }, { 12, UDIG_PTRACE_GETREGS }, { 13, UDIG_PTRACE_SETREGS },
	{ 14, UDIG_PTRACE_GETFPREGS }, { 15, UDIG_PTRACE_SETFPREGS }, { 16, UDIG_PTRACE_ATTACH },
	{ 17, UDIG_PTRACE_DETACH }, { 18, UDIG_PTRACE_GETFPXREGS }, { 19, UDIG_PTRACE_SETFPXREGS },
	{ 21, UDIG_PTRACE_OLDSETOPTIONS }, { 24, UDIG_PTRACE_SYSCALL },
	{ 25, UDIG_PTRACE_GET_THREAD_AREA }, { 26, UDIG_PTRACE_SET_THREAD_AREA },
	{ 30, UDIG_PTRACE_ARCH_PRCTL }, { 31, UDIG_PTRACE_SYSEMU },
	{ 32, UDIG_PTRACE_SYSEMU_SINGLESTEP }, { 33, UDIG_PTRACE_SINGLEBLOCK },
	{ 0x4200, UDIG_PTRACE_SETOPTIONS }, { 0x4201, UDIG_PTRACE_GETEVENTMSG },
	{ 0x4202, UDIG_PTRACE_GETSIGINFO }, { 0x4203, UDIG_PTRACE_SETSIGINFO },
	{ 0x4204, UDIG_PTRACE_GETREGSET }, { 0x4205, UDIG_PTRACE_SETREGSET },
	{ 0x4206, UDIG_PTRACE_SEIZE }, { 0x4207, UDIG_PTRACE_INTERRUPT },
	{ 0x4208, UDIG_PTRACE_LISTEN }, { 0x4209, UDIG_PTRACE_PEEKSIGINFO },
	{ 0x420a, UDIG_PTRACE_GETSIGMASK }, { 0x420b, UDIG_PTRACE_SETSIGMASK },
};

uint16_t xl_ptrace_request(uint64_t req) { return (uint16_t)value(ptrace_vals, N(ptrace_vals), req, UDIG_PTRACE_UNKNOWN); }

/* sockopt levels: SOL_SOCKET is 1 on x86_64, SOL_TCP = IPPROTO_TCP = 6;
 * others are "unknown" (0). */
static const struct xl_val level_vals[] = {
	{ 1, UDIG_SOL_SOCKET }, { 6, UDIG_SOL_TCP },
};

uint8_t xl_sockopt_level(uint64_t level) { return (uint8_t)value(level_vals, N(level_vals), level, 0); }

/* SOL_SOCKET option names (asm-generic/socket.h).  The PPM values equal
 * the native ones up to SO_ATTACH_BPF (50); the three later ones the
 * driver knows are renumbered; SO_RCVTIMEO_NEW/SO_SNDTIMEO_NEW (the y2038
 * variants the driver also decodes) fold onto the classic names. */
static const struct xl_val sockopt_vals[] = {
	{ 59, UDIG_SO_PEERGROUPS }, { 55, UDIG_SO_MEMINFO }, { 57, UDIG_SO_COOKIE },
	{ 66, UDIG_SO_RCVTIMEO }, { 67, UDIG_SO_SNDTIMEO },
};

uint8_t xl_sockopt_name(uint64_t level, uint64_t name)
{
	if (level != 1)
		return 0;
	if (name >= 1 && name <= 50)
		return (uint8_t)name;
	return (uint8_t)value(sockopt_vals, N(sockopt_vals), name, 0);
}

uint32_t xl_unlinkat_flags(uint64_t flags) { return (flags & 0x200) ? UDIG_AT_REMOVEDIR : 0; }

static const struct xl_bit linkat_bits[] = {
	{ 0x400, UDIG_AT_SYMLINK_FOLLOW }, { 0x1000, UDIG_LINKAT_FLAGS_AT_EMPTY_PATH },
};

uint32_t xl_linkat_flags(uint64_t flags) { return bits(linkat_bits, N(linkat_bits), flags); }

static const struct xl_bit execveat_bits[] = {
	{ 0x1000, UDIG_EXECVEAT_FLAGS_AT_EMPTY_PATH }, { 0x100, UDIG_AT_SYMLINK_NOFOLLOW },
};

uint32_t xl_execveat_flags(uint64_t flags) { return bits(execveat_bits, N(execveat_bits), flags); }

/* openat2 RESOLVE_* (linux/openat2.h): the PPM order differs. */
static const struct xl_bit resolve_bits[] = {
	{ 0x08, UDIG_RESOLVE_BENEATH }, { 0x10, UDIG_RESOLVE_IN_ROOT },
	{ 0x02, UDIG_RESOLVE_NO_MAGICLINKS }, { 0x04, UDIG_RESOLVE_NO_SYMLINKS },
	{ 0x01, UDIG_RESOLVE_NO_XDEV }, { 0x20, UDIG_RESOLVE_CACHED },
};

uint32_t xl_openat2_resolve(uint64_t resolve) { return bits(resolve_bits, N(resolve_bits), resolve); }

/* mount(2): PPM_MS_* equal MS_*; the legacy magic 0xC0ED in the top half
 * is stripped when present, as the driver does. */
uint32_t xl_mount_flags(uint64_t flags)
{
	if ((flags & 0xffff0000u) == 0xc0ed0000u)
		flags &= ~(uint64_t)0xffff0000u;
	return (uint32_t)flags;
}

/* flock(2) operation: LOCK_SH 1, LOCK_EX 2, LOCK_NB 4, LOCK_UN 8. */
static const struct xl_bit flock_bits[] = {
	{ 1, UDIG_LOCK_SH }, { 2, UDIG_LOCK_EX }, { 4, UDIG_LOCK_NB }, { 8, UDIG_LOCK_UN },
};

uint32_t xl_flock_op(uint64_t op) { return bits(flock_bits, N(flock_bits), op); }

static const struct xl_bit splice_bits[] = {
	{ 1, UDIG_SPLICE_F_MOVE }, { 2, UDIG_SPLICE_F_NONBLOCK },
	{ 4, UDIG_SPLICE_F_MORE }, { 8, UDIG_SPLICE_F_GIFT },
};

uint32_t xl_splice_flags(uint64_t flags) { return bits(splice_bits, N(splice_bits), flags); }

/* semget: IPC_CREAT 01000, IPC_EXCL 02000 (linux/ipc.h). */
static const struct xl_bit semget_bits[] = {
	{ 01000, UDIG_IPC_CREAT }, { 02000, UDIG_IPC_EXCL },
};

uint32_t xl_semget_flags(uint64_t flags) { return bits(semget_bits, N(semget_bits), flags); }

/* sembuf.sem_flg: IPC_NOWAIT 04000, SEM_UNDO 0x1000. */
static const struct xl_bit semop_bits[] = {
	{ 04000, UDIG_IPC_NOWAIT }, { 0x1000, UDIG_SEM_UNDO },
};

uint16_t xl_semop_flags(uint64_t flags) { return (uint16_t)bits(semop_bits, N(semop_bits), flags); }

/* semctl commands (linux/ipc.h, linux/sem.h). */
static const struct xl_val semctl_vals[] = {
	{ 2, UDIG_IPC_STAT }, { 1, UDIG_IPC_SET }, { 0, UDIG_IPC_RMID }, { 3, UDIG_IPC_INFO },
	{ 19, UDIG_SEM_INFO }, { 18, UDIG_SEM_STAT }, { 13, UDIG_GETALL }, { 14, UDIG_GETNCNT },
	{ 11, UDIG_GETPID }, { 12, UDIG_GETVAL }, { 15, UDIG_GETZCNT }, { 17, UDIG_SETALL },
	{ 16, UDIG_SETVAL },
};

uint16_t xl_semctl_cmd(uint64_t cmd) { return (uint16_t)value(semctl_vals, N(semctl_vals), cmd, 0); }

/* quotactl: cmd = QCMD(subcmd, type) = subcmd << 8 | type. */
static const struct xl_val quota_vals[] = {
	{ 0x800001, UDIG_Q_SYNC }, { 0x800002, UDIG_Q_QUOTAON }, { 0x800003, UDIG_Q_QUOTAOFF },
	{ 0x800004, UDIG_Q_GETFMT }, { 0x800005, UDIG_Q_GETINFO }, { 0x800006, UDIG_Q_SETINFO },
	{ 0x800007, UDIG_Q_GETQUOTA }, { 0x800008, UDIG_Q_SETQUOTA },
	{ 0x5801, UDIG_Q_XQUOTAON }, { 0x5802, UDIG_Q_XQUOTAOFF }, { 0x5803, UDIG_Q_XGETQUOTA },
	{ 0x5804, UDIG_Q_XSETQLIM }, { 0x5805, UDIG_Q_XGETQSTAT }, { 0x5806, UDIG_Q_XQUOTARM },
	{ 0x5807, UDIG_Q_XQUOTASYNC },
};

uint16_t xl_quotactl_cmd(uint64_t cmd) { return (uint16_t)value(quota_vals, N(quota_vals), (cmd & 0xffffffffu) >> 8, 0); }

static const struct xl_val qtype_vals[] = {
	{ 0, UDIG_USRQUOTA }, { 1, UDIG_GRPQUOTA },
};

uint8_t xl_quotactl_type(uint64_t cmd) { return (uint8_t)value(qtype_vals, N(qtype_vals), cmd & 0xff, 0); }

/* QFMT_VFS_OLD 1, QFMT_VFS_V0 2, QFMT_VFS_V1 4; anything else "not used". */
static const struct xl_val qfmt_vals[] = {
	{ 1, UDIG_QFMT_VFS_OLD }, { 2, UDIG_QFMT_VFS_V0 }, { 4, UDIG_QFMT_VFS_V1 },
};

uint8_t xl_quotactl_fmt(uint64_t fmt) { return (uint8_t)value(qfmt_vals, N(qfmt_vals), fmt, UDIG_QFMT_NOT_USED); }

/* glibc's dev_t: major in bits 8-19 and 32-43, minor in 0-7 and 20-31.
 * The driver writes the kernel's new_encode_dev(): minor low byte, major
 * in bits 8-19, the rest of minor from bit 20. */
uint32_t xl_dev(uint64_t dev)
{
	uint32_t major = (uint32_t)(((dev >> 8) & 0xfff) | ((dev >> 32) & ~0xfffull));
	uint32_t minor = (uint32_t)((dev & 0xff) | ((dev >> 12) & ~0xffull));
	return (minor & 0xff) | (major << 8) | ((minor & ~0xffu) << 12);
}
