/*
 * Parameter helpers shared by the family decoders: tracee memory reads,
 * strings, I/O buffers, iovecs, socket addresses and tuples, poll lists.
 *
 * Values copied from the tracee go straight into the record through
 * udig_enc_reserve()/udig_enc_commit(); the only stack buffers are small
 * fixed chunks (at most 2 sockaddr_storage + 256 bytes in p_socktuple).
 */
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <fcntl.h>
#include <sys/syscall.h>
#include <udig/ring.h>
#include "fill_int.h"
#include "sys.h"

#define PAGE 4096u
#define UIO_MAXIOV 1024u   /* the kernel refuses larger iovec arrays */
#define STR_FIRST_CHUNK 256u

size_t fill_read(struct fill *f, void *dst, uint64_t addr, size_t len)
{
	const struct udig_tracee_ops *ops = f->sc->ops;
	size_t done = 0;

	if (!addr || !ops || !ops->read_mem)
		return 0;
	/* One page at a time: a short or failed read then means "the next
	 * page is not mapped", whatever granularity read_mem has. */
	while (done < len) {
		uint64_t a = addr + done;
		size_t chunk = PAGE - (size_t)(a & (PAGE - 1));
		long n;

		if (a < addr)
			break; /* wrapped around the address space */
		if (chunk > len - done)
			chunk = len - done;
		n = ops->read_mem(f->sc->opsctx, (uint8_t *)dst + done, a, chunk);
		if (n <= 0) {
			/* The driver's copy_from_user would have failed here. */
			if (f->sc->pf)
				(*f->sc->pf)++;
			break;
		}
		if ((size_t)n > chunk)
			n = (long)chunk;
		done += (size_t)n;
		if ((size_t)n < chunk)
			break;
	}
	return done;
}

int fill_read_all(struct fill *f, void *dst, uint64_t addr, size_t len)
{
	return fill_read(f, dst, addr, len) == len;
}

int fill_fd_stat(struct fill *f, int64_t fd, uint64_t *dev, uint64_t *ino)
{
	const struct udig_tracee_ops *ops = f->sc->ops;

	*dev = 0;
	*ino = 0;
	if (fd < 0 || fd > INT32_MAX || !ops || !ops->fd_stat)
		return -1;
	return ops->fd_stat(f->sc->opsctx, (int)fd, dev, ino) == 0 ? 0 : -1;
}

void p_u8(struct fill *f, uint64_t v) { udig_enc_u8(&f->e, (uint8_t)v); }
void p_u16(struct fill *f, uint64_t v) { udig_enc_u16(&f->e, (uint16_t)v); }
void p_u32(struct fill *f, uint64_t v) { udig_enc_u32(&f->e, (uint32_t)v); }
void p_u64(struct fill *f, uint64_t v) { udig_enc_u64(&f->e, v); }
void p_cstr(struct fill *f, const char *s) { udig_enc_str(&f->e, s, 0); }
void p_empty(struct fill *f) { udig_enc_raw(&f->e, NULL, 0); }

size_t fill_snaplen(const struct fill *f)
{
	uint32_t s = f->sc->snaplen;

	/* 0 means the engine did not say: use the consumer's default. */
	if (s == 0)
		return UDIG_DEFAULT_SNAPLEN;
	return s > UDIG_MAX_ARG_SIZE ? UDIG_MAX_ARG_SIZE : s;
}

