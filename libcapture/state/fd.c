/*
 * State engine, file descriptors: the events that create, copy, rename and
 * destroy fds, one handler per event family (table at the end), following
 * libsinsp's parsers.  What bind, connect, accept and datagrams teach a
 * socket is in state/net.c.
 */
#include <stdlib.h>
#include <string.h>
#include "state-int.h"
#include "../format/format-int.h"
#include "../evt-int.h"

/* Native socket constants (socket() type/proto are not translated). */
enum { N_SOCK_STREAM = 1, N_SOCK_DGRAM = 2, N_SOCK_RAW = 3,
       N_IPPROTO_IP = 0, N_IPPROTO_ICMP = 1, N_IPPROTO_TCP = 6, N_IPPROTO_UDP = 17, N_IPPROTO_RAW = 255 };

static int64_t ival(const struct udig_evt *ev, unsigned i, int64_t dflt)
{
	return evt_int(ev, i, dflt);
}

static void add_fd(udig_capture *c, struct thread_entry *te, int64_t fd, int8_t type, const char *name)
{
	struct udig_fdinfo fi;
	memset(&fi, 0, sizeof fi);
	fi.fd = fd;
	fi.type = type;
	fi.name = (char *)(name ? name : "");
	tables_fd_add(&c->tables, te->ti.tid, &fi);
}

/* open, openat, openat2, creat: param positions of each record. */
struct open_layout {
	uint16_t type;
	int8_t dirfd, name, flags; /* -1: absent */
};
static const struct open_layout open_layouts[] = {
	{ UEV_SYSCALL_OPEN_E, -1, 0, 1 },   { UEV_SYSCALL_OPEN_X, -1, 1, 2 },
	{ UEV_SYSCALL_OPENAT_2_E, 0, 1, 2 }, { UEV_SYSCALL_OPENAT_2_X, 1, 2, 3 },
	{ UEV_SYSCALL_OPENAT2_E, 0, 1, 2 },  { UEV_SYSCALL_OPENAT2_X, 1, 2, 3 },
	{ UEV_SYSCALL_OPENAT_E, 0, 1, 2 },   { UEV_SYSCALL_OPENAT_X, -1, -1, -1 },
	{ UEV_SYSCALL_CREAT_E, -1, 0, -1 },  { UEV_SYSCALL_CREAT_X, -1, 1, -1 },
};

static const struct open_layout *open_layout(uint16_t type)
{
	switch (type) {
	case UEV_SYSCALL_OPEN_E: return &open_layouts[0];
	case UEV_SYSCALL_OPEN_X: return &open_layouts[1];
	case UEV_SYSCALL_OPENAT_2_E: return &open_layouts[2];
	case UEV_SYSCALL_OPENAT_2_X: return &open_layouts[3];
	case UEV_SYSCALL_OPENAT2_E: return &open_layouts[4];
	case UEV_SYSCALL_OPENAT2_X: return &open_layouts[5];
	case UEV_SYSCALL_OPENAT_E: return &open_layouts[6];
	case UEV_SYSCALL_OPENAT_X: return &open_layouts[7];
	case UEV_SYSCALL_CREAT_E: return &open_layouts[8];
	case UEV_SYSCALL_CREAT_X: return &open_layouts[9];
	}
	return NULL;
}

static void on_open_exit(udig_capture *c, struct thread_entry *te, const struct udig_evt *ev,
			 const struct udig_evt *enter)
{
	int64_t fd = ival(ev, 0, -1);
	if (fd < 0)
		return;
	/* The enter's values win when present (the exit may be cut short). */
	const struct udig_evt *src = ev;
	const struct open_layout *lo = open_layout(ev->type);
	const struct open_layout *elo = enter ? open_layout(enter->type) : NULL;
	if (elo && elo->name >= 0 && evt_str(enter, (unsigned)elo->name)) {
		src = enter;
		lo = elo;
	}
	if (!lo || lo->name < 0)
		return;
	const char *name = evt_str(src, (unsigned)lo->name);
	if (!name)
		return;
	uint32_t flags = 0;
	if (lo->flags >= 0)
		flags = (uint32_t)evt_uint(src, (unsigned)lo->flags, 0);
	else if (ev->type == UEV_SYSCALL_CREAT_X)
		flags = UDIG_O_CREAT | UDIG_O_WRONLY | UDIG_O_TRUNC;
	/* Built in the capture's scratch buffer: an open is the commonest
	 * state change and needs no allocation of its own. */
	int64_t dirfd = lo->dirfd >= 0 ? ival(src, (unsigned)lo->dirfd, UDIG_AT_FDCWD) : UDIG_AT_FDCWD;
	const char *full;
	if (name[0] != '/' && dirfd != UDIG_AT_FDCWD && !tables_fd_get(&c->tables, te->ti.tid, dirfd))
		full = path_unknown_dir_buf(&c->path, name);
	else
		full = path_join_buf(&c->path, name[0] == '/' ? "" : lo->dirfd >= 0 ? path_dirfd_dir(c, te, dirfd) : te->ti.cwd,
				     name);
	if (!full)
		return;
	struct udig_fdinfo fi;
	memset(&fi, 0, sizeof fi);
	fi.fd = fd;
	fi.type = (flags & UDIG_O_DIRECTORY) ? UDIG_FD_DIRECTORY : UDIG_FD_FILE_V2;
	fi.open_flags = flags;
	fi.name = (char *)full; /* copied by tables_fd_add */
	if (ev->type == UEV_SYSCALL_OPEN_X || ev->type == UEV_SYSCALL_OPENAT_2_X)
		fi.dev = (uint32_t)evt_uint(ev, ev->type == UEV_SYSCALL_OPEN_X ? 4 : 5, 0);
	else if (ev->type == UEV_SYSCALL_CREAT_X)
		fi.dev = (uint32_t)evt_uint(ev, 3, 0);
	tables_fd_add(&c->tables, te->ti.tid, &fi);
}

