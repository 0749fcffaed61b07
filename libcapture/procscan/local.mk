# The /proc scanner: this machine's processes, fds, sockets, users and
# interfaces, at open and on demand for threads first seen in events.
libcapture_libcapture_core_la_SOURCES += \
	libcapture/procscan/procscan-int.h \
	libcapture/procscan/scan.c \
	libcapture/procscan/thread.c \
	libcapture/procscan/fds.c \
	libcapture/procscan/net.c \
	libcapture/procscan/users.c \
	libcapture/procscan/ifaces.c \
	libcapture/procscan/lookup.c \
	libcapture/procscan/refresh.c
