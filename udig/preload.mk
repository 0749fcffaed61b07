# udig: preload area — libudig.so, the in-process capture engine (LD_PRELOAD).
# Built without sanitizers whatever AM_CFLAGS says: it runs inside a SIGSYS
# handler of arbitrary programs, where ASan is unsound (and its runtime would
# have to come first in every captured program).  So in a sanitizer build the
# shared encoding layer is compiled into it afresh instead of linked.
pkglib_LTLIBRARIES += udig/preload/libudig.la
udig_preload_libudig_la_SOURCES = \
	udig/preload/preload.h \
	udig/preload/seccomp.h \
	udig/preload/init.c \
	udig/preload/arm.c \
	udig/preload/seccomp.c \
	udig/preload/handler.c \
	udig/preload/record.c \
	udig/preload/signals.c \
	udig/preload/faults.c \
	udig/preload/clone.c \
	udig/preload/exec.c \
	udig/preload/creds.c \
	udig/preload/pidns.c \
	udig/preload/exit.c \
	udig/preload/wait.c \
	udig/preload/debug.c \
	udig/preload/trampoline.S \
	udig/preload/memcopy.S
udig_preload_libudig_la_CFLAGS = $(WARN_CFLAGS) -fPIC -fvisibility=hidden $(UDIG_NOVEC_CFLAGS)
udig_preload_libudig_la_CCASFLAGS = -fPIC
# -z initfirst: our constructor runs before those of every other library
# (libselinux's, for one, opens /proc/filesystems before main), so that the
# program's syscalls are captured from the first constructor on.
udig_preload_libudig_la_LDFLAGS = -module -avoid-version -shared -Wl,-z,now -Wl,-z,defs -Wl,-z,initfirst \
	-Wl,--version-script=$(srcdir)/udig/preload/libudig.map
EXTRA_udig_preload_libudig_la_DEPENDENCIES = $(srcdir)/udig/preload/libudig.map
if SANITIZERS
udig_preload_libudig_la_SOURCES += $(udig_encode_libudigenc_la_SOURCES) \
	$(libcapture_schema_libudigschema_la_SOURCES)
udig_preload_libudig_la_LIBADD = udig/preload/libnovec.la -ldl
else
udig_preload_libudig_la_LIBADD = udig/preload/libnovec.la udig/encode/libudigenc.la -ldl
endif
# The vector-free string functions, with flags of their own so that the
# compiler cannot turn their loops back into calls to themselves.
noinst_LTLIBRARIES += udig/preload/libnovec.la
udig_preload_libnovec_la_SOURCES = udig/preload/novec.c
udig_preload_libnovec_la_CFLAGS = $(WARN_CFLAGS) -fPIC -fvisibility=hidden $(UDIG_NOVEC_CFLAGS) \
	-fno-builtin $(NOVEC_LOOP_CFLAGS)
EXTRA_DIST += udig/preload/libudig.map
# The fast path (udig/rewrite): rewritten syscall sites call the recorder
# directly.  Optional only when configure found no Zydis.
if REWRITE
udig_preload_libudig_la_SOURCES += \
	udig/rewrite/rewrite.h \
	udig/rewrite/urw.h \
	udig/rewrite/site.c \
	udig/rewrite/hooks.c \
	udig/rewrite/report.c \
	udig/rewrite/fde.c \
	udig/rewrite/plan.c \
	udig/rewrite/tramp.c \
	udig/rewrite/patch.c \
	udig/rewrite/fast.c \
	udig/rewrite/entry.S
udig_preload_libudig_la_LIBADD += $(ZYDIS_LIBS)
else
EXTRA_DIST += udig/rewrite/rewrite.h
endif
