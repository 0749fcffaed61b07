# libcapture's core: the public handle, events, tables, filters and fields.
# Each area with files of its own keeps its list in its folder's local.mk.
libcapture_libcapture_core_la_SOURCES += \
	libcapture/capture-int.h \
	libcapture/tables.h \
	libcapture/evt-int.h \
	libcapture/version.c \
	libcapture/evt.c \
	libcapture/evt_fd.c \
	libcapture/capture.c \
	libcapture/tables.c \
	libcapture/path.c \
	libcapture/filter-int.h \
	libcapture/filter.c \
	libcapture/fields/fields-int.h \
	libcapture/fields/table.c \
	libcapture/fields/evt.c \
	libcapture/fields/proc.c \
	libcapture/fields/fd.c \
	libcapture/fields/value.c \
	libcapture/fields/printf.c \
	libcapture/fields/json.c
udiginclude_HEADERS += include/udig/capture.h
include libcapture/scap/local.mk
include libcapture/procscan/local.mk
include libcapture/state/local.mk
include libcapture/format/local.mk
include libcapture/ring/local.mk
