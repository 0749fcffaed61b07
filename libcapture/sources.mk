# libcapture sources, one job per file.
libcapture_libcapture_la_SOURCES += \
	libcapture/capture-int.h \
	libcapture/tables.h \
	libcapture/evt-int.h \
	libcapture/version.c \
	libcapture/evt.c \
	libcapture/evt_fd.c \
	libcapture/capture.c \
	libcapture/tables.c \
	libcapture/scap_read.c \
	libcapture/scap_write.c \
	libcapture/procscan.c \
	libcapture/state.c \
	libcapture/format.c \
	libcapture/filter.c \
	libcapture/ring_read.c
udiginclude_HEADERS += include/udig/capture.h
