/*
 * Every syscall number with hostile arguments (NULL, -1, unmapped and
 * unterminated memory, huge lengths): no crash, every record parses with
 * exactly the table's parameter count and the schema's event types.  The
 * flag translations only produce values the schema can name.  A few
 * records written into a .scap file render in `sysdig -r` as the
 * driver's would.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include "harness.h"
#include "fill_int.h"
#include "scapgen.h"

START_TEST(types_follow_the_schema)
{
	for (long nr = 0; nr < UDIG_SYSCALL_TABLE_SIZE; nr++) {
		const struct udig_syscall_entry *s = &udig_syscall_table[nr];
		if (s->enter == UEV_GENERIC_E) {
			ck_assert_uint_eq(udig_fill_enter_type(nr), UEV_GENERIC_E);
			ck_assert_uint_eq(udig_fill_exit_type(nr), UEV_GENERIC_X);
		} else {
			ck_assert_msg(udig_fill_enter_type(nr) == s->enter, "nr %ld: no decoder for %s", nr,
				      udig_event_info(s->enter)->name);
			ck_assert_uint_eq(udig_fill_exit_type(nr), s->exit);
		}
	}
	ck_assert_uint_eq(udig_fill_enter_type(-1), UEV_GENERIC_E);
	ck_assert_uint_eq(udig_fill_exit_type(100000), UEV_GENERIC_X);
}
END_TEST

START_TEST(sweep_hostile_arguments)
{
	uint8_t *ff = mmap(NULL, 12288, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint64_t unmapped, unterminated, zeros;
	uint64_t sets[8][6];
	int64_t rets[] = { 0, -EFAULT, 5, 1ll << 40, -1 };
	long extra[] = { -1, 512, 1000, 100000 };

	ck_assert_ptr_ne(ff, MAP_FAILED);
	/* page 1: 0xff up to an unmapped page (strings that never end);
	 * page 0: zeros (NULL-terminated arrays, empty strings) */
	memset(ff, 0, 4096);
	memset(ff + 4096, 0xff, 4096);
	munmap(ff + 8192, 4096); /* page 2 unmapped: no terminator anywhere */
	unmapped = U(mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	munmap((void *)(uintptr_t)unmapped, 4096);
	zeros = U(ff);
	unterminated = U(ff + 4096);
	for (int i = 0; i < 6; i++) {
		sets[0][i] = 0;
		sets[1][i] = (uint64_t)-1;
		sets[2][i] = unmapped;
		sets[3][i] = 1ull << 40;
		sets[4][i] = zeros;
		sets[5][i] = unterminated;
		sets[6][i] = i & 1 ? 1ull << 40 : unterminated;
		sets[7][i] = i & 1 ? 0x7fffffff : zeros;
	}
	for (long nr = 0; nr < UDIG_SYSCALL_TABLE_SIZE; nr++)
		for (unsigned s = 0; s < 8; s++)
			for (unsigned r = 0; r < sizeof rets / sizeof rets[0]; r++)
				build(nr, sets[s], rets[r]); /* asserts count and type */
	for (unsigned i = 0; i < sizeof extra / sizeof extra[0]; i++) {
		build(extra[i], sets[1], -ENOSYS);
		ck_assert_uint_eq(E.type, UEV_GENERIC_E);
	}
	/* too small a buffer: no record, no overflow */
	{
		struct udig_syscall_ctx sc = { .nr = SYS_open, .ops = &test_ops };
		uint8_t small[40];
		memset(small, 0xab, sizeof small);
		sc.args[0] = U("/etc/hostname");
		ck_assert_uint_eq(udig_fill_enter(&sc, small, 30), 0);
		ck_assert_uint_eq(small[30], 0xab);
	}
	/* no ops at all: records are still complete */
	{
		struct udig_syscall_ctx sc = { .nr = SYS_openat, .args = { 1, U("/x"), 0, 0 } };
		struct udig_evt ev;
		size_t n = udig_fill_exit(&sc, xbuf, 1 << 18);
		ck_assert_uint_gt(n, 0);
		ck_assert_int_eq(udig_evt_parse(xbuf, n, &ev, NULL), UDIG_OK);
		ck_assert_uint_eq(ev.nparams, 6);
		ck_assert_str_eq(udig_evt_str(&ev, 2), "(NULL)");
	}
}
END_TEST

/* Every value a translation produces for single native bits must be a
 * union of values the schema's name table knows. */
extern const struct udig_name_value udig_names_file_flags[], udig_names_clone_flags[], udig_names_prot_flags[],
	udig_names_mmap_flags[], udig_names_poll_flags[], udig_names_fcntl_commands[], udig_names_ptrace_requests[],
	udig_names_rlimit_resources[], udig_names_futex_operations[], udig_names_access_flags[],
	udig_names_sockopt_options[], udig_names_linkat_flags[], udig_names_unlinkat_flags[],
	udig_names_execveat_flags[], udig_names_openat2_flags[], udig_names_flock_flags[], udig_names_splice_flags[],
	udig_names_semget_flags[], udig_names_semop_flags[], udig_names_semctl_commands[], udig_names_quotactl_cmds[],
	udig_names_quotactl_quota_fmts[], udig_names_chmod_mode[], udig_names_lseek_whence[], udig_names_shutdown_how[];

