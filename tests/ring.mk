# tests: ring area — both sides of the udig ring.
RING_TEST_LDADD = tests/ring/libringtest.la libcapture/libcapture.la udig/encode/libudigenc.la $(TEST_LIBS)
check_LTLIBRARIES += tests/ring/libringtest.la
tests_ring_libringtest_la_SOURCES = tests/ring/ringtest.c tests/ring/ringtest.h
tests_ring_libringtest_la_CFLAGS = $(TEST_CFLAGS)

TESTS += tests/ring/test_ring_stress
check_PROGRAMS += tests/ring/test_ring_stress
tests_ring_test_ring_stress_SOURCES = tests/ring/test_ring_stress.c
tests_ring_test_ring_stress_CFLAGS = $(TEST_CFLAGS) -pthread
tests_ring_test_ring_stress_LDADD = $(RING_TEST_LDADD) -lpthread

TESTS += tests/ring/test_ring_robust
check_PROGRAMS += tests/ring/test_ring_robust
tests_ring_test_ring_robust_SOURCES = tests/ring/test_ring_robust.c
tests_ring_test_ring_robust_CFLAGS = $(TEST_CFLAGS) -pthread
tests_ring_test_ring_robust_LDADD = $(RING_TEST_LDADD) -lpthread

TESTS += tests/ring/test_ring_basic
check_PROGRAMS += tests/ring/test_ring_basic
tests_ring_test_ring_basic_SOURCES = tests/ring/test_ring_basic.c
tests_ring_test_ring_basic_CFLAGS = $(TEST_CFLAGS)
tests_ring_test_ring_basic_LDADD = $(RING_TEST_LDADD)

# The reference consumer (Debian libscap.so) reading our writer.
TESTS += tests/ring/test_ring_scap
check_PROGRAMS += tests/ring/test_ring_scap
if HAVE_REFERENCE
tests_ring_test_ring_scap_SOURCES = tests/ring/test_ring_scap.c
tests_ring_test_ring_scap_CPPFLAGS = $(AM_CPPFLAGS) -I$(REFERENCE_INCDIR)
# The reference headers are not warning-clean.
tests_ring_test_ring_scap_CFLAGS = $(TEST_CFLAGS) -pthread -Wno-error -w
tests_ring_test_ring_scap_LDADD = $(RING_TEST_LDADD) -lscap -lpthread
else
tests_ring_test_ring_scap_SOURCES = tests/schema/missing_reference.c
endif

# The real consumer: sysdig -u (skipped when sysdig is absent).
TESTS += tests/ring/test_ring_sysdig
check_PROGRAMS += tests/ring/test_ring_sysdig
tests_ring_test_ring_sysdig_SOURCES = tests/ring/test_ring_sysdig.c
tests_ring_test_ring_sysdig_CFLAGS = $(TEST_CFLAGS)
tests_ring_test_ring_sysdig_LDADD = $(RING_TEST_LDADD)
