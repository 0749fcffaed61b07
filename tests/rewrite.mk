# tests: the preload fast path (udig/rewrite) — rewritten syscall sites keep
# every register, signal, thread, fork and exec working and write the very
# events of the trap path.  Built only with the rewriter (configure found
# Zydis).  The test programs run under the preload library and are built
# without sanitizers (per-target flags replace AM_CFLAGS/AM_LDFLAGS).
REWRITE_TESTS = \
	tests/rewrite/sites.sh \
	tests/rewrite/same_events.sh \
	tests/rewrite/switch.sh \
	tests/rewrite/oracle_trap_only.sh \
	tests/rewrite/novec.sh
dist_check_SCRIPTS += $(REWRITE_TESTS)
dist_check_DATA += tests/rewrite/lib.sh
EXTRA_DIST += tests/rewrite/tp_rewrite.c tests/rewrite/tp_sites.S
if REWRITE
check_PROGRAMS += tests/rewrite/tp_rewrite
tests_rewrite_tp_rewrite_SOURCES = tests/rewrite/tp_rewrite.c
tests_rewrite_tp_rewrite_CFLAGS = $(WARN_CFLAGS) -Wno-unused-result -pthread
tests_rewrite_tp_rewrite_LDFLAGS = -pthread
tests_rewrite_tp_rewrite_LDADD = -ldl
check_LTLIBRARIES += tests/rewrite/libtpsites.la
tests_rewrite_libtpsites_la_SOURCES = tests/rewrite/tp_sites.S
tests_rewrite_libtpsites_la_CFLAGS = $(WARN_CFLAGS)
tests_rewrite_libtpsites_la_LDFLAGS = -module -avoid-version -shared -rpath /nowhere
TESTS += $(REWRITE_TESTS)
endif
