# Schema: our event table against `sysdig -L` and the reference libscap.
TESTS += tests/schema/events_vs_sysdig.sh tests/schema/test_reference tests/schema/symbols_vs_libscap.sh tests/schema/exports.sh
dist_check_SCRIPTS += tests/schema/events_vs_sysdig.sh tests/schema/symbols_vs_libscap.sh tests/schema/exports.sh
check_PROGRAMS += tests/schema/test_reference
if HAVE_REFERENCE
tests_schema_test_reference_SOURCES = tests/schema/test_reference.c tests/schema/enum_pairs.h
tests_schema_test_reference_CPPFLAGS = $(AM_CPPFLAGS) -I$(REFERENCE_INCDIR)
# The reference headers are not warning-clean.
tests_schema_test_reference_CFLAGS = $(TEST_CFLAGS) -Wno-error -Wno-strict-prototypes -Wno-missing-prototypes -Wno-shadow -w
tests_schema_test_reference_LDADD = libcapture/schema/libudigschema.la $(TEST_LIBS) -lscap
else
tests_schema_test_reference_SOURCES = tests/schema/missing_reference.c
endif

# The encoder.
TESTS += tests/encode/test_encode
check_PROGRAMS += tests/encode/test_encode
tests_encode_test_encode_SOURCES = tests/encode/test_encode.c
tests_encode_test_encode_CFLAGS = $(TEST_CFLAGS)
tests_encode_test_encode_LDADD = udig/encode/libudigenc.la $(TEST_LIBS)
