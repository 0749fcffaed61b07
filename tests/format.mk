# tests: format area — state engine, sysdig-compatible formatters, filters.
FORMAT_TEST_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/libcapture -I$(top_srcdir)/tests/common
# White-box: memsrc.c builds captures with the table functions, which
# libcapture.so does not export, so these link libcapture's objects.
FORMAT_TEST_LDADD = libcapture/libcapture_core.la udig/encode/libudigenc.la tests/common/libtestcommon.la \
	$(ZLIB_LIBS) $(TEST_LIBS)
FORMAT_CORPUS = tests/format/corpus.c tests/format/corpus.h tests/format/corpus_threads.h tests/format/memsrc.c \
	tests/format/corpus_scap.c

TESTS += tests/format/test_format_sysdig tests/format/test_filter tests/format/test_state
check_PROGRAMS += tests/format/test_format_sysdig tests/format/test_filter tests/format/test_state

tests_format_test_format_sysdig_SOURCES = tests/format/test_format_sysdig.c $(FORMAT_CORPUS)
tests_format_test_format_sysdig_CPPFLAGS = $(FORMAT_TEST_CPPFLAGS)
tests_format_test_format_sysdig_CFLAGS = $(TEST_CFLAGS)
tests_format_test_format_sysdig_LDADD = $(FORMAT_TEST_LDADD)

tests_format_test_filter_SOURCES = tests/format/test_filter.c $(FORMAT_CORPUS)
tests_format_test_filter_CPPFLAGS = $(FORMAT_TEST_CPPFLAGS)
tests_format_test_filter_CFLAGS = $(TEST_CFLAGS)
tests_format_test_filter_LDADD = $(FORMAT_TEST_LDADD)

tests_format_test_state_SOURCES = tests/format/test_state.c $(FORMAT_CORPUS)
tests_format_test_state_CPPFLAGS = $(FORMAT_TEST_CPPFLAGS)
tests_format_test_state_CFLAGS = $(TEST_CFLAGS)
tests_format_test_state_LDADD = $(FORMAT_TEST_LDADD)

# Fields, filters and -p formats against sysdig on a real capture of a mixed workload.
TESTS += tests/format/fields_vs_sysdig.sh
# The workload is what gets traced, not what is tested: built without
# sanitizers (an ASan program cannot run under the preloaded library, whose
# runtime would not come first), so that a sanitizer build compares too.
check_PROGRAMS += tests/format/workload
tests_format_workload_SOURCES = tests/format/workload.c
tests_format_workload_CFLAGS = $(WARN_CFLAGS) -Wno-unused-result
tests_format_workload_LDFLAGS =
tests_format_workload_LDADD = -lpthread
EXTRA_DIST += tests/format/fields_vs_sysdig.sh

# Odd cases libsinsp names its own way, in captures made by mkodd: a thread
# known with an empty name against one never described, and a file opened
# relative to an unknown dirfd; udig read's lines against sysdig -r's.
TESTS += tests/format/odd_names.sh
dist_check_SCRIPTS += tests/format/odd_names.sh
check_PROGRAMS += tests/format/mkodd
tests_format_mkodd_SOURCES = tests/format/mkodd.c
tests_format_mkodd_CFLAGS = $(TEST_CFLAGS)
tests_format_mkodd_LDADD = libcapture/libcapture.la udig/encode/libudigenc.la $(TEST_LIBS)
