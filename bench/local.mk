# Benchmarks: built with the tree, run by hand (never as timed tests).
noinst_PROGRAMS += bench/mkcapture
bench_mkcapture_SOURCES = bench/mkcapture.c
bench_mkcapture_LDADD = libcapture/libcapture.la udig/encode/libudigenc.la
dist_noinst_SCRIPTS += bench/read.sh
