# tests: the .scap reader (valid files, errors, hostile input, sysdig as peer)
# and its fuzz target.
check_LTLIBRARIES += tests/scap/libscaptest.la
tests_scap_libscaptest_la_SOURCES = tests/scap/sgx.c tests/scap/sgx.h tests/scap/util.c tests/scap/util.h
tests_scap_libscaptest_la_CFLAGS = $(TEST_CFLAGS)

SCAP_TEST_LDADD = tests/scap/libscaptest.la libcapture/libcapture.la tests/common/libtestcommon.la $(TEST_LIBS)

TESTS += tests/scap/test_scap_read
check_PROGRAMS += tests/scap/test_scap_read
tests_scap_test_scap_read_SOURCES = tests/scap/test_scap_read.c
tests_scap_test_scap_read_CFLAGS = $(TEST_CFLAGS)
tests_scap_test_scap_read_LDADD = $(SCAP_TEST_LDADD) $(ZLIB_LIBS)

TESTS += tests/scap/test_scap_errors
check_PROGRAMS += tests/scap/test_scap_errors
tests_scap_test_scap_errors_SOURCES = tests/scap/test_scap_errors.c
tests_scap_test_scap_errors_CFLAGS = $(TEST_CFLAGS)
tests_scap_test_scap_errors_LDADD = $(SCAP_TEST_LDADD) $(ZLIB_LIBS)

TESTS += tests/scap/test_scap_hostile
check_PROGRAMS += tests/scap/test_scap_hostile
tests_scap_test_scap_hostile_SOURCES = tests/scap/test_scap_hostile.c
tests_scap_test_scap_hostile_CFLAGS = $(TEST_CFLAGS)
tests_scap_test_scap_hostile_LDADD = $(SCAP_TEST_LDADD) $(ZLIB_LIBS)

# Fuzzing: the target, its replay driver (normal build) and the corpus maker.
check_PROGRAMS += tests/fuzz/replay tests/fuzz/mkcorpus
tests_fuzz_replay_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz_scap.c
tests_fuzz_replay_CFLAGS = $(TEST_CFLAGS)
tests_fuzz_replay_LDADD = libcapture/libcapture.la
tests_fuzz_mkcorpus_SOURCES = tests/fuzz/mkcorpus.c
tests_fuzz_mkcorpus_CFLAGS = $(TEST_CFLAGS)
tests_fuzz_mkcorpus_LDADD = tests/scap/libscaptest.la tests/common/libtestcommon.la $(ZLIB_LIBS)
dist_check_SCRIPTS += tests/fuzz/replay.sh
TESTS += tests/fuzz/replay.sh
EXTRA_DIST += tests/fuzz/corpus

if FUZZERS
# configure --enable-fuzzers CC=clang CFLAGS='-g -O1 -fsanitize=fuzzer-no-link,address,undefined'
# instruments the library too; the target links libFuzzer's main.
noinst_PROGRAMS += tests/fuzz/fuzz_scap
tests_fuzz_fuzz_scap_SOURCES = tests/fuzz/fuzz_scap.c
tests_fuzz_fuzz_scap_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer,address,undefined
tests_fuzz_fuzz_scap_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer,address,undefined
tests_fuzz_fuzz_scap_LDADD = libcapture/libcapture.la
endif

TESTS += tests/scap/test_scap_sysdig
check_PROGRAMS += tests/scap/test_scap_sysdig
tests_scap_test_scap_sysdig_SOURCES = tests/scap/test_scap_sysdig.c
tests_scap_test_scap_sysdig_CFLAGS = $(TEST_CFLAGS)
tests_scap_test_scap_sysdig_LDADD = $(SCAP_TEST_LDADD) $(ZLIB_LIBS)
