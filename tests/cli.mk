# tests: the udig command line against the real sysdig, and the live
# commands (run through every engine, attach, a killed writer).
CLI_TESTS = \
	tests/cli/read_vs_sysdig.sh \
	tests/cli/run_engines.sh \
	tests/cli/attach.sh \
	tests/cli/engines_agree.sh \
	tests/cli/killed_writer.sh \
	tests/cli/setid.sh \
	tests/cli/ns_init.sh
TESTS += $(CLI_TESTS)
dist_check_SCRIPTS += $(CLI_TESTS)
# `udig listen`, the consumer of a named live ring fed by LD_PRELOAD alone.
TESTS += tests/cli/listen.sh
dist_check_SCRIPTS += tests/cli/listen.sh
# Names and ids as sysdig computes them (fd names, tuples, types, pid
# namespaces); nwork is a workload, built without sanitizers.
check_PROGRAMS += tests/cli/nwork
tests_cli_nwork_SOURCES = tests/cli/nwork.c
tests_cli_nwork_CFLAGS = $(WARN_CFLAGS) -Wno-unused-result
tests_cli_nwork_LDFLAGS =
TESTS += tests/cli/names_vs_sysdig.sh
dist_check_SCRIPTS += tests/cli/names_vs_sysdig.sh
# Issue 13: strace's and sysdig's spellings (strace -c and strace -f are
# the oracles), udig tree, --help/--version.
TESTS += tests/cli/strace_sysdig.sh
dist_check_SCRIPTS += tests/cli/strace_sysdig.sh
# An installed tree under any prefix (make install prefix=DIR, DESTDIR):
# udig runs, captures and reads; man pages; pkg-config libcapture.
TESTS += tests/cli/install.sh
dist_check_SCRIPTS += tests/cli/install.sh
# -w - for run, attach, listen and read, into a pipe and into a unix socket
# (sockcat: socat's job here, where socat is not installed).
check_PROGRAMS += tests/cli/sockcat
tests_cli_sockcat_SOURCES = tests/cli/sockcat.c
tests_cli_sockcat_CFLAGS = $(WARN_CFLAGS)
tests_cli_sockcat_LDFLAGS =
TESTS += tests/cli/write_stdout.sh
dist_check_SCRIPTS += tests/cli/write_stdout.sh
