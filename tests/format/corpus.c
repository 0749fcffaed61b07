/*
 * The format corpus: events covering every parameter type and the common
 * state-changing syscalls.  Timestamps advance 1 µs per event from
 * 1700000000 s; processes come from the process list and from clone/execve
 * events in the stream.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <udig/encode.h>
#include "corpus.h"
#include "corpus_threads.h"

const struct sg_thread corpus_threads[] = {
	{ .tid = T_INIT, .pid = T_INIT, .ptid = 0, .comm = "init", .exe = "/sbin/init", .exepath = "/sbin/init",
	  .cwd = "/", .root = "/", .fdlimit = 1024, .uid = 0, .gid = 0, .vtid = T_INIT, .vpid = T_INIT, .loginuid = -1 },
	{ .tid = T_PROBE, .pid = T_PROBE, .ptid = T_INIT, .comm = "probe", .exe = "probe", .exepath = "/usr/bin/probe",
	  .cwd = "/home/alice/", .root = "/", .args = "--flag\0x\0", .args_len = 9, .fdlimit = 1024, .uid = 1000,
	  .gid = 1000, .vtid = T_PROBE, .vpid = T_PROBE, .loginuid = 1000 },
	{ .tid = T_SHELL, .pid = T_SHELL, .ptid = T_INIT, .comm = "sh", .exe = "/bin/sh", .exepath = "/bin/sh",
	  .cwd = "/tmp", .root = "/", .fdlimit = 1024, .uid = 1000, .gid = 1000, .vtid = T_SHELL, .vpid = T_SHELL,
	  .loginuid = 1000 },
};
const size_t corpus_nthreads = sizeof corpus_threads / sizeof corpus_threads[0];

const struct corpus_fd corpus_fds[] = {
	{ T_PROBE, 0, "/dev/pts/0", UDIG_O_RDWR },
	{ T_PROBE, 1, "/dev/pts/0", UDIG_O_RDWR },
	{ T_PROBE, 2, "/dev/pts/0", UDIG_O_RDWR },
};
const size_t corpus_nfds = sizeof corpus_fds / sizeof corpus_fds[0];

/* ---- record building ---------------------------------------------------- */

static struct corpus *CO;
static struct udig_enc E;
static uint8_t buf[70000];
static uint64_t ts = 1700000000000000000ull;
static uint16_t cpu;

static void B(uint16_t type, int64_t tid)
{
	udig_enc_begin(&E, buf, sizeof buf, type, ts, (uint64_t)tid);
}

static void END(void)
{
	size_t len = udig_enc_end(&E);
	if (!len)
		abort();
	corpus_add(CO, buf, len, cpu);
	ts += 1000;
	cpu = (uint16_t)((cpu + 1) % 3);
}

static void u8(uint8_t v) { udig_enc_u8(&E, v); }
static void u16(uint16_t v) { udig_enc_u16(&E, v); }
static void u32(uint32_t v) { udig_enc_u32(&E, v); }
static void u64(uint64_t v) { udig_enc_u64(&E, v); }
static void s64(int64_t v) { udig_enc_s64(&E, v); }
static void str(const char *s) { udig_enc_str(&E, s, 0); }
static void bytes(const void *p, size_t n) { udig_enc_buf(&E, p, n, 0); }
static void empty(void) { udig_enc_raw(&E, NULL, 0); }

static void ip4(uint8_t *o, const char *a) { inet_pton(AF_INET, a, o); }

static void sockaddr4(const char *a, uint16_t port)
{
	uint8_t v[7];
	v[0] = UDIG_AF_INET;
	ip4(v + 1, a);
	memcpy(v + 5, &port, 2);
	udig_enc_raw(&E, v, sizeof v);
}

static void sockaddr6(const char *a, uint16_t port)
{
	uint8_t v[19];
	v[0] = UDIG_AF_INET6;
	inet_pton(AF_INET6, a, v + 1);
	memcpy(v + 17, &port, 2);
	udig_enc_raw(&E, v, sizeof v);
}