void p_ustr(struct fill *f, uint64_t addr, size_t max)
{
	size_t room, n = 0;
	uint8_t *dst;

	if (!addr) {
		p_cstr(f, NULL);
		return;
	}
	dst = udig_enc_reserve(&f->e, &room);
	if (!dst)
		return;
	if (max == 0 || max > UDIG_MAX_ARG_SIZE)
		max = UDIG_MAX_ARG_SIZE;
	if (max > room)
		max = room;
	if (max == 0) {
		udig_enc_commit(&f->e, 1); /* lets the encoder report NOSPACE */
		return;
	}
	/* Read pieces straight into the record until a NUL: first a short one
	 * (most strings are paths that fit, and copying and scanning to the
	 * page end would cost more than the path), then up to page ends. */
	while (n + 1 < max) {
		uint64_t a = addr + n;
		size_t chunk = PAGE - (size_t)(a & (PAGE - 1)), got;
		const uint8_t *nul;

		if (n == 0 && chunk > STR_FIRST_CHUNK)
			chunk = STR_FIRST_CHUNK;
		if (chunk > max - 1 - n)
			chunk = max - 1 - n;
		got = fill_read(f, dst + n, a, chunk);
		nul = got ? memchr(dst + n, 0, got) : NULL;
		if (nul) {
			n = (size_t)(nul - dst);
			break;
		}
		n += got;
		if (got < chunk)
			break;
	}
	if (n == 0 && !fill_read(f, dst, addr, 1)) {
		/* Not readable at all: what the driver writes for a string it
		 * could not copy (enter events) -- see the report. */
		p_cstr(f, NULL);
		return;
	}
	dst[n] = 0;
	udig_enc_commit(&f->e, n + 1);
}

/* ---- dynamic snaplen: the kernel drivers' compute_snaplen rules */

