/*
 * State engine, IP and unix sockets: what bind, connect, accept and the
 * datagram calls (sendto, sendmsg, recvfrom, recvmsg) teach the fd table,
 * following libsinsp's parsers step by step (parse_bind_exit,
 * parse_connect_enter/exit, parse_accept_exit, parse_rw_exit's update_fd,
 * the interface-based patching of a 0.0.0.0 end and the client/server
 * guess), so that fd names, types and l4 letters come out as sysdig
 * computes them.  The socket union is laid out like libsinsp's (tuple,
 * server address), and where libsinsp reads one view of it after writing
 * the other (a bound socket that then sends), so does this file.
 */
#include <arpa/inet.h>
#include <string.h>
#include "state-int.h"
#include "../format/format-int.h"
#include "../evt-int.h"

static const uint8_t loopback4[4] = { 127, 0, 0, 1 };

/* sinsp_utils::is_ipv4_mapped_ipv6: ::ffff:a.b.c.d, and :: as well. */
static int mapped(const uint8_t *a)
{
	static const uint8_t z[12];
	if (memcmp(a, z, 10) != 0)
		return 0;
	if (a[10] == 0xff && a[11] == 0xff)
		return 1;
	return !memcmp(a + 10, z, 6);
}

static uint16_t port_at(const uint8_t *p)
{
	uint16_t v;
	memcpy(&v, p, 2);
	return v;
}