static void sockaddr_un(const char *path)
{
	uint8_t v[128];
	v[0] = UDIG_AF_UNIX;
	size_t n = strlen(path) + 1;
	memcpy(v + 1, path, n);
	udig_enc_raw(&E, v, 1 + n);
}

static void tuple4(const char *s, uint16_t sp, const char *d, uint16_t dp)
{
	uint8_t v[13];
	v[0] = UDIG_AF_INET;
	ip4(v + 1, s);
	memcpy(v + 5, &sp, 2);
	ip4(v + 7, d);
	memcpy(v + 11, &dp, 2);
	udig_enc_raw(&E, v, sizeof v);
}

static void tuple6(const char *s, uint16_t sp, const char *d, uint16_t dp)
{
	uint8_t v[37];
	v[0] = UDIG_AF_INET6;
	inet_pton(AF_INET6, s, v + 1);
	memcpy(v + 17, &sp, 2);
	inet_pton(AF_INET6, d, v + 19);
	memcpy(v + 35, &dp, 2);
	udig_enc_raw(&E, v, sizeof v);
}

static void tuple_un(uint64_t src, uint64_t dst, const char *path)
{
	uint8_t v[128];
	v[0] = UDIG_AF_UNIX;
	memcpy(v + 1, &src, 8);
	memcpy(v + 9, &dst, 8);
	size_t n = strlen(path) + 1;
	memcpy(v + 17, path, n);
	udig_enc_raw(&E, v, 17 + n);
}

static void fdlist(const int64_t *fds, const uint16_t *fl, uint16_t n)
{
	uint8_t v[2 + 10 * 16];
	memcpy(v, &n, 2);
	for (uint16_t i = 0; i < n; i++) {
		memcpy(v + 2 + 10 * i, &fds[i], 8);
		memcpy(v + 10 + 10 * i, &fl[i], 2);
	}
	udig_enc_raw(&E, v, 2 + 10u * n);
}

/* ---- event families ------------------------------------------------------ */

static void open_ev(int64_t tid, const char *name, uint32_t flags, uint32_t mode, int64_t fd)
{
	B(UEV_SYSCALL_OPEN_E, tid); str(name); u32(flags); u32(mode); END();
	B(UEV_SYSCALL_OPEN_X, tid); s64(fd); str(name); u32(flags); u32(mode); u32(0x800001); END();
}

static void openat_ev(int64_t tid, int64_t dirfd, const char *name, uint32_t flags, uint32_t mode, int64_t fd)
{
	B(UEV_SYSCALL_OPENAT_2_E, tid); s64(dirfd); str(name); u32(flags); u32(mode); END();
	B(UEV_SYSCALL_OPENAT_2_X, tid); s64(fd); s64(dirfd); str(name); u32(flags); u32(mode); u32(0x10302); END();
}

static void rw_ev(int64_t tid, int write, int64_t fd, const void *data, int64_t res)
{
	B(write ? UEV_SYSCALL_WRITE_E : UEV_SYSCALL_READ_E, tid); s64(fd); u32(4096); END();
	B(write ? UEV_SYSCALL_WRITE_X : UEV_SYSCALL_READ_X, tid); s64(res);
	if (res > 0)
		bytes(data, (size_t)res);
	else
		empty();
	END();
}

static void close_ev(int64_t tid, int64_t fd, int64_t res)
{
	B(UEV_SYSCALL_CLOSE_E, tid); s64(fd); END();
	B(UEV_SYSCALL_CLOSE_X, tid); s64(res); END();
}

static void socket_ev(int64_t tid, uint32_t dom, uint32_t type, uint32_t proto, int64_t fd)
{
	B(UEV_SOCKET_SOCKET_E, tid); u32(dom); u32(type); u32(proto); END();
	B(UEV_SOCKET_SOCKET_X, tid); s64(fd); END();
}