#define LOOKAHEAD 16u /* DPI_LOOKAHEAD_SIZE */
#define PORT_MYSQL 3306
#define PORT_POSTGRES 5432
#define PORT_MONGODB 27017

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Is fd of the traced process /dev/null (a sysdig tracer's target)? */
static int fd_is_devnull(struct fill *f, int64_t fd)
{
	const char *pd = f->sc->ops ? f->sc->ops->procdir : NULL;
	char path[96], link[16];
	size_t n = 0, pl;
	if (!pd || (pl = strlen(pd)) > sizeof path - 32)
		return 0;
	memcpy(path, pd, pl);
	n = pl;
	memcpy(path + n, "/fd/", 4);
	n += 4;
	char dig[24];
	size_t k = 0;
	uint64_t v = (uint64_t)fd;
	do {
		dig[k++] = (char)('0' + v % 10);
		v /= 10;
	} while (v && k < sizeof dig);
	while (k)
		path[n++] = dig[--k];
	path[n] = 0;
	long r = udig_sys4(SYS_readlinkat, AT_FDCWD, path, link, sizeof link);
	return r == 9 && memcmp(link, "/dev/null", 9) == 0;
}

static int port_of(const struct sockaddr_storage *ss, uint32_t len, uint16_t *port)
{
	if (ss->ss_family == AF_INET && len >= sizeof(struct sockaddr_in))
		*port = ntohs(((const struct sockaddr_in *)(const void *)ss)->sin_port);
	else if (ss->ss_family == AF_INET6 && len >= sizeof(struct sockaddr_in6))
		*port = ntohs(((const struct sockaddr_in6 *)(const void *)ss)->sin6_port);
	else
		return -1;
	return 0;
}

/* The protocols the drivers recognise from the first bytes of a payload. */
static int dpi_match(uint16_t sport, uint16_t dport, uint16_t statsd, const uint8_t *b, size_t n)
{
	if (sport == PORT_MYSQL || dport == PORT_MYSQL)
		return n >= 5 && (b[0] == 3 || b[1] == 3 || b[2] == 3 || b[3] == 3 || b[4] == 3 || (b[2] == 0 && b[3] == 0));
	if (sport == PORT_POSTGRES || dport == PORT_POSTGRES)
		return n >= 7 && ((b[0] == 'Q' && b[1] == 0) || (b[0] == 'P' && b[1] == 0) ||
				  (b[4] == 0 && b[5] == 3 && b[6] == 0) || (b[0] == 'E' && b[1] == 0));
	if (sport == PORT_MONGODB || dport == PORT_MONGODB)
		return 1;
	if (n >= 16) {
		uint32_t op = le32(b + 12); /* a MongoDB wire header's opCode */
		if (op == 1 || (op >= 2001 && op <= 2007))
			return 1;
	}
	if (statsd && dport == statsd)
		return 1;
	if (n >= 5) {
		static const char *const http[] = { "GET ", "POST", "PUT ", "DELE", "TRAC", "CONN", "OPTI" };
		for (unsigned i = 0; i < sizeof http / sizeof http[0]; i++)
			if (memcmp(b, http[i], 4) == 0)
				return 1;
		if (memcmp(b, "HTTP", 4) == 0 && b[4] == '/')
			return 1;
	}
	return 0;
}

/* The snaplen for the I/O data of this call, given its first n bytes:
 * the fixed one unless the consumer asked for tracer capture (a write to
 * /dev/null) or dynamic snaplen (full-capture ports, known protocols).
 * The fd is argument 0 of every call whose data is captured. */
static size_t io_snaplen(struct fill *f, const uint8_t *look, size_t n)
{
	const struct udig_syscall_ctx *sc = f->sc;
	size_t s = fill_snaplen(f), d = 0;
	int64_t fd = fa32(f, 0);
	if ((!sc->dyn_snaplen && !sc->tracers) || fd < 0)
		return s;
	if (sc->tracers && sc->nr == SYS_write && fd_is_devnull(f, fd))
		d = UDIG_SNAPLEN_EVENT;
	else if (sc->dyn_snaplen && sc->ops && sc->ops->sock_name) {
		struct sockaddr_storage ss;
		uint32_t len = sizeof ss;
		uint16_t sport = 0, dport = 0;
		if (sc->ops->sock_name(sc->opsctx, (int)fd, 0, &ss, &len) == 0 && port_of(&ss, len, &sport) == 0) {
			len = sizeof ss;
			if (sc->ops->sock_name(sc->opsctx, (int)fd, 1, &ss, &len) != 0 || port_of(&ss, len, &dport) != 0)
				dport = 0;
			if (sc->fullcap_hi && sc->fullcap_lo <= sc->fullcap_hi &&
			    ((sport >= sc->fullcap_lo && sport <= sc->fullcap_hi) ||
			     (dport >= sc->fullcap_lo && dport <= sc->fullcap_hi)))
				d = UDIG_FULLCAPTURE_SNAPLEN;
			else if (dpi_match(sport, dport, sc->statsd_port, look, n))
				d = UDIG_SNAPLEN_EVENT;
		}
	}
	return d > s ? d : s;
}

int udig_fill_nostate(const struct udig_syscall_ctx *sc, int is_exit)
{
	switch (sc->nr) {
	case SYS_close:
		if (is_exit)
			return sc->ret < 0;
		/* A close of an fd that is not open: the drivers drop it too. */
		uint64_t dev, ino;
		return (int32_t)sc->args[0] < 0 ||
		       (sc->ops && sc->ops->fd_stat && sc->ops->fd_stat(sc->opsctx, (int)(int32_t)sc->args[0], &dev, &ino) < 0);
	case SYS_bind:
		return is_exit && sc->ret < 0;
	case SYS_fcntl:
		return (int32_t)sc->args[1] != F_DUPFD && (int32_t)sc->args[1] != F_DUPFD_CLOEXEC;
	default:
		return 0;
	}
}

void p_udata(struct fill *f, uint64_t addr, uint64_t len)
{
	size_t room, want, got;
	uint8_t *dst;

	if (!addr || !len) {
		p_empty(f);
		return;
	}
	dst = udig_enc_reserve(&f->e, &room);
	if (!dst)
		return;
	want = fill_snaplen(f);
	if (f->sc->dyn_snaplen || f->sc->tracers) {
		/* Look at the first bytes, as the drivers do, then decide. */
		size_t look = len < LOOKAHEAD ? (size_t)len : LOOKAHEAD;
		if (look > room)
			look = room;
		got = fill_read(f, dst, addr, look);
		want = io_snaplen(f, dst, got);
		if (len < want)
			want = (size_t)len;
		if (want > room)
			want = room;
		if (got == look && want > got)
			got += fill_read(f, dst + got, addr + got, want - got);
		udig_enc_commit(&f->e, got < want ? got : want);
		return;
	}
	if (len < want)
		want = (size_t)len;
	if (want > room)
		want = room;
	got = fill_read(f, dst, addr, want);
	udig_enc_commit(&f->e, got);
}

struct uiov {
	uint64_t base, len;
};

#define IOV_CHUNK 16

uint64_t fill_iov_size(struct fill *f, uint64_t iov, uint64_t iovcnt, int *ok)
{
	struct uiov v[IOV_CHUNK];
	uint64_t total = 0, i = 0;

	*ok = 0;
	if (!iov || iovcnt > UIO_MAXIOV)
		return 0;
	while (i < iovcnt) {
		uint64_t n = iovcnt - i > IOV_CHUNK ? IOV_CHUNK : iovcnt - i;
		if (!fill_read_all(f, v, iov + i * sizeof v[0], (size_t)n * sizeof v[0]))
			return 0;
		for (uint64_t j = 0; j < n; j++)
			total += v[j].len;
		i += n;
	}
	*ok = 1;
	return total;
}

void p_iov_data(struct fill *f, uint64_t iov, uint64_t iovcnt, uint64_t limit)
{
	struct uiov v[IOV_CHUNK];
	size_t room, want, used = 0;
	uint64_t i = 0;
	uint8_t *dst;

	if (!iov || iovcnt > UIO_MAXIOV || !limit) {
		p_empty(f);
		return;
	}
	dst = udig_enc_reserve(&f->e, &room);
	if (!dst)
		return;
	want = fill_snaplen(f);
	if (f->sc->dyn_snaplen || f->sc->tracers) {
		/* The first iovec's first bytes are the lookahead. */
		uint8_t look[LOOKAHEAD];
		size_t n = 0;
		if (iovcnt > 0 && fill_read_all(f, v, iov, sizeof v[0]))
			n = fill_read(f, look, v[0].base, v[0].len < LOOKAHEAD ? (size_t)v[0].len : LOOKAHEAD);
		want = io_snaplen(f, look, n);
	}
	if (limit < want)
		want = (size_t)limit;
	if (want > room)
		want = room;
	while (i < iovcnt && used < want) {
		uint64_t n = iovcnt - i > IOV_CHUNK ? IOV_CHUNK : iovcnt - i;
		if (!fill_read_all(f, v, iov + i * sizeof v[0], (size_t)n * sizeof v[0]))
			break;
		for (uint64_t j = 0; j < n && used < want; j++) {
			size_t part = v[j].len < want - used ? (size_t)v[j].len : want - used, got;
			got = fill_read(f, dst + used, v[j].base, part);
			used += got;
			if (got < part) {
				i = iovcnt; /* unreadable buffer: keep what we have */
				break;
			}
		}
		if (i < iovcnt)
			i += n;
	}
	udig_enc_commit(&f->e, used);
}

/* ---- socket addresses */

static uint16_t ntoh16(uint16_t v) { return (uint16_t)((v >> 8) | (v << 8)); }

/* Packs the driver's SOCKADDR value of ss (len bytes valid) into out
 * (>= 1 + 16 + 2 or 1 + 108 + 1 bytes); returns its size, 0 if unpacked. */
static size_t pack_sockaddr(const struct sockaddr_storage *ss, size_t len, uint8_t *out)
{
	if (len < sizeof(sa_family_t))
		return 0;
	switch (ss->ss_family) {
	case AF_INET: {
		const struct sockaddr_in *in = (const struct sockaddr_in *)ss;
		uint16_t port = ntoh16(in->sin_port);
		out[0] = UDIG_AF_INET;
		memcpy(out + 1, &in->sin_addr, 4);     /* network order, as is */
		memcpy(out + 5, &port, 2);              /* host order */
		return 7;
	}
	case AF_INET6: {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)ss;
		uint16_t port = ntoh16(in6->sin6_port);
		out[0] = UDIG_AF_INET6;
		memcpy(out + 1, &in6->sin6_addr, 16);
		memcpy(out + 17, &port, 2);
		return 19;
	}
	case AF_UNIX: {
		const struct sockaddr_un *un = (const struct sockaddr_un *)ss;
		size_t max = len > offsetof(struct sockaddr_un, sun_path) ? len - offsetof(struct sockaddr_un, sun_path) : 0;
		size_t n = 0;
		if (max > sizeof un->sun_path)
			max = sizeof un->sun_path;
		while (n < max && un->sun_path[n])
			n++;
		out[0] = UDIG_AF_UNIX;
		memcpy(out + 1, un->sun_path, n);
		out[1 + n] = 0;
		return n + 2;
	}
	}
	return 0;
}

