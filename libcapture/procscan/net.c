/*
 * Socket tables of one network namespace, keyed by inode, read once per
 * namespace from /proc/<pid>/net/{tcp,udp,raw,unix,netlink,tcp6,udp6,raw6}.
 *
 * As in libscap: an IP socket with a zero remote address is a server
 * socket (address and port of the local end), every other one a client
 * socket from the local end to the remote one; unix sockets carry the
 * kernel address of the socket as source and their path.  /proc prints
 * each 32-bit word of an address as hex of its in-memory value, so storing
 * the parsed word back in host order yields the network-order bytes.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uthash.h>
#include "procscan-int.h"

struct ps_sock {
	uint64_t ino;
	struct udig_fdinfo fi;
	UT_hash_handle hh;
};

struct ps_netns {
	uint64_t ns;
	struct ps_sock *socks;
	int rereads;          /* times reloaded after a miss (bounded) */
	uint64_t loaded_ns;   /* CLOCK_MONOTONIC of this read */
	UT_hash_handle hh;
};

/* A socket missing from the tables is looked for again in a fresh read:
 * the kernel walks its socket hash a page of text at a time, and sockets
 * that other processes open or close meanwhile can shift an existing one
 * out of the walk.  MAX_REREADS at once per namespace and scan; past
 * them, up to MAX_LATE_REREADS more, each only for tables at least
 * REREAD_AGE_NS old — sockets no table lists (vsock, packet) spend the
 * first ones early in a scan, and a process scanned later under the same
 * churn would otherwise get no fresh read at all. */
#define MAX_REREADS 2
#define MAX_LATE_REREADS 6
#define REREAD_AGE_NS 2000000ull

struct pscan_net {
	struct ps_netns *nss;
};

static void sock_free(struct ps_sock *s)
{
	free(s->fi.name);
	free(s);
}

static void ns_free(struct ps_netns *n)
{
	struct ps_sock *s, *tmp;
	HASH_ITER(hh, n->socks, s, tmp) {
		HASH_DEL(n->socks, s);
		sock_free(s);
	}
	free(n);
}

static int sock_add(struct ps_netns *n, uint64_t ino, const struct udig_fdinfo *fi, const char *name)
{
	struct ps_sock *s, *old = NULL;
	HASH_FIND(hh, n->socks, &ino, sizeof ino, old);
	if (old)
		return 0; /* first table wins, as a hash add-if-absent would */
	s = calloc(1, sizeof *s);
	if (!s)
		return -1;
	s->ino = ino;
	s->fi = *fi;
	s->fi.ino = ino;
	s->fi.name = strdup(name ? name : "");
	if (!s->fi.name) {
		free(s);
		return -1;
	}
	HASH_ADD(hh, n->socks, ino, sizeof s->ino, s);
	return 0;
}

/* "HHHHHHHH" words of an address into bytes. */
static int parse_addr(const char *hex, uint8_t *out, size_t nwords)
{
	size_t i;
	if (strlen(hex) != nwords * 8)
		return -1;
	for (i = 0; i < nwords; i++) {
		char w[9];
		memcpy(w, hex + 8 * i, 8);
		w[8] = 0;
		uint32_t v = (uint32_t)strtoul(w, NULL, 16);
		memcpy(out + 4 * i, &v, 4);
	}
	return 0;
}

static int all_zero(const uint8_t *p, size_t n)
{
	while (n--)
		if (*p++)
			return 0;
	return 1;
}

/* The text sysdig shows as fd.name for an IP socket. */
static void ip_name(char *out, size_t cap, int v6, const uint8_t *sip, uint16_t sport, const uint8_t *dip, uint16_t dport, int server)
{
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];
	inet_ntop(v6 ? AF_INET6 : AF_INET, sip, a, sizeof a);
	if (server) {
		snprintf(out, cap, "%s:%u", a, sport);
		return;
	}
	inet_ntop(v6 ? AF_INET6 : AF_INET, dip, b, sizeof b);
	snprintf(out, cap, "%s:%u->%s:%u", a, sport, b, dport);
}

