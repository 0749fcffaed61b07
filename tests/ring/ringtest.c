/* Helpers shared by the ring tests (see ringtest.h). */
#include "ringtest.h"

#include <check.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <sys/file.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <udig/encode.h>
#include "../../udig/encode/ring_writer.h"

void rt_names_make(struct rt_names *n, const char *tag)
{
	snprintf(n->ring, sizeof n->ring, "udigtest-%s-%d-buf", tag, (int)getpid());
	snprintf(n->descs, sizeof n->descs, "udigtest-%s-%d-descs", tag, (int)getpid());
	snprintf(n->mask, sizeof n->mask, "%s.mask", n->descs);
	rt_names_unlink(n);
}

void rt_names_unlink(const struct rt_names *n)
{
	char ctl[sizeof n->descs + 8];
	snprintf(ctl, sizeof ctl, "%s.ctl", n->descs);
	shm_unlink(n->ring);
	shm_unlink(n->descs);
	shm_unlink(n->mask);
	shm_unlink(ctl);
}

/* The pid in "udigtest-<tag>-<pid>-buf" (or -descs, -descs.mask,
 * -descs.ctl), or 0.  Tags may hold dashes: the pid is the last number. */
static pid_t name_pid(const char *name)
{
	static const char prefix[] = "udigtest-";
	if (strncmp(name, prefix, sizeof prefix - 1) != 0)
		return 0;
	const char *end = strstr(name, "-descs");
	if (!end) {
		size_t n = strlen(name);
		if (n < 4 || strcmp(name + n - 4, "-buf") != 0)
			return 0;
		end = name + n - 4;
	}
	const char *p = end;
	while (p > name && isdigit((unsigned char)p[-1]))
		p--;
	if (p == end || p[-1] != '-')
		return 0;
	long v = strtol(p, NULL, 10);
	return v > 0 && v < INT_MAX ? (pid_t)v : 0;
}

void rt_sweep_dead(void)
{
	DIR *d = opendir("/dev/shm");
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		pid_t pid = name_pid(e->d_name);
		if (pid > 0 && kill(pid, 0) < 0 && errno == ESRCH)
			shm_unlink(e->d_name);
	}
	closedir(d);
}

struct udig_ring_writer rt_open_writer(const struct rt_names *n)
{
	struct udig_ring_writer w;
	char err[UDIG_ERRBUF_SIZE];
	ck_assert_msg(udig_rw_open(&w, n->ring, n->descs, err) == 0, "%s", err);
	return w;
}

static size_t data_len(uint32_t seq)
{
	return 24 + seq % 64;
}

static void fill_data(char *d, size_t len, uint32_t thread, uint32_t seq)
{
	memset(d, 'a' + (int)(seq % 26), len);
	char head[32];
	int n = snprintf(head, sizeof head, "T%u:S%u:", thread, seq);
	memcpy(d, head, (size_t)n);
}

size_t rt_record(uint8_t *buf, size_t cap, uint32_t thread, uint32_t seq, uint64_t tid)
{
	char data[128];
	size_t dl = data_len(seq);
	fill_data(data, dl, thread, seq);
	struct udig_enc e;
	udig_enc_begin(&e, buf, cap, UEV_SYSCALL_WRITE_X, 1000000000ull + seq, tid);
	udig_enc_s64(&e, seq);
	udig_enc_buf(&e, data, dl, 0);
	return udig_enc_end(&e);
}

int rt_record_check(const struct udig_evt *ev, uint32_t *thread, uint32_t *seq)
{
	if (ev->type != UEV_SYSCALL_WRITE_X || ev->nvals != 2)
		return -1;
	int64_t s = udig_evt_int(ev, 0, -1);
	/* The writer stamps every record under its lock (the ts we built it
	 * with is replaced): a time of this century, not in the future. */
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	if (s < 0 || s > UINT32_MAX || ev->ts < 1000000000ull * 1000000000ull ||
	    ev->ts > ((uint64_t)now.tv_sec + 1) * 1000000000ull)
		return -1;
	unsigned t, s2;
	char head[32];
	size_t n = ev->vlen[1] < sizeof head - 1 ? ev->vlen[1] : sizeof head - 1;
	memcpy(head, ev->val[1], n);
	head[n] = 0;
	if (sscanf(head, "T%u:S%u:", &t, &s2) != 2 || s2 != (uint32_t)s)
		return -1;
	char want[128];
	size_t dl = data_len((uint32_t)s);
	fill_data(want, dl, t, (uint32_t)s);
	if (ev->vlen[1] != dl || memcmp(want, ev->val[1], dl) != 0)
		return -1;
	*thread = t;
	*seq = (uint32_t)s;
	return 0;
}

udig_capture *rt_consumer(const struct rt_names *n, int lossless, const uint8_t *mask)
{
	struct udig_live_opts o;
	char err[UDIG_ERRBUF_SIZE];
	memset(&o, 0, sizeof o);
	o.ring_name = n->ring;
	o.descs_name = n->descs;
	o.lossless = lossless;
	o.event_mask = mask;
	o.no_proc_scan = 1;
	udig_capture *c = udig_open_live(&o, err);
	ck_assert_msg(c != NULL, "udig_open_live: %s", err);
	return c;
}

int rt_shm_mode(const char *name)
{
	char p[160];
	struct stat st;
	snprintf(p, sizeof p, "/dev/shm/%s", name);
	if (stat(p, &st) < 0)
		return -1;
	return (int)(st.st_mode & 07777);
}

void rt_sleep_us(long us)
{
	struct timespec ts = { us / 1000000, (us % 1000000) * 1000 };
	nanosleep(&ts, NULL);
}

int rt_default_names_lock(void)
{
	int fd = open(RT_DEFAULT_LOCK, O_RDONLY | O_CREAT | O_CLOEXEC, 0666);
	if (fd < 0)
		fd = open(RT_DEFAULT_LOCK, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	fchmod(fd, 0666); /* lockable by every user that runs the tests */
	if (flock(fd, LOCK_EX) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

int rt_shm_exists(const char *name)
{
	return rt_shm_mode(name) >= 0;
}

int rt_default_names_usable(void)
{
	const char *names[] = { "udig_buf", "udig_descs" };
	for (int i = 0; i < 2; i++) {
		char p[64];
		snprintf(p, sizeof p, "/dev/shm/%s", names[i]);
		if (access(p, F_OK) == 0 && access(p, R_OK | W_OK) != 0) {
			fprintf(stderr, "%s exists and is not ours to use (another user's ring): skipped\n", p);
			return -1;
		}
	}
	return 0;
}
