/*
 * The set-ID rules (inject/setid.c): which execs change credentials, when
 * a capture loses them, and the facts read from /proc and the file system.
 */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/capability.h>
#include <sys/stat.h>

#include "inject/inject.h"
#include "inject/setid.h"

#define BIT(c) (1ull << (c))
#define ALL_CAPS ((1ull << (CAP_LAST_CAP + 1)) - 1)

static struct inj_setid_creds user(uid_t u, gid_t g)
{
	struct inj_setid_creds c;
	memset(&c, 0, sizeof c);
	c.ruid = c.euid = u;
	c.rgid = c.egid = g;
	c.cap_bounding = ALL_CAPS;
	if (u == 0)
		c.cap_permitted = c.cap_effective = ALL_CAPS;
	return c;
}

static struct inj_setid_file file(mode_t mode, uid_t u, gid_t g)
{
	struct inj_setid_file f;
	memset(&f, 0, sizeof f);
	f.mode = S_IFREG | mode;
	f.uid = u;
	f.gid = g;
	return f;
}

START_TEST(setuid_bits)
{
	struct inj_setid_creds nobody = user(65534, 65534), root = user(0, 0);
	struct inj_setid_file passwd = file(04755, 0, 0), plain = file(0755, 0, 0);
	struct inj_setid_file daemon_su = file(04755, 1, 1), own = file(04755, 65534, 0);

	ck_assert_uint_eq(inj_setid_changes(&passwd, &nobody), INJ_SETID_UID);
	ck_assert_uint_eq(inj_setid_changes(&plain, &nobody), 0);
	/* Root running a root-owned set-user-ID program changes nothing. */
	ck_assert_uint_eq(inj_setid_changes(&passwd, &root), 0);
	/* ... one owned by another user does. */
	ck_assert_uint_eq(inj_setid_changes(&daemon_su, &root), INJ_SETID_UID);
	/* Set-user-ID to oneself: nothing. */
	ck_assert_uint_eq(inj_setid_changes(&own, &nobody), 0);
	/* Natively under no_new_privs, or on a nosuid mount: bits ignored. */
	nobody.no_new_privs = 1;
	ck_assert_uint_eq(inj_setid_changes(&passwd, &nobody), 0);
	nobody.no_new_privs = 0;
	passwd.nosuid = 1;
	ck_assert_uint_eq(inj_setid_changes(&passwd, &nobody), 0);
}
END_TEST

START_TEST(setgid_bits)
{
	struct inj_setid_creds nobody = user(65534, 65534), root = user(0, 0);
	struct inj_setid_file chage = file(02755, 0, 42), lock = file(02745, 0, 42);

	ck_assert_uint_eq(inj_setid_changes(&chage, &nobody), INJ_SETID_GID);
	/* Root's real gid 0 is not shadow's: the kernel counts it too (AT_SECURE). */
	ck_assert_uint_eq(inj_setid_changes(&chage, &root), INJ_SETID_GID);
	/* Set-group-ID without group execute marks mandatory locking. */
	ck_assert_uint_eq(inj_setid_changes(&lock, &nobody), 0);
	struct inj_setid_file both = file(06755, 0, 42);
	ck_assert_uint_eq(inj_setid_changes(&both, &nobody), INJ_SETID_UID | INJ_SETID_GID);
}
END_TEST

START_TEST(file_caps)
{
	struct inj_setid_creds nobody = user(65534, 65534), root = user(0, 0);
	struct inj_setid_file ping = file(0755, 0, 0);
	ping.has_fcaps = 1;
	ping.fcap_permitted = BIT(CAP_NET_RAW);

	ck_assert_uint_eq(inj_setid_changes(&ping, &nobody), INJ_SETID_CAPS);
	/* Root's capabilities do not come from the file. */
	ck_assert_uint_eq(inj_setid_changes(&ping, &root), 0);
	/* Already permitted: nothing gained. */
	nobody.cap_permitted = BIT(CAP_NET_RAW);
	ck_assert_uint_eq(inj_setid_changes(&ping, &nobody), 0);
	/* Outside the bounding set: never granted. */
	nobody.cap_permitted = 0;
	nobody.cap_bounding = ALL_CAPS & ~BIT(CAP_NET_RAW);
	ck_assert_uint_eq(inj_setid_changes(&ping, &nobody), 0);
	/* Inheritable file caps count with the process's inheritable set. */
	struct inj_setid_file inh = file(0755, 0, 0);
	inh.has_fcaps = 1;
	inh.fcap_inheritable = BIT(CAP_SYS_NICE);
	nobody = user(65534, 65534);
	ck_assert_uint_eq(inj_setid_changes(&inh, &nobody), 0);
	nobody.cap_inheritable = BIT(CAP_SYS_NICE);
	ck_assert_uint_eq(inj_setid_changes(&inh, &nobody), INJ_SETID_CAPS);
}
END_TEST