/* tcp/udp/raw and their v6 twins:
 *   "sl: LOCAL:PORT REMOTE:PORT st tx:rx tr:tm retr uid timeout inode ..." */
static int read_ip(struct ps_netns *n, const char *path, int v6, uint8_t l4, char *buf, size_t cap)
{
	char *line, *next, name[128];
	if (ps_read(path, buf, cap) <= 0)
		return 0;
	line = strchr(buf, '\n'); /* skip the header */
	for (line = line ? line + 1 : NULL; line && *line; line = next) {
		char lh[40], rh[40];
		unsigned lp, rp;
		unsigned long long ino;
		uint8_t sip[16], dip[16];
		struct udig_fdinfo fi;
		size_t alen = v6 ? 16 : 4;

		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		if (sscanf(line, " %*u: %39[0-9A-Fa-f]:%x %39[0-9A-Fa-f]:%x %*x %*x:%*x %*x:%*x %*x %*u %*u %llu",
			   lh, &lp, rh, &rp, &ino) != 5)
			continue;
		if (parse_addr(lh, sip, alen / 4) || parse_addr(rh, dip, alen / 4))
			continue;
		memset(&fi, 0, sizeof fi);
		if (all_zero(dip, alen)) {
			fi.type = v6 ? UDIG_FD_IPV6_SERVSOCK : UDIG_FD_IPV4_SERVSOCK;
			if (v6) {
				memcpy(fi.sock.v6serv.ip, sip, 16);
				fi.sock.v6serv.port = (uint16_t)lp;
				fi.sock.v6serv.l4proto = l4;
			} else {
				memcpy(fi.sock.v4serv.ip, sip, 4);
				fi.sock.v4serv.port = (uint16_t)lp;
				fi.sock.v4serv.l4proto = l4;
			}
			ip_name(name, sizeof name, v6, sip, (uint16_t)lp, NULL, 0, 1);
		} else {
			fi.type = v6 ? UDIG_FD_IPV6_SOCK : UDIG_FD_IPV4_SOCK;
			if (v6) {
				memcpy(fi.sock.v6.sip, sip, 16);
				memcpy(fi.sock.v6.dip, dip, 16);
				fi.sock.v6.sport = (uint16_t)lp;
				fi.sock.v6.dport = (uint16_t)rp;
				fi.sock.v6.l4proto = l4;
			} else {
				memcpy(fi.sock.v4.sip, sip, 4);
				memcpy(fi.sock.v4.dip, dip, 4);
				fi.sock.v4.sport = (uint16_t)lp;
				fi.sock.v4.dport = (uint16_t)rp;
				fi.sock.v4.l4proto = l4;
			}
			ip_name(name, sizeof name, v6, sip, (uint16_t)lp, dip, (uint16_t)rp, 0);
		}
		if (sock_add(n, ino, &fi, name))
			return -1;
	}
	return 0;
}

/* unix: "Num RefCount Protocol Flags Type St Inode [Path]" */
static int read_unix(struct ps_netns *n, const char *path, char *buf, size_t cap)
{
	char *line, *next;
	if (ps_read(path, buf, cap) <= 0)
		return 0;
	line = strchr(buf, '\n');
	for (line = line ? line + 1 : NULL; line && *line; line = next) {
		unsigned long long num, ino;
		int pos = 0;
		struct udig_fdinfo fi;
		const char *p;

		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		if (sscanf(line, "%llx: %*x %*x %*x %*x %*x %llu%n", &num, &ino, &pos) != 2)
			continue;
		p = line + pos;
		while (*p == ' ')
			p++;
		memset(&fi, 0, sizeof fi);
		fi.type = UDIG_FD_UNIX_SOCK;
		fi.sock.unix_sock.source = num;
		fi.sock.unix_sock.dest = 0;
		if (sock_add(n, ino, &fi, p))
			return -1;
	}
	return 0;
}

