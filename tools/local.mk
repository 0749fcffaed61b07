bin_PROGRAMS += tools/udig
tools_udig_SOURCES = \
	tools/udig.c \
	tools/cli.h \
	tools/cli_common.c \
	tools/cmd_events.c \
	tools/cmd_read.c \
	tools/cmd_stats.c \
	tools/cmd_run.c \
	tools/run_child.h \
	tools/run_child.c
tools_udig_CPPFLAGS = $(AM_CPPFLAGS) -DPKGLIBDIR='"$(pkglibdir)"'
tools_udig_LDADD = libcapture/libcapture.la
