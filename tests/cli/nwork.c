/*
 * Workload for tests/cli/names_vs_sysdig.sh: the calls whose fd names,
 * socket tuples and fd types the reference consumer computes itself —
 * unconnected UDP (sendto/recvfrom, a client and a server that replies),
 * connected UDP, TCP over IPv4 and IPv6, a socket bound to port 0 that then
 * listens, a bind to [::], a unix datagram pair, directories opened with a
 * trailing '/', relative names.  Every call's outcome is ignored: the test
 * compares what two consumers make of the same capture.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

static struct sockaddr_in v4(uint16_t port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return a;
}

static uint16_t port_of(int s)
{
	struct sockaddr_storage a;
	socklen_t l = sizeof a;
	if (getsockname(s, (struct sockaddr *)&a, &l) < 0)
		return 0;
	return ntohs(a.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&a)->sin6_port
					     : ((struct sockaddr_in *)&a)->sin_port);
}

static void udp(void)
{
	char b[16];
	int srv = socket(AF_INET, SOCK_DGRAM, 0), cli = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in a = v4(0), from;
	socklen_t fl = sizeof from;
	bind(srv, (struct sockaddr *)&a, sizeof a);
	a = v4(port_of(srv));
	/* unconnected client: its tuple comes from sendto */
	sendto(cli, "ping", 4, 0, (struct sockaddr *)&a, sizeof a);
	sendto(cli, "ping", 4, 0, (struct sockaddr *)&a, sizeof a);
	/* bound server: recvfrom, then a reply with sendto */
	recvfrom(srv, b, sizeof b, 0, (struct sockaddr *)&from, &fl);
	sendto(srv, "pong", 4, 0, (struct sockaddr *)&from, fl);
	recvfrom(cli, b, sizeof b, 0, NULL, NULL);
	recvfrom(srv, b, sizeof b, MSG_DONTWAIT, NULL, NULL);
	/* to the discard port: nobody listens, the send still names the fd */
	struct sockaddr_in d = v4(9);
	int u = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	sendto(u, "x", 1, 0, (struct sockaddr *)&d, sizeof d);
	struct msghdr m = { .msg_name = &d, .msg_namelen = sizeof d };
	struct iovec iov = { "y", 1 };
	m.msg_iov = &iov, m.msg_iovlen = 1;
	sendmsg(u, &m, 0);
	close(u);
	/* connected UDP */
	int cu = socket(AF_INET, SOCK_DGRAM, 0);
	connect(cu, (struct sockaddr *)&a, sizeof a);
	write(cu, "c", 1);
	close(cu);
	close(cli);
	close(srv);
}

static void tcp4(void)
{
	char b[4];
	int l = socket(AF_INET, SOCK_STREAM, 0), c = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = v4(0);
	bind(l, (struct sockaddr *)&a, sizeof a); /* port 0: not yet a server */
	listen(l, 4);
	a = v4(port_of(l));
	connect(c, (struct sockaddr *)&a, sizeof a);
	int x = accept(l, NULL, NULL);
	write(c, "hi", 2);
	read(x, b, 2);
	close(x);
	close(c);
	close(l);
}

static void tcp6(void)
{
	char b[4];
	int l = socket(AF_INET6, SOCK_STREAM, 0), c = socket(AF_INET6, SOCK_STREAM, 0);
	struct sockaddr_in6 a = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	if (l < 0 || c < 0)
		return;
	bind(l, (struct sockaddr *)&a, sizeof a);
	listen(l, 4);
	a.sin6_port = htons(port_of(l));
	connect(c, (struct sockaddr *)&a, sizeof a);
	int x = accept(l, NULL, NULL);
	write(c, "hi", 2);
	read(x, b, 2);
	close(x);
	close(c);
	close(l);
	/* [::] with a port: a server socket */
	int any = socket(AF_INET6, SOCK_STREAM, 0);
	struct sockaddr_in6 z = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_ANY_INIT };
	bind(any, (struct sockaddr *)&z, sizeof z);
	z.sin6_port = htons(port_of(any));
	close(any);
	any = socket(AF_INET6, SOCK_STREAM, 0);
	bind(any, (struct sockaddr *)&z, sizeof z);
	listen(any, 1);
	close(any);
	/* IPv6 datagrams */
	int u6 = socket(AF_INET6, SOCK_DGRAM, 0);
	a.sin6_port = htons(9);
	sendto(u6, "x", 1, 0, (struct sockaddr *)&a, sizeof a);
	close(u6);
}

static void unix_dgram(void)
{
	char path[64], b[4];
	snprintf(path, sizeof path, "/tmp/nwork.%d.sock", (int)getpid());
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	strcpy(a.sun_path, path);
	int s = socket(AF_UNIX, SOCK_DGRAM, 0), c = socket(AF_UNIX, SOCK_DGRAM, 0);
	bind(s, (struct sockaddr *)&a, sizeof a);
	sendto(c, "u", 1, 0, (struct sockaddr *)&a, sizeof a);
	recvfrom(s, b, sizeof b, 0, NULL, NULL);
	close(c);
	close(s);
	unlink(path);
}

static void dirs(void)
{
	struct stat st;
	int d = open("/usr/", O_RDONLY | O_DIRECTORY);
	fstat(d, &st);
	int e = openat(d, "share/", O_RDONLY | O_DIRECTORY);
	fstat(e, &st);
	close(e);
	close(d);
	d = open("/", O_RDONLY | O_DIRECTORY);
	close(d);
	if (chdir("/usr/") == 0) {
		d = open("lib/", O_RDONLY | O_DIRECTORY);
		close(d);
		d = open("./bin//", O_RDONLY | O_DIRECTORY);
		close(d);
	}
	d = open("/tmp/../usr/./share/", O_RDONLY | O_DIRECTORY);
	close(d);
}

int main(void)
{
	udp();
	tcp4();
	tcp6();
	unix_dgram();
	dirs();
	return 0;
}
