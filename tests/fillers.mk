# tests: fillers area.  Each program performs real syscalls in the test
# process and checks the records the fillers build around them.
FILL_TEST_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/udig/encode -I$(top_srcdir)/tests/common -I$(top_srcdir)/tests/fillers
FILL_TEST_LDADD = libcapture/libcapture.la udig/encode/libudigenc.la $(TEST_LIBS)
FILL_HARNESS = tests/fillers/harness.c tests/fillers/harness.h

TESTS += tests/fillers/test_fill_families
check_PROGRAMS += tests/fillers/test_fill_families
tests_fillers_test_fill_families_SOURCES = tests/fillers/test_fill_families.c $(FILL_HARNESS)
tests_fillers_test_fill_families_CPPFLAGS = $(FILL_TEST_CPPFLAGS)
tests_fillers_test_fill_families_CFLAGS = $(TEST_CFLAGS)
tests_fillers_test_fill_families_LDADD = $(FILL_TEST_LDADD)

TESTS += tests/fillers/test_fill_net
check_PROGRAMS += tests/fillers/test_fill_net
tests_fillers_test_fill_net_SOURCES = tests/fillers/test_fill_net.c $(FILL_HARNESS)
tests_fillers_test_fill_net_CPPFLAGS = $(FILL_TEST_CPPFLAGS)
tests_fillers_test_fill_net_CFLAGS = $(TEST_CFLAGS)
tests_fillers_test_fill_net_LDADD = $(FILL_TEST_LDADD)

TESTS += tests/fillers/test_fill_proc
check_PROGRAMS += tests/fillers/test_fill_proc
tests_fillers_test_fill_proc_SOURCES = tests/fillers/test_fill_proc.c $(FILL_HARNESS)
tests_fillers_test_fill_proc_CPPFLAGS = $(FILL_TEST_CPPFLAGS)
tests_fillers_test_fill_proc_CFLAGS = $(TEST_CFLAGS)
tests_fillers_test_fill_proc_LDADD = $(FILL_TEST_LDADD)

# Hostile-argument sweep over every syscall number, translation tables
# against the schema, and sysdig reading a .scap of our records.
TESTS += tests/fillers/test_fill_sweep
check_PROGRAMS += tests/fillers/test_fill_sweep
tests_fillers_test_fill_sweep_SOURCES = tests/fillers/test_fill_sweep.c $(FILL_HARNESS)
tests_fillers_test_fill_sweep_CPPFLAGS = $(FILL_TEST_CPPFLAGS)
tests_fillers_test_fill_sweep_CFLAGS = $(TEST_CFLAGS)
tests_fillers_test_fill_sweep_LDADD = tests/common/libtestcommon.la $(FILL_TEST_LDADD)