static void simple_fd_pair(uint16_t etype, int64_t tid, int64_t fd)
{
	B(etype, tid);
	switch (etype) {
	case UEV_SYSCALL_EVENTFD_E: u64(0); u32(0); break;
	case UEV_SYSCALL_SIGNALFD_E: s64(-1); u32(0); u8(0); break;
	case UEV_SYSCALL_TIMERFD_CREATE_E: u8(1); u8(0); break;
	case UEV_SYSCALL_INOTIFY_INIT_E: u8(0); break;
	}
	END();
	B((uint16_t)(etype + 1), tid);
	if (etype == UEV_SYSCALL_USERFAULTFD_E) {
		s64(fd); u32(0);
	} else {
		s64(fd);
	}
	END();
}

/* clone exit, 20 params; `who` describes the process in the record */
static void clone_x(uint16_t type, int64_t hdr_tid, int64_t res, const char *exe, const char *comm, int64_t tid,
		    int64_t pid, int64_t ptid, const char *cwd, uint32_t flags)
{
	B(type, hdr_tid); s64(res); str(exe); bytes("a\0b\0", 4); s64(tid); s64(pid); s64(ptid); str(cwd);
	s64(1024); u64(1); u64(2); u32(100); u32(50); u32(0); str(comm); bytes("cpu=/\0", 6); u32(flags);
	u32(1000); u32(1000); s64(tid); s64(pid); END();
}

static void execve_ev(int64_t tid, const char *filename, const char *exe, const char *comm, int64_t res)
{
	B(UEV_SYSCALL_EXECVE_19_E, tid); str(filename); END();
	B(UEV_SYSCALL_EXECVE_19_X, tid); s64(res); str(exe); bytes("-l\0/tmp\0", 8); s64(tid); s64(tid);
	s64(T_PROBE); str(""); u64(1024); u64(0); u64(0); u32(0); u32(0); u32(0); str(comm); bytes("cpu=/\0", 6);
	bytes("HOME=/home/alice\0PATH=/bin\0", 27);
	u32(0); s64(tid); u32(1000); u32(0); END();
}

static void pair0(uint16_t etype, int64_t tid)
{
	B(etype, tid); END();
}

