/*
 * The .scap reader on valid files: every block type and version, the state
 * it loads, the events it hands out, gzip and multi-section files, and the
 * clean errors the reference also gives.
 */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include <udig/capture.h>
#include "sgx.h"
#include "util.h"

static const uint16_t sample_types[SGX_NEVENTS] = { 2, 3, 6, 7, 6, 7, 8, 9, 8, 9, 4, 5 };
static const uint32_t sample_nparams[SGX_NEVENTS] = { 3, 5, 2, 2, 2, 2, 2, 2, 2, 2, 1, 1 };

static const char *sample_file(const char *name, const struct sgx_opts *o, int gz)
{
	struct scapgen g;
	const char *p = rd_tmp(name);
	sg_init(&g, p, gz);
	sgx_sample(&g, o);
	ck_assert_int_eq(sg_close(&g, 0), 0);
	return p;
}

static void check_sample_events(const struct rd_result *r, size_t first, uint64_t num0, uint16_t cpu0, uint32_t flags)
{
	for (size_t i = 0; i < SGX_NEVENTS; i++) {
		const struct rd_ev *e = &r->ev[first + i];
		ck_assert_uint_eq(e->num, num0 + i);
		ck_assert_uint_eq(e->type, sample_types[i]);
		ck_assert_uint_eq(e->tid, SGX_TID);
		ck_assert_uint_eq(e->cpu, cpu0 + i % 2);
		ck_assert_uint_eq(e->nparams, sample_nparams[i]);
		ck_assert_uint_eq(e->dump_flags, flags);
	}
}

static int thread_cb(const struct udig_threadinfo *x, void *arg) { (void)x; ++*(int *)arg; return 0; }
static int fd_cb(const struct udig_fdinfo *x, void *arg) { (void)x; ++*(int *)arg; return 0; }
static int user_cb(const struct udig_user *x, void *arg) { (void)x; ++*(int *)arg; return 0; }
static int group_cb(const struct udig_group *x, void *arg) { (void)x; ++*(int *)arg; return 0; }
static int if4_cb(const struct udig_iface4 *x, void *arg) { (void)x; ++*(int *)arg; return 0; }
static int if6_cb(const struct udig_iface6 *x, void *arg) { (void)x; ++*(int *)arg; return 0; }

