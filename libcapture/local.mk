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

# The consumer library's objects, compiled once for two users: the
# installed libcapture (shared and static) and the Falco plugin, which
# carries a hidden copy (plugin/local.mk).  A plugin linked to the shared
# libcapture would need libtool to relink it at install time, which fails
# for `make install prefix=DIR` (a prefix other than configure's), and
# would need libcapture.so.0 on its search path wherever Falco loads it.
noinst_LTLIBRARIES += libcapture/libcapture_core.la
libcapture_libcapture_core_la_SOURCES =
libcapture_libcapture_core_la_LIBADD = libcapture/schema/libudigschema.la
libcapture_libcapture_core_la_CFLAGS = $(AM_CFLAGS) $(ZLIB_CFLAGS)
include libcapture/sources.mk

# The consumer library.
lib_LTLIBRARIES += libcapture/libcapture.la
libcapture_libcapture_la_SOURCES =
libcapture_libcapture_la_LIBADD = libcapture/libcapture_core.la $(ZLIB_LIBS)
# Only the udig_ names of include/udig/ are exported (libcapture.map says why).
libcapture_libcapture_la_LDFLAGS = $(AM_LDFLAGS) -version-info 0:0:0 \
	-Wl,--version-script=$(srcdir)/libcapture/libcapture.map
EXTRA_libcapture_libcapture_la_DEPENDENCIES = $(srcdir)/libcapture/libcapture.map
EXTRA_DIST += libcapture/libcapture.map
