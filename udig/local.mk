# The shared encoding layer: record encoder, raw syscall gate, ring writer,
# fillers.  Linked into every producer (preload library, injector), one copy.
noinst_LTLIBRARIES += udig/encode/libudigenc.la
udig_encode_libudigenc_la_SOURCES = \
	udig/encode/encoder.c \
	udig/encode/sys.h \
	udig/encode/syscall.S \
	udig/encode/ring_writer.h \
	udig/encode/fillers.h
# No vector or x87 register anywhere in the recorder: the rewriter's fast
# path calls it from the program's code without saving that state
# (udig/preload/novec.c says why).
UDIG_NOVEC_CFLAGS = -mgeneral-regs-only
udig_encode_libudigenc_la_CFLAGS = $(AM_CFLAGS) -fPIC $(UDIG_NOVEC_CFLAGS)
udig_encode_libudigenc_la_CCASFLAGS = -fPIC
udig_encode_libudigenc_la_LIBADD = libcapture/schema/libudigschema.la
udiginclude_HEADERS += include/udig/encode.h include/udig/ring.h
include udig/ring.mk
include udig/fillers.mk
include udig/preload.mk
