libcapture_libcapture_la_SOURCES += \
	libcapture/version.c
