# libcapture: writer area — the .scap writer and the /proc scanner.
libcapture_libcapture_la_SOURCES += \
	libcapture/scap_write-int.h \
	libcapture/scap_write_out.c \
	libcapture/scap_write_blocks.c \
	libcapture/procscan-int.h \
	libcapture/procscan_thread.c \
	libcapture/procscan_fds.c \
	libcapture/procscan_net.c \
	libcapture/procscan_users.c \
	libcapture/procscan_ifaces.c \
	libcapture/procscan_lookup.c
