# Benchmarks: built with the tree, run by hand (never as timed tests).
noinst_PROGRAMS += bench/mkcapture
bench_mkcapture_SOURCES = bench/mkcapture.c
bench_mkcapture_LDADD = libcapture/libcapture.la udig/encode/libudigenc.la
dist_noinst_SCRIPTS += bench/read.sh
noinst_PROGRAMS += bench/loop bench/sud_floor bench/notif_floor
bench_loop_SOURCES = bench/loop.c bench/loop_pattern.h
bench_sud_floor_SOURCES = bench/sud_floor.c bench/loop_pattern.h
bench_notif_floor_SOURCES = bench/notif_floor.c bench/loop_pattern.h
dist_noinst_SCRIPTS += bench/syscalls.sh
noinst_PROGRAMS += bench/scmask
bench_scmask_SOURCES = bench/scmask.c tools/capture_types.c
bench_scmask_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)
bench_scmask_LDADD = inject/libinject.la
dist_noinst_SCRIPTS += bench/listen_idle.sh
dist_noinst_SCRIPTS += bench/fidelity.sh
EXTRA_DIST += bench/common.sh
dist_noinst_SCRIPTS += bench/controls.sh
