/*
 * Socket fillers over loopback: addresses, tuples (orientation, byte
 * order), data cuts, socket options, socketpair ids.
 */
#include <check.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include "harness.h"

/* The driver's SOCKADDR of 127.0.0.1:port. */
static void lo_addr(uint8_t out[7], uint16_t port)
{
	out[0] = UDIG_AF_INET;
	out[1] = 127, out[2] = 0, out[3] = 0, out[4] = 1;
	memcpy(out + 5, &port, 2); /* host order */
}

/* A 13-byte IPv4 tuple src -> dst, loopback on both ends. */
static void lo_tuple(uint8_t out[13], uint16_t sport, uint16_t dport)
{
	lo_addr(out, sport);
	out[7] = 127, out[8] = 0, out[9] = 0, out[10] = 1;
	memcpy(out + 11, &dport, 2);
}

static uint16_t port_of(int fd, int peer)
{
	struct sockaddr_in a;
	socklen_t l = sizeof a;

	ck_assert_int_eq(peer ? getpeername(fd, (struct sockaddr *)&a, &l) : getsockname(fd, (struct sockaddr *)&a, &l), 0);
	return ntohs(a.sin_port);
}

START_TEST(tcp_loopback)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	uint8_t exp[13];
	int64_t srv, cli, acc;
	uint16_t sport, cport;
	char buf[128];
	struct iovec iov[2];
	struct msghdr mh;

	srv = call(SYS_socket, A(AF_INET, SOCK_STREAM, 0));
	ck_assert_int_ge(srv, 0);
	ck_assert_int_eq(pi(&E, 0), UDIG_AF_INET);
	ck_assert_int_eq(pi(&E, 1), SOCK_STREAM);
	ck_assert_int_eq(pi(&E, 2), 0);
	ck_assert_int_eq(pi(&X, 0), srv);

	ck_assert_int_eq(call(SYS_bind, A((uint64_t)srv, U(&sa), sizeof sa)), 0);
	ck_assert_int_eq(pi(&E, 0), srv);
	lo_addr(exp, 0);
	ck_assert(pbytes(&X, 1, exp, 7));
	sport = port_of((int)srv, 0);

	ck_assert_int_eq(call(SYS_listen, A((uint64_t)srv, 5)), 0);
	ck_assert_int_eq(pi(&E, 0), srv);
	ck_assert_int_eq(pi(&E, 1), 5);

	cli = socket(AF_INET, SOCK_STREAM, 0);
	sa.sin_port = htons(sport);
	ck_assert_int_eq(call(SYS_connect, A((uint64_t)cli, U(&sa), sizeof sa)), 0);
	cport = port_of((int)cli, 0);
	ck_assert_int_eq(pi(&E, 0), cli);
	lo_addr(exp, sport);
	ck_assert(pbytes(&E, 1, exp, 7));
	/* outbound: src = local (client), dst = remote (server) */
	lo_tuple(exp, cport, sport);
	ck_assert(pbytes(&X, 1, exp, 13));

	acc = call(SYS_accept4, A((uint64_t)srv, 0, 0, SOCK_CLOEXEC));
	ck_assert_int_ge(acc, 0);
	ck_assert_uint_eq(E.type, UEV_SOCKET_ACCEPT4_5_E);
	ck_assert_int_eq(pi(&E, 0), 0);
	ck_assert_int_eq(pi(&X, 0), acc);
	/* inbound: src = remote (client), dst = local (server) */
	lo_tuple(exp, cport, sport);
	ck_assert(pbytes(&X, 1, exp, 13));
	ck_assert_int_eq(pi(&X, 2), 0);
	ck_assert_int_eq(pi(&X, 3), 0);
	ck_assert_int_eq(pi(&X, 4), 0);

	ck_assert_int_eq(call(SYS_sendto, A((uint64_t)cli, U("ping-data"), 9, 0, 0, 0)), 9);
	ck_assert_int_eq(pi(&E, 0), cli);
	ck_assert_int_eq(pi(&E, 1), 9);
	ck_assert_uint_eq(E.vlen[2], 0); /* no address given: no tuple */
	ck_assert_int_eq(pi(&X, 0), 9);
	ck_assert(pbytes(&X, 1, "ping-data", 9));
	test_snaplen = 4;
	ck_assert_int_eq(call(SYS_recvfrom, A((uint64_t)acc, U(buf), sizeof buf, 0, 0, 0)), 9);
	ck_assert_int_eq(pi(&E, 0), acc);
	ck_assert_int_eq(pi(&E, 1), sizeof buf);
	ck_assert_int_eq(pi(&X, 0), 9);
	ck_assert(pbytes(&X, 1, "ping", 4));
	ck_assert_uint_eq(X.vlen[2], 0);
	test_snaplen = 0;

	iov[0] = (struct iovec){ (void *)"ab", 2 };
	iov[1] = (struct iovec){ (void *)"cdef", 4 };
	memset(&mh, 0, sizeof mh);
	mh.msg_iov = iov;
	mh.msg_iovlen = 2;
	ck_assert_int_eq(call(SYS_sendmsg, A((uint64_t)acc, U(&mh), 0)), 6);
	ck_assert_int_eq(pi(&E, 0), acc);
	ck_assert_int_eq(pi(&E, 1), 6);
	ck_assert_uint_eq(E.vlen[2], 0);
	ck_assert(pbytes(&X, 1, "abcdef", 6));
	iov[0] = (struct iovec){ buf, 3 };
	iov[1] = (struct iovec){ buf + 3, 10 };
	ck_assert_int_eq(call(SYS_recvmsg, A((uint64_t)cli, U(&mh), 0)), 6);
	ck_assert_int_eq(pi(&E, 0), cli);
	ck_assert_int_eq(pi(&X, 1), 13);
	ck_assert(pbytes(&X, 2, "abcdef", 6));
	ck_assert_uint_eq(X.vlen[3], 0);

	{
		int v = 0, one = 1;
		socklen_t l = sizeof v;
		ck_assert_int_eq(call(SYS_getsockopt, A((uint64_t)cli, SOL_SOCKET, SO_ERROR, U(&v), U(&l))), 0);
		ck_assert_uint_eq(E.nparams, 0);
		ck_assert_int_eq(pi(&X, 1), cli);
		ck_assert_int_eq(pi(&X, 2), UDIG_SOL_SOCKET);
		ck_assert_int_eq(pi(&X, 3), UDIG_SO_ERROR);
		ck_assert_uint_eq(pdyn_idx(&X, 4), 1);
		ck_assert_uint_eq(pdyn_u64(&X, 4), 0);
		ck_assert_int_eq(pi(&X, 5), 4);
		l = sizeof v;
		ck_assert_int_eq(call(SYS_getsockopt, A((uint64_t)cli, SOL_SOCKET, SO_RCVBUF, U(&v), U(&l))), 0);
		ck_assert_int_eq(pi(&X, 3), UDIG_SO_RCVBUF);
		ck_assert_uint_eq(pdyn_idx(&X, 4), 2);
		ck_assert_uint_eq(pdyn_u64(&X, 4), (uint32_t)v);
		ck_assert_int_eq(call(SYS_setsockopt, A((uint64_t)srv, SOL_SOCKET, SO_REUSEADDR, U(&one), sizeof one)), 0);
		ck_assert_int_eq(pi(&X, 3), UDIG_SO_REUSEADDR);
		ck_assert_uint_eq(pdyn_u64(&X, 4), 1);
		ck_assert_int_eq(pi(&X, 5), sizeof one);
		ck_assert_int_eq(call(SYS_setsockopt, A((uint64_t)cli, IPPROTO_TCP, 1 /* TCP_NODELAY */, U(&one), sizeof one)), 0);
		ck_assert_int_eq(pi(&X, 2), UDIG_SOL_TCP);
		ck_assert_int_eq(pi(&X, 3), 0);
		ck_assert_uint_eq(pdyn_idx(&X, 4), 0);
		ck_assert_uint_eq(X.vlen[4], 1 + sizeof one);
		{
			struct timeval tv = { 2, 5 };
			ck_assert_int_eq(call(SYS_setsockopt, A((uint64_t)cli, SOL_SOCKET, SO_RCVTIMEO, U(&tv), sizeof tv)), 0);
			ck_assert_uint_eq(pdyn_idx(&X, 4), 4);
			ck_assert_uint_eq(pdyn_u64(&X, 4), 2000005000ull);
		}
	}

	ck_assert_int_eq(call(SYS_shutdown, A((uint64_t)cli, SHUT_WR)), 0);
	ck_assert_int_eq(pi(&E, 0), cli);
	ck_assert_int_eq(pi(&E, 1), UDIG_SHUT_WR);
	ck_assert_int_eq(call(SYS_shutdown, A(999, SHUT_RD)), -EBADF);
	ck_assert_int_eq(pi(&X, 0), -EBADF);
	close((int)cli);
	close((int)acc);
	close((int)srv);
}
END_TEST

