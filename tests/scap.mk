# tests: the .scap reader (valid files, errors, hostile input, sysdig as peer);
# its fuzz target is in tests/fuzz.mk.
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

TESTS += tests/scap/test_scap_sysdig
check_PROGRAMS += tests/scap/test_scap_sysdig
tests_scap_test_scap_sysdig_SOURCES = tests/scap/test_scap_sysdig.c
tests_scap_test_scap_sysdig_CFLAGS = $(TEST_CFLAGS)
tests_scap_test_scap_sysdig_LDADD = $(SCAP_TEST_LDADD) $(ZLIB_LIBS)
