/*
 * libFuzzer target for the filter language and `-p` formats.  The input is
 * a filter, then — after the first NUL or newline — a format.  Each that
 * compiles runs on every event of a fixed capture: the format tests'
 * corpus (tests/format/corpus.c: every parameter type, sockets of each
 * family, clone/execve/chdir state), built once as a .scap image in memory
 * and read back afresh for each input so that the state is the same every
 * time.  The format text is also tried as one field name (evt.arg[3],
 * proc.aname[2]) through udig_field_compile / udig_field_format.
 *
 * Beyond "no crash, no leak, no hang", it aborts on broken promises: a
 * compile error comes with a message, a match is 0 or 1, "not (F)"
 * matches exactly the events F does not, a field alone prints the same
 * through udig_field_format as through the format "%FIELD" (which shows
 * the event exactly when the field has a value), and a short buffer gets
 * a prefix of the full text with the same length.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <udig/capture.h>
#include "../format/corpus.h"
#include "fuzz.h"

#define SHORT 8 /* a buffer the text rarely fits in */

static uint8_t *image;
static size_t image_len;

/* The corpus as .scap bytes, written through a memfd (scapgen writes paths). */
static void build_image(void)
{
	struct corpus co = { 0 };
	corpus_build(&co);
	int fd = memfd_create("fuzz-filter", MFD_CLOEXEC);
	char path[64];
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	struct stat st;
	if (fd < 0 || corpus_write_scap(&co, path) || fstat(fd, &st) || st.st_size <= 0)
		abort();
	image_len = (size_t)st.st_size;
	image = malloc(image_len);
	if (!image || pread(fd, image, image_len, 0) != (ssize_t)image_len)
		abort();
	close(fd);
	corpus_free(&co);
}

static udig_capture *open_image(void)
{
	char err[UDIG_ERRBUF_SIZE];
	int fd = memfd_create("fuzz-filter-cap", MFD_CLOEXEC);
	if (fd < 0 || write(fd, image, image_len) != (ssize_t)image_len || lseek(fd, 0, SEEK_SET) != 0)
		abort();
	udig_capture *c = udig_open_fd(fd, err);
	if (!c) {
		fprintf(stderr, "the fixed capture does not open: %s\n", err);
		abort();
	}
	return c;
}

/* A failed compile must say why. */
static void check_err(const char *what, const char *err)
{
	size_t n = strnlen(err, UDIG_ERRBUF_SIZE);
	if (n == 0 || n == UDIG_ERRBUF_SIZE) {
		fprintf(stderr, "%s failed without a message\n", what);
		abort();
	}
}

/* The short-buffer result against the full one (snprintf's contract). */
static void check_prefix(const char *what, const char *small, size_t small_len, const char *full, size_t full_len)
{
	if (small_len != full_len || strncmp(small, full, SHORT - 1) || strlen(small) > SHORT - 1 ||
	    (full_len < SHORT && strcmp(small, full))) {
		fprintf(stderr, "%s: %zu bytes \"%s\" in a short buffer, %zu \"%s\" in a full one\n", what, small_len,
			small, full_len, full);
		abort();
	}
}

static void run_format(const udig_format *fmt, udig_capture *c, const struct udig_evt *ev)
{
	char small[SHORT];
	size_t len, len2;
	int show = udig_format_event(fmt, c, ev, small, sizeof small, &len);
	char *full = malloc(len + 1);
	if (!full)
		abort();
	int show2 = udig_format_event(fmt, c, ev, full, len + 1, &len2);
	if (show < 0 || show > 1 || show2 != show || strlen(full) != len)
		abort();
	check_prefix("udig_format_event", small, len, full, len2);
	free(full);
}

/* alone: the format "%FIELD", or NULL (filter-only fields have none) */
static void run_field(const udig_field *fld, const udig_format *alone, udig_capture *c, const struct udig_evt *ev)
{
	char small[SHORT];
	size_t len = udig_field_format(c, ev, fld, small, sizeof small);
	char *full = malloc(len + 1);
	if (!full)
		abort();
	size_t len2 = udig_field_format(c, ev, fld, full, len + 1);
	check_prefix("udig_field_format", small, len, full, len2);
	struct udig_field_value v;
	int has = udig_field_extract(c, ev, fld, &v);
	if (has < 0 || has > 1 || (has && v.type == UDIG_FT_STRING && !v.str))
		abort();
	udig_field_value_done(&v);
	if (alone) {
		char *text = malloc(len + 1);
		size_t tlen;
		if (!text)
			abort();
		int show = udig_format_event(alone, c, ev, text, len + 1, &tlen);
		if (show != has || tlen != len || strcmp(text, full)) {
			fprintf(stderr, "event %llu: the field gives \"%s\" (has %d), its format \"%s\" (shows %d)\n",
				(unsigned long long)ev->num, full, has, text, show);
			abort();
		}
		free(text);
	}
	free(full);
}

FUZZ_TARGET(filter)
{
	if (!image)
		build_image();
	size_t cut = 0;
	while (cut < size && data[cut] && data[cut] != '\n')
		cut++;
	char *expr = strndup((const char *)data, cut);
	char *text = cut < size ? strndup((const char *)data + cut + 1, size - cut - 1) : NULL;
	if (!expr || (cut < size && !text))
		abort();

	char err[UDIG_ERRBUF_SIZE] = "";
	udig_filter *flt = udig_filter_compile(expr, err), *neg = NULL;
	if (!flt) {
		check_err("udig_filter_compile", err);
	} else {
		/* May fail where F did not: one level deeper than the limit. */
		char *ne = malloc(cut + 8);
		if (!ne)
			abort();
		snprintf(ne, cut + 8, "not (%s)", expr);
		neg = udig_filter_compile(ne, err);
		free(ne);
	}
	udig_format *fmt = NULL, *alone = NULL;
	udig_field *fld = NULL;
	if (text) {
		err[0] = 0;
		if (!(fmt = udig_format_compile(text, err)))
			check_err("udig_format_compile", err);
		err[0] = 0;
		if (!(fld = udig_field_compile(text, err))) {
			check_err("udig_field_compile", err);
		} else {
			size_t n = strlen(text) + 2;
			char *pct = malloc(n);
			if (!pct)
				abort();
			snprintf(pct, n, "%%%s", text);
			alone = udig_format_compile(pct, err);
			free(pct);
		}
	}

	if (flt || fmt || fld) {
		udig_capture *c = open_image();
		struct udig_evt ev;
		int rc;
		while ((rc = udig_next(c, &ev)) == UDIG_OK) {
			if (flt) {
				int m = udig_filter_match(flt, c, &ev);
				if ((m != 0 && m != 1) || (neg && udig_filter_match(neg, c, &ev) != !m)) {
					fprintf(stderr, "event %llu: \"%s\" gives %d, and its negation %d\n",
						(unsigned long long)ev.num, expr, m, neg ? udig_filter_match(neg, c, &ev) : -1);
					abort();
				}
			}
			if (fmt)
				run_format(fmt, c, &ev);
			if (fld)
				run_field(fld, alone, c, &ev);
		}
		if (rc != UDIG_EOF) {
			fprintf(stderr, "the fixed capture reads with an error: %s\n", udig_geterr(c));
			abort();
		}
		udig_close(c);
	}
	udig_filter_free(flt);
	udig_filter_free(neg);
	udig_format_free(fmt);
	udig_format_free(alone);
	udig_field_free(fld);
	free(expr);
	free(text);
	return 0;
}