static void files(void)
{
	static const char host[] = "probe-host\n";
	uint8_t bin[200];
	for (size_t i = 0; i < sizeof bin; i++)
		bin[i] = (uint8_t)(i * 7);
	memcpy(bin, "GET / HTTP/1.1\r\n\"q\"\\", 20);

	open_ev(T_PROBE, "/etc/hostname", UDIG_O_RDONLY, 0, 3);
	rw_ev(T_PROBE, 0, 3, host, 11);
	rw_ev(T_PROBE, 0, 0, "hello\n", 6);
	rw_ev(T_PROBE, 1, 1, bin, 100);
	rw_ev(T_PROBE, 1, 2, bin, 20);
	rw_ev(T_PROBE, 0, 3, NULL, -11);
	rw_ev(T_PROBE, 0, 3, NULL, 0);
	open_ev(T_PROBE, "data/missing.txt", UDIG_O_RDONLY, 0, -2);
	open_ev(T_PROBE, "notes.txt", UDIG_O_WRONLY | UDIG_O_CREAT | UDIG_O_TRUNC, 0644, 4);
	open_ev(T_PROBE, "./a/../b//c.txt", UDIG_O_RDWR | UDIG_O_APPEND | UDIG_O_CLOEXEC | 0x100000, 0600, 5);
	open_ev(T_PROBE, "/tmp", UDIG_O_RDONLY | UDIG_O_DIRECTORY, 0, 6);
	openat_ev(T_PROBE, 6, "foo/../bar", UDIG_O_RDONLY, 0, 7);
	openat_ev(T_PROBE, UDIG_AT_FDCWD, "rel/x", UDIG_O_RDWR | UDIG_O_CREAT | UDIG_O_EXCL, 0755, 8);
	openat_ev(T_PROBE, 42, "zz", 0, 0, -13);
	openat_ev(T_PROBE, 6, "/abs/path", UDIG_O_RDONLY, 0, 9);
	rw_ev(T_PROBE, 0, 7, "x", 1);
	rw_ev(T_PROBE, 1, 8, "y", 1);
	rw_ev(T_PROBE, 1, 9, "z", 1);
	B(UEV_SYSCALL_CREAT_E, T_PROBE); str("made.txt"); u32(0640); END();
	B(UEV_SYSCALL_CREAT_X, T_PROBE); s64(10); str("made.txt"); u32(0640); u32(0); END();
	rw_ev(T_PROBE, 1, 10, "w", 1);
	close_ev(T_PROBE, 3, 0);
	rw_ev(T_PROBE, 0, 3, NULL, -9);
	close_ev(T_PROBE, 77, -9);
	/* paths and modes in other events */
	B(UEV_SYSCALL_STAT_E, T_PROBE); END();
	B(UEV_SYSCALL_STAT_X, T_PROBE); s64(0); str("sub/file"); END();
	B(UEV_SYSCALL_CHMOD_E, T_PROBE); END();
	B(UEV_SYSCALL_CHMOD_X, T_PROBE); s64(0); str("/etc/x"); u32(04755); END();
	B(UEV_SYSCALL_FCHMODAT_E, T_PROBE); END();
	B(UEV_SYSCALL_FCHMODAT_X, T_PROBE); s64(-1); s64(6); str("m"); u32(0); END();
	B(UEV_SYSCALL_UNLINKAT_2_E, T_PROBE); END();
	B(UEV_SYSCALL_UNLINKAT_2_X, T_PROBE); s64(0); s64(UDIG_AT_FDCWD); str("gone"); u32(0x200); END();
	B(UEV_SYSCALL_MKDIR_2_E, T_PROBE); u32(0); END();
	B(UEV_SYSCALL_MKDIR_2_X, T_PROBE); s64(-17); str("/home/alice/dir"); END();
	B(UEV_SYSCALL_RENAMEAT2_E, T_PROBE); END();
	B(UEV_SYSCALL_RENAMEAT2_X, T_PROBE); s64(0); s64(6); str("o"); s64(99); str("n"); u32(3); END();
	B(UEV_SYSCALL_ACCESS_E, T_PROBE); u32(7); END();
	B(UEV_SYSCALL_ACCESS_X, T_PROBE); s64(-2); str("maybe"); END();
	B(UEV_SYSCALL_LSEEK_E, T_PROBE); s64(4); u64(100); u8(1); END();
	B(UEV_SYSCALL_LSEEK_X, T_PROBE); s64(100); END();
	B(UEV_SYSCALL_FSTAT_E, T_PROBE); s64(4); END();
	B(UEV_SYSCALL_FSTAT_X, T_PROBE); s64(0); END();
	B(UEV_SYSCALL_GETDENTS64_E, T_PROBE); s64(6); END();
	B(UEV_SYSCALL_GETDENTS64_X, T_PROBE); s64(-20); END();
}