static uint32_t u32_at(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

/* A tuple's four parts, for either family (alen: 4 or 16 address bytes). */
struct tuple_ref {
	uint8_t *sip, *dip;
	uint16_t *sport, *dport;
	size_t alen;
};

/* update_ipv4_addresses_and_ports (and its IPv6 twin): the same tuple
 * either way round changes nothing; else the local end is replaced, the
 * remote one only filled.  `same_type`: the fd already is of that family. */
static int update_tuple(const struct tuple_ref *t, int same_type, const uint8_t *sip, uint16_t sport,
			const uint8_t *dip, uint16_t dport)
{
	static const uint8_t zero[16];
	size_t n = t->alen;
	if (same_type &&
	    ((!memcmp(sip, t->sip, n) && sport == *t->sport && !memcmp(dip, t->dip, n) && dport == *t->dport) ||
	     (!memcmp(dip, t->sip, n) && dport == *t->sport && !memcmp(sip, t->dip, n) && sport == *t->dport)))
		return 0;
	int changed = 0;
	if (memcmp(t->sip, sip, n))
		memcpy(t->sip, sip, n), changed = 1;
	if (*t->sport != sport)
		*t->sport = sport, changed = 1;
	if (!memcmp(t->dip, zero, n))
		memcpy(t->dip, dip, n), changed = 1;
	if (!*t->dport)
		*t->dport = dport, changed = 1;
	return changed;
}

static int update_v4(struct udig_fdinfo *fi, const uint8_t *sip, uint16_t sport, const uint8_t *dip, uint16_t dport)
{
	struct tuple_ref t = { fi->sock.v4.sip, fi->sock.v4.dip, &fi->sock.v4.sport, &fi->sock.v4.dport, 4 };
	return update_tuple(&t, fi->type == UDIG_FD_IPV4_SOCK, sip, sport, dip, dport);
}

static int update_v6(struct udig_fdinfo *fi, const uint8_t *sip, uint16_t sport, const uint8_t *dip, uint16_t dport)
{
	struct tuple_ref t = { fi->sock.v6.sip, fi->sock.v6.dip, &fi->sock.v6.sport, &fi->sock.v6.dport, 16 };
	return update_tuple(&t, fi->type == UDIG_FD_IPV6_SOCK, sip, sport, dip, dport);
}

/* Sets a tuple parameter's endpoints (AF_INET 13 bytes, AF_INET6 37). */
static int set_tuple(struct udig_fdinfo *fi, const uint8_t *v, uint32_t len)
{
	if (v[0] == UDIG_AF_INET && len >= 13)
		return update_v4(fi, v + 1, port_at(v + 5), v + 7, port_at(v + 11));
	if (v[0] == UDIG_AF_INET6 && len >= 37) {
		if (mapped(v + 1) && mapped(v + 19)) {
			fi->type = UDIG_FD_IPV4_SOCK;
			return update_v4(fi, v + 13, port_at(v + 17), v + 31, port_at(v + 35));
		}
		return update_v6(fi, v + 1, port_at(v + 17), v + 19, port_at(v + 35));
	}
	return 0;
}

static void swap_ends(struct udig_fdinfo *fi)
{
	uint8_t ip[16];
	uint16_t p;
	if (fi->type == UDIG_FD_IPV4_SOCK) {
		typeof(fi->sock.v4) *t = &fi->sock.v4;
		memcpy(ip, t->sip, 4), memcpy(t->sip, t->dip, 4), memcpy(t->dip, ip, 4);
		p = t->sport, t->sport = t->dport, t->dport = p;
	} else {
		typeof(fi->sock.v6) *t = &fi->sock.v6;
		memcpy(ip, t->sip, 16), memcpy(t->sip, t->dip, 16), memcpy(t->dip, ip, 16);
		p = t->sport, t->sport = t->dport, t->dport = p;
	}
}

/* sinsp_network_interfaces::infer_ipv4_address */
static void infer_v4(const udig_capture *c, const uint8_t *dst, uint8_t *out)
{
	const struct udig_tables *t = &c->tables;
	uint32_t d = u32_at(dst);
	for (size_t i = 0; i < t->n_if4; i++)
		if (u32_at(t->if4[i].addr) == d) {
			memcpy(out, t->if4[i].addr, 4);
			return;
		}
	for (size_t i = 0; i < t->n_if4; i++) {
		uint32_t m = u32_at(t->if4[i].netmask);
		if ((u32_at(t->if4[i].addr) & m) == (d & m)) {
			memcpy(out, t->if4[i].addr, 4);
			return;
		}
	}
	for (size_t i = 0; i < t->n_if4; i++)
		if (memcmp(t->if4[i].addr, loopback4, 4)) {
			memcpy(out, t->if4[i].addr, 4);
			return;
		}
	memset(out, 0, 4);
}

/* ... and infer_ipv6_address (a subnet is the first 64 bits there). */
static void infer_v6(const udig_capture *c, const uint8_t *dst, uint8_t *out)
{
	static const uint8_t lo6[16] = { [15] = 1 };
	const struct udig_tables *t = &c->tables;
	for (size_t i = 0; i < t->n_if6; i++)
		if (!memcmp(t->if6[i].addr, dst, 16)) {
			memcpy(out, t->if6[i].addr, 16);
			return;
		}
	for (size_t i = 0; i < t->n_if6; i++)
		if (!memcmp(t->if6[i].addr, dst, 8)) {
			memcpy(out, t->if6[i].addr, 16);
			return;
		}
	for (size_t i = 0; i < t->n_if6; i++)
		if (memcmp(t->if6[i].addr, lo6, 16)) {
			memcpy(out, t->if6[i].addr, 16);
			return;
		}
	memset(out, 0, 16);
}

/* sinsp_network_interfaces::update_fd: an unspecified end of a datagram
 * tuple becomes the interface the other end would be reached through. */
static void patch_unspecified(const udig_capture *c, struct udig_fdinfo *fi)
{
	static const uint8_t z[16];
	uint8_t n[16];
	if (fi->type == UDIG_FD_IPV4_SOCK) {
		typeof(fi->sock.v4) *t = &fi->sock.v4;
		int s0 = !u32_at(t->sip), d0 = !u32_at(t->dip);
		if (!s0 && !d0)
			return;
		const uint8_t *known = s0 ? t->dip : t->sip;
		infer_v4(c, known, n);
		if (!memcmp(n, known, 4) && t->sport == t->dport)
			return;
		memcpy(s0 ? t->sip : t->dip, n, 4);
	} else if (fi->type == UDIG_FD_IPV6_SOCK) {
		typeof(fi->sock.v6) *t = &fi->sock.v6;
		int s0 = !memcmp(t->sip, z, 16), d0 = !memcmp(t->dip, z, 16);
		if (!s0 && !d0)
			return;
		const uint8_t *known = s0 ? t->dip : t->sip;
		infer_v6(c, known, n);
		if (!memcmp(n, known, 16) && t->sport == t->dport)
			return;
		memcpy(s0 ? t->sip : t->dip, n, 16);
	}
}

/* sinsp_threadinfo::is_bound_to_port / uses_client_port, over the
 * process's fd table (IPv4 entries only, as there). */
static int bound_to_port(const udig_capture *c, const struct thread_entry *te, uint16_t port)
{
	const struct thread_entry *o = tables_fd_owner(&c->tables, te->ti.tid);
	const struct fd_entry *f, *tmp;
	if (!o)
		return 0;
	HASH_ITER(hh, o->fds, f, tmp) {
		if ((f->fi.type == UDIG_FD_IPV4_SOCK && f->fi.sock.v4.dport == port) ||
		    (f->fi.type == UDIG_FD_IPV4_SERVSOCK && f->fi.sock.v4serv.port == port))
			return 1;
	}
	return 0;
}

static int uses_client_port(const udig_capture *c, const struct thread_entry *te, uint16_t port)
{
	const struct thread_entry *o = tables_fd_owner(&c->tables, te->ti.tid);
	const struct fd_entry *f, *tmp;
	if (!o)
		return 0;
	HASH_ITER(hh, o->fds, f, tmp) {
		if (f->fi.type == UDIG_FD_IPV4_SOCK && f->fi.sock.v4.sport == port)
			return 1;
	}
	return 0;
}

/* set_net_role_by_guessing (it reads the IPv4 view whatever the family).
 * The fd's own entry is in the table with its previous tuple: the guess
 * sees the new one, as libsinsp's (which edits the entry in place). */
static void guess_role(udig_capture *c, struct thread_entry *te, struct udig_fdinfo *fi, int incoming)
{
	struct fd_entry *self = tables_fd_get(&c->tables, te->ti.tid, fi->fd);
	struct udig_fdinfo saved;
	if (self) {
		saved = self->fi;
		self->fi.type = fi->type;
		self->fi.sock = fi->sock;
	}
	if (bound_to_port(c, te, fi->sock.v4.dport) && uses_client_port(c, te, fi->sock.v4.sport))
		fi->role = incoming ? UDIG_ROLE_SERVER : UDIG_ROLE_CLIENT;
	else
		fi->role = bound_to_port(c, te, fi->sock.v4.dport) ? UDIG_ROLE_SERVER : UDIG_ROLE_CLIENT;
	if (self) {
		self->fi.type = saved.type;
		self->fi.sock = saved.sock;
	}
}

/* Entries of the initial tables (UNKNOWN): libsinsp gives a role to the
 * IPv4 tuple sockets it loads (fix_sockets_coming_from_proc), to no other. */
static int has_role(const struct udig_fdinfo *fi)
{
	return fi->role == UDIG_ROLE_CLIENT || fi->role == UDIG_ROLE_SERVER ||
	       (fi->role == UDIG_ROLE_UNKNOWN && fi->type == UDIG_FD_IPV4_SOCK && fi->name[0]);
}

/* sinsp_utils::sockinfo_to_str for IP sockets. */
static void sock_text(struct fmtbuf *b, const struct udig_fdinfo *fi)
{
	char s[INET6_ADDRSTRLEN], d[INET6_ADDRSTRLEN];
	if (fi->type == UDIG_FD_IPV4_SOCK) {
		const typeof(fi->sock.v4) *t = &fi->sock.v4;
		if (t->l4proto == UDIG_L4_TCP || t->l4proto == UDIG_L4_UDP)
			fb_printf(b, "%u.%u.%u.%u:%u->%u.%u.%u.%u:%u", t->sip[0], t->sip[1], t->sip[2], t->sip[3], t->sport,
				  t->dip[0], t->dip[1], t->dip[2], t->dip[3], t->dport);
		else if (t->l4proto == UDIG_L4_ICMP || t->l4proto == UDIG_L4_RAW)
			fb_printf(b, "%u.%u.%u.%u->%u.%u.%u.%u", t->sip[0], t->sip[1], t->sip[2], t->sip[3], t->dip[0],
				  t->dip[1], t->dip[2], t->dip[3]);
		else
			fb_puts(b, "<unknown>");
		return;
	}
	const typeof(fi->sock.v6) *t = &fi->sock.v6;
	int m = mapped(t->sip) && mapped(t->dip);
	if (t->l4proto == UDIG_L4_TCP || t->l4proto == UDIG_L4_UDP) {
		if (m) /* the ports of the IPv4 view, as libsinsp reads them */
			fb_printf(b, "%u.%u.%u.%u:%u->%u.%u.%u.%u:%u", t->sip[12], t->sip[13], t->sip[14], t->sip[15],
				  fi->sock.v4.sport, t->dip[12], t->dip[13], t->dip[14], t->dip[15], fi->sock.v4.dport);
		else if (inet_ntop(AF_INET6, t->sip, s, sizeof s) && inet_ntop(AF_INET6, t->dip, d, sizeof d))
			fb_printf(b, "%s:%u->%s:%u", s, t->sport, d, t->dport);
	} else if (t->l4proto == UDIG_L4_ICMP) {
		if (m)
			fb_printf(b, "%u.%u.%u.%u->%u.%u.%u.%u", t->sip[12], t->sip[13], t->sip[14], t->sip[15], t->dip[12],
				  t->dip[13], t->dip[14], t->dip[15]);
		else if (inet_ntop(AF_INET6, t->sip, s, sizeof s) && inet_ntop(AF_INET6, t->dip, d, sizeof d))
			fb_printf(b, "%s->%s", s, d);
	} else {
		fb_puts(b, "<unknown>");
	}
}

/* Stores fi with the given name (rendered fi for IP, or the parameter). */
static void store(udig_capture *c, struct thread_entry *te, struct udig_fdinfo *fi, const uint8_t *param,
		  uint32_t plen, int tuple)
{
	struct fmtbuf name;
	fb_init(&name);
	int ok = 0;
	if (!param) {
		sock_text(&name, fi);
		ok = 1;
	} else {
		ok = (tuple ? net_socktuple_str(&name, param, plen) : net_sockaddr_str(&name, param, plen)) == 0;
	}
	if (ok && !name.oom) {
		fi->name = name.p;
		tables_fd_add(&c->tables, te->ti.tid, fi);
	}
	fb_free(&name);
}

static int64_t ival(const struct udig_evt *ev, unsigned i, int64_t dflt)
{
	return evt_int(ev, i, dflt);
}

/* A bound port makes it a server socket; any bind renames it. */
static void on_bind_exit(udig_capture *c, struct thread_entry *te, const struct udig_evt *ev,
			 const struct udig_evt *enter)
{
	if (ival(ev, 0, -1) < 0 || !enter || ev->nvals < 2 || ev->vlen[1] == 0)
		return;
	struct fd_entry *f = tables_fd_get(&c->tables, te->ti.tid, ival(enter, 0, -1));
	if (!f)
		return;
	struct udig_fdinfo fi = f->fi;
	const uint8_t *v = ev->val[1];
	uint32_t len = ev->vlen[1];
	if (v[0] == UDIG_AF_INET && len >= 7 && port_at(v + 5) > 0) {
		uint8_t l4 = fi.sock.v4.l4proto;
		fi.type = UDIG_FD_IPV4_SERVSOCK;
		memcpy(fi.sock.v4serv.ip, v + 1, 4);
		fi.sock.v4serv.port = port_at(v + 5);
		fi.sock.v4serv.l4proto = l4;
		fi.role = UDIG_ROLE_SERVER;
	} else if (v[0] == UDIG_AF_INET6 && len >= 19 && port_at(v + 17) > 0) {
		uint8_t l4 = fi.sock.v6.l4proto;
		if (mapped(v + 1)) {
			fi.type = UDIG_FD_IPV4_SERVSOCK;
			fi.sock.v4serv.l4proto = l4;
			memcpy(fi.sock.v4serv.ip, v + 13, 4);
			fi.sock.v4serv.port = port_at(v + 17);
		} else {
			fi.type = UDIG_FD_IPV6_SERVSOCK;
			fi.sock.v6serv.port = port_at(v + 17);
			memcpy(fi.sock.v6serv.ip, v + 1, 16);
			fi.sock.v6serv.l4proto = l4;
		}
		fi.role = UDIG_ROLE_SERVER;
	}
	store(c, te, &fi, v, len, 0);
}

/* The remote end is known as soon as the connect starts; a unix socket
 * takes the path as its name. */
static void on_connect_enter(udig_capture *c, struct thread_entry *te, const struct udig_evt *ev,
			     const struct udig_evt *enter)
{
	(void)enter;
	struct fd_entry *f = tables_fd_get(&c->tables, te->ti.tid, ival(ev, 0, -1));
	if (!f || ev->nvals < 2 || ev->vlen[1] == 0)
		return;
	const uint8_t *v = ev->val[1];
	uint32_t len = ev->vlen[1];
	if (v[0] == UDIG_AF_INET) {
		if (len < 7)
			return;
		f->fi.type = UDIG_FD_IPV4_SOCK;
		memcpy(f->fi.sock.v4.dip, v + 1, 4);
		f->fi.sock.v4.dport = port_at(v + 5);
	} else if (v[0] == UDIG_AF_INET6) {
		if (len < 19)
			return;
		if (mapped(v + 1)) {
			f->fi.type = UDIG_FD_IPV4_SOCK;
			memcpy(f->fi.sock.v4.dip, v + 13, 4);
			f->fi.sock.v4.dport = port_at(v + 17);
		} else {
			f->fi.type = UDIG_FD_IPV6_SOCK;
			f->fi.sock.v6.dport = port_at(v + 17);
			memcpy(f->fi.sock.v6.dip, v + 1, 16);
		}
	} else {
		struct udig_fdinfo fi = f->fi;
		if (v[0] == UDIG_AF_UNIX && len >= 17) {
			memcpy(&fi.sock.unix_sock.source, v + 1, 8);
			memcpy(&fi.sock.unix_sock.dest, v + 9, 8);
		}
		store(c, te, &fi, v, len, 0);
	}
}

/* fill_client_socket_info */
static void on_connect_exit(udig_capture *c, struct thread_entry *te, const struct udig_evt *ev,
			    const struct udig_evt *enter)
{
	int64_t res = ival(ev, 0, -1);
	if ((res < 0 && res != -115 /* EINPROGRESS */) || !enter || ev->nvals < 2 || ev->vlen[1] == 0)
		return;
	struct fd_entry *f = tables_fd_get(&c->tables, te->ti.tid, ival(enter, 0, -1));
	if (!f)
		return;
	struct udig_fdinfo fi = f->fi;
	const uint8_t *v = ev->val[1];
	uint32_t len = ev->vlen[1];
	if (v[0] == UDIG_AF_INET || v[0] == UDIG_AF_INET6) {
		int changed;
		if (v[0] == UDIG_AF_INET6 && len >= 37 && !(mapped(v + 1) && mapped(v + 19))) {
			fi.type = UDIG_FD_IPV6_SOCK;
			changed = set_tuple(&fi, v, len);
		} else {
			if (v[0] == UDIG_AF_INET)
				fi.type = UDIG_FD_IPV4_SOCK;
			changed = set_tuple(&fi, v, len);
		}
		if (changed && fi.role == UDIG_ROLE_SERVER && fi.type == UDIG_FD_IPV4_SOCK &&
		    fi.sock.v4.l4proto == UDIG_L4_UDP)
			swap_ends(&fi); /* connect done by a udp server */
		if (!has_role(&fi))
			fi.role = UDIG_ROLE_CLIENT;
		store(c, te, &fi, NULL, 0, 0);
		return;
	}
	if (v[0] == UDIG_AF_UNIX && len >= 17) {
		fi.type = UDIG_FD_UNIX_SOCK;
		memcpy(&fi.sock.unix_sock.source, v + 1, 8);
		memcpy(&fi.sock.unix_sock.dest, v + 9, 8);
	}
	if (!has_role(&fi))
		fi.role = UDIG_ROLE_CLIENT;
	store(c, te, &fi, v, len, 1);
}

static void on_accept_exit(udig_capture *c, struct thread_entry *te, const struct udig_evt *ev,
			   const struct udig_evt *enter)
{
	(void)enter;
	int64_t fd = ival(ev, 0, -1);
	if (fd < 0 || ev->nvals < 2 || ev->vlen[1] == 0)
		return;
	const uint8_t *v = ev->val[1];
	uint32_t len = ev->vlen[1];
	struct udig_fdinfo fi;
	memset(&fi, 0, sizeof fi);
	fi.fd = fd;
	if (v[0] == UDIG_AF_INET && len >= 13) {
		set_tuple(&fi, v, len);
		fi.type = UDIG_FD_IPV4_SOCK;
		fi.sock.v4.l4proto = UDIG_L4_TCP;
	} else if (v[0] == UDIG_AF_INET6 && len >= 37) {
		if (mapped(v + 1) && mapped(v + 19)) {
			set_tuple(&fi, v, len);
			fi.type = UDIG_FD_IPV4_SOCK;
			fi.sock.v4.l4proto = UDIG_L4_TCP;
		} else {
			set_tuple(&fi, v, len);
			fi.type = UDIG_FD_IPV6_SOCK;
			fi.sock.v6.l4proto = UDIG_L4_TCP;
		}
	} else if (v[0] == UDIG_AF_UNIX && len >= 17) {
		fi.type = UDIG_FD_UNIX_SOCK;
		memcpy(&fi.sock.unix_sock.source, v + 1, 8);
		memcpy(&fi.sock.unix_sock.dest, v + 9, 8);
	} else {
		return;
	}
	fi.role = UDIG_ROLE_SERVER;
	store(c, te, &fi, v, len, 1);
}

/* update_fd: a datagram's tuple.  Returns 1 when the fd is to be renamed
 * (a unix socket's new name, the path, is replaced by its caller). */
static int update_from_tuple(const udig_capture *c, struct udig_fdinfo *fi, const uint8_t *v, uint32_t len)
{
	if (len == 0)
		return 0;
	if (v[0] == UDIG_AF_INET) {
		if (len < 13)
			return 0;
		if (fi->type == UDIG_FD_IPV4_SERVSOCK) {
			uint8_t l4 = fi->sock.v4serv.l4proto; /* propagated; the rest of the union stays */
			fi->sock.v4.l4proto = l4;
		}
		fi->type = UDIG_FD_IPV4_SOCK;
		if (!set_tuple(fi, v, len))
			return 0;
	} else if (v[0] == UDIG_AF_INET6) {
		if (len < 37 || !set_tuple(fi, v, len))
			return 0;
	} else if (v[0] == UDIG_AF_UNIX) {
		if (len < 17)
			return 0;
		fi->type = UDIG_FD_UNIX_SOCK;
		memcpy(&fi->sock.unix_sock.source, v + 1, 8);
		memcpy(&fi->sock.unix_sock.dest, v + 9, 8);
		return 1;
	} else {
		return 0;
	}
	/* a tuple that changes under a socket of unknown protocol: UDP */
	if (fi->type == UDIG_FD_IPV4_SOCK && fi->sock.v4.l4proto == UDIG_L4_UNKNOWN)
		fi->sock.v4.l4proto = UDIG_L4_UDP;
	else if (fi->type == UDIG_FD_IPV6_SOCK && fi->sock.v6.l4proto == UDIG_L4_UNKNOWN)
		fi->sock.v6.l4proto = UDIG_L4_UDP;
	patch_unspecified(c, fi);
	return 1;
}

/* parse_rw_exit's tuple step: sendto/sendmsg carry it in the enter,
 * recvfrom/recvmsg in the exit.  TCP (IPv4) sockets with a name keep it. */
static void on_dgram_exit(udig_capture *c, struct thread_entry *te, const struct udig_evt *ev,
			  const struct udig_evt *enter)
{
	if (ival(ev, 0, -1) < 0 || !enter)
		return;
	int incoming = ev->type == UEV_SOCKET_RECVFROM_X || ev->type == UEV_SOCKET_RECVMSG_X;
	const struct udig_evt *src = incoming ? ev : enter;
	unsigned idx = ev->type == UEV_SOCKET_RECVMSG_X ? 3 : 2;
	struct fd_entry *f = tables_fd_get(&c->tables, te->ti.tid, ival(enter, 0, -1));
	if (!f || idx >= src->nvals)
		return;
	if (f->fi.name[0] && f->fi.type == UDIG_FD_IPV4_SOCK && f->fi.sock.v4.l4proto == UDIG_L4_TCP)
		return;
	struct udig_fdinfo fi = f->fi;
	int had_role = has_role(&fi);
	if (!update_from_tuple(c, &fi, src->val[idx], src->vlen[idx]))
		return;
	if (fi.type == UDIG_FD_IPV4_SOCK || fi.type == UDIG_FD_IPV6_SOCK) {
		if (!had_role)
			guess_role(c, te, &fi, incoming);
		else if (fi.role == UDIG_ROLE_UNKNOWN) /* loaded as a client (as a server */
			fi.role = UDIG_ROLE_CLIENT;    /* if its port was a server port) */
		if (fi.role == (incoming ? UDIG_ROLE_CLIENT : UDIG_ROLE_SERVER))
			swap_ends(&fi);
		store(c, te, &fi, NULL, 0, 0);
	} else {
		store(c, te, &fi, src->val[idx], src->vlen[idx], 1);
	}
}

state_handler state_net_handler(uint16_t type)
{
	switch (type) {
	case UEV_SOCKET_BIND_X: return on_bind_exit;
	case UEV_SOCKET_CONNECT_E: return on_connect_enter;
	case UEV_SOCKET_CONNECT_X: return on_connect_exit;
	case UEV_SOCKET_ACCEPT_X: case UEV_SOCKET_ACCEPT_5_X: case UEV_SOCKET_ACCEPT4_X: case UEV_SOCKET_ACCEPT4_5_X:
		return on_accept_exit;
	case UEV_SOCKET_SENDTO_X: case UEV_SOCKET_SENDMSG_X: case UEV_SOCKET_RECVFROM_X: case UEV_SOCKET_RECVMSG_X:
		return on_dgram_exit;
	}
	return NULL;
}
