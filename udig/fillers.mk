# udig: fillers area.
udig_encode_libudigenc_la_SOURCES += udig/encode/fillers.c
