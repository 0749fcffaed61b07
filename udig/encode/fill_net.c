/*
 * Socket family: socket/socketpair, bind/listen/connect/accept, the
 * send/recv calls with their addresses and tuples, shutdown, socket
 * options.  Tuples follow specs/udig-ring.md §7.3: outbound calls
 * (connect, sendto, sendmsg) put the local end first, inbound ones
 * (accept, recvfrom, recvmsg) the remote end.
 */
#include <string.h>
#include "fill_int.h"

/* Events without parameters (getsockname, accept enter, clone enter, ...). */
void fill_none(struct fill *f) { (void)f; }

/* socket/socketpair enter: the raw domain (the PPM_AF_* values are the
 * native AF_* numbers), type and protocol. */
void fill_socket_e(struct fill *f)
{
	p_u32(f, fa(f, 0));
	p_u32(f, fa(f, 1));
	p_u32(f, fa(f, 2));
}

void fill_bind_x(struct fill *f)
{
	p_res(f);
	p_sockaddr(f, fa(f, 1), fa(f, 2));
}

void fill_connect_e(struct fill *f)
{
	p_fdarg(f, 0);
	if (fa32(f, 0) >= 0)
		p_sockaddr(f, fa(f, 1), fa(f, 2));
	else
		p_empty(f);
}

void fill_connect_x(struct fill *f)
{
	p_res(f);
	if (fa32(f, 0) >= 0 && fa(f, 1) && fa(f, 2))
		p_socktuple(f, fa32(f, 0), fa(f, 1), fa(f, 2), 0);
	else
		p_empty(f);
}

/* The driver does not decode accept4's flags and always sends 0. */
void fill_accept4_e(struct fill *f) { p_u32(f, 0); }

/* accept/accept4 exit.  The backlog figures (queuepct/len/max) come from
 * kernel socket internals no user-space producer can see: 0, as pdig. */
void fill_accept_x(struct fill *f)
{
	p_res(f);
	if (fret(f) >= 0)
		p_socktuple(f, fret(f), 0, 0, 1);
	else
		p_empty(f);
	p_u8(f, 0);
	p_u32(f, 0);
	p_u32(f, 0);
}

void fill_listen_e(struct fill *f)
{
	p_fdarg(f, 0);
	p_u32(f, fa(f, 1));
}

void fill_sendto_e(struct fill *f)
{
	p_fdarg(f, 0);
	p_u32(f, fa(f, 2));
	if (fa(f, 4) && fa(f, 5))
		p_socktuple(f, fa32(f, 0), fa(f, 4), fa(f, 5), 0);
	else
		p_empty(f);
}

/* sendto exit: what was sent, nothing on failure. */
void fill_send_x(struct fill *f)
{
	p_res(f);
	if (fret(f) > 0)
		p_udata(f, fa(f, 1), (uint64_t)fret(f));
	else
		p_empty(f);
}

void fill_recvfrom_e(struct fill *f)
{
	p_fdarg(f, 0);
	p_u32(f, fa(f, 2));
}

void fill_recvfrom_x(struct fill *f)
{
	int32_t alen = 0;

	p_res(f);
	if (fret(f) > 0)
		p_udata(f, fa(f, 1), (uint64_t)fret(f));
	else
		p_empty(f);
	/* The sender's address, when the caller asked for it. */
	if (fret(f) >= 0 && fa(f, 4) && fa(f, 5) && fill_read_all(f, &alen, fa(f, 5), sizeof alen) && alen > 0)
		p_socktuple(f, fa32(f, 0), fa(f, 4), (uint64_t)alen, 1);
	else
		p_empty(f);
}

/* struct msghdr on x86_64. */
struct umsghdr {
	uint64_t name;
	uint32_t namelen, pad;
	uint64_t iov, iovlen, control, controllen;
	int32_t flags, pad2;
};

void fill_sendmsg_e(struct fill *f)
{
	struct umsghdr mh;
	int ok = 0;
	uint64_t size = 0;
	int have = fill_read_all(f, &mh, fa(f, 1), sizeof mh);

	p_fdarg(f, 0);
	if (have)
		size = fill_iov_size(f, mh.iov, mh.iovlen, &ok);
	p_u32(f, ok ? size : 0);
	if (have && mh.name && mh.namelen)
		p_socktuple(f, fa32(f, 0), mh.name, mh.namelen, 0);
	else
		p_empty(f);
}

/* sendmsg exit: the buffers as passed, whatever the result (driver). */
void fill_sendmsg_x(struct fill *f)
{
	struct umsghdr mh;
	int ok = 0;
	uint64_t size = 0;

	p_res(f);
	if (fill_read_all(f, &mh, fa(f, 1), sizeof mh))
		size = fill_iov_size(f, mh.iov, mh.iovlen, &ok);
	if (ok)
		p_iov_data(f, mh.iov, mh.iovlen, size);
	else
		p_empty(f);
}

void fill_recvmsg_x(struct fill *f)
{
	struct umsghdr mh;
	int ok = 0;
	uint64_t size = 0;

	p_res(f);
	if (fret(f) >= 0 && fill_read_all(f, &mh, fa(f, 1), sizeof mh))
		size = fill_iov_size(f, mh.iov, mh.iovlen, &ok);
	if (!ok) {
		/* Failed call or unreadable header: nothing reliable to send. */
		p_u32(f, 0);
		p_empty(f);
		p_empty(f);
		return;
	}
	p_u32(f, size);
	p_iov_data(f, mh.iov, mh.iovlen, (uint64_t)fret(f));
	if (mh.name && mh.namelen)
		p_socktuple(f, fa32(f, 0), mh.name, mh.namelen, 1);
	else
		p_empty(f);
}

