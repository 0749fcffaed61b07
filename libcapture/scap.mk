# libcapture: the .scap file reader (scap_read.c is listed in sources.mk).
libcapture_libcapture_la_SOURCES += \
	libcapture/scap_format.h \
	libcapture/scap_blocks.c \
	libcapture/scap_in.c \
	libcapture/scap_cur.c \
	libcapture/scap_meta.c \
	libcapture/scap_proc.c \
	libcapture/scap_fdl.c \
	libcapture/scap_ev1.c
