# tests: security — the ring as a trust boundary, crash safety, privilege
# changes (README, "Security model").  Each attack of issue 9 reproduced.
TESTS += tests/security/test_trust
check_PROGRAMS += tests/security/test_trust
tests_security_test_trust_SOURCES = tests/security/test_trust.c
tests_security_test_trust_CFLAGS = $(TEST_CFLAGS)
tests_security_test_trust_LDADD = $(RING_TEST_LDADD)

SECURITY_TESTS = \
	tests/security/foreign_ring.sh \
	tests/security/session_ring.sh \
	tests/security/privdrop.sh
TESTS += $(SECURITY_TESTS)
dist_check_SCRIPTS += $(SECURITY_TESTS) tests/security/lib.sh
check_PROGRAMS += tests/security/forge
tests_security_forge_SOURCES = tests/security/forge.c
