bin_PROGRAMS += tools/udig
tools_udig_SOURCES = \
	tools/udig.c \
	tools/cli.h \
	tools/cmd_events.c
tools_udig_LDADD = libcapture/libcapture.la