START_TEST(udp_addresses)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) }, from;
	socklen_t flen = sizeof from;
	int a = socket(AF_INET, SOCK_DGRAM, 0), b = socket(AF_INET, SOCK_DGRAM, 0);
	uint16_t pa, pb;
	uint8_t exp[13];
	char buf[32];

	ck_assert_int_eq(bind(a, (struct sockaddr *)&sa, sizeof sa), 0);
	ck_assert_int_eq(bind(b, (struct sockaddr *)&sa, sizeof sa), 0);
	pa = port_of(a, 0);
	pb = port_of(b, 0);
	sa.sin_port = htons(pb);
	ck_assert_int_eq(call(SYS_sendto, A((uint64_t)a, U("dgram"), 5, 0, U(&sa), sizeof sa)), 5);
	lo_tuple(exp, pa, pb); /* outbound */
	ck_assert(pbytes(&E, 2, exp, 13));
	ck_assert_int_eq(call(SYS_recvfrom, A((uint64_t)b, U(buf), sizeof buf, 0, U(&from), U(&flen))), 5);
	ck_assert(pbytes(&X, 1, "dgram", 5));
	lo_tuple(exp, pa, pb); /* inbound: src = the sender */
	ck_assert(pbytes(&X, 2, exp, 13));
	/* connect failing on a closed port still carries the tuple */
	{
		int c = socket(AF_INET, SOCK_STREAM, 0);
		struct sockaddr_in z = { .sin_family = AF_INET, .sin_port = htons(1), .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
		ck_assert_int_eq(call(SYS_connect, A((uint64_t)c, U(&z), sizeof z)), -ECONNREFUSED);
		ck_assert_uint_eq(X.vlen[1], 13);
		ck_assert_uint_eq(X.val[1][0], UDIG_AF_INET);
		ck_assert(memcmp(X.val[1] + 11, &(uint16_t){ 1 }, 2) == 0);
		close(c);
	}
	/* bad address pointer: empty SOCKADDR */
	ck_assert_int_eq(call(SYS_bind, A((uint64_t)a, 16, sizeof sa)), -EFAULT);
	ck_assert_uint_eq(X.vlen[1], 0);
	close(a);
	close(b);
}
END_TEST

