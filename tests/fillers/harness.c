#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include "harness.h"

static long t_read_mem(void *ctx, void *dst, uint64_t addr, size_t len)
{
	struct iovec l = { dst, len }, r = { (void *)(uintptr_t)addr, len };
	ssize_t n;

	(void)ctx;
	n = process_vm_readv(getpid(), &l, 1, &r, 1, 0);
	return n < 0 ? -1 : (long)n;
}

static int t_sock_name(void *ctx, int fd, int peer, struct sockaddr_storage *ss, uint32_t *len)
{
	socklen_t l = *len;
	int r;

	(void)ctx;
	r = peer ? getpeername(fd, (struct sockaddr *)ss, &l) : getsockname(fd, (struct sockaddr *)ss, &l);
	if (r != 0)
		return -errno;
	*len = l;
	return 0;
}

static int t_fd_stat(void *ctx, int fd, uint64_t *dev, uint64_t *ino)
{
	struct stat st;

	(void)ctx;
	if (fstat(fd, &st) != 0)
		return -errno;
	*dev = st.st_dev;
	*ino = st.st_ino;
	return 0;
}

const struct udig_tracee_ops test_ops = { t_read_mem, t_sock_name, t_fd_stat, "/proc/self" };

struct udig_evt E, X;
uint8_t ebuf[1 << 18], xbuf[1 << 18];
size_t elen, xlen;
uint32_t test_snaplen;

static void ctx_init(struct udig_syscall_ctx *sc, long nr, const uint64_t a[6], int64_t ret)
{
	memset(sc, 0, sizeof *sc);
	sc->ts = 1000;
	sc->tid = syscall(SYS_gettid);
	sc->pid = getpid();
	sc->nr = nr;
	memcpy(sc->args, a, sizeof sc->args);
	sc->ret = ret;
	sc->snaplen = test_snaplen;
	sc->ops = &test_ops;
}

static void check_rec(const uint8_t *buf, size_t len, struct udig_evt *ev, uint16_t type, const char *what, long nr)
{
	char err[256] = "";
	const struct udig_event_info *info = udig_event_info(type);

	ck_assert_msg(len > 0, "%s record of nr %ld not built", what, nr);
	ck_assert_msg(udig_evt_parse(buf, len, ev, err) == UDIG_OK, "%s of nr %ld: %s", what, nr, err);
	ck_assert_uint_eq(ev->type, type);
	ck_assert_ptr_nonnull(info);
	ck_assert_msg(ev->nparams == info->nparams, "%s of nr %ld (%s): %u params, table %u", what, nr, info->name,
		      ev->nparams, info->nparams);
	ck_assert_uint_eq(ev->len, len);
}

void build(long nr, const uint64_t a[6], int64_t ret)
{
	struct udig_syscall_ctx sc;

	ctx_init(&sc, nr, a, ret);
	elen = udig_fill_enter(&sc, ebuf, sizeof ebuf);
	check_rec(ebuf, elen, &E, udig_fill_enter_type(nr), "enter", nr);
	xlen = udig_fill_exit(&sc, xbuf, sizeof xbuf);
	check_rec(xbuf, xlen, &X, udig_fill_exit_type(nr), "exit", nr);
}

int64_t call(long nr, const uint64_t a[6])
{
	struct udig_syscall_ctx sc;
	long r;

	ctx_init(&sc, nr, a, 0);
	elen = udig_fill_enter(&sc, ebuf, sizeof ebuf);
	check_rec(ebuf, elen, &E, udig_fill_enter_type(nr), "enter", nr);
	r = syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	sc.ret = r < 0 ? -errno : r;
	xlen = udig_fill_exit(&sc, xbuf, sizeof xbuf);
	check_rec(xbuf, xlen, &X, udig_fill_exit_type(nr), "exit", nr);
	return sc.ret;
}

int64_t pi(const struct udig_evt *ev, unsigned i)
{
	ck_assert_msg(i < ev->nvals, "param %u of %u", i, ev->nvals);
	return udig_evt_int(ev, i, INT64_MIN);
}

const char *ps(const struct udig_evt *ev, unsigned i)
{
	const char *s;

	ck_assert_msg(i < ev->nvals, "param %u of %u", i, ev->nvals);
	s = udig_evt_str(ev, i);
	ck_assert_msg(s != NULL, "param %u is not a string", i);
	return s;
}

int pbytes(const struct udig_evt *ev, unsigned i, const void *p, size_t n)
{
	return i < ev->nvals && ev->vlen[i] == n && (n == 0 || memcmp(ev->val[i], p, n) == 0);
}

unsigned pdyn_idx(const struct udig_evt *ev, unsigned i)
{
	ck_assert_uint_ge(ev->vlen[i], 1);
	return ev->val[i][0];
}

uint64_t pdyn_u64(const struct udig_evt *ev, unsigned i)
{
	uint64_t v = 0;

	ck_assert_uint_ge(ev->vlen[i], 2);
	memcpy(&v, ev->val[i] + 1, ev->vlen[i] - 1 > 8 ? 8 : ev->vlen[i] - 1);
	return v;
}

uint32_t expect_dev(int fd)
{
	struct stat st;
	unsigned ma, mi;

	ck_assert_int_eq(fstat(fd, &st), 0);
	ma = major(st.st_dev);
	mi = minor(st.st_dev);
	return (mi & 0xff) | (ma << 8) | ((mi & ~0xffu) << 12);
}

const char *tmpdir(void)
{
	static char dir[64];

	if (!dir[0]) {
		strcpy(dir, "/tmp/udig-fill-XXXXXX");
		ck_assert_ptr_nonnull(mkdtemp(dir));
	}
	return dir;
}

void tmpdir_remove(void)
{
	char cmd[96];

	if (!strncmp(tmpdir(), "/tmp/udig-fill-", 15)) {
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir());
		ck_assert_int_eq(system(cmd), 0);
	}
}