/* The driver copies at most a sockaddr_storage; a longer length fails. */
static int read_sockaddr(struct fill *f, uint64_t addr, uint64_t len, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof *ss);
	if (!addr || !len || len > sizeof *ss)
		return 0;
	return fill_read_all(f, ss, addr, (size_t)len);
}

void p_sockaddr(struct fill *f, uint64_t addr, uint64_t addrlen)
{
	struct sockaddr_storage ss;
	uint8_t out[1 + sizeof(struct sockaddr_un)];
	size_t n = 0;

	if (read_sockaddr(f, addr, addrlen, &ss))
		n = pack_sockaddr(&ss, (size_t)addrlen, out);
	udig_enc_raw(&f->e, out, n);
}

static int sock_name(struct fill *f, int64_t fd, int peer, struct sockaddr_storage *ss, uint32_t *len)
{
	const struct udig_tracee_ops *ops = f->sc->ops;

	memset(ss, 0, sizeof *ss);
	*len = sizeof *ss;
	if (fd < 0 || fd > INT32_MAX || !ops || !ops->sock_name)
		return -1;
	if (ops->sock_name(f->sc->opsctx, (int)fd, peer, ss, len) != 0)
		return -1;
	if (*len > sizeof *ss)
		*len = sizeof *ss;
	return 0;
}