START_TEST(t_sample_state_and_events)
{
	struct sgx_opts o = { 0 };
	const char *p = sample_file("sample.scap", &o, 0);
	char err[UDIG_ERRBUF_SIZE];
	udig_capture *c = udig_open_file(p, err);
	ck_assert_msg(c != NULL, "%s", err);

	const struct udig_machine_info *mi = udig_get_machine_info(c);
	ck_assert_ptr_nonnull(mi);
	ck_assert_uint_eq(mi->num_cpus, 2);
	ck_assert_uint_eq(mi->memory_size_bytes, 8ull << 30);
	ck_assert_str_eq(mi->hostname, "probe-host");

	const struct udig_threadinfo *t = udig_get_thread(c, SGX_TID);
	ck_assert_ptr_nonnull(t);
	ck_assert_str_eq(t->comm, "probecat");
	ck_assert_str_eq(t->exepath, "/usr/local/bin/probecat");
	ck_assert_str_eq(t->cwd, "/home/alice/");
	ck_assert_str_eq(t->root, "/");
	ck_assert_int_eq(t->pid, SGX_TID);
	ck_assert_int_eq(t->ptid, 1);
	ck_assert_int_eq(t->sid, 100);
	ck_assert_int_eq(t->vpgid, 4242);
	ck_assert_uint_eq(t->args.len, sizeof "--flag\0/etc/hostname");
	ck_assert_mem_eq(t->args.data, "--flag\0/etc/hostname", t->args.len);
	ck_assert_str_eq(t->env.data, "HOME=/home/alice");
	ck_assert_str_eq(t->cgroups.data, "cpu=/user.slice");
	ck_assert_int_eq(t->fdlimit, 4096);
	ck_assert_uint_eq(t->uid, 1000);
	ck_assert_uint_eq(t->vmsize_kb, 1000);
	ck_assert_uint_eq(t->pfminor, 8);
	ck_assert_int_eq(t->vtid, 42);
	ck_assert_int_eq(t->loginuid, 1000);
	ck_assert_uint_eq(t->exe_writable, 1);
	ck_assert_uint_eq(t->nfds, 4);
	ck_assert_ptr_nonnull(udig_get_thread(c, 1));
	ck_assert_ptr_null(udig_get_thread(c, 99));

	const struct udig_fdinfo *f = udig_get_fd(c, SGX_TID, 0);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->type, UDIG_FD_FILE_V2);
	ck_assert_str_eq(f->name, "/dev/pts/0");
	ck_assert_uint_eq(f->open_flags, 3);
	ck_assert_uint_eq(f->dev, 0x88);
	ck_assert_uint_eq(f->ino, 10);
	f = udig_get_fd(c, SGX_TID, 5);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->type, UDIG_FD_IPV4_SOCK);
	ck_assert_str_eq(f->name, "10.1.2.3:40000->93.184.216.34:443");
	ck_assert_uint_eq(f->sock.v4.sport, 40000);
	ck_assert_uint_eq(f->sock.v4.dport, 443);
	ck_assert_uint_eq(f->sock.v4.sip[0], 10);
	ck_assert_uint_eq(f->sock.v4.dip[3], 34);
	ck_assert_uint_eq(f->sock.v4.l4proto, UDIG_L4_TCP);
	ck_assert_ptr_null(udig_get_fd(c, SGX_TID, 3));

	const struct udig_user *u = udig_get_user(c, 1000);
	ck_assert_ptr_nonnull(u);
	ck_assert_str_eq(u->name, "alice");
	ck_assert_str_eq(u->homedir, "/home/alice");
	ck_assert_str_eq(u->shell, "/bin/sh");
	ck_assert_str_eq(udig_get_group(c, 0)->name, "root");

	int n = 0;
	ck_assert_uint_eq(udig_foreach_thread(c, thread_cb, &n), 2);
	ck_assert_int_eq(n, 2);
	ck_assert_uint_eq(udig_foreach_fd(c, SGX_TID, fd_cb, &n), 4);
	ck_assert_uint_eq(udig_foreach_fd(c, 1, fd_cb, &n), 0);
	ck_assert_uint_eq(udig_foreach_user(c, user_cb, &n), 2);
	ck_assert_uint_eq(udig_foreach_group(c, group_cb, &n), 2);
	ck_assert_uint_eq(udig_foreach_iface4(c, if4_cb, &n), 2);
	ck_assert_uint_eq(udig_foreach_iface6(c, if6_cb, &n), 1);
	ck_assert_int_eq(udig_is_live(c), 0);
	ck_assert_int_eq(udig_start(c), UDIG_NOT_SUPPORTED);

	struct udig_evt ev;
	ck_assert_int_eq(udig_next(c, &ev), UDIG_OK);
	ck_assert_uint_eq(ev.num, 1);
	ck_assert_uint_eq(ev.ts, SGX_TS0);
	ck_assert_uint_eq(ev.type, 2);
	ck_assert_str_eq(udig_evt_str(&ev, 0), "/etc/hostname");
	ck_assert_uint_eq(udig_evt_uint(&ev, 1, 0), 1);
	ck_assert_int_eq(udig_next(c, &ev), UDIG_OK);
	ck_assert_int_eq(udig_evt_int(&ev, 0, -1), 3);
	ck_assert_uint_eq(udig_evt_uint(&ev, 4, 0), 0x800001);
	ck_assert_int_eq(udig_next(c, &ev), UDIG_OK);
	ck_assert_int_eq(udig_next(c, &ev), UDIG_OK);
	ck_assert_int_eq(udig_evt_int(&ev, 0, -1), 11);
	ck_assert_uint_eq(ev.vlen[1], 11);
	ck_assert_mem_eq(ev.val[1], "probe-host\n", 11);
	for (int i = 4; i < 12; i++)
		ck_assert_int_eq(udig_next(c, &ev), UDIG_OK);
	ck_assert_uint_eq(ev.num, 12);
	ck_assert_int_eq(udig_next(c, &ev), UDIG_EOF);
	ck_assert_int_eq(udig_next(c, &ev), UDIG_EOF);
	struct udig_stats st;
	udig_get_stats(c, &st);
	ck_assert_uint_eq(st.events, 12);
	udig_close(c);
}
END_TEST

