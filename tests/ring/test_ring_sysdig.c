/*
 * The real consumer: `sysdig -u` attached to the reference's default ring
 * prints the events our writer wrote — process name, fd names resolved
 * from the enter events, return values, errno names and socket tuples.
 *
 * Serialized with the other users of the default names (RT_DEFAULT_LOCK);
 * the objects are removed afterwards only if this test brought them into
 * existence; sysdig is stopped by its own pid with SIGTERM.
 * Exit 77 (skip) when sysdig is not installed.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <udig/encode.h>
#include "ringtest.h"
#include "udig/encode/ring_writer.h"

static const char *sysdig_path(void)
{
	static const char *cands[] = { "/usr/bin/sysdig", "/usr/local/bin/sysdig" };
	for (size_t i = 0; i < sizeof cands / sizeof *cands; i++)
		if (access(cands[i], X_OK) == 0)
			return cands[i];
	return NULL;
}

static int failures;
#define EXPECT(cond, ...)                                   \
	do {                                                \
		if (!(cond)) {                              \
			fprintf(stderr, "FAIL: " __VA_ARGS__); \
			fputc('\n', stderr);                \
			failures++;                         \
		}                                           \
	} while (0)

static struct udig_ring_writer w;
static uint64_t tid;

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void emit(struct udig_enc *e)
{
	size_t len = udig_enc_end(e);
	EXPECT(len > 0, "encoding failed: %s", udig_enc_strerror(e->status));
	enum udig_rw_result r = udig_rw_write(&w, e->buf, (uint32_t)len);
	EXPECT(r == UDIG_RW_WRITTEN, "write result %d", r);
}

static void begin(struct udig_enc *e, uint8_t *buf, size_t cap, uint16_t type)
{
	udig_enc_begin(e, buf, cap, type, now_ns(), tid);
}

/* Performs the calls for real and describes each as the driver would. */
static void produce(char *hostname_start, size_t size)
{
	uint8_t b[1024];
	struct udig_enc e;
	const char *path = "/etc/hostname";

	begin(&e, b, sizeof b, UEV_SYSCALL_OPEN_E);
	udig_enc_str(&e, path, 0);
	udig_enc_u32(&e, UDIG_O_RDONLY);
	udig_enc_u32(&e, 0);
	emit(&e);
	int fd = open(path, O_RDONLY);
	begin(&e, b, sizeof b, UEV_SYSCALL_OPEN_X);
	udig_enc_s64(&e, fd < 0 ? -errno : fd);
	udig_enc_str(&e, path, 0);
	udig_enc_u32(&e, UDIG_O_RDONLY);
	udig_enc_u32(&e, 0);
	udig_enc_u32(&e, 0);
	emit(&e);

	char data[256];
	begin(&e, b, sizeof b, UEV_SYSCALL_READ_E);
	udig_enc_s64(&e, fd);
	udig_enc_u32(&e, sizeof data);
	emit(&e);
	ssize_t n = read(fd, data, sizeof data);
	begin(&e, b, sizeof b, UEV_SYSCALL_READ_X);
	udig_enc_s64(&e, n);
	udig_enc_buf(&e, data, n > 0 ? (size_t)n : 0, udig_rw_snaplen(&w));
	emit(&e);
	/* sysdig shows non-printable bytes as '.' */
	size_t k = 0;
	for (; n > 0 && k < (size_t)n && k < 3 && k + 1 < size; k++)
		hostname_start[k] = isprint((unsigned char)data[k]) ? data[k] : '.';
	hostname_start[k] = 0;

	begin(&e, b, sizeof b, UEV_SYSCALL_CLOSE_E);
	udig_enc_s64(&e, fd);
	emit(&e);
	int r = close(fd);
	begin(&e, b, sizeof b, UEV_SYSCALL_CLOSE_X);
	udig_enc_s64(&e, r);
	emit(&e);

	begin(&e, b, sizeof b, UEV_SOCKET_SOCKET_E);
	udig_enc_u32(&e, UDIG_AF_INET);
	udig_enc_u32(&e, SOCK_STREAM);
	udig_enc_u32(&e, 0);
	emit(&e);
	int s = socket(AF_INET, SOCK_STREAM, 0);
	begin(&e, b, sizeof b, UEV_SOCKET_SOCKET_X);
	udig_enc_s64(&e, s);
	emit(&e);

	uint8_t addr[7] = { UDIG_AF_INET, 127, 0, 0, 1, 9, 0 }; /* port 9, host order */
	begin(&e, b, sizeof b, UEV_SOCKET_CONNECT_E);
	udig_enc_s64(&e, s);
	udig_enc_raw(&e, addr, sizeof addr);
	emit(&e);
	uint8_t tuple[13] = { UDIG_AF_INET, 127, 0, 0, 1, 0x40, 0x9c, 127, 0, 0, 1, 9, 0 }; /* :40000 -> :9 */
	begin(&e, b, sizeof b, UEV_SOCKET_CONNECT_X);
	udig_enc_s64(&e, -ECONNREFUSED);
	udig_enc_raw(&e, tuple, sizeof tuple);
	emit(&e);
	close(s);
}

static int contains(const char *hay, const char *needle)
{
	return strstr(hay, needle) != NULL;
}

