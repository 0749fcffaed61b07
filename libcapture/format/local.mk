# Text output of events, parameter by parameter, as sysdig prints them.
libcapture_libcapture_core_la_SOURCES += \
	libcapture/format/format-int.h \
	libcapture/format/format.c \
	libcapture/format/buf.c \
	libcapture/format/net.c \
	libcapture/format/names.c \
	libcapture/format/param.c
