/*
 * fd.* fields: the fd an event is about, as libsinsp's "last event fd":
 * an enter's fd parameter, the fd an exit created, or its enter's fd.
 * Events that neither create, use nor destroy an fd have none (<NA>);
 * those that do but have no fd say fd.num=-1, as in sysdig.
 */
#include <stdlib.h>
#include <string.h>
#include "fields-int.h"
#include "../state/state-int.h"

#define UNUSED(x) (void)(x)

static int is_fd_event(const struct udig_evt *ev)
{
	const struct udig_event_info *info = udig_event_info(ev->type);
	return info && (info->flags & (UDIG_EF_CREATES_FD | UDIG_EF_USES_FD | UDIG_EF_DESTROYS_FD));
}

/* Exits whose parser takes the fd from a parameter of their own, or whose
 * result is a new fd (the last one made, for pairs). */
static const struct {
	uint16_t type;
	uint8_t param;
} exit_fd_params[] = {
	{ UEV_SOCKET_GETSOCKOPT_X, 1 }, { UEV_SYSCALL_PIPE_X, 2 }, { UEV_SOCKET_SOCKETPAIR_X, 2 },
	{ UEV_SYSCALL_DUP_X, 0 },
};

static int64_t last_fd(udig_capture *c, const struct udig_evt *ev)
{
	const struct udig_event_info *info = udig_event_info(ev->type);
	if (udig_event_is_enter(ev->type))
		return (info->flags & UDIG_EF_USES_FD) ? udig_evt_int(ev, 0, -1) : -1;
	for (size_t i = 0; i < sizeof exit_fd_params / sizeof exit_fd_params[0]; i++)
		if (exit_fd_params[i].type == ev->type) {
			if (ev->type != UEV_SOCKET_GETSOCKOPT_X && udig_evt_int(ev, 0, -1) < 0)
				break;
			return udig_evt_int(ev, exit_fd_params[i].param, -1);
		}
	int64_t res = ev->nvals ? udig_evt_int(ev, 0, -1) : -1;
	if (ev->type == UEV_SYSCALL_FCNTL_X && res >= 0) {
		struct udig_evt enter;
		const struct udig_evt *en = state_enter_of(c, ev, &enter);
		uint64_t cmd = en ? udig_evt_uint(en, 1, 0) : 0;
		if (cmd == UDIG_F_DUPFD || cmd == UDIG_F_DUPFD_CLOEXEC)
			return res;
	}
	if ((info->flags & UDIG_EF_CREATES_FD) && ev->nvals &&
	    (!strcmp(info->params[0].name, "fd") || !strcmp(info->params[0].name, "res")))
		return res >= 0 ? res : udig_evt_fd(c, ev);
	return udig_evt_fd(c, ev);
}

/* The fd's entry, NULL when the table has none; *fd the number. */
static const struct udig_fdinfo *fdinfo_of(udig_capture *c, const struct udig_evt *ev, int64_t *fd)
{
	*fd = last_fd(c, ev);
	return *fd >= 0 ? udig_get_fd(c, (int64_t)ev->tid, *fd) : NULL;
}

int fx_fd_num(udig_capture *c, const struct udig_evt *ev, const struct udig_field *f, struct udig_field_value *v)
{
	UNUSED(f);
	if (!is_fd_event(ev) || !fields_thread(c, ev))
		return 0;
	return fv_i64(v, last_fd(c, ev));
}

/* Without an fd entry, libsinsp names the fd from the exit that tried to
 * make it: the path of an open, the address of an accept or connect;
 * other exits have an empty name, enters none. */
static const struct {
	uint16_t type;
	uint8_t name, dirfd; /* dirfd 0xff: the parameter is shown as it resolves */
} creators[] = {
	{ UEV_SYSCALL_OPEN_X, 1, 0xff },       { UEV_SYSCALL_CREAT_X, 1, 0xff },
	{ UEV_SOCKET_ACCEPT_X, 1, 0xff },      { UEV_SOCKET_ACCEPT_5_X, 1, 0xff },
	{ UEV_SOCKET_ACCEPT4_X, 1, 0xff },     { UEV_SOCKET_ACCEPT4_5_X, 1, 0xff },
	{ UEV_SOCKET_CONNECT_X, 1, 0xff },     { UEV_SYSCALL_OPENAT_2_X, 2, 1 },
	{ UEV_SYSCALL_OPENAT2_X, 2, 1 },
};

