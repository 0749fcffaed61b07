# tests: capture fidelity (issue 11) — events in time order, lossless by
# default, a procexit for every process however it ends, orphans captured
# until they exit.  fwork is the workload (built without sanitizers: it runs
# under the preload library), fcheck reads the captures.
check_PROGRAMS += tests/fidelity/fwork tests/fidelity/fcheck
tests_fidelity_fwork_SOURCES = tests/fidelity/fwork.c
tests_fidelity_fwork_CFLAGS = $(WARN_CFLAGS) -pthread
tests_fidelity_fwork_LDFLAGS = -pthread
tests_fidelity_fcheck_SOURCES = tests/fidelity/fcheck.c
tests_fidelity_fcheck_CFLAGS = $(TEST_CFLAGS)
tests_fidelity_fcheck_LDADD = libcapture/libcapture.la

FIDELITY_TESTS = \
	tests/fidelity/order.sh \
	tests/fidelity/lossless.sh \
	tests/fidelity/ends.sh \
	tests/fidelity/killed.sh \
	tests/fidelity/table.sh
TESTS += $(FIDELITY_TESTS)
dist_check_SCRIPTS += $(FIDELITY_TESTS)
