/*
 * Filters: compile errors, every field and operator on the corpus, and the
 * matching event numbers compared with `sysdig -r FILE -p %evt.num FILTER`.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "corpus.h"

static struct corpus co;
static char dir[64], scap[128];

static void setup(void)
{
	strcpy(dir, "/tmp/udig-flt-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(scap, sizeof scap, "%s/corpus.scap", dir);
	memset(&co, 0, sizeof co);
	corpus_build(&co);
	ck_assert_int_eq(corpus_write_scap(&co, scap), 0);
}

static void teardown(void)
{
	corpus_free(&co);
	unlink(scap);
	rmdir(dir);
}

/* The evt.num list ("1 2 3 ") our filter selects over the corpus. */
static char *ours(const char *expr)
{
	char err[UDIG_ERRBUF_SIZE] = "";
	udig_filter *f = udig_filter_compile(expr, err);
	ck_assert_msg(f != NULL, "'%s' did not compile: %s", expr, err);
	udig_capture *c = corpus_open(&co);
	struct udig_evt ev;
	size_t cap = 1 << 16, len = 0;
	char *out = calloc(1, cap);
	while (udig_next(c, &ev) == UDIG_OK)
		if (udig_filter_match(f, c, &ev))
			len += (size_t)snprintf(out + len, cap - len, "%llu ", (unsigned long long)ev.num);
	udig_close(c);
	udig_filter_free(f);
	return out;
}

static char *theirs(const char *expr)
{
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "sysdig -r %s -p '%%evt.num' \"%s\" 2>&1 | tr '\\n' ' '", scap, expr);
	return run_capture_stdout(cmd);
}

static size_t count(const char *list)
{
	size_t n = 0;
	for (const char *p = list; *p; p++)
		n += *p == ' ';
	return n;
}

/* Filters over every field and operator; each must select the same events
 * as sysdig and select at least one (so that the check says something). */
static const char *const same_as_sysdig[] = {
	"evt.type=open",
	"evt.type!=read",
	"evt.type in (open,openat,socket)",
	"evt.type=chown",
	"evt.dir='<'",
	"evt.dir=>",
	"evt.num=5",
	"evt.num<10",
	"evt.num<=10",
	"evt.num>250",
	"evt.num>=250",
	"evt.num!=1 and evt.num<4",
	"evt.num in (1,3,7)",
	"proc.name=probe and evt.num<20",
	"proc.name!=probe",
	"proc.name contains ork",
	"proc.name startswith w",
	"proc.name in (ls,sh)",
	"proc.pid=300",
	"proc.pid!=100",
	"proc.pid>150",
	"thread.tid=301",
	"thread.tid<=150 and thread.tid>=150",
	"proc.ppid=150",
	"proc.ppid=1 and evt.type=write",
	"fd.num=3",
	"fd.num>20 and fd.num<26",
	"fd.num!=3 and evt.type=read",
	"fd.name=/etc/hostname",
	"fd.name contains 93.184",
	"fd.name startswith /home/alice",
	"fd.name!=/dev/pts/0 and evt.type=write and evt.num<240",
	"fd.name in (/tmp/bar,/tmp)",
	"evt.res=SUCCESS and evt.type=open",
	"evt.res=ENOENT",
	"evt.res!=SUCCESS",
	"evt.res=FFFFFFFFFFFFFFF4",
	"evt.res in (EBADF,EAGAIN)",
	"evt.failed=true",
	"evt.failed=false and evt.type=close",
	"not evt.failed=false",
	"not (evt.type=read or evt.type=write) and proc.name=ls",
	"(evt.type=read or evt.type=write) and fd.num=1",
};

START_TEST(filters_match_sysdig)
{
	const char *expr = same_as_sysdig[_i];
	char *a = ours(expr), *b = theirs(expr);
	ck_assert_ptr_nonnull(b);
	ck_assert_msg(!strcmp(a, b), "filter '%s':\n udig:   %s\n sysdig: %s", expr, a, b);
	ck_assert_msg(count(a) > 0, "filter '%s' selects nothing", expr);
	free(a);
	free(b);
}
END_TEST

