# udig: fillers area.  One decoder file per syscall family, a dispatch
# table (fillers.c), flag translations, parameter helpers, /proc facts.
udig_encode_libudigenc_la_SOURCES += \
	udig/encode/fillers.c \
	udig/encode/fill_int.h \
	udig/encode/fill_util.c \
	udig/encode/fill_flags.c \
	udig/encode/fill_file.c \
	udig/encode/fill_fs.c \
	udig/encode/fill_io.c \
	udig/encode/fill_net.c \
	udig/encode/fill_fd.c \
	udig/encode/fill_mm.c \
	udig/encode/fill_process.c \
	udig/encode/fill_signal.c \
	udig/encode/fill_misc.c \
	udig/encode/procinfo.c
