# tests: the Falco source plugin (plugin/).  Included from plugin/local.mk.
TESTS += tests/plugin/test_plugin_host tests/plugin/table025.sh tests/plugin/peer.sh
dist_check_SCRIPTS += tests/plugin/table025.sh tests/plugin/peer.sh tests/plugin/workload.sh
check_PROGRAMS += tests/plugin/test_plugin_host
# The host dlopens the built plugin; the conversion plan is linked in to
# check it directly.
tests_plugin_test_plugin_host_SOURCES = tests/plugin/test_plugin_host.c \
	plugin/convert.c plugin/fill.c plugin/schema/table025.c
tests_plugin_test_plugin_host_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir) -I$(top_srcdir)/plugin
tests_plugin_test_plugin_host_CFLAGS = $(TEST_CFLAGS)
tests_plugin_test_plugin_host_LDADD = libcapture/libcapture.la $(TEST_LIBS) -ldl