/* PL v1..v9 and their aliases: the fields of each version and the defaults of the rest. */
START_TEST(t_pl_versions)
{
	static const struct { uint32_t id; unsigned v; int tail; } cases[] = {
		{ 0x202, 1, 0 }, { 0x8000ABCD, 1, 0 }, { 0x207, 2, 0 }, { 0x8013ABCD, 2, 0 }, { 0x209, 3, 0 },
		{ 0x8014ABCD, 3, 0 }, { 0x210, 4, 0 }, { 0x211, 5, 0 }, { 0x212, 6, 0 }, { 0x213, 7, 0 },
		{ 0x214, 8, 0 }, { 0x215, 9, 0 }, { 0x215, 9, 1 },
	};
	static const char env[] = "A=1", cg[] = "cpu=/x";
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		unsigned v = cases[k].v;
		struct sg_thread th = { .tid = 77, .pid = 76, .ptid = 1, .sid = 5, .vpgid = 6, .comm = "c", .exe = "e",
					.exepath = "/p/e", .cwd = "/w", .root = "/r", .env = env, .env_len = sizeof env,
					.cgroups = cg, .cgroups_len = sizeof cg, .fdlimit = 9, .uid = 3, .gid = 4,
					.vtid = 11, .vpid = 12, .loginuid = 13 };
		struct scapgen g;
		const char *p = rd_tmp("pl.scap");
		sg_init(&g, p, 0);
		sg_shb(&g, 1, 0);
		sgx_pl(&g, cases[k].id, v, &th, 1, cases[k].tail);
		struct sgx_opts o = { .no_meta = 1 };
		sgx_sample_events(&g, &o);
		ck_assert_int_eq(sg_close(&g, 0), 0);
		char err[UDIG_ERRBUF_SIZE];
		udig_capture *c = udig_open_file(p, err);
		ck_assert_msg(c != NULL, "v%u: %s", v, err);
		const struct udig_threadinfo *t = udig_get_thread(c, 77);
		ck_assert_ptr_nonnull(t);
		ck_assert_int_eq(t->pid, 76);
		ck_assert_int_eq(t->ptid, 1);
		ck_assert_str_eq(t->comm, "c");
		ck_assert_str_eq(t->exe, "e");
		ck_assert_str_eq(t->cwd, "/w");
		ck_assert_int_eq(t->fdlimit, 9);
		ck_assert_uint_eq(t->gid, 4);
		ck_assert_uint_eq(t->vmsize_kb, v >= 2 ? 1000 : 0);
		ck_assert_uint_eq(t->pfmajor, v >= 2 ? 7 : 0);
		ck_assert_uint_eq(t->env.len, v >= 3 ? sizeof env : 0);
		ck_assert_int_eq(t->vtid, v >= 4 ? 11 : -1);
		ck_assert_int_eq(t->vpid, v >= 4 ? 12 : -1);
		ck_assert_uint_eq(t->cgroups.len, v >= 4 ? sizeof cg : 0);
		ck_assert_str_eq(t->root, v >= 5 ? "/r" : "");
		ck_assert_int_eq(t->sid, v >= 6 ? 5 : -1);
		ck_assert_str_eq(t->exepath, v >= 7 ? "/p/e" : "");
		ck_assert_int_eq(t->vpgid, v >= 8 ? 6 : -1);
		ck_assert_int_eq(t->loginuid, cases[k].tail ? 13 : -1);
		ck_assert_uint_eq(t->exe_writable, cases[k].tail ? 1 : 0);
		struct udig_evt ev;
		ck_assert_int_eq(udig_next(c, &ev), UDIG_OK);
		udig_close(c);
	}
}
END_TEST

