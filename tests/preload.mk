# tests: preload area — libudig.so keeps programs' behaviour and produces
# events.  The test programs are built without sanitizers (they run under
# the preload library, which must not carry them either).
PRELOAD_TP_CFLAGS = $(WARN_CFLAGS) -Wno-unused-result
check_PROGRAMS += tests/preload/tp_threads tests/preload/tp_sigthread \
	tests/preload/tp_clone tests/preload/tp_fork tests/preload/tp_exec \
	tests/preload/tp_signals tests/preload/tp_exit tests/preload/tp_live \
	tests/preload/tp_faults tests/preload/tp_unmap_race tests/preload/tp_altstack \
	tests/preload/tp_wait
tests_preload_tp_threads_SOURCES = tests/preload/tp_threads.c
tests_preload_tp_threads_CFLAGS = $(PRELOAD_TP_CFLAGS) -pthread
tests_preload_tp_threads_LDFLAGS = -pthread
tests_preload_tp_sigthread_SOURCES = tests/preload/tp_sigthread.c
tests_preload_tp_sigthread_CFLAGS = $(PRELOAD_TP_CFLAGS) -pthread
tests_preload_tp_sigthread_LDFLAGS = -pthread
tests_preload_tp_clone_SOURCES = tests/preload/tp_clone.c
tests_preload_tp_clone_CFLAGS = $(PRELOAD_TP_CFLAGS)
tests_preload_tp_clone_LDFLAGS =
tests_preload_tp_fork_SOURCES = tests/preload/tp_fork.c
tests_preload_tp_fork_CFLAGS = $(PRELOAD_TP_CFLAGS)
tests_preload_tp_fork_LDFLAGS =
tests_preload_tp_exec_SOURCES = tests/preload/tp_exec.c
tests_preload_tp_exec_CFLAGS = $(PRELOAD_TP_CFLAGS)
tests_preload_tp_exec_LDFLAGS =
tests_preload_tp_signals_SOURCES = tests/preload/tp_signals.c
tests_preload_tp_signals_CFLAGS = $(PRELOAD_TP_CFLAGS)
tests_preload_tp_signals_LDFLAGS =
tests_preload_tp_exit_SOURCES = tests/preload/tp_exit.c
tests_preload_tp_exit_CFLAGS = $(PRELOAD_TP_CFLAGS) -pthread
tests_preload_tp_exit_LDFLAGS = -pthread
tests_preload_tp_faults_SOURCES = tests/preload/tp_faults.c
tests_preload_tp_faults_CFLAGS = $(PRELOAD_TP_CFLAGS)
tests_preload_tp_faults_LDFLAGS =
tests_preload_tp_unmap_race_SOURCES = tests/preload/tp_unmap_race.c
tests_preload_tp_unmap_race_CFLAGS = $(PRELOAD_TP_CFLAGS) -pthread
tests_preload_tp_unmap_race_LDFLAGS = -pthread
tests_preload_tp_altstack_SOURCES = tests/preload/tp_altstack.c
tests_preload_tp_altstack_CFLAGS = $(PRELOAD_TP_CFLAGS)
tests_preload_tp_altstack_LDFLAGS =
tests_preload_tp_wait_SOURCES = tests/preload/tp_wait.c
tests_preload_tp_wait_CFLAGS = $(PRELOAD_TP_CFLAGS)
tests_preload_tp_wait_LDFLAGS =
tests_preload_tp_live_SOURCES = tests/preload/tp_live.c
tests_preload_tp_live_LDADD = libcapture/libcapture.la

PRELOAD_TESTS = tests/preload/threads.sh tests/preload/clone.sh \
	tests/preload/exec.sh tests/preload/signals.sh tests/preload/tools.sh \
	tests/preload/live.sh tests/preload/unpriv.sh tests/preload/sysdig_live.sh \
	tests/preload/altstack.sh tests/preload/wait.sh
TESTS += $(PRELOAD_TESTS)
dist_check_SCRIPTS += $(PRELOAD_TESTS)
dist_check_DATA += tests/preload/lib.sh
# `sysdig -u` names a process started with LD_PRELOAD from an uncaptured shell,
# and is told each end of its children once.
TESTS += tests/preload/sysdig_names.sh tests/preload/sysdig_ends.sh
dist_check_SCRIPTS += tests/preload/sysdig_names.sh tests/preload/sysdig_ends.sh
# What `sysdig -u -s 200` sets in the consumer block reaches the producers.
TESTS += tests/preload/sysdig_snaplen.sh
dist_check_SCRIPTS += tests/preload/sysdig_snaplen.sh