static int creator_name(udig_capture *c, const struct udig_evt *ev, struct udig_field_value *v)
{
	if (udig_event_is_enter(ev->type))
		return 0;
	for (size_t i = 0; i < sizeof creators / sizeof creators[0]; i++) {
		if (creators[i].type != ev->type)
			continue;
		if (creators[i].name >= ev->nvals)
			return 0;
		if (creators[i].dirfd == 0xff) {
			return fv_param(c, ev, creators[i].name, NULL, v);
		}
		struct thread_entry *te = fields_thread(c, ev);
		const char *name = udig_evt_str(ev, creators[i].name);
		if (!te || !name)
			return 0;
		char *base = path_dirfd_base(c, te, udig_evt_int(ev, creators[i].dirfd, UDIG_AT_FDCWD));
		char *full = base ? path_join(base, name) : NULL;
		free(base);
		return fv_owned(v, full);
	}
	return fv_str(v, "");
}

/* A failed connect names its fd as one without an entry does. */
static const struct udig_fdinfo *named_fd(udig_capture *c, const struct udig_evt *ev)
{
	int64_t fd;
	const struct udig_fdinfo *fi = fdinfo_of(c, ev, &fd);
	if (fi && ev->type == UEV_SOCKET_CONNECT_X && udig_evt_int(ev, 0, 0) < 0)
		return NULL;
	return fi;
}

int fx_fd_name(udig_capture *c, const struct udig_evt *ev, const struct udig_field *f, struct udig_field_value *v)
{
	UNUSED(f);
	if (!is_fd_event(ev) || !fields_thread(c, ev))
		return 0;
	const struct udig_fdinfo *fi = named_fd(c, ev);
	return fi ? fv_str(v, fi->name) : creator_name(c, ev, v);
}

static const char *const type_names[] = {
	[UDIG_FD_FILE] = "file",       [UDIG_FD_FILE_V2] = "file",         [UDIG_FD_DIRECTORY] = "directory",
	[UDIG_FD_IPV4_SOCK] = "ipv4",  [UDIG_FD_IPV4_SERVSOCK] = "ipv4",   [UDIG_FD_IPV6_SOCK] = "ipv6",
	[UDIG_FD_IPV6_SERVSOCK] = "ipv6", [UDIG_FD_UNIX_SOCK] = "unix",    [UDIG_FD_FIFO] = "pipe",
	[UDIG_FD_EVENT] = "event",     [UDIG_FD_SIGNALFD] = "signalfd",    [UDIG_FD_EVENTPOLL] = "eventpoll",
	[UDIG_FD_INOTIFY] = "inotify", [UDIG_FD_TIMERFD] = "timerfd",      [UDIG_FD_NETLINK] = "netlink",
};

#define FD_OR_NA(fi) \
	int64_t fdnum_; \
	const struct udig_fdinfo *fi = is_fd_event(ev) && fields_thread(c, ev) ? fdinfo_of(c, ev, &fdnum_) : NULL; \
	if (!fi) \
		return 0

int fx_fd_type(udig_capture *c, const struct udig_evt *ev, const struct udig_field *f, struct udig_field_value *v)
{
	UNUSED(f);
	FD_OR_NA(fi);
	const char *s = fi->type >= 0 && (size_t)fi->type < sizeof type_names / sizeof type_names[0]
		? type_names[fi->type] : NULL;
	return fv_str(v, s ? s : "<NA>");
}

/* Without an entry: the type the syscall would have made. */
static char creator_typechar(uint16_t type)
{
	uint16_t enter = udig_event_is_enter(type) ? type : (uint16_t)(type - 1);
	switch (enter) {
	case UEV_SYSCALL_OPEN_E: case UEV_SYSCALL_OPENAT_E: case UEV_SYSCALL_OPENAT_2_E: case UEV_SYSCALL_OPENAT2_E:
	case UEV_SYSCALL_CREAT_E:
		return 'f';
	case UEV_SOCKET_SOCKET_E: case UEV_SOCKET_ACCEPT_E: case UEV_SOCKET_ACCEPT_5_E: case UEV_SOCKET_ACCEPT4_E:
	case UEV_SOCKET_ACCEPT4_5_E:
		return '4';
	case UEV_SYSCALL_PIPE_E: return 'p';
	case UEV_SYSCALL_EVENTFD_E: return 'e';
	case UEV_SYSCALL_SIGNALFD_E: return 's';
	case UEV_SYSCALL_TIMERFD_CREATE_E: return 't';
	case UEV_SYSCALL_INOTIFY_INIT_E: return 'i';
	}
	return 'o';
}