static void sockets(void)
{
	socket_ev(T_PROBE, UDIG_AF_INET, 1, 0, 11);
	B(UEV_SOCKET_CONNECT_E, T_PROBE); s64(11); sockaddr4("93.184.216.34", 443); END();
	B(UEV_SOCKET_CONNECT_X, T_PROBE); s64(0); tuple4("10.1.2.3", 40000, "93.184.216.34", 443); END();
	B(UEV_SOCKET_SENDTO_E, T_PROBE); s64(11); u32(5); tuple4("10.1.2.3", 40000, "93.184.216.34", 443); END();
	B(UEV_SOCKET_SENDTO_X, T_PROBE); s64(5); bytes("GET /", 5); END();
	B(UEV_SOCKET_RECVFROM_E, T_PROBE); s64(11); u32(4096); END();
	B(UEV_SOCKET_RECVFROM_X, T_PROBE); s64(4); bytes("HTTP", 4); empty(); END();
	socket_ev(T_PROBE, UDIG_AF_INET6, 1, 6, 12);
	B(UEV_SOCKET_CONNECT_E, T_PROBE); s64(12); sockaddr6("2001:db8::1", 80); END();
	B(UEV_SOCKET_CONNECT_X, T_PROBE); s64(-115); tuple6("2001:db8::2", 5000, "2001:db8::1", 80); END();
	rw_ev(T_PROBE, 1, 12, "v6", 2);
	socket_ev(T_PROBE, UDIG_AF_UNIX, 1, 0, 13);
	B(UEV_SOCKET_CONNECT_E, T_PROBE); s64(13); sockaddr_un("/run/app.sock"); END();
	B(UEV_SOCKET_CONNECT_X, T_PROBE); s64(0); tuple_un(0xffff8880aa01ull, 0xffff8880bb02ull, "/run/app.sock"); END();
	rw_ev(T_PROBE, 1, 13, "u", 1);
	socket_ev(T_PROBE, UDIG_AF_INET, 2, 0, 14);
	B(UEV_SOCKET_BIND_E, T_PROBE); s64(14); END();
	B(UEV_SOCKET_BIND_X, T_PROBE); s64(0); sockaddr4("0.0.0.0", 5353); END();
	B(UEV_SOCKET_RECVFROM_E, T_PROBE); s64(14); u32(512); END();
	B(UEV_SOCKET_RECVFROM_X, T_PROBE); s64(3); bytes("dns", 3); tuple4("10.0.0.7", 999, "0.0.0.0", 5353); END();
	socket_ev(T_PROBE, UDIG_AF_INET, 1, 6, 15);
	B(UEV_SOCKET_BIND_E, T_PROBE); s64(15); END();
	B(UEV_SOCKET_BIND_X, T_PROBE); s64(0); sockaddr4("10.1.2.3", 8080); END();
	B(UEV_SOCKET_LISTEN_E, T_PROBE); s64(15); u32(128); END();
	B(UEV_SOCKET_LISTEN_X, T_PROBE); s64(0); END();
	B(UEV_SOCKET_ACCEPT_5_E, T_PROBE); END();
	B(UEV_SOCKET_ACCEPT_5_X, T_PROBE); s64(16); tuple4("10.0.0.9", 5555, "10.1.2.3", 8080); u8(3); u32(1); u32(128); END();
	B(UEV_SOCKET_ACCEPT4_5_E, T_PROBE); udig_enc_u32(&E, (uint32_t)-2048); END();
	B(UEV_SOCKET_ACCEPT4_5_X, T_PROBE); s64(-11); empty(); u8(0); u32(0); u32(128); END();
	rw_ev(T_PROBE, 0, 16, "req", 3);
	rw_ev(T_PROBE, 0, 15, NULL, -22);
	socket_ev(T_PROBE, UDIG_AF_NETLINK, 3, 0, 17);
	socket_ev(T_PROBE, 17 /* AF_PACKET */, 3, 768, 18);
	socket_ev(T_PROBE, UDIG_AF_INET, 3, 1, 19);
	rw_ev(T_PROBE, 0, 17, "n", 1);
	rw_ev(T_PROBE, 0, 18, "p", 1);
	rw_ev(T_PROBE, 0, 19, "i", 1);
	B(UEV_SOCKET_SOCKETPAIR_E, T_PROBE); u32(UDIG_AF_UNIX); u32(1); u32(0); END();
	B(UEV_SOCKET_SOCKETPAIR_X, T_PROBE); s64(0); s64(20); s64(21); u64(0xffff1); u64(0xffff2); END();
	rw_ev(T_PROBE, 1, 20, "sp", 2);
	B(UEV_SOCKET_SHUTDOWN_E, T_PROBE); s64(11); u8(2); END();
	B(UEV_SOCKET_SHUTDOWN_X, T_PROBE); s64(0); END();
	B(UEV_SOCKET_SETSOCKOPT_E, T_PROBE); END();
	B(UEV_SOCKET_SETSOCKOPT_X, T_PROBE); s64(0); s64(11); u8(1); u8(9); udig_enc_raw(&E, "\x02\x01\x00\x00\x00", 5); u32(4); END();
	B(UEV_SOCKET_GETSOCKOPT_E, T_PROBE); END();
	B(UEV_SOCKET_GETSOCKOPT_X, T_PROBE); s64(0); s64(11); u8(1); u8(4); udig_enc_raw(&E, "\x01\xf5\xff\xff\xff\xff\xff\xff\xff", 9); u32(4); END();
}

