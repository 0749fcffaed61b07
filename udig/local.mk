# The shared encoding layer: record encoder (and, as they land, the ring
# writer and the fillers).  Linked into every producer, one copy.
noinst_LTLIBRARIES += udig/encode/libudigenc.la
udig_encode_libudigenc_la_SOURCES = \
	udig/encode/encoder.c
udig_encode_libudigenc_la_CFLAGS = $(AM_CFLAGS) -fPIC
udig_encode_libudigenc_la_LIBADD = libcapture/schema/libudigschema.la
udiginclude_HEADERS += include/udig/encode.h include/udig/ring.h
