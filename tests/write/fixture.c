/* Writer test fixture: see fixture.h. */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <udig/encode.h>
#include "fixture.h"

static uint16_t local_port(int fd)
{
	struct sockaddr_in a;
	socklen_t l = sizeof a;
	if (getsockname(fd, (struct sockaddr *)&a, &l) != 0)
		return 0;
	return ntohs(a.sin_port);
}

int wfix_setup(struct wfix *f)
{
	struct sockaddr_in a;
	socklen_t l = sizeof a;
	const char *tmp = getenv("TMPDIR");
	struct timespec now;

	memset(f, 0, sizeof *f);
	f->fd_file = f->fd_listen = f->fd_client = f->fd_server = -1;
	snprintf(f->dir, sizeof f->dir, "%s/udigw.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->file, sizeof f->file, "%s/data.txt", f->dir);
	f->fd_file = open(f->file, O_RDWR | O_CREAT | O_TRUNC, 0644);

	f->fd_listen = socket(AF_INET, SOCK_STREAM, 0);
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (f->fd_file < 0 || f->fd_listen < 0 || bind(f->fd_listen, (struct sockaddr *)&a, sizeof a) != 0 ||
	    listen(f->fd_listen, 4) != 0 || getsockname(f->fd_listen, (struct sockaddr *)&a, &l) != 0)
		return -1;
	f->lport = ntohs(a.sin_port);
	f->fd_client = socket(AF_INET, SOCK_STREAM, 0);
	if (f->fd_client < 0 || connect(f->fd_client, (struct sockaddr *)&a, sizeof a) != 0)
		return -1;
	f->fd_server = accept(f->fd_listen, NULL, NULL);
	if (f->fd_server < 0)
		return -1;
	f->cport = local_port(f->fd_client);
	f->pid = getpid();
	clock_gettime(CLOCK_REALTIME, &now);
	f->ts = (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;
	return 0;
}

void wfix_teardown(struct wfix *f)
{
	char cmd[400];
	if (f->fd_file >= 0)
		close(f->fd_file);
	if (f->fd_client >= 0)
		close(f->fd_client);
	if (f->fd_server >= 0)
		close(f->fd_server);
	if (f->fd_listen >= 0)
		close(f->fd_listen);
	if (f->dir[0]) {
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
		if (system(cmd) != 0) {
			/* leftovers in a temp dir are harmless */
		}
	}
}

const char *wfix_path(const struct wfix *f, const char *name, char *buf, size_t cap)
{
	snprintf(buf, cap, "%s/%s", f->dir, name);
	return buf;
}

static int emit(struct wfix *f, udig_dumper *d, struct udig_enc *e, uint32_t dump_flags)
{
	size_t len = udig_enc_end(e);
	f->ts += 1000;
	if (len == 0)
		return -1;
	return udig_dump_record(d, e->buf, (uint32_t)len, 0, dump_flags) == UDIG_OK ? 0 : -1;
}

static int io_pair(struct wfix *f, udig_dumper *d, uint16_t etype, int64_t fd, const void *data, size_t n,
		   uint32_t dump_flags)
{
	static uint8_t buf[80000];
	struct udig_enc e;
	udig_enc_begin(&e, buf, sizeof buf, etype, f->ts, (uint64_t)f->pid);
	udig_enc_s64(&e, fd);
	udig_enc_u32(&e, (uint32_t)n);
	if (emit(f, d, &e, dump_flags))
		return -1;
	udig_enc_begin(&e, buf, sizeof buf, (uint16_t)(etype + 1), f->ts, (uint64_t)f->pid);
	udig_enc_s64(&e, (int64_t)n);
	udig_enc_raw(&e, data, n);
	return emit(f, d, &e, dump_flags);
}

int wfix_read_pair(struct wfix *f, udig_dumper *d, int64_t fd, size_t n, uint32_t dump_flags)
{
	static uint8_t data[70000];
	if (n > sizeof data)
		return -1;
	memset(data, 'x', n);
	return io_pair(f, d, UEV_SYSCALL_READ_E, fd, data, n, dump_flags);
}

int wfix_events(struct wfix *f, udig_dumper *d, uint32_t openat_flags)
{
	uint8_t buf[4096];
	struct udig_enc e;
	const int64_t newfd = 77;

	if (io_pair(f, d, UEV_SYSCALL_WRITE_E, f->fd_file, "hello", 5, 0) ||
	    io_pair(f, d, UEV_SYSCALL_READ_E, f->fd_client, "ping", 4, 0) ||
	    io_pair(f, d, UEV_SYSCALL_WRITE_E, f->fd_server, "pong", 4, 0))
		return -1;

	/* openat(AT_FDCWD, "<dir>/opened.txt", O_RDONLY) = 77 */
	char path[400];
	wfix_path(f, "opened.txt", path, sizeof path);
	udig_enc_begin(&e, buf, sizeof buf, UEV_SYSCALL_OPENAT_2_E, f->ts, (uint64_t)f->pid);
	udig_enc_s64(&e, UDIG_AT_FDCWD);
	udig_enc_str(&e, path, 0);
	udig_enc_u32(&e, UDIG_O_RDONLY);
	udig_enc_u32(&e, 0);
	if (emit(f, d, &e, openat_flags))
		return -1;
	udig_enc_begin(&e, buf, sizeof buf, UEV_SYSCALL_OPENAT_2_X, f->ts, (uint64_t)f->pid);
	udig_enc_s64(&e, newfd);
	udig_enc_s64(&e, UDIG_AT_FDCWD);
	udig_enc_str(&e, path, 0);
	udig_enc_u32(&e, UDIG_O_RDONLY);
	udig_enc_u32(&e, 0);
	udig_enc_u32(&e, 0);
	if (emit(f, d, &e, openat_flags))
		return -1;
	if (io_pair(f, d, UEV_SYSCALL_READ_E, newfd, "abc", 3, 0))
		return -1;
	udig_enc_begin(&e, buf, sizeof buf, UEV_SYSCALL_CLOSE_E, f->ts, (uint64_t)f->pid);
	udig_enc_s64(&e, newfd);
	if (emit(f, d, &e, 0))
		return -1;
	udig_enc_begin(&e, buf, sizeof buf, UEV_SYSCALL_CLOSE_X, f->ts, (uint64_t)f->pid);
	udig_enc_s64(&e, 0);
	return emit(f, d, &e, 0);
}

char *run_capture(const char *cmd, int *status)
{
	FILE *p = popen(cmd, "r");
	size_t len = 0, cap = 65536;
	char *out = malloc(cap);
	if (!p || !out) {
		if (p)
			pclose(p);
		free(out);
		*status = -1;
		return NULL;
	}
	for (;;) {
		if (len + 4096 + 1 > cap) {
			char *n = realloc(out, cap * 2);
			if (!n)
				break;
			out = n;
			cap *= 2;
		}
		size_t r = fread(out + len, 1, 4096, p);
		if (r == 0)
			break;
		len += r;
	}
	out[len] = 0;
	*status = pclose(p);
	return out;
}

size_t count_lines(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += *s == '\n';
	return n;
}

int have_sysdig(void)
{
	return access("/usr/bin/sysdig", X_OK) == 0;
}