static uint32_t all_bits(const struct udig_name_value *t)
{
	uint32_t m = 0;
	for (; t->name; t++)
		m |= t->value;
	return m;
}

static int has_value(const struct udig_name_value *t, uint32_t v)
{
	for (; t->name; t++)
		if (t->value == v)
			return 1;
	return 0;
}

#define CHECK_BITS(fn, tab) \
	for (int b = 0; b < 64; b++) { \
		uint32_t v = (uint32_t)fn(1ull << b); \
		ck_assert_msg((v & ~all_bits(tab)) == 0, #fn " bit %d -> %#x", b, v); \
	}
#define CHECK_VALS(fn, tab, lo, hi, dflt) \
	for (uint64_t x = lo; x <= hi; x++) { \
		uint32_t v = (uint32_t)fn(x); \
		ck_assert_msg(v == (dflt) || has_value(tab, v), #fn "(%llu) -> %u", (unsigned long long)x, v); \
	}

static uint32_t open_flags_nomode(uint64_t f) { return xl_open_flags(f) & ~(uint32_t)UDIG_O_RDONLY; }
static uint32_t sockopt_sol(uint64_t n) { return xl_sockopt_name(1, n); }

START_TEST(translations_use_schema_values)
{
	CHECK_BITS(open_flags_nomode, udig_names_file_flags);
	CHECK_BITS(xl_clone_flags, udig_names_clone_flags);
	CHECK_BITS(xl_prot, udig_names_prot_flags);
	CHECK_BITS(xl_mmap_flags, udig_names_mmap_flags);
	CHECK_BITS(xl_poll_events, udig_names_poll_flags);
	CHECK_BITS(xl_access_mode, udig_names_access_flags);
	CHECK_BITS(xl_linkat_flags, udig_names_linkat_flags);
	CHECK_BITS(xl_unlinkat_flags, udig_names_unlinkat_flags);
	CHECK_BITS(xl_execveat_flags, udig_names_execveat_flags);
	CHECK_BITS(xl_openat2_resolve, udig_names_openat2_flags);
	CHECK_BITS(xl_flock_op, udig_names_flock_flags);
	CHECK_BITS(xl_splice_flags, udig_names_splice_flags);
	CHECK_BITS(xl_semget_flags, udig_names_semget_flags);
	CHECK_BITS(xl_semop_flags, udig_names_semop_flags);
	CHECK_BITS(xl_chmod_mode, udig_names_chmod_mode);
	CHECK_BITS(xl_futex_op, udig_names_futex_operations);
	CHECK_VALS(xl_fcntl_cmd, udig_names_fcntl_commands, 0, 1100, UDIG_UNKNOWN);
	CHECK_VALS(xl_ptrace_request, udig_names_ptrace_requests, 0, 0x4300, UDIG_PTRACE_UNKNOWN);
	CHECK_VALS(xl_rlimit_resource, udig_names_rlimit_resources, 0, 40, UDIG_RLIMIT_UNKNOWN);
	CHECK_VALS(sockopt_sol, udig_names_sockopt_options, 0, 100, 0);
	CHECK_VALS(xl_semctl_cmd, udig_names_semctl_commands, 0, 30, 0);
	CHECK_VALS(xl_quotactl_fmt, udig_names_quotactl_quota_fmts, 0, 10, UDIG_QFMT_NOT_USED);
	CHECK_VALS(xl_lseek_whence, udig_names_lseek_whence, 0, 5, UDIG_SEEK_SET);
	CHECK_VALS(xl_shutdown_how, udig_names_shutdown_how, 0, 2, 0);
	for (uint64_t s = 0x800001; s <= 0x800008; s++)
		ck_assert(has_value(udig_names_quotactl_cmds, xl_quotactl_cmd(s << 8)));
	/* spot checks of the translations against the driver's values */
	ck_assert_uint_eq(xl_open_flags(0), 1);              /* O_RDONLY is 1 */
	ck_assert_uint_eq(xl_open_flags(02000000 | 2), 0x1003);
	ck_assert_uint_eq(xl_open_mode(0, 0777), 0);
	ck_assert_uint_eq(xl_open_mode(0100, 0755), 0755);
	ck_assert_uint_eq(xl_clone_flags(0x00010000 | 0x00000100), UDIG_CLONE_THREAD | UDIG_CLONE_VM);
	ck_assert_uint_eq(xl_mount_flags(0xC0ED0000u | 1 | 4096), UDIG_RDONLY | UDIG_BIND);
	ck_assert_uint_eq(xl_dev(0xfe00), 0xfe00);                   /* 254:0 */
	ck_assert_uint_eq(xl_dev((259ull << 8) | 3), (259u << 8) | 3);
	ck_assert_uint_eq(xl_dev(((uint64_t)0x100 << 12) | 1), (0x100u << 12) | 1); /* minor 256 */
}
END_TEST

/* ---- sysdig renders what we write */

START_TEST(sysdig_renders_records)
{
	char scap[128], cmd[256], buf[8192];
	struct scapgen g;
	struct sg_thread th;
	FILE *f;
	size_t n = 0;
	int64_t fd;
	char data[16];
	pid_t me = getpid();

	ck_assert_msg(access("/usr/bin/sysdig", X_OK) == 0, "sysdig 0.29.3 (Debian package sysdig) is required");
	snprintf(scap, sizeof scap, "%s/fill.scap", tmpdir());
	memset(&th, 0, sizeof th);
	th.tid = th.pid = (uint64_t)me;
	th.ptid = (uint64_t)getppid();
	th.comm = "filltest";
	th.exe = th.exepath = "/usr/bin/filltest";
	th.cwd = "/";
	th.root = "/";
	th.fdlimit = 1024;
	th.uid = th.gid = 0;
	th.vtid = th.vpid = me;
	th.loginuid = -1;
	sg_init(&g, scap, 0);
	sg_shb(&g, 1, 2);
	sg_mi(&g, 1, 1ull << 30, "fill-host");
	sg_pl9(&g, &th, 1);

	fd = call(SYS_open, A(U("/etc/hostname"), O_RDONLY | O_CLOEXEC, 0));
	ck_assert_int_ge(fd, 0);
	/* header tid: the pid the process list announces */
	memcpy(ebuf + 8, &(uint64_t){ (uint64_t)me }, 8);
	memcpy(xbuf + 8, &(uint64_t){ (uint64_t)me }, 8);
	sg_ev(&g, 0, ebuf, elen);
	sg_ev(&g, 0, xbuf, xlen);
	ck_assert_int_gt(call(SYS_read, A((uint64_t)fd, U(data), 3)), 0);
	memcpy(ebuf + 8, &(uint64_t){ (uint64_t)me }, 8);
	memcpy(xbuf + 8, &(uint64_t){ (uint64_t)me }, 8);
	sg_ev(&g, 0, ebuf, elen);
	sg_ev(&g, 0, xbuf, xlen);
	ck_assert_int_eq(call(SYS_close, A((uint64_t)fd)), 0);
	memcpy(ebuf + 8, &(uint64_t){ (uint64_t)me }, 8);
	memcpy(xbuf + 8, &(uint64_t){ (uint64_t)me }, 8);
	sg_ev(&g, 0, ebuf, elen);
	sg_ev(&g, 0, xbuf, xlen);
	build(SYS_chown, A(U("/x"), 0, 0), -ENOENT);
	memcpy(ebuf + 8, &(uint64_t){ (uint64_t)me }, 8);
	sg_ev(&g, 0, ebuf, elen);
	ck_assert_int_eq(sg_close(&g, 0), 0);

	snprintf(cmd, sizeof cmd, "sysdig -r %s -p '%%evt.dir %%evt.type %%evt.args' 2>&1", scap);
	f = popen(cmd, "r");
	ck_assert_ptr_nonnull(f);
	n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = 0;
	pclose(f);
	ck_assert_msg(strstr(buf, "> open name=/etc/hostname flags=4097(O_RDONLY|O_CLOEXEC) mode=0") != NULL, "%s", buf);
	{
		char want[128];
		snprintf(want, sizeof want, "< open fd=%d(<f>/etc/hostname) name=/etc/hostname flags=4097(O_RDONLY|O_CLOEXEC) mode=0 dev=",
			 (int)fd);
		ck_assert_msg(strstr(buf, want) != NULL, "%s", buf);
		snprintf(want, sizeof want, "> read fd=%d(<f>/etc/hostname) size=3", (int)fd);
		ck_assert_msg(strstr(buf, want) != NULL, "%s", buf);
		snprintf(want, sizeof want, "> close fd=%d(<f>/etc/hostname)", (int)fd);
		ck_assert_msg(strstr(buf, want) != NULL, "%s", buf);
	}
	ck_assert_msg(strstr(buf, "< read res=3 data=") != NULL, "%s", buf);
	ck_assert_msg(strstr(buf, "< close res=0") != NULL, "%s", buf);
	ck_assert_msg(strstr(buf, "> chown") != NULL, "%s", buf);
	tmpdir_remove();
}
END_TEST

int main(void)
{
	Suite *s = suite_create("fillers-sweep");
	TCase *t = tcase_create("sweep");
	SRunner *r;
	int failed;

	tcase_set_timeout(t, 120);
	tcase_add_test(t, types_follow_the_schema);
	tcase_add_test(t, sweep_hostile_arguments);
	tcase_add_test(t, translations_use_schema_values);
	tcase_add_test(t, sysdig_renders_records);
	suite_add_tcase(s, t);
	r = srunner_create(s);
	srunner_run_all(r, CK_NORMAL);
	failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? 1 : 0;
}
