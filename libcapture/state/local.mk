# The state engine: what each event does to the process and fd tables.
libcapture_libcapture_core_la_SOURCES += \
	libcapture/state/state-int.h \
	libcapture/state/state.c \
	libcapture/state/fd.c \
	libcapture/state/net.c \
	libcapture/state/proc_add.c