START_TEST(fields_and_operators)
{
	char *s;
	s = ours("evt.num=5");
	ck_assert_str_eq(s, "5 ");
	free(s);
	s = ours("evt.num in (2, 4 ,6)");
	ck_assert_str_eq(s, "2 4 6 ");
	free(s);
	s = ours("evt.num>=3 and evt.num<5");
	ck_assert_str_eq(s, "3 4 ");
	free(s);
	s = ours("evt.num<=2 or evt.num>=257");
	ck_assert_str_eq(s, "1 2 257 ");
	free(s);
	s = ours("evt.num<3 and not evt.num=1");
	ck_assert_str_eq(s, "2 ");
	free(s);
	/* open enter + exit of /etc/hostname, then the first read pair */
	s = ours("fd.name=\"/etc/hostname\" and evt.num<5");
	ck_assert_str_eq(s, "2 3 4 ");
	free(s);
	s = ours("evt.type='open' and evt.dir=> and evt.num<3");
	ck_assert_str_eq(s, "1 ");
	free(s);
	s = ours("evt.res=EAGAIN");
	ck_assert_str_eq(s, "12 102 ");
	free(s);
	s = ours("fd.num=3 and evt.type=read and evt.dir='<' and evt.failed=false and proc.name=probe");
	ck_assert_str_eq(s, "4 14 ");
	free(s);
	s = ours("proc.name contains rob and proc.name startswith pr and proc.pid=100 and thread.tid=100 and proc.ppid=1 and evt.num=1");
	ck_assert_str_eq(s, "1 ");
	free(s);
	s = ours("fd.num in (0) and evt.type=read");
	ck_assert_str_eq(s, "5 6 ");
	free(s);
	s = ours("evt.num!=1 and evt.num<=3");
	ck_assert_str_eq(s, "2 3 ");
	free(s);
	s = ours("evt.num>256");
	ck_assert_str_eq(s, "257 ");
	free(s);
	/* string operators on evt.type; sysdig checks the value is an event type */
	s = ours("evt.type endswith open and evt.dir='<' and evt.num<3");
	ck_assert_str_eq(s, "2 ");
	free(s);
	s = ours("(evt.type contains open and evt.num<=2) or evt.num=3");
	ck_assert_str_eq(s, "1 2 3 ");
	free(s);
	s = ours("proc.name=nosuch");
	ck_assert_str_eq(s, "");
	free(s);
}
END_TEST

static void expect_error(const char *expr, const char *msg)
{
	char err[UDIG_ERRBUF_SIZE] = "";
	udig_filter *f = udig_filter_compile(expr, err);
	ck_assert_msg(f == NULL, "'%s' compiled", expr);
	ck_assert_str_eq(err, msg);
}

START_TEST(compile_errors)
{
	expect_error("evt.tpye=open", "filter: unrecognized field evt.tpye at column 1");
	expect_error("evt.type=open and proc.nam=x", "filter: unrecognized field proc.nam at column 19");
	expect_error("evt.type open", "filter: filter error: unrecognized comparison operator after evt.type at column 10");
	expect_error("evt.num=abc", "filter: abc is not a valid number at column 9");
	expect_error("evt.type=opnat", "filter: unknown event type opnat at column 10");
	expect_error("evt.type startswith sock", "filter: unknown event type sock at column 21");
	expect_error("evt.num contains 1", "filter: 'contains' not supported for numeric filters at column 9");
	expect_error("fd.num pmatch (/etc)", "filter: pmatch requires all charbuf arguments at column 8");
	expect_error("evt.failed=1", "filter: filter error: unrecognized boolean value 1 at column 12");
	expect_error("fd.sip=1.2.3", "filter: unrecognized IPv4 address 1.2.3 at column 8");
	expect_error("evt.arg.nosuch=1", "filter: unknown event argument nosuch at column 1");
	expect_error("evt.num=1 and evt.num=2 or evt.num=3",
		     "filter: expression mixes 'and' and 'or' in an ambiguous way. Please use brackets. at column 25");
	expect_error("(evt.num=1", "filter: filter error: unexpected end of filter at column 11");
	expect_error("evt.num=1)", "filter: filter error: unexpected ')' at column 10");
	expect_error("evt.type=", "filter: unknown event type  at column 10");
	expect_error("proc.name='x", "filter: filter error: unclosed quotes at column 11");
	expect_error("evt.type in (open", "filter: expected either ')' or ',' after a value inside the 'in' clause at column 18");
	expect_error("", "filter: filter error: unexpected end of filter at column 1");
	expect_error("evt.num=1 and", "filter: filter error: unexpected end of filter at column 14");
	/* hostile values: bounded, refused with a message */
	char big[400];
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = 0;
	char expr[512];
	snprintf(expr, sizeof expr, "proc.name=%s", big);
	udig_filter *f = udig_filter_compile(expr, NULL);
	ck_assert_ptr_null(f);
	expect_error("proc.name=\\x4", "filter: filter error: unrecognized escape sequence at column 11");
}
END_TEST

