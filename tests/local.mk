# Test programs use Check; each area adds its own fragment.
TEST_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) -DTOP_SRCDIR='"$(abs_top_srcdir)"' -DTOP_BUILDDIR='"$(abs_top_builddir)"'
TEST_LIBS = $(CHECK_LIBS)
AM_TESTS_ENVIRONMENT = top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)'; export top_srcdir top_builddir;
include tests/common.mk
include tests/schema.mk
include tests/scap.mk
include tests/write.mk
include tests/format.mk
include tests/ring.mk
include tests/fuzz.mk
include tests/preload.mk
include tests/fillers.mk
include tests/cli.mk
include tests/inject.mk
include tests/security.mk
include tests/rewrite.mk
include tests/fidelity.mk
include tests/controls.mk
