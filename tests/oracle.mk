# tests: the strace oracle — every open/openat/execve/connect that `strace -f`
# records for a set of workloads is in what `udig run` captures, and nothing
# else; plus `sysdig -r` on a `udig run -w` capture.  One test per engine:
# an engine is added by listing its script; a script skips (77) while
# `udig run --engine=E` does not accept E yet.
# The workload programs run under the preload library and are built without
# sanitizers (SAN_CFLAGS comes in through AM_CFLAGS/AM_LDFLAGS, which the
# per-target flags below replace); owork_static is the same program, static.
ORACLE_WL_CFLAGS = $(WARN_CFLAGS) -Wno-unused-result -pthread
check_PROGRAMS += tests/oracle/ocalls tests/oracle/owork tests/oracle/owork_static
tests_oracle_ocalls_SOURCES = tests/oracle/ocalls.c
tests_oracle_ocalls_LDADD = libcapture/libcapture.la
tests_oracle_owork_SOURCES = tests/oracle/owork.c
tests_oracle_owork_CFLAGS = $(ORACLE_WL_CFLAGS)
tests_oracle_owork_LDFLAGS = -pthread
tests_oracle_owork_static_SOURCES = tests/oracle/owork.c
tests_oracle_owork_static_CFLAGS = $(ORACLE_WL_CFLAGS)
tests_oracle_owork_static_LDFLAGS = -all-static -pthread

ORACLE_TESTS = \
	tests/oracle/engine_preload.sh \
	tests/oracle/engine_auto.sh \
	tests/oracle/engine_ptrace.sh \
	tests/oracle/engine_unotify.sh \
	tests/oracle/run_scap_sysdig.sh
TESTS += $(ORACLE_TESTS)
dist_check_SCRIPTS += $(ORACLE_TESTS)
dist_check_DATA += tests/oracle/oracle.sh