static void fds(void)
{
	pair0(UEV_SYSCALL_PIPE_E, T_PROBE);
	B(UEV_SYSCALL_PIPE_X, T_PROBE); s64(0); s64(22); s64(23); u64(4242); END();
	rw_ev(T_PROBE, 1, 23, "pipe", 4);
	B(UEV_SYSCALL_DUP_E, T_PROBE); s64(22); END();
	B(UEV_SYSCALL_DUP_X, T_PROBE); s64(24); END();
	rw_ev(T_PROBE, 0, 24, "pipe", 4);
	B(UEV_SYSCALL_DUP_E, T_PROBE); s64(4); END();
	B(UEV_SYSCALL_DUP_X, T_PROBE); s64(1); END();
	rw_ev(T_PROBE, 1, 1, "to-notes", 8);
	B(UEV_SYSCALL_FCNTL_E, T_PROBE); s64(5); u8(UDIG_F_DUPFD_CLOEXEC); END();
	B(UEV_SYSCALL_FCNTL_X, T_PROBE); s64(25); END();
	B(UEV_SYSCALL_FCNTL_E, T_PROBE); s64(5); u8(UDIG_F_GETFL); END();
	B(UEV_SYSCALL_FCNTL_X, T_PROBE); s64(0x8002); END();
	rw_ev(T_PROBE, 0, 25, "c", 1);
	simple_fd_pair(UEV_SYSCALL_EVENTFD_E, T_PROBE, 26);
	simple_fd_pair(UEV_SYSCALL_SIGNALFD_E, T_PROBE, 27);
	simple_fd_pair(UEV_SYSCALL_TIMERFD_CREATE_E, T_PROBE, 28);
	simple_fd_pair(UEV_SYSCALL_INOTIFY_INIT_E, T_PROBE, 29);
	simple_fd_pair(UEV_SYSCALL_USERFAULTFD_E, T_PROBE, 30);
	for (int64_t fd = 26; fd <= 30; fd++)
		rw_ev(T_PROBE, 0, fd, "12345678", 8);
	const int64_t pf[] = { 0, 11, 22, 26, 99 };
	const uint16_t pe[] = { 1, 4, 1 | 4, 0x10, 0x20 };
	B(UEV_SYSCALL_POLL_E, T_PROBE); fdlist(pf, pe, 5); s64(1000); END();
	B(UEV_SYSCALL_POLL_X, T_PROBE); s64(1); fdlist(pf, pe, 1); END();
	B(UEV_SYSCALL_PPOLL_E, T_PROBE); fdlist(pf, pe, 2); u64(1500000000); u32(0x4001); END();
	B(UEV_SYSCALL_PPOLL_X, T_PROBE); s64(0); fdlist(pf, pe, 0); END();
}

