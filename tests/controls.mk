# tests: capture controls (sampling, suppression, dynamic snaplen, simple
# mode, page-fault counting) from libcapture's calls to the producers.
TESTS += tests/controls/test_controls
check_PROGRAMS += tests/controls/test_controls
tests_controls_test_controls_SOURCES = tests/controls/test_controls.c $(FILL_HARNESS)
tests_controls_test_controls_CPPFLAGS = $(FILL_TEST_CPPFLAGS)
tests_controls_test_controls_CFLAGS = $(TEST_CFLAGS)
tests_controls_test_controls_LDADD = tests/ring/libringtest.la $(FILL_TEST_LDADD)

# The controls through `udig run` (and sysdig -r for the drop events).
check_PROGRAMS += tests/controls/tcpwork
tests_controls_tcpwork_SOURCES = tests/controls/tcpwork.c
tests_controls_tcpwork_CFLAGS = $(WARN_CFLAGS)
tests_controls_tcpwork_LDFLAGS =
TESTS += tests/controls/cli_controls.sh
dist_check_SCRIPTS += tests/controls/cli_controls.sh

# libscap's process-table and state calls: refresh, proc_add, is_thread_alive,
# max_buf_used, restart (live ring, files, pipes).
TESTS += tests/controls/test_state_calls
check_PROGRAMS += tests/controls/test_state_calls
tests_controls_test_state_calls_SOURCES = tests/controls/test_state_calls.c
tests_controls_test_state_calls_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)
tests_controls_test_state_calls_CFLAGS = $(TEST_CFLAGS)
tests_controls_test_state_calls_LDADD = tests/ring/libringtest.la libcapture/libcapture.la udig/encode/libudigenc.la $(TEST_LIBS)
