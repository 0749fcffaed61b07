bin_PROGRAMS += tools/udig
tools_udig_SOURCES = \
	tools/udig.c \
	tools/cli.h \
	tools/cli_common.c \
	tools/cmd_events.c \
	tools/cmd_read.c \
	tools/cmd_stats.c \
	tools/cmd_run.c \
	tools/cmd_attach.c \
	tools/cmd_listen.c \
	tools/capture_opts.h \
	tools/capture_opts.c \
	tools/capture_types.h \
	tools/capture_types.c \
	tools/strace_set.h \
	tools/strace_set.c \
	tools/strace_classes.c \
	tools/syscall_summary.h \
	tools/syscall_summary.c \
	tools/proc_tree.h \
	tools/proc_tree.c \
	tools/cmd_tree.c \
	tools/live_consumer.h \
	tools/live_consumer.c \
	tools/ring_janitor.h \
	tools/ring_janitor.c \
	tools/run_engine.h \
	tools/run_engine.c \
	tools/run_child.h \
	tools/run_child.c \
	tools/run_spawn.c \
	tools/run_feed.h \
	tools/run_feed.c
tools_udig_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir) -DPKGLIBDIR='"$(pkglibdir)"'
tools_udig_CFLAGS = $(AM_CFLAGS) -pthread
tools_udig_LDADD = libcapture/libcapture.la inject/libinject.la -lpthread
# Installed under any prefix (make install prefix=/opt/x, a DESTDIR moved
# elsewhere), udig finds libcapture.so.0 beside it, in ../lib, without
# ldconfig or LD_LIBRARY_PATH.
tools_udig_LDFLAGS = $(AM_LDFLAGS) -Wl,-rpath,'$$ORIGIN/../lib'
# bash completion (doc/udig.bash)
bashcompletiondir = $(datadir)/bash-completion/completions
dist_bashcompletion_DATA = doc/udig

