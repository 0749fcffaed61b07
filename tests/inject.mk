# tests: inject area (the out-of-process engines).
# inject_test runs/attaches with a raw-record debug sink; evdump prints the
# records; workload is a static multi-threaded program to capture.
check_PROGRAMS += tests/inject/inject_test tests/inject/evdump tests/inject/workload tests/inject/ringdump
tests_inject_inject_test_SOURCES = tests/inject/inject_test.c
tests_inject_inject_test_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)
tests_inject_inject_test_CFLAGS = $(TEST_CFLAGS)
tests_inject_inject_test_LDADD = inject/libinject.la
tests_inject_evdump_SOURCES = tests/inject/evdump.c
tests_inject_evdump_CFLAGS = $(TEST_CFLAGS)
tests_inject_evdump_LDADD = libcapture/libcapture.la
tests_inject_ringdump_SOURCES = tests/inject/ringdump.c
tests_inject_ringdump_CFLAGS = $(TEST_CFLAGS)
tests_inject_ringdump_LDADD = libcapture/libcapture.la
tests_inject_workload_SOURCES = tests/inject/workload.c
# Static: sanitizer runtimes cannot be linked -static, so no $(SAN_CFLAGS) here.
tests_inject_workload_CFLAGS = $(WARN_CFLAGS) -pthread
tests_inject_workload_LDFLAGS = -all-static -pthread

TESTS += tests/inject/test_filter
check_PROGRAMS += tests/inject/test_filter
tests_inject_test_filter_SOURCES = tests/inject/test_filter.c
tests_inject_test_filter_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)
tests_inject_test_filter_CFLAGS = $(TEST_CFLAGS)
tests_inject_test_filter_LDADD = inject/libinject.la $(TEST_LIBS)

# The set-ID rules and facts (inject/setid*.c).
TESTS += tests/inject/test_setid
check_PROGRAMS += tests/inject/test_setid
tests_inject_test_setid_SOURCES = tests/inject/test_setid.c
tests_inject_test_setid_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)
tests_inject_test_setid_CFLAGS = $(TEST_CFLAGS)
tests_inject_test_setid_LDADD = inject/libinject.la $(TEST_LIBS)

INJECT_TESTS = \
	tests/inject/oracle_ptrace.sh \
	tests/inject/oracle_unotify.sh \
	tests/inject/status_signals.sh \
	tests/inject/attach.sh \
	tests/inject/unotify_under_strace.sh \
	tests/inject/preload_ptrace.sh \
	tests/inject/ptrace_usable.sh \
	tests/inject/unprivileged.sh
TESTS += $(INJECT_TESTS)
dist_check_SCRIPTS += $(INJECT_TESTS)
dist_check_DATA += tests/inject/lib.sh tests/inject/oracle_common.sh
