# udig: ring area — the producer side of the udig ring.
udig_encode_libudigenc_la_SOURCES += \
	udig/encode/ring_writer.c \
	udig/encode/ring_lock.c \
	udig/encode/ring_lock.h \
	udig/encode/ring_pidns.c \
	udig/encode/ring_pidns.h \
	udig/encode/ring_shm.c \
	udig/encode/ring_shm.h