START_TEST(lost)
{
	ck_assert_int_eq(inj_setid_lost(0, 1, 1, 0), 0);
	ck_assert_int_eq(inj_setid_lost(INJ_SETID_UID, 1, 0, 1), 1);   /* no_new_privs */
	ck_assert_int_eq(inj_setid_lost(INJ_SETID_UID, 0, 1, 0), 1);   /* ptraced, tracer not capable */
	ck_assert_int_eq(inj_setid_lost(INJ_SETID_UID, 0, 1, 1), 0);   /* root's tracer */
	ck_assert_int_eq(inj_setid_lost(INJ_SETID_GID, 0, 0, 0), 0);   /* neither */
}
END_TEST

START_TEST(describe)
{
	struct inj_setid_file f = file(06755, 0, 0);
	char out[128];

	inj_setid_describe(INJ_SETID_UID, &f, out, sizeof out);
	ck_assert_str_eq(out, "set-user-ID root");
	inj_setid_describe(INJ_SETID_UID | INJ_SETID_CAPS, &f, out, sizeof out);
	ck_assert_str_eq(out, "set-user-ID root and with file capabilities");
	f.gid = 3999999;  /* no such group: a number */
	inj_setid_describe(INJ_SETID_GID, &f, out, sizeof out);
	ck_assert_str_eq(out, "set-group-ID 3999999");
}
END_TEST

START_TEST(parse_status)
{
	static const char text[] = "Name:\tsh\nUid:\t1000\t0\t0\t0\nGid:\t100\t42\t42\t42\n"
	                           "Groups:\t100 200\nCapInh:\t0000000000000000\nCapPrm:\t0000000000002000\n"
	                           "CapEff:\t0000000000000000\nCapBnd:\t000001ffffffffff\nCapAmb:\t0000000000000000\n"
	                           "NoNewPrivs:\t1\nSeccomp:\t2\n";
	struct inj_setid_creds c;

	ck_assert_int_eq(inj_setid_parse_status(text, &c), 0);
	ck_assert_uint_eq(c.ruid, 1000);
	ck_assert_uint_eq(c.euid, 0);
	ck_assert_uint_eq(c.rgid, 100);
	ck_assert_uint_eq(c.egid, 42);
	ck_assert_uint_eq(c.cap_permitted, BIT(CAP_NET_RAW));
	ck_assert_uint_eq(c.cap_bounding, 0x1ffffffffffull);
	ck_assert_int_eq(c.no_new_privs, 1);
	ck_assert_int_eq(inj_setid_parse_status("Name:\tx\nUid:\t1\t1\t1\t1\n", &c), -1);

	/* Our own, from /proc. */
	ck_assert_int_eq(inj_setid_creds_of(0, &c), 0);
	ck_assert_uint_eq(c.ruid, getuid());
	ck_assert_uint_eq(c.egid, getegid());
	ck_assert_int_eq(inj_setid_creds_of(getpid(), &c), 0);
	ck_assert_uint_eq(c.euid, geteuid());
}
END_TEST

START_TEST(parse_fcaps)
{
	/* cap_net_raw=ep, revision 2 (what setcap writes): magic|effective,
	 * permitted lo, inheritable lo, permitted hi, inheritable hi. */
	static const unsigned char v2[20] = { 0x01, 0, 0, 0x02, 0x00, 0x20, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0 };
	unsigned char v3[24];
	struct inj_setid_file f;

	memset(&f, 0, sizeof f);
	ck_assert_int_eq(inj_setid_parse_fcaps(v2, sizeof v2, &f), 0);
	ck_assert_int_eq(f.has_fcaps, 1);
	ck_assert_uint_eq(f.fcap_permitted, BIT(CAP_NET_RAW) | BIT(32));
	ck_assert_uint_eq(f.fcap_inheritable, 0);
	memcpy(v3, v2, sizeof v2);
	v3[3] = 0x03;
	memset(v3 + 20, 0, 4);   /* rootid */
	memset(&f, 0, sizeof f);
	ck_assert_int_eq(inj_setid_parse_fcaps(v3, sizeof v3, &f), 0);
	ck_assert_uint_eq(f.fcap_permitted, BIT(CAP_NET_RAW) | BIT(32));
	memset(&f, 0, sizeof f);
	ck_assert_int_eq(inj_setid_parse_fcaps(v2, 12, &f), -1);   /* length of revision 1, says 2 */
	ck_assert_int_eq(inj_setid_parse_fcaps(v3, sizeof v2, &f), -1);
	v3[3] = 0x07;
	ck_assert_int_eq(inj_setid_parse_fcaps(v3, sizeof v3, &f), -1);
	ck_assert_int_eq(f.has_fcaps, 0);
}
END_TEST

/* A scratch directory with a set-user-ID script and a set-user-ID copy of a
 * real program (owned by us: the bits are what matters to the facts). */
static char dir[64];

