# libcapture: present area (sources added by its owner).
libcapture_libcapture_la_SOURCES += \
	libcapture/state-int.h \
	libcapture/state_fd.c \
	libcapture/path.c \
	libcapture/format-int.h \
	libcapture/format_buf.c \
	libcapture/format_net.c \
	libcapture/format_names.c \
	libcapture/format_param.c
libcapture_libcapture_la_SOURCES += \
	libcapture/filter-int.h \
	libcapture/fields/fields-int.h \
	libcapture/fields/table.c \
	libcapture/fields/evt.c \
	libcapture/fields/proc.c \
	libcapture/fields/fd.c \
	libcapture/fields/value.c \
	libcapture/fields/printf.c
libcapture_libcapture_la_SOURCES += libcapture/state_net.c