/* Every fd type in FDL v1 and v2. */
START_TEST(t_fdl_types)
{
	static const uint32_t ids[] = { 0x203, 0x8001ABCD, 0x218 };
	struct sgx_fd fds[] = {
		{ .fd = 1, .type = 1, .name = "/old/file" },
		{ .fd = 2, .type = 2, .name = "/dir" },
		{ .fd = 3, .type = 3, .sip = { 1, 2, 3, 4 }, .dip = { 5, 6, 7, 8 }, .sport = 1000, .dport = 80, .l4 = 2 },
		{ .fd = 4, .type = 4, .sip = { 0x20, 1, [15] = 1 }, .dip = { 0x20, 1, [15] = 2 }, .sport = 5, .dport = 6, .l4 = 3 },
		{ .fd = 5, .type = 5, .sip = { 0, 0, 0, 0 }, .sport = 8080, .l4 = 2 },
		{ .fd = 6, .type = 6, .sip = { [15] = 1 }, .sport = 53, .l4 = 3 },
		{ .fd = 7, .type = 7, .name = "pipe:[1]" },
		{ .fd = 8, .type = 8, .src_ep = 0xffff1, .dst_ep = 0xffff2, .name = "/run/sock" },
		{ .fd = 9, .type = 9, .name = "eventfd" },
		{ .fd = 10, .type = 10, .name = "weird" },
		{ .fd = 11, .type = 11, .name = "signalfd" },
		{ .fd = 12, .type = 12, .name = "eventpoll" },
		{ .fd = 13, .type = 13, .name = "inotify" },
		{ .fd = 14, .type = 14, .name = "timerfd" },
		{ .fd = 15, .type = 15, .name = "netlink" },
		{ .fd = 16, .type = 16, .flags = 4, .name = "/new/file", .dev = 0x801 },
		{ .fd = 17, .type = 0 },
	};
	size_t nfd = sizeof fds / sizeof fds[0];
	for (size_t k = 0; k < 3; k++) {
		struct sg_thread th = { .tid = 50, .pid = 50, .comm = "x", .loginuid = -1 };
		struct scapgen g;
		const char *p = rd_tmp("fdl.scap");
		sg_init(&g, p, 0);
		sg_shb(&g, 1, 2);
		sgx_pl(&g, 0x215, 9, &th, 1, 1);
		sgx_fdl(&g, ids[k], 50, fds, nfd);
		struct sgx_opts o = { .no_meta = 1 };
		sgx_sample_events(&g, &o);
		ck_assert_int_eq(sg_close(&g, 0), 0);
		char err[UDIG_ERRBUF_SIZE];
		udig_capture *c = udig_open_file(p, err);
		ck_assert_msg(c != NULL, "%s", err);
		for (size_t i = 0; i + 1 < nfd; i++) {
			const struct udig_fdinfo *f = udig_get_fd(c, 50, fds[i].fd);
			ck_assert_ptr_nonnull(f);
			ck_assert_int_eq(f->type, fds[i].type);
			if (fds[i].name)
				ck_assert_str_eq(f->name, fds[i].name);
		}
		ck_assert_ptr_null(udig_get_fd(c, 50, 17)); /* type 0 is not kept */
		ck_assert_str_eq(udig_get_fd(c, 50, 3)->name, "1.2.3.4:1000->5.6.7.8:80");
		ck_assert_str_eq(udig_get_fd(c, 50, 4)->name, "2001::1:5->2001::2:6");
		ck_assert_uint_eq(udig_get_fd(c, 50, 4)->sock.v6.l4proto, 3);
		ck_assert_str_eq(udig_get_fd(c, 50, 5)->name, "0.0.0.0:8080");
		ck_assert_uint_eq(udig_get_fd(c, 50, 5)->sock.v4serv.port, 8080);
		ck_assert_str_eq(udig_get_fd(c, 50, 6)->name, "::1:53");
		ck_assert_uint_eq(udig_get_fd(c, 50, 8)->sock.unix_sock.dest, 0xffff2);
		ck_assert_uint_eq(udig_get_fd(c, 50, 16)->open_flags, 4);
		/* dev exists only in v2 entries, whose length covers it. */
		ck_assert_uint_eq(udig_get_fd(c, 50, 16)->dev, ids[k] == 0x218 ? 0x801 : 0);
		udig_close(c);
	}
}
END_TEST