static void misc(void)
{
	B(UEV_GENERIC_E, T_PROBE); u16(USC_CHOWN); u16(92); END();
	B(UEV_GENERIC_X, T_PROBE); u16(USC_CHOWN); END();
	B(UEV_GENERIC_E, T_PROBE); u16(0); u16(999); END();
	B(UEV_GENERIC_X, T_PROBE); u16(0); END();
	B(UEV_SYSCALL_KILL_E, T_PROBE); s64(T_SHELL); u8(9); END();
	B(UEV_SYSCALL_KILL_X, T_PROBE); s64(0); END();
	B(UEV_SYSCALL_KILL_E, T_PROBE); s64(4321); u8(0); END();
	B(UEV_SYSCALL_KILL_X, T_PROBE); s64(-3); END();
	B(UEV_SYSCALL_TGKILL_E, T_PROBE); s64(T_PROBE); s64(T_PROBE); u8(64); END();
	B(UEV_SYSCALL_TGKILL_X, T_PROBE); s64(-22); END();
	B(UEV_SYSCALL_MMAP_E, T_PROBE); u64(0); u64(8192); u32(3); u32(0x22); s64(-1); u64(0); END();
	B(UEV_SYSCALL_MMAP_X, T_PROBE); u64(0x7f0012345000ull); u32(1000); u32(500); u32(0); END();
	B(UEV_SYSCALL_MMAP_E, T_PROBE); u64(0x1000); u64(4096); u32(0); u32(0x12); s64(4); u64(4096); END();
	B(UEV_SYSCALL_MMAP_X, T_PROBE); u64((uint64_t)-12); u32(1000); u32(500); u32(0); END();
	B(UEV_SYSCALL_MPROTECT_E, T_PROBE); u64(0x7f0012345000ull); u64(4096); u32(5); END();
	B(UEV_SYSCALL_MPROTECT_X, T_PROBE); s64(0); END();
	B(UEV_SYSCALL_BRK_4_E, T_PROBE); u64(0); END();
	B(UEV_SYSCALL_BRK_4_X, T_PROBE); u64(0x55aa000ull); u32(1); u32(2); u32(3); END();
	B(UEV_SYSCALL_NANOSLEEP_E, T_PROBE); u64(1500000); END();
	B(UEV_SYSCALL_NANOSLEEP_X, T_PROBE); s64(-4); END();
	B(UEV_SYSCALL_FUTEX_E, T_PROBE); u64(0x5000); u16(128 | 9); u64(1); END();
	B(UEV_SYSCALL_FUTEX_X, T_PROBE); s64(-110); END();
	B(UEV_SYSCALL_PTRACE_E, T_PROBE); u16(16); s64(T_SHELL); END();
	B(UEV_SYSCALL_PTRACE_X, T_PROBE); s64(0); udig_enc_raw(&E, "\x00\x10\x00\x00\x00\x00\x00\x00\x00", 9);
	udig_enc_raw(&E, "\x01\x0f", 2); END();
	B(UEV_SYSCALL_SETUID_E, T_PROBE); u32(0); END();
	B(UEV_SYSCALL_SETUID_X, T_PROBE); s64(-1); END();
	B(UEV_SYSCALL_SETRESGID_E, T_PROBE); u32(UINT32_MAX); u32(1000); u32(4000000000u); END();
	B(UEV_SYSCALL_SETRESGID_X, T_PROBE); s64(0); END();
	B(UEV_SYSCALL_GETRLIMIT_E, T_PROBE); u8(7); END();
	B(UEV_SYSCALL_GETRLIMIT_X, T_PROBE); s64(0); s64(1024); s64(-1); END();
	B(UEV_SYSCALL_PRLIMIT_E, T_PROBE); s64(0); u8(3); END();
	B(UEV_SYSCALL_PRLIMIT_X, T_PROBE); s64(0); s64(-1); s64(-1); s64(8388608); s64(-1); END();
	B(UEV_SYSCALL_SECCOMP_E, T_PROBE); u64(1); END();
	B(UEV_SYSCALL_SECCOMP_X, T_PROBE); s64(0); END();
	B(UEV_SYSCALL_MOUNT_E, T_PROBE); u32(0x1001); END();
	B(UEV_SYSCALL_MOUNT_X, T_PROBE); s64(-1); str("none"); str("/mnt"); str("tmpfs"); END();
	B(UEV_SYSCALL_UNSHARE_E, T_PROBE); u32(0x20 | 0x100000); END();
	B(UEV_SYSCALL_UNSHARE_X, T_PROBE); s64(0); END();
	B(UEV_SYSCALL_FLOCK_E, T_PROBE); s64(4); u32(2 | 4); END();
	B(UEV_SYSCALL_FLOCK_X, T_PROBE); s64(0); END();
	B(UEV_SYSCALL_SEMGET_E, T_PROBE); u32(0xdeadbeef); u32((uint32_t)-3); u32(01000 | 0600); END();
	B(UEV_SYSCALL_SEMGET_X, T_PROBE); s64(0); END();
	B(UEV_SYSCALL_IOCTL_3_E, T_PROBE); s64(0); u64(0x5401); u64(0x7ffd0000); END();
	B(UEV_SYSCALL_IOCTL_3_X, T_PROBE); s64(0); END();
	B(UEV_SYSCALL_SPLICE_E, T_PROBE); s64(22); s64(11); u64(65536); u32(1 | 4); END();
	B(UEV_SYSCALL_SPLICE_X, T_PROBE); s64(100); END();
	B(UEV_SYSCALL_GETUID_E, T_PROBE); END();
	B(UEV_SYSCALL_GETUID_X, T_PROBE); u32(1000); END();
}