int fx_fd_typechar(udig_capture *c, const struct udig_evt *ev, const struct udig_field *f,
		   struct udig_field_value *v)
{
	UNUSED(f);
	if (!is_fd_event(ev) || !fields_thread(c, ev))
		return 0;
	const struct udig_fdinfo *fi = named_fd(c, ev);
	v->buf[0] = fi ? fd_typechar(fi) : creator_typechar(ev->type);
	v->buf[1] = 0;
	return fv_str(v, v->buf);
}

static int is_file(const struct udig_fdinfo *fi)
{
	return fi->type == UDIG_FD_FILE || fi->type == UDIG_FD_FILE_V2;
}

/* libsinsp's directory of a path: up to the last '/', "/" for none or the
 * root, the whole text when it ends in '/'. */
static int dir_of(struct udig_field_value *v, const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash || slash == path)
		return fv_str(v, "/");
	if (!slash[1])
		return path == v->str ? 1 : fv_owned(v, strdup(path));
	return fv_owned(v, strndup(path, (size_t)(slash - path)));
}

int fx_fd_directory(udig_capture *c, const struct udig_evt *ev, const struct udig_field *f,
		    struct udig_field_value *v)
{
	UNUSED(f);
	if (!is_fd_event(ev) || !fields_thread(c, ev))
		return 0;
	const struct udig_fdinfo *fi = named_fd(c, ev);
	if (!fi) {
		if (!creator_name(c, ev, v))
			return 0;
		return dir_of(v, v->str);
	}
	if (fi->type == UDIG_FD_DIRECTORY)
		return fv_str(v, fi->name);
	return is_file(fi) ? dir_of(v, fi->name) : 0;
}

int fx_fd_filename(udig_capture *c, const struct udig_evt *ev, const struct udig_field *f,
		   struct udig_field_value *v)
{
	UNUSED(f);
	if (!is_fd_event(ev) || !fields_thread(c, ev))
		return 0;
	const struct udig_fdinfo *fi = named_fd(c, ev);
	if (!fi || !is_file(fi))
		return 0;
	const char *slash = strrchr(fi->name, '/');
	if (!slash)
		return fv_str(v, "/");
	return fv_str(v, slash[1] ? slash + 1 : fi->name);
}

/* libsinsp knows no end of a socket that is neither connected nor
 * accepted (nor guessed from a datagram): no addresses then. */
static int role_none(const struct udig_fdinfo *fi)
{
	if (fi->type == UDIG_FD_UNIX_SOCK)
		return strstr(fi->name, "->") == NULL;
	if (fi->type != UDIG_FD_IPV4_SOCK && fi->type != UDIG_FD_IPV6_SOCK && fi->type != UDIG_FD_IPV4_SERVSOCK &&
	    fi->type != UDIG_FD_IPV6_SERVSOCK)
		return 1;
	return !(fi->role == UDIG_ROLE_CLIENT || fi->role == UDIG_ROLE_SERVER ||
		 (fi->role == UDIG_ROLE_UNKNOWN && fi->name[0]));
}

static int fv_ip(struct udig_field_value *v, const uint8_t *ip, uint32_t len)
{
	v->type = UDIG_FT_IPADDR;
	memcpy(v->ip, ip, len);
	v->ip_len = len;
	return 1;
}

static int fv_port(struct udig_field_value *v, uint16_t port)
{
	v->type = UDIG_FT_PORT;
	v->u = port;
	return 1;
}

int fx_fd_cip(udig_capture *c, const struct udig_evt *ev, const struct udig_field *f, struct udig_field_value *v)
{
	UNUSED(f);
	FD_OR_NA(fi);
	if (role_none(fi))
		return 0;
	if (fi->type == UDIG_FD_IPV4_SOCK)
		return fv_ip(v, fi->sock.v4.sip, 4);
	if (fi->type == UDIG_FD_IPV6_SOCK)
		return fv_ip(v, fi->sock.v6.sip, 16);
	return 0;
}