/* Text of `n` copies of `unit` between `head` and `tail` (caller frees). */
static char *repeat(const char *head, const char *unit, size_t n, const char *tail)
{
	size_t lu = strlen(unit), lh = strlen(head);
	char *s = malloc(lh + lu * n + strlen(tail) + 1);
	ck_assert_ptr_nonnull(s);
	strcpy(s, head);
	for (size_t i = 0; i < n; i++)
		memcpy(s + lh + i * lu, unit, lu);
	strcpy(s + lh + lu * n, tail);
	return s;
}

/* Filters are input from anywhere: depth is bounded, length is not. */
START_TEST(hostile_nesting)
{
	char err[UDIG_ERRBUF_SIZE];
	char *s = repeat("", "(", 40000, "");
	expect_error(s, "filter: nested deeper than 256 levels of '(' and 'not' at column 257");
	free(s);
	s = repeat("", "not ", 40000, "evt.num=1");
	expect_error(s, "filter: nested deeper than 256 levels of '(' and 'not' at column 1025");
	free(s);
	/* 256 levels are fine, and mean what they say. */
	char *open = repeat("", "(", 256, "evt.num=1"), *whole = repeat(open, ")", 256, "");
	udig_filter *f = udig_filter_compile(whole, err);
	ck_assert_msg(f != NULL, "%s", err);
	udig_filter_free(f);
	free(open);
	free(whole);
	/* A 100 000-term chain is one flat node: compiled, matched, freed. */
	s = repeat("evt.num=0", " or evt.num=0", 100000, " or evt.num>=0");
	f = udig_filter_compile(s, err);
	ck_assert_msg(f != NULL, "%s", err);
	udig_capture *c = corpus_open(&co);
	struct udig_evt ev;
	ck_assert_int_eq(udig_next(c, &ev), UDIG_OK);
	ck_assert(udig_filter_match(f, c, &ev));
	udig_close(c);
	udig_filter_free(f);
	free(s);
}
END_TEST

START_TEST(null_filter_matches_all)
{
	udig_capture *c = corpus_open(&co);
	struct udig_evt ev;
	ck_assert_int_eq(udig_next(c, &ev), UDIG_OK);
	ck_assert_int_eq(udig_filter_match(NULL, c, &ev), 1);
	udig_filter_free(NULL);
	udig_close(c);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("filter");
	TCase *tc = tcase_create("corpus");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, fields_and_operators);
	tcase_add_test(tc, compile_errors);
	tcase_add_test(tc, hostile_nesting);
	tcase_add_test(tc, null_filter_matches_all);
	if (have_sysdig())
		tcase_add_loop_test(tc, filters_match_sysdig, 0, (int)(sizeof same_as_sysdig / sizeof same_as_sysdig[0]));
	else
		fprintf(stderr, "sysdig not installed: comparisons skipped\n");
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
