bin_PROGRAMS += tools/udig
tools_udig_SOURCES = \
	tools/udig.c \
	tools/cli.h \
	tools/cli_common.c \
	tools/cmd/events.c \
	tools/cmd/read.c \
	tools/cmd/stats.c \
	tools/cmd/run.c \
	tools/cmd/attach.c \
	tools/cmd/listen.c \
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
	tools/cmd/tree.c \
	tools/live_consumer.h \
	tools/live_consumer.c \
	tools/ring_janitor.h \
	tools/ring_janitor.c \
	tools/run/engine.h \
	tools/run/engine.c \
	tools/run/child.h \
	tools/run/child.c \
	tools/run/spawn.c \
	tools/run/feed.h \
	tools/run/feed.c
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