static int if_names(const struct udig_iface4 *i, void *arg)
{
	strcat(arg, i->name);
	strcat(arg, ",");
	return 0;
}

/* IL v1 (all four entry types) and v2; UL v1 and v2; a later list replaces the earlier one. */
START_TEST(t_il_ul_versions)
{
	struct sgx_if ifs[] = {
		{ .type = 1, .name = "a", .addr = { 1, 1, 1, 1 }, .speed = 10 },
		{ .type = 3, .name = "b", .addr = { 2, 2, 2, 2 } },
		{ .type = 2, .name = "c", .addr = { [15] = 3 }, .speed = 20 },
		{ .type = 4, .name = "d", .addr = { [15] = 4 } },
	};
	struct sgx_user u1[] = { { 5, 6, "bob", "/h", "/s" } };
	struct sgx_user u2[] = { { 7, 8, "carol", "/hc", "/sc" } };
	struct sgx_group g1[] = { { 6, "bobs" } };
	for (int v2 = 0; v2 < 2; v2++) {
		struct scapgen g;
		const char *p = rd_tmp("il.scap");
		sg_init(&g, p, 0);
		sg_shb(&g, 1, 2);
		sgx_il(&g, v2 ? 0x219 : 0x8011ABCD, ifs, 4);
		sgx_ul(&g, v2 ? 0x220 : 0x8012ABCD, u1, 1, g1, 1);
		if (v2) {
			sgx_il(&g, 0x219, ifs + 1, 1);
			sgx_ul(&g, 0x220, u2, 1, NULL, 0);
		}
		struct sgx_opts o = { .no_meta = 1 };
		sgx_sample_events(&g, &o);
		ck_assert_int_eq(sg_close(&g, 0), 0);
		char err[UDIG_ERRBUF_SIZE], names[64] = "";
		udig_capture *c = udig_open_file(p, err);
		ck_assert_msg(c != NULL, "%s", err);
		udig_foreach_iface4(c, if_names, names);
		if (!v2) {
			ck_assert_str_eq(names, "a,b,");
			ck_assert_uint_eq(udig_foreach_iface6(c, if6_cb, &(int){ 0 }), 2);
			ck_assert_str_eq(udig_get_user(c, 5)->name, "bob");
			ck_assert_str_eq(udig_get_user(c, 5)->shell, "/s");
			ck_assert_str_eq(udig_get_group(c, 6)->name, "bobs");
		} else {
			ck_assert_str_eq(names, "b,");
			ck_assert_uint_eq(udig_foreach_iface6(c, if6_cb, &(int){ 0 }), 0);
			ck_assert_ptr_null(udig_get_user(c, 5));
			ck_assert_ptr_null(udig_get_group(c, 6));
			ck_assert_str_eq(udig_get_user(c, 7)->homedir, "/hc");
		}
		udig_close(c);
	}
}
END_TEST