static void processes(void)
{
	/* fork seen from the parent: the child inherits fds and cwd */
	pair0(UEV_SYSCALL_CLONE_20_E, T_PROBE);
	clone_x(UEV_SYSCALL_CLONE_20_X, T_PROBE, T_CHILD, "probe", "probe", T_PROBE, T_PROBE, T_INIT, "", 0);
	rw_ev(T_CHILD, 1, 4, "child", 5);
	B(UEV_SYSCALL_CHDIR_E, T_CHILD); END();
	B(UEV_SYSCALL_CHDIR_X, T_CHILD); s64(0); str("../bob"); END();
	open_ev(T_CHILD, "in-bob", UDIG_O_RDONLY, 0, 31);
	B(UEV_SYSCALL_FCHDIR_E, T_CHILD); s64(6); END();
	B(UEV_SYSCALL_FCHDIR_X, T_CHILD); s64(0); END();
	open_ev(T_CHILD, "in-tmp", UDIG_O_RDONLY, 0, 32);
	execve_ev(T_CHILD, "/bin/nope", "/bin/nope", "nope", -2);
	execve_ev(T_CHILD, "/bin/ls", "ls", "ls", 0);
	rw_ev(T_CHILD, 1, 1, "ls-out", 6);
	open_ev(T_CHILD, "after-exec", UDIG_O_RDONLY, 0, 33);
	B(UEV_PROCEXIT_1_E, T_CHILD); s64(0); s64(0); u8(0); u8(0); END();
	rw_ev(T_CHILD, 1, 1, "late", 4);
	/* a child that announces itself first (inverted clone), then a thread */
	clone_x(UEV_SYSCALL_CLONE_20_X, T_WORKER, 0, "/usr/bin/worker", "worker", T_WORKER, T_WORKER, T_SHELL,
		"/srv/", 0);
	pair0(UEV_SYSCALL_FORK_20_E, T_SHELL);
	clone_x(UEV_SYSCALL_FORK_20_X, T_SHELL, T_WORKER, "/bin/sh", "sh", T_SHELL, T_SHELL, T_INIT, "", 0);
	open_ev(T_WORKER, "w.log", UDIG_O_WRONLY | UDIG_O_CREAT, 0600, 3);
	clone_x(UEV_SYSCALL_CLONE_20_X, T_WTHREAD, 0, "/usr/bin/worker", "worker", T_WTHREAD, T_WORKER, T_SHELL,
		"", UDIG_CLONE_THREAD | UDIG_CLONE_FILES | UDIG_CLONE_VM);
	rw_ev(T_WTHREAD, 1, 3, "thr", 3);
	B(UEV_SYSCALL_KILL_E, T_WTHREAD); s64(T_WORKER); u8(15); END();
	B(UEV_SYSCALL_KILL_X, T_WTHREAD); s64(0); END();
	/* a thread nobody described */
	open_ev(T_NOPL, "/etc/passwd", UDIG_O_RDONLY, 0, 3);
	rw_ev(T_NOPL, 0, 3, "root", 4);
}

void corpus_build(struct corpus *co)
{
	CO = co;
	ts = 1700000000000000000ull;
	cpu = 0;
	files();
	sockets();
	fds();
	misc();
	processes();
	/* Last: after a bpf exit (a DYN result), sysdig 0.29.3's evt.res filter
	 * never matches again, which would blind the filter comparisons. */
	B(UEV_SYSCALL_BPF_E, T_PROBE); s64(5); END();
	B(UEV_SYSCALL_BPF_X, T_PROBE); udig_enc_raw(&E, "\x00\x1e\x00\x00\x00\x00\x00\x00\x00", 9); END();
}