void p_socktuple(struct fill *f, int64_t fd, uint64_t addr, uint64_t addrlen, int inbound)
{
	struct sockaddr_storage local, remote;
	uint32_t llen, rlen;
	uint8_t out[1 + 8 + 8 + sizeof(((struct sockaddr_un *)0)->sun_path) + 1];
	size_t n = 0;

	if (sock_name(f, fd, 0, &local, &llen) != 0) {
		p_empty(f);
		return;
	}
	if (addr) {
		if (!read_sockaddr(f, addr, addrlen, &remote)) {
			p_empty(f);
			return;
		}
		rlen = (uint32_t)addrlen;
	} else if (sock_name(f, fd, 1, &remote, &rlen) != 0) {
		/* Not connected: the driver's getname result is then zero. */
		memset(&remote, 0, sizeof remote);
		remote.ss_family = local.ss_family;
	}
	switch (local.ss_family) {
	case AF_INET: {
		const struct sockaddr_in *l = (const struct sockaddr_in *)&local;
		const struct sockaddr_in *r = (const struct sockaddr_in *)&remote;
		const struct sockaddr_in *s = inbound ? r : l, *d = inbound ? l : r;
		uint16_t sp = ntoh16(s->sin_port), dp = ntoh16(d->sin_port);
		out[0] = UDIG_AF_INET;
		memcpy(out + 1, &s->sin_addr, 4);
		memcpy(out + 5, &sp, 2);
		memcpy(out + 7, &d->sin_addr, 4);
		memcpy(out + 11, &dp, 2);
		n = 13;
		break;
	}
	case AF_INET6: {
		const struct sockaddr_in6 *l = (const struct sockaddr_in6 *)&local;
		const struct sockaddr_in6 *r = (const struct sockaddr_in6 *)&remote;
		const struct sockaddr_in6 *s = inbound ? r : l, *d = inbound ? l : r;
		uint16_t sp = ntoh16(s->sin6_port), dp = ntoh16(d->sin6_port);
		out[0] = UDIG_AF_INET6;
		memcpy(out + 1, &s->sin6_addr, 16);
		memcpy(out + 17, &sp, 2);
		memcpy(out + 19, &d->sin6_addr, 16);
		memcpy(out + 35, &dp, 2);
		n = 37;
		break;
	}
	case AF_UNIX: {
		/* The driver sends kernel socket addresses as ids; we send the
		 * socket inode of fd (stable, non-zero) and 0 for the peer we
		 * cannot see.  The path is the call's address, else the peer's
		 * name, else our own (an accepted or connected socket of a
		 * named server). */
		const struct sockaddr_un *p = (const struct sockaddr_un *)&remote;
		uint64_t dev, ino, zero = 0;
		size_t len = 0, max = sizeof p->sun_path;
		fill_fd_stat(f, fd, &dev, &ino);
		if (rlen > offsetof(struct sockaddr_un, sun_path)) {
			if (rlen - offsetof(struct sockaddr_un, sun_path) < max)
				max = rlen - offsetof(struct sockaddr_un, sun_path);
		} else {
			max = 0;
		}
		if (max == 0 || !p->sun_path[0]) {
			p = (const struct sockaddr_un *)&local;
			max = llen > offsetof(struct sockaddr_un, sun_path) ? llen - offsetof(struct sockaddr_un, sun_path) : 0;
			if (max > sizeof p->sun_path)
				max = sizeof p->sun_path;
		}
		while (len < max && p->sun_path[len])
			len++;
		out[0] = UDIG_AF_UNIX;
		memcpy(out + 1, inbound ? &zero : &ino, 8);
		memcpy(out + 9, inbound ? &ino : &zero, 8);
		memcpy(out + 17, p->sun_path, len);
		out[17 + len] = 0;
		n = 18 + len;
		break;
	}
	}
	udig_enc_raw(&f->e, out, n);
}

