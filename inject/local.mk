# inject: the out-of-process engines (ptrace, unotify), a library for the CLI.
noinst_LTLIBRARIES += inject/libinject.la
inject_libinject_la_SOURCES = \
	inject/inject.h \
	inject/engine.h \
	inject/inject.c \
	inject/session.c \
	inject/mask.c \
	inject/filter.h \
	inject/filter.c \
	inject/spawn.h \
	inject/spawn.c \
	inject/tracee.h \
	inject/tracee.c \
	inject/pin.h \
	inject/procfs.h \
	inject/procfs.c \
	inject/pin.c \
	inject/ptrace.h \
	inject/ptrace_threads.c \
	inject/ptrace_stops.c \
	inject/ptrace_engine.c \
	inject/ptrace_hybrid.c \
	inject/image.h \
	inject/image.c \
	inject/setid.h \
	inject/setid.c \
	inject/setid_probe.c \
	inject/setid_exec.c \
	inject/notif.h \
	inject/notif.c \
	inject/probe.c \
	inject/unotify_tids.h \
	inject/unotify_tids.c \
	inject/unotify_engine.c
inject_libinject_la_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)
inject_libinject_la_LIBADD = udig/encode/libudigenc.la
