# The event schema: generated tables plus lookups.  Pure data, no
# dependencies, linked into the consumer library and every producer.
noinst_LTLIBRARIES += libcapture/schema/libudigschema.la
libcapture_schema_libudigschema_la_SOURCES = \
	libcapture/schema/schema.h \
	libcapture/schema/schema_tables.h \
	libcapture/schema/schema.c \
	libcapture/schema/event_table.c \
	libcapture/schema/flag_tables.c \
	libcapture/schema/syscall_table.c
libcapture_schema_libudigschema_la_CFLAGS = $(AM_CFLAGS) -fPIC $(UDIG_NOVEC_CFLAGS)

udiginclude_HEADERS += \
	include/udig/event.h \
	include/udig/event_types.h \
	include/udig/flag_values.h

# The consumer library.
lib_LTLIBRARIES += libcapture/libcapture.la
libcapture_libcapture_la_SOURCES =
libcapture_libcapture_la_LIBADD = libcapture/schema/libudigschema.la $(ZLIB_LIBS)
libcapture_libcapture_la_CFLAGS = $(AM_CFLAGS) $(ZLIB_CFLAGS)
libcapture_libcapture_la_LDFLAGS = $(AM_LDFLAGS) -version-info 0:0:0 \
	-Wl,--version-script=$(srcdir)/libcapture/libcapture.map
EXTRA_libcapture_libcapture_la_DEPENDENCIES = $(srcdir)/libcapture/libcapture.map
EXTRA_DIST += libcapture/libcapture.map
include libcapture/sources.mk
