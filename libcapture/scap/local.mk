# The .scap file format: reading (read.c and the block parsers) and writing
# (write*.c).
libcapture_libcapture_core_la_SOURCES += \
	libcapture/scap/format.h \
	libcapture/scap/read.c \
	libcapture/scap/blocks.c \
	libcapture/scap/in.c \
	libcapture/scap/cur.c \
	libcapture/scap/meta.c \
	libcapture/scap/proc.c \
	libcapture/scap/fdl.c \
	libcapture/scap/ev1.c \
	libcapture/scap/write-int.h \
	libcapture/scap/write.c \
	libcapture/scap/write_out.c \
	libcapture/scap/write_blocks.c
