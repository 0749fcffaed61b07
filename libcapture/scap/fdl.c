/* fd list blocks, v1 and v2 (specs/scap-file.md §9). */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include "format.h"

#define FD_NAME_MAX 1023u /* names must be shorter than 1024 */
/* v2 entry: length, fd, inode, type. */
#define FDL2_FIXED (4u + 8 + 8 + 1)

static void port_text(char *out, size_t size, int v6, const uint8_t *ip, uint16_t port)
{
	char a[INET6_ADDRSTRLEN];
	inet_ntop(v6 ? AF_INET6 : AF_INET, ip, a, sizeof a);
	snprintf(out, size, "%s:%u", a, port);
}

/* The socket's name as sysdig shows it: "sip:sport->dip:dport" or "ip:port". */
static void sock_name(struct udig_fdinfo *fi, char *name, size_t size)
{
	char s[INET6_ADDRSTRLEN + 8], d[INET6_ADDRSTRLEN + 8];
	switch (fi->type) {
	case UDIG_FD_IPV4_SOCK:
		port_text(s, sizeof s, 0, fi->sock.v4.sip, fi->sock.v4.sport);
		port_text(d, sizeof d, 0, fi->sock.v4.dip, fi->sock.v4.dport);
		snprintf(name, size, "%s->%s", s, d);
		break;
	case UDIG_FD_IPV6_SOCK:
		port_text(s, sizeof s, 1, fi->sock.v6.sip, fi->sock.v6.sport);
		port_text(d, sizeof d, 1, fi->sock.v6.dip, fi->sock.v6.dport);
		snprintf(name, size, "%s->%s", s, d);
		break;
	case UDIG_FD_IPV4_SERVSOCK:
		port_text(name, size, 0, fi->sock.v4serv.ip, fi->sock.v4serv.port);
		break;
	case UDIG_FD_IPV6_SERVSOCK:
		port_text(name, size, 1, fi->sock.v6serv.ip, fi->sock.v6serv.port);
		break;
	}
}

static void ip_copy(struct scap_cur *c, uint8_t *dst, size_t n, const char *field)
{
	const uint8_t *p = scap_cur_bytes(c, n, field);
	if (p)
		memcpy(dst, p, n);
}

/* One entry; *add = 0 for entries the reference parses but does not keep. */
static int fd_entry(struct scap_cur *c, int have_len, struct udig_fdinfo *fi, char *name, int *add)
{
	memset(fi, 0, sizeof *fi);
	fi->name = name;
	name[0] = 0;
	*add = 1;
	fi->fd = (int64_t)scap_cur_u64(c, "fd");
	fi->ino = scap_cur_u64(c, "inode");
	uint8_t type = scap_cur_u8(c, "type");
	if (c->bad)
		return -1;
	fi->type = (int8_t)type;
	switch (type) {
	case UDIG_FD_IPV4_SOCK:
		ip_copy(c, fi->sock.v4.sip, 4, "source address");
		ip_copy(c, fi->sock.v4.dip, 4, "destination address");
		fi->sock.v4.sport = scap_cur_u16(c, "source port");
		fi->sock.v4.dport = scap_cur_u16(c, "destination port");
		fi->sock.v4.l4proto = scap_cur_u8(c, "l4 protocol");
		sock_name(fi, name, FD_NAME_MAX + 1);
		break;
	case UDIG_FD_IPV6_SOCK:
		ip_copy(c, fi->sock.v6.sip, 16, "source address");
		ip_copy(c, fi->sock.v6.dip, 16, "destination address");
		fi->sock.v6.sport = scap_cur_u16(c, "source port");
		fi->sock.v6.dport = scap_cur_u16(c, "destination port");
		fi->sock.v6.l4proto = scap_cur_u8(c, "l4 protocol");
		sock_name(fi, name, FD_NAME_MAX + 1);
		break;
	case UDIG_FD_IPV4_SERVSOCK:
		ip_copy(c, fi->sock.v4serv.ip, 4, "address");
		fi->sock.v4serv.port = scap_cur_u16(c, "port");
		fi->sock.v4serv.l4proto = scap_cur_u8(c, "l4 protocol");
		sock_name(fi, name, FD_NAME_MAX + 1);
		break;
	case UDIG_FD_IPV6_SERVSOCK:
		ip_copy(c, fi->sock.v6serv.ip, 16, "address");
		fi->sock.v6serv.port = scap_cur_u16(c, "port");
		fi->sock.v6serv.l4proto = scap_cur_u8(c, "l4 protocol");
		sock_name(fi, name, FD_NAME_MAX + 1);
		break;
	case UDIG_FD_UNIX_SOCK:
		fi->sock.unix_sock.source = scap_cur_u64(c, "source endpoint");
		fi->sock.unix_sock.dest = scap_cur_u64(c, "destination endpoint");
		scap_cur_cstr16(c, FD_NAME_MAX, "name", name);
		break;
	case UDIG_FD_FILE_V2:
		fi->open_flags = scap_cur_u32(c, "open flags");
		scap_cur_cstr16(c, FD_NAME_MAX, "name", name);
		/* dev exists only as far as a v2 entry length says. */
		if (have_len && scap_cur_left(c) >= 4)
			fi->dev = scap_cur_u32(c, "dev");
		break;
	case UDIG_FD_FILE: case UDIG_FD_DIRECTORY: case UDIG_FD_FIFO: case UDIG_FD_EVENT:
	case UDIG_FD_UNSUPPORTED: case UDIG_FD_SIGNALFD: case UDIG_FD_EVENTPOLL:
	case UDIG_FD_INOTIFY: case UDIG_FD_TIMERFD: case UDIG_FD_NETLINK:
		scap_cur_cstr16(c, FD_NAME_MAX, "name", name);
		break;
	case UDIG_FD_UNKNOWN:
		/* No payload; the reference drops such entries from the table. */
		*add = 0;
		break;
	default:
		c->p--;
		scap_cur_fail(c, "unknown fd type %u", type);
		return -1;
	}
	return c->bad ? -1 : 0;
}

int scap_parse_fdl(struct udig_tables *t, const struct scap_block_type *bt, const uint8_t *body, size_t len,
		   uint64_t off, char *err)
{
	char name[FD_NAME_MAX + 1];
	struct udig_fdinfo fi;
	struct scap_cur c;
	scap_cur_init(&c, body, len, off, "fd list", err);
	int64_t tid = (int64_t)scap_cur_u64(&c, "tid");
	if (c.bad)
		return -1;
	if (!tables_thread_get(t, tid)) {
		udig_errf(err, "offset %llu: corrupted trace file: FD block references TID %lld, which doesn't exist",
			  (unsigned long long)off, (long long)tid);
		return -1;
	}
	while (scap_cur_left(&c) >= 4) {
		struct scap_cur e;
		int have_len, add;
		if (scap_cur_entry(&c, &e, bt->flags & SB_ENTRYLEN, FDL2_FIXED, "fd entry", &have_len))
			return -1;
		if (fd_entry(&e, have_len, &fi, name, &add))
			return -1;
		if (!have_len)
			c.p = e.p;
		if (add && !tables_fd_add(t, tid, &fi)) {
			scap_cur_fail(&c, "out of memory adding fd %lld", (long long)fi.fd);
			return -1;
		}
	}
	return 0;
}