int main(void)
{
	const char *sd = sysdig_path();
	if (!sd) {
		fprintf(stderr, "sysdig not installed: skipped\n");
		return 77;
	}
	if (rt_default_names_usable() < 0)
		return 77;
	/* libscap makes the objects 0666: using them is the documented opt-in. */
	setenv("UDIG_SHARED_RING", "1", 1);
	int lk = rt_default_names_lock();
	if (lk < 0) {
		perror(RT_DEFAULT_LOCK);
		return 1;
	}
	int existed = rt_shm_exists(UDIG_RING_NAME_DEFAULT) || rt_shm_exists(UDIG_DESCS_NAME_DEFAULT);
	char out[] = "/tmp/udig-sysdig-out-XXXXXX", errf[] = "/tmp/udig-sysdig-err-XXXXXX";
	int ofd = mkstemp(out), efd = mkstemp(errf);
	if (ofd < 0 || efd < 0) {
		perror("mkstemp");
		return 1;
	}
	/* Events are written by this (main) thread; other producers may share
	 * the default ring, so sysdig shows only ours. */
	tid = (uint64_t)syscall(SYS_gettid);
	char filter[64];
	snprintf(filter, sizeof filter, "thread.tid=%llu", (unsigned long long)tid);
	pid_t sp = fork();
	if (sp == 0) {
		dup2(ofd, 1);
		dup2(efd, 2);
		/* -u alone: `--udig X` would swallow the next word. */
		execl(sd, "sysdig", "-u", filter, (char *)NULL);
		_exit(127);
	}
	char err[UDIG_ERRBUF_SIZE];
	int ready = 0;
	/* sysdig scans /proc before it takes the ring; wait for its pid there. */
	for (int i = 0; i < 600 && !ready; i++) {
		rt_sleep_us(50000);
		if (waitpid(sp, NULL, WNOHANG) == sp) {
			sp = 0;
			break;
		}
		if (!w.descs && (rt_shm_exists(UDIG_DESCS_NAME_DEFAULT) && rt_shm_exists(UDIG_RING_NAME_DEFAULT)))
			if (udig_rw_open(&w, UDIG_RING_NAME_DEFAULT, UDIG_DESCS_NAME_DEFAULT, err) < 0)
				fprintf(stderr, "waiting: %s\n", err);
		ready = w.descs && w.descs->status.capturing_pid == sp;
	}
	char host[8] = "";
	if (ready)
		w.lossless_forced = 1; /* never lose ours to someone else's burst */
	if (!ready) {
		fprintf(stderr, "FAIL: sysdig -u never became the ring's consumer\n");
		failures++;
	} else {
		produce(host, sizeof host);
		/* sysdig frees space when it has consumed a batch. */
		for (int i = 0; i < 400 && w.descs->info.tail != w.descs->info.head; i++)
			rt_sleep_us(25000);
		EXPECT(w.descs->info.tail == w.descs->info.head, "sysdig did not consume the events");
		rt_sleep_us(200000); /* let it print the last batch */
	}
	if (sp > 0) {
		kill(sp, SIGTERM);
		int st;
		waitpid(sp, &st, 0);
	}
	if (w.descs)
		udig_rw_close(&w);

	static char text[65536], etext[8192];
	ssize_t n = pread(ofd, text, sizeof text - 1, 0);
	text[n > 0 ? n : 0] = 0;
	n = pread(efd, etext, sizeof etext - 1, 0);
	etext[n > 0 ? n : 0] = 0;
	if (ready) {
		char want[256];
		const char *lines[] = {
			"> open name=/etc/hostname flags=1(O_RDONLY) mode=0",
			"(<f>/etc/hostname) name=/etc/hostname flags=1(O_RDONLY) mode=0 dev=0",
			"(<f>/etc/hostname) size=256",
			"> close fd=",
			"< close res=0",
			"> socket domain=2(AF_INET) type=1 proto=0",
			"(<4>)",
			"addr=127.0.0.1:9",
			"< connect res=-111(ECONNREFUSED) tuple=127.0.0.1:40000->127.0.0.1:9",
		};
		for (size_t i = 0; i < sizeof lines / sizeof *lines; i++)
			EXPECT(contains(text, lines[i]), "sysdig output lacks \"%s\"", lines[i]);
		snprintf(want, sizeof want, "< read res=");
		EXPECT(contains(text, want), "no read exit");
		snprintf(want, sizeof want, "data=%s", host);
		EXPECT(contains(text, want), "read data \"%s\" not shown", host);
		snprintf(want, sizeof want, "(%llu) > open", (unsigned long long)tid);
		EXPECT(contains(text, want), "events not attributed to tid %llu", (unsigned long long)tid);
	}
	if (failures)
		fprintf(stderr, "--- sysdig stdout:\n%s\n--- sysdig stderr:\n%s\n", text, etext);
	else
		printf("%s", text);
	unlink(out);
	unlink(errf);
	if (!existed) {
		shm_unlink(UDIG_RING_NAME_DEFAULT);
		shm_unlink(UDIG_DESCS_NAME_DEFAULT);
	}
	close(lk);
	return failures ? 1 : 0;
}