int fx_fd_sip(udig_capture *c, const struct udig_evt *ev, const struct udig_field *f, struct udig_field_value *v)
{
	UNUSED(f);
	FD_OR_NA(fi);
	if (role_none(fi))
		return 0;
	switch (fi->type) {
	case UDIG_FD_IPV4_SOCK: return fv_ip(v, fi->sock.v4.dip, 4);
	case UDIG_FD_IPV4_SERVSOCK: return fv_ip(v, fi->sock.v4serv.ip, 4);
	case UDIG_FD_IPV6_SOCK: return fv_ip(v, fi->sock.v6.dip, 16);
	case UDIG_FD_IPV6_SERVSOCK: return fv_ip(v, fi->sock.v6serv.ip, 16);
	}
	return 0;
}

int fx_fd_cport(udig_capture *c, const struct udig_evt *ev, const struct udig_field *f, struct udig_field_value *v)
{
	UNUSED(f);
	FD_OR_NA(fi);
	if (role_none(fi))
		return 0;
	if (fi->type == UDIG_FD_IPV4_SOCK)
		return fv_port(v, fi->sock.v4.sport);
	if (fi->type == UDIG_FD_IPV6_SOCK)
		return fv_port(v, fi->sock.v6.sport);
	/* libsinsp falls through to an empty protocol name, read as port 0 */
	return fv_port(v, 0);
}

int fx_fd_sport(udig_capture *c, const struct udig_evt *ev, const struct udig_field *f, struct udig_field_value *v)
{
	UNUSED(f);
	FD_OR_NA(fi);
	switch (fi->type) {
	case UDIG_FD_IPV4_SOCK: return role_none(fi) ? 0 : fv_port(v, fi->sock.v4.dport);
	case UDIG_FD_IPV4_SERVSOCK: return fv_port(v, fi->sock.v4serv.port);
	case UDIG_FD_IPV6_SOCK: return role_none(fi) ? 0 : fv_port(v, fi->sock.v6.dport);
	case UDIG_FD_IPV6_SERVSOCK: return fv_port(v, fi->sock.v6serv.port);
	}
	return 0;
}

int fx_fd_l4proto(udig_capture *c, const struct udig_evt *ev, const struct udig_field *f,
		  struct udig_field_value *v)
{
	UNUSED(f);
	FD_OR_NA(fi);
	switch (fd_l4char(fi)) {
	case 't': return fv_str(v, "tcp");
	case 'u': return fv_str(v, "udp");
	case 'i': return fv_str(v, "icmp");
	case 'r': return fv_str(v, "raw");
	}
	return fv_str(v, "<NA>");
}

int fx_fd_sockfamily(udig_capture *c, const struct udig_evt *ev, const struct udig_field *f,
		     struct udig_field_value *v)
{
	UNUSED(f);
	FD_OR_NA(fi);
	switch (fi->type) {
	case UDIG_FD_IPV4_SOCK: case UDIG_FD_IPV6_SOCK: case UDIG_FD_IPV4_SERVSOCK: case UDIG_FD_IPV6_SERVSOCK:
		return fv_str(v, "ip");
	case UDIG_FD_UNIX_SOCK:
		return fv_str(v, "unix");
	}
	return 0;
}

/* sysdig 0.29.3 leaves fd.dev unset (stale memory) for every fd but files
 * and directories; udig says 0 there, as later libsinsp does. */
int fx_fd_dev(udig_capture *c, const struct udig_evt *ev, const struct udig_field *f, struct udig_field_value *v)
{
	UNUSED(f);
	FD_OR_NA(fi);
	return fv_i64(v, (int32_t)fi->dev);
}

/* Not in sysdig 0.29.3 (libsinsp added it later, as an INT64): the inode
 * the fd table knows — from the capture's fd list or the /proc scan, from
 * pipe() — and 0 for files opened during the capture, whose open events
 * (this event table's) carry no inode. */
int fx_fd_ino(udig_capture *c, const struct udig_evt *ev, const struct udig_field *f, struct udig_field_value *v)
{
	UNUSED(f);
	FD_OR_NA(fi);
	return fv_i64(v, (int64_t)fi->ino);
}
