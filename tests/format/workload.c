/*
 * A mixed workload for the field and filter comparisons with sysdig: files
 * (made, read, written, renamed, removed, a directory), failures (ENOENT,
 * EBADF, EEXIST), a pipe, sockets of every family (TCP and UDP over IPv4
 * and IPv6 on loopback, unix stream and datagram, a socketpair, netlink),
 * a thread, and a fork that execs `argv[1]` (a shell) with a command line;
 * text that JSON must escape (quotes, backslashes, control bytes, UTF-8
 * and bytes that are not) in a file name, a buffer and the command line.
 * Everything happens in a private directory given as argv[2]; the output
 * is only what the workload itself prints (nothing), so that captures of
 * it differ only in numbers.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *dir;

static void path(char *out, size_t n, const char *name)
{
	snprintf(out, n, "%s/%s", dir, name);
}

static void files(void)
{
	char p[512], q[512], buf[64];
	path(p, sizeof p, "data.txt");
	int fd = open(p, O_CREAT | O_RDWR | O_TRUNC, 0644);
	if (fd < 0)
		return;
	if (write(fd, "hello, world\n", 13) < 0)
		perror("write");
	lseek(fd, 0, SEEK_SET);
	if (read(fd, buf, sizeof buf) < 0)
		perror("read");
	pread(fd, buf, 4, 2);
	close(fd);
	path(q, sizeof q, "renamed.txt");
	rename(p, q);
	open("/nonexistent/udig-file", O_RDONLY);        /* ENOENT */
	close(12345);                                     /* EBADF */
	read(-1, buf, 1);                                 /* EBADF, fd -1 */
	path(p, sizeof p, "sub");
	mkdir(p, 0755);
	mkdir(p, 0755);                                   /* EEXIST */
	int d = open(p, O_RDONLY | O_DIRECTORY);
	int f = openat(d, "inner.log", O_CREAT | O_WRONLY, 0600);
	if (f >= 0) {
		write(f, "x", 1);
		close(f);
	}
	close(d);
	fd = open("/etc/hostname", O_RDONLY);
	if (fd >= 0) {
		read(fd, buf, sizeof buf);
		close(fd);
	}
	unlink(q);
}

/* What jsoncpp escapes: quote, backslash, control bytes, DEL, UTF-8 of two,
 * three and four bytes, an invalid lead byte and a lone continuation. */
#define ESCAPES "q\"b\\s\tt\x01" "c\x7f \xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80 \xff\x80" "a"

static void escapes(void)
{
	char p[512];
	path(p, sizeof p, "esc " ESCAPES ".txt");
	int fd = open(p, O_CREAT | O_WRONLY | O_TRUNC, 0600);
	if (fd < 0)
		return;
	static const char data[] = ESCAPES "\r\nline\n\r\n";
	write(fd, data, sizeof data - 1);
	close(fd);
	unlink(p);
}

static void pipes(void)
{
	int p[2];
	char c;
	if (pipe(p))
		return;
	write(p[1], "p", 1);
	read(p[0], &c, 1);
	close(p[0]);
	close(p[1]);
}

/* The loopback address of family af, port 0 (the kernel picks one); its length. */
static socklen_t loopback(int af, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof *ss);
	if (af == AF_INET) {
		struct sockaddr_in *a = (struct sockaddr_in *)ss;
		a->sin_family = AF_INET;
		a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		return sizeof *a;
	}
	struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;
	a->sin6_family = AF_INET6;
	a->sin6_addr = in6addr_loopback;
	return sizeof *a;
}

/* One TCP exchange over loopback in family af. */
static void tcp(int af)
{
	struct sockaddr_storage ss;
	socklen_t len = loopback(af, &ss);
	int s = socket(af, SOCK_STREAM, 0);
	if (s < 0)
		return;
	if (bind(s, (struct sockaddr *)&ss, len) || listen(s, 1) || getsockname(s, (struct sockaddr *)&ss, &len)) {
		close(s);
		return;
	}
	int c = socket(af, SOCK_STREAM, 0);
	if (connect(c, (struct sockaddr *)&ss, len) == 0) {
		int a = accept(s, NULL, NULL);
		char buf[16];
		send(c, "ping", 4, 0);
		recv(a, buf, sizeof buf, 0);
		write(a, "pong", 4);
		read(c, buf, sizeof buf);
		close(a);
	}
	close(c);
	close(s);
}

static void udp(int af)
{
	struct sockaddr_storage ss;
	socklen_t len = loopback(af, &ss);
	int s = socket(af, SOCK_DGRAM, 0);
	if (s < 0)
		return;
	if (bind(s, (struct sockaddr *)&ss, len) == 0 && getsockname(s, (struct sockaddr *)&ss, &len) == 0) {
		int c = socket(af, SOCK_DGRAM, 0);
		char buf[16];
		sendto(c, "dgram", 5, 0, (struct sockaddr *)&ss, len);
		recvfrom(s, buf, sizeof buf, 0, NULL, NULL);
		close(c);
	}
	close(s);
}

static void unix_sockets(void)
{
	struct sockaddr_un a;
	memset(&a, 0, sizeof a);
	a.sun_family = AF_UNIX;
	snprintf(a.sun_path, sizeof a.sun_path, "%s/sock", dir);
	int s = socket(AF_UNIX, SOCK_STREAM, 0);
	if (s >= 0 && bind(s, (struct sockaddr *)&a, sizeof a) == 0 && listen(s, 1) == 0) {
		int c = socket(AF_UNIX, SOCK_STREAM, 0);
		if (connect(c, (struct sockaddr *)&a, sizeof a) == 0) {
			int x = accept(s, NULL, NULL);
			char buf[8];
			write(c, "u", 1);
			read(x, buf, sizeof buf);
			close(x);
		}
		close(c);
	}
	close(s);
	unlink(a.sun_path);
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) == 0) {
		char buf[8];
		send(sv[0], "d", 1, 0);
		recv(sv[1], buf, sizeof buf, 0);
		close(sv[0]);
		close(sv[1]);
	}
	int n = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
	if (n >= 0) {
		struct sockaddr_nl nl = { .nl_family = AF_NETLINK };
		bind(n, (struct sockaddr *)&nl, sizeof nl);
		close(n);
	}
}

static void *thread_main(void *arg)
{
	(void)arg;
	char p[512];
	path(p, sizeof p, "thread.txt");
	int fd = open(p, O_CREAT | O_WRONLY, 0600);
	if (fd >= 0) {
		write(fd, "t", 1);
		close(fd);
	}
	unlink(p);
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: workload SHELL DIR\n");
		return 2;
	}
	dir = argv[2];
	files();
	escapes();
	pipes();
	tcp(AF_INET);
	tcp(AF_INET6);
	udp(AF_INET);
	udp(AF_INET6);
	unix_sockets();
	pthread_t t;
	if (pthread_create(&t, NULL, thread_main, NULL) == 0)
		pthread_join(t, NULL);
	pid_t pid = fork();
	if (pid == 0) {
		char cmd[600];
		snprintf(cmd, sizeof cmd, "cat /etc/hostname > /dev/null; ls %s > /dev/null; : '" ESCAPES "'; exit 3", dir);
		execl(argv[1], "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	int st;
	waitpid(pid, &st, 0);
	rmdir(dir);
	char p[512];
	path(p, sizeof p, "sub/inner.log");
	unlink(p);
	path(p, sizeof p, "sub");
	rmdir(p);
	return 0;
}
