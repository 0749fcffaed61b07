# tests: write area — the .scap writer and the /proc scanner.
TESTS += tests/write/test_write tests/write/test_procscan tests/write/as_nobody.sh
check_PROGRAMS += tests/write/test_write tests/write/test_procscan
dist_check_SCRIPTS += tests/write/as_nobody.sh
tests_write_test_write_SOURCES = tests/write/test_write.c \
	tests/write/fixture.c tests/write/fixture.h \
	tests/write/scapwalk.c tests/write/scapwalk.h
tests_write_test_write_CFLAGS = $(TEST_CFLAGS)
tests_write_test_write_LDADD = libcapture/libcapture.la udig/encode/libudigenc.la $(TEST_LIBS)
tests_write_test_procscan_SOURCES = tests/write/test_procscan.c
tests_write_test_procscan_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/libcapture
tests_write_test_procscan_CFLAGS = $(TEST_CFLAGS)
# White-box: calls the scanner's internal functions, which libcapture.so
# does not export (libcapture/libcapture.map), so it links the objects.
tests_write_test_procscan_LDADD = libcapture/libcapture_core.la $(ZLIB_LIBS) $(TEST_LIBS)
# Dumping into a caller's descriptor (pipe, socket, file) or memory, and ftell.
TESTS += tests/write/test_dump_targets
check_PROGRAMS += tests/write/test_dump_targets
tests_write_test_dump_targets_SOURCES = tests/write/test_dump_targets.c \
	tests/write/fixture.c tests/write/fixture.h
tests_write_test_dump_targets_CFLAGS = $(TEST_CFLAGS)
tests_write_test_dump_targets_LDADD = libcapture/libcapture.la udig/encode/libudigenc.la $(TEST_LIBS)
