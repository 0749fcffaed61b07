/*
 * Our text and JSON lines against sysdig 0.29.3's, event by event, over the
 * corpus: sysdig reads the corpus as a .scap file, we read the same records
 * from memory with the same process/fd lists seeded.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "corpus.h"

static char dir[] = "/tmp/udig-fmt-XXXXXX";
static char scap[128];

static void setup(void)
{
	strcpy(dir, "/tmp/udig-fmt-XXXXXX");
	setenv("TZ", "UTC", 1);
	tzset();
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(scap, sizeof scap, "%s/corpus.scap", dir);
}

static void teardown(void)
{
	unlink(scap);
	rmdir(dir);
}

typedef size_t (*formatter)(udig_capture *, const struct udig_evt *, char *, size_t);

/* Compares our lines with sysdig's output; returns the number of differences
 * (each is printed) and the number of lines compared in *n. */
static int compare(udig_capture *c, formatter fmt, char *theirs, size_t *n)
{
	struct udig_evt ev;
	int diffs = 0;
	char *save = NULL, *line = strtok_r(theirs, "\n", &save);
	static char ours[1 << 16];
	*n = 0;
	while (udig_next(c, &ev) == UDIG_OK) {
		fmt(c, &ev, ours, sizeof ours);
		(*n)++;
		if (!line) {
			printf("extra   #%llu: %s\n", (unsigned long long)ev.num, ours);
			diffs++;
			continue;
		}
		if (strcmp(line, ours) != 0) {
			printf("sysdig: %s|\nudig:   %s|\n", line, ours);
			diffs++;
		} else if (getenv("FORMAT_VERBOSE")) {
			printf("same:   %s|\n", ours);
		}
		line = strtok_r(NULL, "\n", &save);
	}
	for (; line; line = strtok_r(NULL, "\n", &save)) {
		printf("missing: %s\n", line);
		diffs++;
	}
	return diffs;
}

static void run(const char *opts, formatter fmt, int from_file)
{
	struct corpus co = { 0 };
	char cmd[512];
	size_t n;
	corpus_build(&co);
	ck_assert_int_eq(corpus_write_scap(&co, scap), 0);
	snprintf(cmd, sizeof cmd, "TZ=UTC sysdig %s -r %s 2>/dev/null", opts, scap);
	char *theirs = run_capture_stdout(cmd);
	ck_assert_ptr_nonnull(theirs);
	ck_assert_msg(strlen(theirs) > 0, "sysdig printed nothing for %s", cmd);
	char err[UDIG_ERRBUF_SIZE] = "";
	udig_capture *c = from_file ? udig_open_file(scap, err) : corpus_open(&co);
	ck_assert_msg(c != NULL, "open: %s", err);
	int diffs = compare(c, fmt, theirs, &n);
	ck_assert_uint_eq(n, co.n);
	ck_assert_msg(diffs == 0, "%d of %zu lines differ from `sysdig %s`", diffs, n, opts);
	udig_close(c);
	free(theirs);
	corpus_free(&co);
}

START_TEST(text_lines_match_sysdig)
{
	run("", udig_format_text, 0);
}
END_TEST

/* The same through the .scap reader: its process and fd lists seed the state. */
START_TEST(file_reader_lines_match_sysdig)
{
	run("", udig_format_text, 1);
}
END_TEST

START_TEST(json_lines_match_sysdig)
{
	run("-j", udig_format_json, 0);
}
END_TEST

int main(void)
{
	if (!have_sysdig()) {
		fprintf(stderr, "sysdig not installed: skipping\n");
		return 77;
	}
	Suite *s = suite_create("format_sysdig");
	TCase *tc = tcase_create("corpus");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, text_lines_match_sysdig);
	tcase_add_test(tc, json_lines_match_sysdig);
	tcase_add_test(tc, file_reader_lines_match_sysdig);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