/* Every event block id gives the same events; EVF carries its flags. */
START_TEST(t_event_block_kinds)
{
	static const struct { uint32_t id; uint32_t flags; } cases[] = {
		{ 0x216, 0 }, { 0x217, 1 }, { 0x217, 2 }, { 0x221, 0 }, { 0x222, 3 },
		{ 0x204, 0 }, { 0x8010ABCD, 0 }, { 0x208, 1 },
	};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		struct sgx_opts o = { .ev_id = cases[k].id, .flags = cases[k].flags, .cpu0 = 3 };
		/* Large blocks only change the length width for large-payload types,
		 * so build them with u16 lengths (the reference reads them the same). */
		if (cases[k].id == 0x221 || cases[k].id == 0x222) {
			struct scapgen g;
			const char *p = rd_tmp("large.scap");
			sg_init(&g, p, 0);
			sg_shb(&g, 1, 2);
			for (unsigned i = 0; i < SGX_NEVENTS; i++) {
				struct sgbuf r = { 0 };
				uint64_t fd = 3;
				struct sgx_param pa = { &fd, 8 };
				sgx_record(&r, SGX_TS0 + i, SGX_TID, 4, &pa, 1, 0);
				sgx_evblock(&g, cases[k].id, 3, cases[k].flags, r.p, r.len);
				sgb_free(&r);
			}
			ck_assert_int_eq(sg_close(&g, 0), 0);
			struct rd_result r;
			rd_file(p, &r, 100);
			ck_assert_msg(r.rc == UDIG_EOF, "%s", r.err);
			ck_assert_uint_eq(r.n, SGX_NEVENTS);
			ck_assert_uint_eq(r.ev[5].type, 4);
			ck_assert_uint_eq(r.ev[5].dump_flags, (cases[k].id == 0x222) ? cases[k].flags : 0);
			continue;
		}
		const char *p = sample_file("ev.scap", &o, 0);
		struct rd_result r;
		rd_file(p, &r, 100);
		ck_assert_msg(r.rc == UDIG_EOF, "id 0x%x: %s", cases[k].id, r.err);
		ck_assert_uint_eq(r.n, SGX_NEVENTS);
		int evf = cases[k].id == 0x217 || cases[k].id == 0x208;
		check_sample_events(&r, 0, 1, 3, evf ? cases[k].flags : 0);
	}
}
END_TEST

/* Old captures: PL v5, FDL v1, IL v1, UL v1, EV v1 — the 2018 layout. */
START_TEST(t_old_layout)
{
	struct sgx_opts o = { .pl_version = 5, .fdl_v1 = 1, .il_v1 = 1, .ul_v1 = 1, .ev_id = 0x204 };
	const char *p = sample_file("old.scap", &o, 1);
	char err[UDIG_ERRBUF_SIZE];
	udig_capture *c = udig_open_file(p, err);
	ck_assert_msg(c != NULL, "%s", err);
	ck_assert_str_eq(udig_get_thread(c, SGX_TID)->root, "/");
	ck_assert_str_eq(udig_get_fd(c, SGX_TID, 5)->name, "10.1.2.3:40000->93.184.216.34:443");
	struct udig_evt ev;
	ck_assert_int_eq(udig_next(c, &ev), UDIG_OK);
	ck_assert_uint_eq(ev.nparams, 3);
	ck_assert_uint_eq(ev.len, 26 + 6 + 14 + 8);
	ck_assert_str_eq(udig_evt_str(&ev, 0), "/etc/hostname");
	udig_close(c);
}
END_TEST

static void gz_append(const char *path, const char *src)
{
	/* Two gzip members back to back, as `cat a.gz b.gz` makes. */
	FILE *in = fopen(src, "rb"), *out = fopen(path, "ab");
	ck_assert(in && out);
	char buf[4096];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		ck_assert_uint_eq(fwrite(buf, 1, n, out), n);
	fclose(in);
	fclose(out);
}