/* ---- poll lists and times */

struct upollfd {
	int32_t fd;
	int16_t events, revents;
};

#define POLL_CHUNK 32

void p_fdlist(struct fill *f, uint64_t fds, uint64_t nfds, int exit)
{
	struct upollfd pf[POLL_CHUNK];
	size_t room, pos = 2;
	uint64_t i = 0, max;
	uint16_t count = 0;
	uint8_t *dst = udig_enc_reserve(&f->e, &room);

	if (!dst)
		return;
	if (room < 2) {
		udig_enc_commit(&f->e, 2);
		return;
	}
	/* As many entries as the record (and the u16 count) can hold. */
	max = (room - 2) / 10;
	if (max > 0xffff)
		max = 0xffff;
	while (i < nfds && count < max) {
		uint64_t n = nfds - i > POLL_CHUNK ? POLL_CHUNK : nfds - i;
		if (!fds || !fill_read_all(f, pf, fds + i * sizeof pf[0], (size_t)n * sizeof pf[0])) {
			/* The driver sends an empty list when the array cannot be read. */
			pos = 2;
			count = 0;
			break;
		}
		for (uint64_t j = 0; j < n && count < max; j++) {
			int64_t fd = pf[j].fd;
			uint16_t fl;
			if (exit && !pf[j].revents)
				continue;
			fl = xl_poll_events((uint16_t)(exit ? pf[j].revents : pf[j].events));
			memcpy(dst + pos, &fd, 8);
			memcpy(dst + pos + 8, &fl, 2);
			pos += 10;
			count++;
		}
		i += n;
	}
	memcpy(dst, &count, 2);
	udig_enc_commit(&f->e, pos);
}

void p_timespec(struct fill *f, uint64_t addr)
{
	int64_t ts[2];

	if (!fill_read_all(f, ts, addr, sizeof ts))
		p_u64(f, 0);
	else
		p_u64(f, (uint64_t)ts[0] * 1000000000ull + (uint64_t)ts[1]);
}