static void on_close_exit(udig_capture *c, struct thread_entry *te, const struct udig_evt *ev,
			  const struct udig_evt *enter)
{
	if (ival(ev, 0, -1) < 0 || !enter)
		return;
	int64_t fd = ival(enter, 0, -1);
	if (!tables_fd_get(&c->tables, te->ti.tid, fd))
		return;
	/* Removed before the next event: the close exit still shows the fd. */
	c->pending.close_tid = te->ti.tid;
	c->pending.close_fd = fd;
	c->pending.has_close = 1;
}

static void copy_fd(udig_capture *c, struct thread_entry *te, int64_t from, int64_t to)
{
	struct fd_entry *f = tables_fd_get(&c->tables, te->ti.tid, from);
	if (!f || from == to)
		return;
	struct udig_fdinfo fi = f->fi;
	fi.fd = to;
	char *name = strdup(f->fi.name);
	if (!name)
		return;
	fi.name = name;
	tables_fd_add(&c->tables, te->ti.tid, &fi);
	free(name);
}

static void on_dup_exit(udig_capture *c, struct thread_entry *te, const struct udig_evt *ev,
			const struct udig_evt *enter)
{
	int64_t res = ival(ev, 0, -1);
	if (res >= 0 && enter)
		copy_fd(c, te, ival(enter, 0, -1), res);
}

static void on_fcntl_exit(udig_capture *c, struct thread_entry *te, const struct udig_evt *ev,
			  const struct udig_evt *enter)
{
	int64_t res = ival(ev, 0, -1);
	if (res < 0 || !enter)
		return;
	uint64_t cmd = evt_uint(enter, 1, 0);
	if (cmd == UDIG_F_DUPFD || cmd == UDIG_F_DUPFD_CLOEXEC)
		copy_fd(c, te, ival(enter, 0, -1), res);
}

static void on_socket_exit(udig_capture *c, struct thread_entry *te, const struct udig_evt *ev,
			   const struct udig_evt *enter)
{
	int64_t fd = ival(ev, 0, -1);
	if (fd < 0 || !enter)
		return;
	uint32_t domain = (uint32_t)evt_uint(enter, 0, 0);
	uint32_t type = (uint32_t)evt_uint(enter, 1, 0);
	uint32_t proto = (uint32_t)evt_uint(enter, 2, 0);
	struct udig_fdinfo fi;
	memset(&fi, 0, sizeof fi);
	fi.fd = fd;
	fi.name = "";
	fi.role = UDIG_ROLE_NONE;
	if (domain == UDIG_AF_UNIX) {
		fi.type = UDIG_FD_UNIX_SOCK;
	} else if (domain == UDIG_AF_INET || domain == UDIG_AF_INET6) {
		uint8_t l4 = UDIG_L4_UNKNOWN;
		if (proto == N_IPPROTO_TCP)
			l4 = type == N_SOCK_RAW ? UDIG_L4_RAW : UDIG_L4_TCP;
		else if (proto == N_IPPROTO_UDP)
			l4 = type == N_SOCK_RAW ? UDIG_L4_RAW : UDIG_L4_UDP;
		else if (proto == N_IPPROTO_IP)
			/* SOCK_NONBLOCK and SOCK_CLOEXEC may be ORed into the type;
			 * libsinsp masks them off here (only here), and knows no
			 * other default-protocol type */
			l4 = (type & 0xff) == N_SOCK_STREAM ? UDIG_L4_TCP
				: (type & 0xff) == N_SOCK_DGRAM ? UDIG_L4_UDP : UDIG_L4_UNKNOWN;
		else if (proto == N_IPPROTO_ICMP)
			l4 = type == N_SOCK_RAW ? UDIG_L4_RAW : UDIG_L4_ICMP;
		else if (proto == N_IPPROTO_RAW)
			l4 = UDIG_L4_RAW;
		fi.type = domain == UDIG_AF_INET ? UDIG_FD_IPV4_SOCK : UDIG_FD_IPV6_SOCK;
		if (domain == UDIG_AF_INET)
			fi.sock.v4.l4proto = l4;
		else
			fi.sock.v6.l4proto = l4;
	} else if (domain == UDIG_AF_NETLINK) {
		fi.type = UDIG_FD_NETLINK;
	} else {
		fi.type = UDIG_FD_UNKNOWN;
	}
	tables_fd_add(&c->tables, te->ti.tid, &fi);
}

