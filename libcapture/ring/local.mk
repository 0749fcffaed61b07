# The live udig ring source.  The shm helper is the producer's own copy
# (udig/encode/ring_shm.c), compiled here too so that both sides create and
# size objects identically.
libcapture_libcapture_core_la_SOURCES += \
	libcapture/ring/live.h \
	libcapture/ring/read.c \
	libcapture/ring/next.c \
	libcapture/ring/ctl.c \
	libcapture/ring/use.c \
	udig/encode/ring_shm.c \
	udig/encode/ring_shm.h