static void setup(void)
{
	snprintf(dir, sizeof dir, "/tmp/udig-setid.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static void write_file(const char *name, const char *text, mode_t mode)
{
	char p[128];
	snprintf(p, sizeof p, "%s/%s", dir, name);
	FILE *f = fopen(p, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
	ck_assert_int_eq(chmod(p, mode), 0);
}

START_TEST(facts_of_files)
{
	struct inj_setid_file f;
	char real[4096], p[128];
	int dfd, fd;

	write_file("script", "#!/bin/sh\necho hi\n", 04755);
	write_file("prog", "\177ELF not really\n", 04755);
	write_file("nested", "#! script\n", 0755);
	dfd = open(dir, O_PATH | O_DIRECTORY);
	ck_assert_int_ge(dfd, 0);

	/* A binary: its own bits. */
	fd = inj_setid_open(-1, dfd, "prog", 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(inj_setid_facts(fd, -1, dfd, &f, real, sizeof real), 0);
	ck_assert_uint_eq(f.mode & 07777, 04755);
	ck_assert_uint_eq(f.uid, geteuid());
	snprintf(p, sizeof p, "%s/prog", dir);
	ck_assert_str_eq(real, p);
	close(fd);

	/* A script: the interpreter's bits (Linux ignores the script's). */
	fd = inj_setid_open(-1, dfd, "script", 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(inj_setid_facts(fd, -1, dfd, &f, real, sizeof real), 0);
	ck_assert_uint_eq(f.mode & S_ISUID, 0);
	ck_assert_str_ne(real, p);
	close(fd);

	/* A script whose interpreter (relative: from the cwd given) is one. */
	fd = inj_setid_open(-1, dfd, "nested", 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(inj_setid_facts(fd, -1, dfd, &f, real, sizeof real), 0);
	ck_assert_uint_eq(f.mode & S_ISUID, 0);
	close(fd);

	/* execveat(fd, "", AT_EMPTY_PATH): the descriptor's file. */
	int pfd = openat(dfd, "prog", O_RDONLY);
	ck_assert_int_ge(pfd, 0);
	fd = inj_setid_open(-1, pfd, "", AT_EMPTY_PATH);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(inj_setid_facts(fd, -1, dfd, &f, NULL, 0), 0);
	ck_assert_uint_eq(f.mode & 07777, 04755);
	close(fd);
	ck_assert_int_lt(inj_setid_open(-1, pfd, "", 0), 0);   /* "" without AT_EMPTY_PATH: ENOENT */
	close(pfd);

	/* Not a regular file: the exec fails on its own. */
	fd = inj_setid_open(-1, dfd, ".", 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_lt(inj_setid_facts(fd, -1, dfd, &f, NULL, 0), 0);
	close(fd);
	ck_assert_int_lt(inj_setid_open(-1, dfd, "missing", 0), 0);
	close(dfd);
}
END_TEST

/* The public answer on the real passwd (essential on Debian): root keeps
 * everything, anyone else changes euid and would lose it under a tracer. */
START_TEST(check_passwd)
{
	struct stat st;
	char what[128] = "";

	if (stat("/usr/bin/passwd", &st) < 0 || !(st.st_mode & S_ISUID) || st.st_uid != 0)
		return;   /* no set-user-ID root passwd here */
	enum inject_setid r = inject_setid_check("/usr/bin/passwd", INJECT_ENGINE_PTRACE, what, sizeof what);
	if (geteuid() == 0 && getuid() == 0) {
		ck_assert_int_eq(r, INJECT_SETID_NONE);
	} else {
		ck_assert_int_eq(r, INJECT_SETID_LOST);
		ck_assert_str_eq(what, "set-user-ID root");
		ck_assert_int_eq(inject_setid_check("/usr/bin/passwd", INJECT_ENGINE_UNOTIFY, what, sizeof what),
		                 INJECT_SETID_LOST);
	}
	ck_assert_int_eq(inject_setid_check("/bin/sh", INJECT_ENGINE_PTRACE, what, sizeof what), INJECT_SETID_NONE);
	ck_assert_int_eq(inject_setid_check("/nonexistent", INJECT_ENGINE_PTRACE, what, sizeof what), INJECT_SETID_NONE);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("setid");
	TCase *rules = tcase_create("rules");
	tcase_add_test(rules, setuid_bits);
	tcase_add_test(rules, setgid_bits);
	tcase_add_test(rules, file_caps);
	tcase_add_test(rules, lost);
	tcase_add_test(rules, describe);
	tcase_add_test(rules, parse_status);
	tcase_add_test(rules, parse_fcaps);
	suite_add_tcase(s, rules);
	TCase *facts = tcase_create("facts");
	tcase_add_checked_fixture(facts, setup, teardown);
	tcase_add_test(facts, facts_of_files);
	tcase_add_test(facts, check_passwd);
	suite_add_tcase(s, facts);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
