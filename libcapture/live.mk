# libcapture: live area — the udig ring consumer.  ring_read.c is listed in
# sources.mk; the shm helper is the producer's own copy (udig/encode/ring_shm.c),
# compiled here too so that both sides create and size objects identically.
libcapture_libcapture_la_SOURCES += \
	libcapture/ring_live.h \
	libcapture/ring_next.c \
	libcapture/ring_ctl.c \
	udig/encode/ring_shm.c \
	udig/encode/ring_shm.h