void fill_shutdown_e(struct fill *f)
{
	p_fdarg(f, 0);
	p_u8(f, xl_shutdown_how(fa(f, 1)));
}

/* socketpair exit: the two fds and, as "source"/"peer", stable ids of the
 * two ends -- their socket inodes (the driver sends kernel addresses). */
void fill_socketpair_x(struct fill *f)
{
	int32_t fds[2] = { -1, -1 };
	uint64_t dev, ino0 = 0, ino1 = 0;

	p_res(f);
	if (fret(f) >= 0 && fill_read_all(f, fds, fa(f, 3), sizeof fds)) {
		fill_fd_stat(f, fds[0], &dev, &ino0);
		fill_fd_stat(f, fds[1], &dev, &ino1);
	} else {
		fds[0] = fds[1] = -1;
	}
	p_s64(f, fds[0]);
	p_s64(f, fds[1]);
	p_u64(f, ino0);
	p_u64(f, ino1);
}

/* ---- socket options: the DYN value, index per the driver's table */

enum { SOCKOPT_IDX_UNKNOWN = 0, SOCKOPT_IDX_ERRNO = 1, SOCKOPT_IDX_UINT32 = 2, SOCKOPT_IDX_UINT64 = 3, SOCKOPT_IDX_TIMEVAL = 4 };

/* SOL_SOCKET options whose value is an int (asm-generic/socket.h). */
static const uint8_t sockopt_int[] = {
	1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 14, 15, 16, 18, 19, 22, 23, 24, 25, 27, 29, 30,
	31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49,
};

static void p_sockopt_val(struct fill *f, uint64_t level, uint64_t name, uint64_t optval, uint64_t optlen)
{
	uint8_t b[9];
	int32_t v32 = 0;
	int kind = SOCKOPT_IDX_UNKNOWN;

	if (level == 1 /* SOL_SOCKET */) {
		if (name == 4)
			kind = SOCKOPT_IDX_ERRNO;
		else if (name == 20 || name == 21 || name == 66 || name == 67)
			kind = SOCKOPT_IDX_TIMEVAL;
		else if (name == 57)
			kind = SOCKOPT_IDX_UINT64;
		else
			for (size_t i = 0; i < sizeof sockopt_int; i++)
				if (sockopt_int[i] == name)
					kind = SOCKOPT_IDX_UINT32;
	}
	b[0] = (uint8_t)kind;
	switch (kind) {
	case SOCKOPT_IDX_ERRNO: {
		int64_t e;
		if (!fill_read_all(f, &v32, optval, sizeof v32))
			v32 = 0;
		e = -(int64_t)v32;
		memcpy(b + 1, &e, 8);
		udig_enc_raw(&f->e, b, 9);
		return;
	}
	case SOCKOPT_IDX_TIMEVAL: {
		int64_t tv[2] = { 0, 0 };
		uint64_t ns;
		if (!fill_read_all(f, tv, optval, sizeof tv))
			tv[0] = tv[1] = 0;
		ns = (uint64_t)tv[0] * 1000000000ull + (uint64_t)tv[1] * 1000ull;
		memcpy(b + 1, &ns, 8);
		udig_enc_raw(&f->e, b, 9);
		return;
	}
	case SOCKOPT_IDX_UINT64: {
		uint64_t v = 0;
		if (!fill_read_all(f, &v, optval, sizeof v))
			v = 0;
		memcpy(b + 1, &v, 8);
		udig_enc_raw(&f->e, b, 9);
		return;
	}
	case SOCKOPT_IDX_UINT32:
		if (!fill_read_all(f, &v32, optval, sizeof v32))
			v32 = 0;
		memcpy(b + 1, &v32, 4);
		udig_enc_raw(&f->e, b, 5);
		return;
	default: {
		/* Raw bytes of the option, up to the parameter limit. */
		size_t room, n = 0;
		uint8_t *dst = udig_enc_reserve(&f->e, &room);
		if (!dst)
			return;
		if (room == 0) {
			udig_enc_commit(&f->e, 1);
			return;
		}
		dst[0] = SOCKOPT_IDX_UNKNOWN;
		if (optlen > UDIG_MAX_ARG_SIZE - 1)
			optlen = UDIG_MAX_ARG_SIZE - 1;
		if (optlen > room - 1)
			optlen = room - 1;
		if (optval)
			n = fill_read(f, dst + 1, optval, (size_t)optlen);
		udig_enc_commit(&f->e, n + 1);
	}
	}
}

static void p_sockopt_head(struct fill *f)
{
	p_res(f);
	p_fdarg(f, 0);
	p_u8(f, xl_sockopt_level(fa(f, 1)));
	p_u8(f, xl_sockopt_name(fa(f, 1), fa(f, 2)));
}

void fill_setsockopt_x(struct fill *f)
{
	p_sockopt_head(f);
	p_sockopt_val(f, fa(f, 1), fa(f, 2), fa(f, 3), (uint32_t)fa(f, 4));
	p_u32(f, fa(f, 4));
}

/* getsockopt exit: optlen as the kernel left it in *optlen. */
void fill_getsockopt_x(struct fill *f)
{
	uint32_t optlen = 0;

	if (!fill_read_all(f, &optlen, fa(f, 4), sizeof optlen))
		optlen = 0;
	p_sockopt_head(f);
	p_sockopt_val(f, fa(f, 1), fa(f, 2), fa(f, 3), optlen);
	p_u32(f, optlen);
}
