/*
 * libFuzzer target for the .scap reader: the input is a capture file, fed
 * through a memfd to udig_open_fd; every event is read and the state
 * tables are queried, so the parsers and the state they build are covered.
 * Built with --enable-fuzzers; replay.c runs the same function over files
 * in the normal build (`replay scap FILE...`).
 */
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <udig/capture.h>
#include "fuzz.h"

static int on_fd(const struct udig_fdinfo *f, void *arg)
{
	*(size_t *)arg += strlen(f->name);
	return 0;
}

static int on_thread(const struct udig_threadinfo *t, void *arg)
{
	struct { const udig_capture *c; size_t n; } *st = arg;
	st->n += strlen(t->comm) + t->args.len;
	udig_foreach_fd(st->c, t->tid, on_fd, &st->n);
	return 0;
}

static int on_user(const struct udig_user *u, void *arg)
{
	*(size_t *)arg += strlen(u->name) + strlen(u->homedir) + strlen(u->shell);
	return 0;
}

static int on_if4(const struct udig_iface4 *i, void *arg)
{
	*(size_t *)arg += strlen(i->name);
	return 0;
}

static void walk_tables(const udig_capture *c)
{
	struct { const udig_capture *c; size_t n; } st = { c, 0 };
	udig_foreach_thread(c, on_thread, &st);
	udig_foreach_user(c, on_user, &st.n);
	udig_foreach_iface4(c, on_if4, &st.n);
	const struct udig_machine_info *mi = udig_get_machine_info(c);
	if (mi)
		st.n += strlen(mi->hostname);
}

FUZZ_TARGET(scap)
{
	char err[UDIG_ERRBUF_SIZE];
	int fd = memfd_create("fuzz", MFD_CLOEXEC);
	if (fd < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size || lseek(fd, 0, SEEK_SET) != 0) {
		close(fd);
		return 0;
	}
	udig_capture *c = udig_open_fd(fd, err);
	if (!c)
		return 0;
	walk_tables(c);
	struct udig_evt ev;
	while (udig_next(c, &ev) == UDIG_OK) {
		for (unsigned i = 0; i < ev.nvals; i++) {
			udig_evt_int(&ev, i, 0);
			udig_evt_str(&ev, i);
		}
		udig_get_thread(c, (int64_t)ev.tid);
	}
	walk_tables(c);
	udig_close(c);
	return 0;
}
