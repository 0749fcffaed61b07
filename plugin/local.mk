# plugin: libudig-falco.so, udig as a syscall source plugin for Falco /
# libsinsp (plugin API 3.x).  Installed in $(pkglibdir) next to libudig.so.
pkglib_LTLIBRARIES += plugin/libudig-falco.la
plugin_libudig_falco_la_SOURCES = \
	plugin/api.h \
	plugin/exports.h \
	plugin/plugin.h \
	plugin/plugin.c \
	plugin/init_config.h \
	plugin/init_config.c \
	plugin/params.h \
	plugin/params.c \
	plugin/source.c \
	plugin/launch.h \
	plugin/launch.c \
	plugin/convert.h \
	plugin/convert.c \
	plugin/fill.h \
	plugin/fill.c \
	plugin/schema/table025.h \
	plugin/schema/table025.c \
	plugin/udig_path.c \
	tools/ring_janitor.h \
	tools/ring_janitor.c
plugin_libudig_falco_la_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir) -I$(top_srcdir)/plugin \
	-DUDIG_BINDIR='"$(bindir)"'
# Only the plugin_* entry points are exported (plugin.c marks them).
plugin_libudig_falco_la_CFLAGS = $(AM_CFLAGS) -fvisibility=hidden
# libcapture goes in whole and hidden (--exclude-libs): one file that needs
# no relinking when installed and no libcapture.so.0 when loaded.
plugin_libudig_falco_la_LDFLAGS = $(AM_LDFLAGS) -module -avoid-version -shared -no-undefined \
	-Wl,--exclude-libs,ALL
plugin_libudig_falco_la_LIBADD = libcapture/libcapture_core.la $(ZLIB_LIBS) -ldl
include tests/plugin.mk
