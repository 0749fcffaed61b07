/* Workload of the full-capture test: over loopback TCP, sends 10000 bytes
 * to port argv[1] and 10000 bytes to port argv[2] (each to a listener of
 * its own), and reads them back.  Exit 77 when a port is taken. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int one(int port)
{
	static char buf[10000], in[10000];
	memset(buf, 'x', sizeof buf);
	int l = socket(AF_INET, SOCK_STREAM, 0), one_ = 1;
	setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one_, sizeof one_);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	if (bind(l, (struct sockaddr *)&a, sizeof a) || listen(l, 1))
		return 77;
	int c = socket(AF_INET, SOCK_STREAM, 0);
	if (connect(c, (struct sockaddr *)&a, sizeof a))
		return 1;
	int s = accept(l, NULL, NULL);
	if (s < 0 || write(c, buf, sizeof buf) != (ssize_t)sizeof buf)
		return 1;
	size_t got = 0;
	while (got < sizeof in) {
		ssize_t n = read(s, in + got, sizeof in - got);
		if (n <= 0)
			return 1;
		got += (size_t)n;
	}
	close(s);
	close(c);
	close(l);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 3)
		return 2;
	int r = one(atoi(argv[1]));
	return r ? r : one(atoi(argv[2]));
}