/* gzip by content, multi-member gzip, concatenated plain files = two sections. */
START_TEST(t_gzip_and_sections)
{
	struct sgx_opts o = { 0 };
	for (int gz = 0; gz < 2; gz++) {
		const char *one = sample_file(gz ? "one.scap" : "one.gz", &o, gz); /* names lie on purpose */
		struct rd_result r;
		rd_file(one, &r, 100);
		ck_assert_msg(r.rc == UDIG_EOF, "%s", r.err);
		ck_assert_uint_eq(r.n, SGX_NEVENTS);
		check_sample_events(&r, 0, 1, 0, 0);
		const char *two = rd_tmp(gz ? "two.gz" : "two.scap");
		unlink(two);
		gz_append(two, one);
		gz_append(two, one);
		rd_file(two, &r, 100);
		ck_assert_msg(r.rc == UDIG_EOF, "%s", r.err);
		ck_assert_uint_eq(r.n, 2 * SGX_NEVENTS);
		check_sample_events(&r, SGX_NEVENTS, SGX_NEVENTS + 1, 0, 0);
	}
}
END_TEST

/* A second section reloads the tables from scratch. */
START_TEST(t_section_resets_tables)
{
	struct scapgen g;
	const char *p = rd_tmp("sections.scap");
	sg_init(&g, p, 0);
	struct sgx_opts o = { 0 };
	sgx_sample(&g, &o);
	struct sg_thread th = { .tid = 9, .pid = 9, .comm = "second", .loginuid = -1 };
	sg_shb(&g, 1, 0);
	sgx_pl(&g, 0x215, 9, &th, 1, 0);
	sgx_sample_events(&g, &o);
	ck_assert_int_eq(sg_close(&g, 0), 0);
	char err[UDIG_ERRBUF_SIZE];
	udig_capture *c = udig_open_file(p, err);
	ck_assert_msg(c != NULL, "%s", err);
	struct udig_evt ev;
	for (int i = 0; i < 12; i++)
		ck_assert_int_eq(udig_next(c, &ev), UDIG_OK);
	ck_assert_ptr_nonnull(udig_get_machine_info(c));
	ck_assert_int_eq(udig_next(c, &ev), UDIG_OK);
	ck_assert_uint_eq(ev.num, 13);
	ck_assert_ptr_null(udig_get_machine_info(c));
	ck_assert_ptr_null(udig_get_thread(c, 1));
	ck_assert_str_eq(udig_get_thread(c, 9)->comm, "second");
	ck_assert_ptr_null(udig_get_user(c, 1000));
	udig_close(c);
}
END_TEST

/* Reading from a pipe through udig_open_fd. */
START_TEST(t_open_fd_pipe)
{
	struct sgx_opts o = { 0 };
	const char *p = sample_file("pipe.scap", &o, 1);
	int fds[2];
	ck_assert_int_eq(pipe(fds), 0);
	pid_t pid = fork();
	if (pid == 0) {
		int in = open(p, O_RDONLY);
		char buf[512];
		ssize_t n;
		close(fds[0]);
		while ((n = read(in, buf, sizeof buf)) > 0)
			if (write(fds[1], buf, (size_t)n) != n)
				_exit(1);
		_exit(0);
	}
	close(fds[1]);
	char err[UDIG_ERRBUF_SIZE];
	udig_capture *c = udig_open_fd(fds[0], err);
	ck_assert_msg(c != NULL, "%s", err);
	struct udig_evt ev;
	int n = 0;
	while (udig_next(c, &ev) == UDIG_OK)
		n++;
	ck_assert_int_eq(n, 12);
	udig_close(c);
	ck_assert_ptr_null(udig_open_fd(-1, err));
}
END_TEST

Suite *scap_read_suite(void);
Suite *scap_read_suite(void)
{
	Suite *s = suite_create("scap_read");
	TCase *tc = tcase_create("valid");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, t_sample_state_and_events);
	tcase_add_test(tc, t_pl_versions);
	tcase_add_test(tc, t_fdl_types);
	tcase_add_test(tc, t_il_ul_versions);
	tcase_add_test(tc, t_event_block_kinds);
	tcase_add_test(tc, t_old_layout);
	tcase_add_test(tc, t_gzip_and_sections);
	tcase_add_test(tc, t_section_resets_tables);
	tcase_add_test(tc, t_open_fd_pipe);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	rd_tmp("init");
	SRunner *sr = srunner_create(scap_read_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	rd_cleanup();
	return failed ? 1 : 0;
}