START_TEST(unix_sockets)
{
	int sv[2] = { -1, -1 };
	struct stat s0, s1;
	struct sockaddr_un un = { .sun_family = AF_UNIX };
	char path[108];
	int srv, cli;
	int64_t acc;

	ck_assert_int_eq(call(SYS_socketpair, A(AF_UNIX, SOCK_STREAM, 0, U(sv))), 0);
	ck_assert_int_eq(pi(&E, 0), UDIG_AF_UNIX);
	ck_assert_int_eq(pi(&X, 0), 0);
	ck_assert_int_eq(pi(&X, 1), sv[0]);
	ck_assert_int_eq(pi(&X, 2), sv[1]);
	fstat(sv[0], &s0);
	fstat(sv[1], &s1);
	ck_assert_uint_eq((uint64_t)pi(&X, 3), s0.st_ino);
	ck_assert_uint_eq((uint64_t)pi(&X, 4), s1.st_ino);
	ck_assert_int_eq(call(SYS_socketpair, A(AF_INET, SOCK_STREAM, 0, U(sv))), -EOPNOTSUPP);
	ck_assert_int_eq(pi(&X, 1), -1);
	ck_assert_int_eq(pi(&X, 2), -1);
	ck_assert_int_eq(pi(&X, 3), 0);

	snprintf(path, sizeof path, "%s/sock", tmpdir());
	strcpy(un.sun_path, path);
	srv = socket(AF_UNIX, SOCK_STREAM, 0);
	ck_assert_int_eq(call(SYS_bind, A((uint64_t)srv, U(&un), sizeof un)), 0);
	ck_assert_uint_eq(X.vlen[1], 1 + strlen(path) + 1);
	ck_assert_uint_eq(X.val[1][0], UDIG_AF_UNIX);
	ck_assert_str_eq((const char *)X.val[1] + 1, path);
	listen(srv, 1);
	cli = socket(AF_UNIX, SOCK_STREAM, 0);
	ck_assert_int_eq(call(SYS_connect, A((uint64_t)cli, U(&un), sizeof un)), 0);
	fstat(cli, &s0);
	/* family, local socket id (its inode), peer id, path */
	ck_assert_uint_eq(X.vlen[1], 17 + strlen(path) + 1);
	ck_assert_uint_eq(X.val[1][0], UDIG_AF_UNIX);
	ck_assert(memcmp(X.val[1] + 1, &s0.st_ino, 8) == 0);
	ck_assert_str_eq((const char *)X.val[1] + 17, path);
	acc = call(SYS_accept, A((uint64_t)srv, 0, 0));
	ck_assert_int_ge(acc, 0);
	ck_assert_uint_eq(E.nparams, 0);
	ck_assert_str_eq((const char *)X.val[1] + 17, path);
	close((int)acc);
	close(cli);
	close(srv);
	close(sv[0]);
	close(sv[1]);
	tmpdir_remove();
}
END_TEST

int main(void)
{
	Suite *s = suite_create("fillers-net");
	TCase *t = tcase_create("net");
	SRunner *r;
	int failed;

	tcase_set_timeout(t, 60);
	tcase_add_test(t, tcp_loopback);
	tcase_add_test(t, udp_addresses);
	tcase_add_test(t, unix_sockets);
	suite_add_tcase(s, t);
	r = srunner_create(s);
	srunner_run_all(r, CK_NORMAL);
	failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? 1 : 0;
}