static void on_socketpair_exit(udig_capture *c, struct thread_entry *te, const struct udig_evt *ev,
			       const struct udig_evt *enter)
{
	(void)enter;
	if (ival(ev, 0, -1) < 0)
		return;
	struct udig_fdinfo fi;
	memset(&fi, 0, sizeof fi);
	fi.type = UDIG_FD_UNIX_SOCK;
	fi.name = "";
	fi.sock.unix_sock.source = evt_uint(ev, 3, 0);
	fi.sock.unix_sock.dest = evt_uint(ev, 4, 0);
	fi.fd = ival(ev, 1, -1);
	tables_fd_add(&c->tables, te->ti.tid, &fi);
	fi.fd = ival(ev, 2, -1);
	tables_fd_add(&c->tables, te->ti.tid, &fi);
}

static void on_pipe_exit(udig_capture *c, struct thread_entry *te, const struct udig_evt *ev,
			 const struct udig_evt *enter)
{
	(void)enter;
	if (ival(ev, 0, -1) < 0)
		return;
	struct udig_fdinfo fi;
	memset(&fi, 0, sizeof fi);
	fi.type = UDIG_FD_FIFO;
	fi.name = "";
	fi.ino = evt_uint(ev, 3, 0);
	fi.fd = ival(ev, 1, -1);
	tables_fd_add(&c->tables, te->ti.tid, &fi);
	fi.fd = ival(ev, 2, -1);
	tables_fd_add(&c->tables, te->ti.tid, &fi);
}

/* eventfd, signalfd, timerfd, inotify: res is the new fd of a fixed type. */
static int8_t simple_fd_type(uint16_t type)
{
	switch (type) {
	case UEV_SYSCALL_EVENTFD_X: return UDIG_FD_EVENT;
	case UEV_SYSCALL_SIGNALFD_X: return UDIG_FD_SIGNALFD;
	case UEV_SYSCALL_TIMERFD_CREATE_X: return UDIG_FD_TIMERFD;
	case UEV_SYSCALL_INOTIFY_INIT_X: return UDIG_FD_INOTIFY;
	}
	return UDIG_FD_UNKNOWN;
}

static void on_simple_fd_exit(udig_capture *c, struct thread_entry *te, const struct udig_evt *ev,
			      const struct udig_evt *enter)
{
	(void)enter;
	int64_t fd = ival(ev, 0, -1);
	if (fd >= 0)
		add_fd(c, te, fd, simple_fd_type(ev->type), "");
}

state_handler state_fd_handler(uint16_t type)
{
	switch (type) {
	case UEV_SYSCALL_OPEN_X: case UEV_SYSCALL_OPENAT_2_X: case UEV_SYSCALL_OPENAT2_X: case UEV_SYSCALL_CREAT_X:
		return on_open_exit;
	case UEV_SYSCALL_CLOSE_X: return on_close_exit;
	case UEV_SYSCALL_DUP_X: return on_dup_exit;
	case UEV_SYSCALL_FCNTL_X: return on_fcntl_exit;
	case UEV_SOCKET_SOCKET_X: return on_socket_exit;
	case UEV_SOCKET_SOCKETPAIR_X: return on_socketpair_exit;
	case UEV_SYSCALL_PIPE_X: return on_pipe_exit;
	case UEV_SYSCALL_EVENTFD_X: case UEV_SYSCALL_SIGNALFD_X: case UEV_SYSCALL_TIMERFD_CREATE_X:
	case UEV_SYSCALL_INOTIFY_INIT_X:
		return on_simple_fd_exit;
	}
	return state_net_handler(type);
}
