# udig: ring area.
udig_encode_libudigenc_la_SOURCES += udig/encode/ring_writer.c
