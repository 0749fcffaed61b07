# Test utilities shared by several areas.
check_LTLIBRARIES += tests/common/libtestcommon.la
tests_common_libtestcommon_la_SOURCES = tests/common/scapgen.c tests/common/scapgen.h
tests_common_libtestcommon_la_CFLAGS = $(TEST_CFLAGS) $(ZLIB_CFLAGS)
tests_common_libtestcommon_la_LIBADD = $(ZLIB_LIBS)