/* netlink: "sk Eth Pid Groups Rmem Wmem Dump Locks Drops Inode" */
static int read_netlink(struct ps_netns *n, const char *path, char *buf, size_t cap)
{
	char *line, *next;
	if (ps_read(path, buf, cap) <= 0)
		return 0;
	line = strchr(buf, '\n');
	for (line = line ? line + 1 : NULL; line && *line; line = next) {
		unsigned long long ino;
		struct udig_fdinfo fi;
		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		if (sscanf(line, "%*x %*d %*d %*x %*d %*d %*d %*d %*d %llu", &ino) != 1)
			continue;
		memset(&fi, 0, sizeof fi);
		fi.type = UDIG_FD_NETLINK;
		if (sock_add(n, ino, &fi, ""))
			return -1;
	}
	return 0;
}

static struct ps_netns *load_ns(const char *dir, uint64_t ns)
{
	static const struct { const char *file; int v6; uint8_t l4; } ip_tables[] = {
		{ "tcp", 0, UDIG_L4_TCP }, { "udp", 0, UDIG_L4_UDP }, { "raw", 0, UDIG_L4_RAW },
		{ "tcp6", 1, UDIG_L4_TCP }, { "udp6", 1, UDIG_L4_UDP }, { "raw6", 1, UDIG_L4_RAW },
	};
	/* Socket tables can be long (one line per socket in the namespace). */
	size_t cap = 8u << 20;
	char *buf = malloc(cap);
	char path[128];
	struct ps_netns *n = calloc(1, sizeof *n);
	size_t i;
	int rc = 0;

	if (!buf || !n) {
		free(buf);
		free(n);
		return NULL;
	}
	n->ns = ns;
	for (i = 0; i < sizeof ip_tables / sizeof ip_tables[0] && rc == 0; i++) {
		snprintf(path, sizeof path, "%snet/%s", dir, ip_tables[i].file);
		rc = read_ip(n, path, ip_tables[i].v6, ip_tables[i].l4, buf, cap);
	}
	if (rc == 0) {
		snprintf(path, sizeof path, "%snet/unix", dir);
		rc = read_unix(n, path, buf, cap);
	}
	if (rc == 0) {
		snprintf(path, sizeof path, "%snet/netlink", dir);
		rc = read_netlink(n, path, buf, cap);
	}
	free(buf);
	if (rc) {
		ns_free(n);
		return NULL;
	}
	n->loaded_ns = capture_mono_ns();
	return n;
}

const struct udig_fdinfo *pscan_net_lookup(struct pscan_ctx *cx, const char *dir, uint64_t netns, uint64_t ino)
{
	struct ps_netns *n = NULL;
	struct ps_sock *s = NULL;
	if (!cx->net) {
		cx->net = calloc(1, sizeof *cx->net);
		if (!cx->net)
			return NULL;
	}
	HASH_FIND(hh, cx->net->nss, &netns, sizeof netns, n);
	if (!n) {
		n = load_ns(dir, netns);
		if (!n)
			return NULL;
		HASH_ADD(hh, cx->net->nss, ns, sizeof n->ns, n);
	}
	HASH_FIND(hh, n->socks, &ino, sizeof ino, s);
	while (!s && (n->rereads < MAX_REREADS ||
		      (n->rereads < MAX_REREADS + MAX_LATE_REREADS && capture_mono_ns() - n->loaded_ns >= REREAD_AGE_NS))) {
		struct ps_netns *fresh = load_ns(dir, netns);
		if (!fresh)
			break;
		fresh->rereads = n->rereads + 1;
		HASH_DEL(cx->net->nss, n);
		ns_free(n);
		n = fresh;
		HASH_ADD(hh, cx->net->nss, ns, sizeof n->ns, n);
		HASH_FIND(hh, n->socks, &ino, sizeof ino, s);
	}
	return s ? &s->fi : NULL;
}

void pscan_net_free(struct pscan_ctx *cx)
{
	struct ps_netns *n, *ntmp;
	if (!cx->net)
		return;
	HASH_ITER(hh, cx->net->nss, n, ntmp) {
		HASH_DEL(cx->net->nss, n);
		ns_free(n);
	}
	free(cx->net);
	cx->net = NULL;
}
