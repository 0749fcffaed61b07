# tests: the fuzz targets (tests/fuzz/fuzz_*.c, one input kind each: .scap
# files, filters and -p formats, a hostile live ring).  The normal build
# replays each target's committed corpus (tests/fuzz/corpus/TARGET/: seeds
# and the inputs that once crashed it) through one replayer that holds
# every target; --enable-fuzzers builds the libFuzzer programs.
# The filter target runs on the format tests' corpus, written as a .scap file.
FUZZ_FILTER_SOURCES = tests/fuzz/fuzz_filter.c tests/format/corpus.c tests/format/corpus_scap.c \
	tests/format/corpus.h tests/format/corpus_threads.h
FUZZ_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/libcapture -I$(top_srcdir)/tests/common
FUZZ_LDADD = libcapture/libcapture.la udig/encode/libudigenc.la tests/common/libtestcommon.la $(ZLIB_LIBS)

check_PROGRAMS += tests/fuzz/replay tests/fuzz/mkcorpus tests/fuzz/mkring
tests_fuzz_replay_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz.h tests/fuzz/fuzz_scap.c tests/fuzz/fuzz_ring.c \
	$(FUZZ_FILTER_SOURCES)
tests_fuzz_replay_CPPFLAGS = $(FUZZ_CPPFLAGS) -DFUZZ_REPLAY
tests_fuzz_replay_CFLAGS = $(TEST_CFLAGS)
tests_fuzz_replay_LDADD = $(FUZZ_LDADD)
# Seed makers: .scap captures (and, with "hostile", broken ones made at
# test time), and ring scripts.
tests_fuzz_mkcorpus_SOURCES = tests/fuzz/mkcorpus.c
tests_fuzz_mkcorpus_CFLAGS = $(TEST_CFLAGS)
tests_fuzz_mkcorpus_LDADD = tests/scap/libscaptest.la tests/common/libtestcommon.la $(ZLIB_LIBS)
tests_fuzz_mkring_SOURCES = tests/fuzz/mkring.c
tests_fuzz_mkring_CFLAGS = $(TEST_CFLAGS)
tests_fuzz_mkring_LDADD = udig/encode/libudigenc.la
dist_check_SCRIPTS += tests/fuzz/replay.sh
TESTS += tests/fuzz/replay.sh
EXTRA_DIST += tests/fuzz/corpus tests/fuzz/filter.dict

if FUZZERS
# configure --enable-fuzzers CC=clang CFLAGS='-g -O1 -fsanitize=fuzzer-no-link,address,undefined'
# instruments the library too; each target links libFuzzer's main.
# Build them by name (make tests/fuzz/fuzz_ring); run one at a time, e.g.
#   tests/fuzz/fuzz_ring -max_total_time=300 CORPUS_DIR $(srcdir)/tests/fuzz/corpus/ring
FUZZ_SAN = -fsanitize=fuzzer,address,undefined
noinst_PROGRAMS += tests/fuzz/fuzz_scap tests/fuzz/fuzz_filter tests/fuzz/fuzz_ring
tests_fuzz_fuzz_scap_SOURCES = tests/fuzz/fuzz_scap.c tests/fuzz/fuzz.h
tests_fuzz_fuzz_scap_CFLAGS = $(AM_CFLAGS) $(FUZZ_SAN)
tests_fuzz_fuzz_scap_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_SAN)
tests_fuzz_fuzz_scap_LDADD = libcapture/libcapture.la
tests_fuzz_fuzz_filter_SOURCES = $(FUZZ_FILTER_SOURCES) tests/fuzz/fuzz.h
tests_fuzz_fuzz_filter_CPPFLAGS = $(FUZZ_CPPFLAGS)
tests_fuzz_fuzz_filter_CFLAGS = $(AM_CFLAGS) $(FUZZ_SAN)
tests_fuzz_fuzz_filter_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_SAN)
tests_fuzz_fuzz_filter_LDADD = $(FUZZ_LDADD)
tests_fuzz_fuzz_ring_SOURCES = tests/fuzz/fuzz_ring.c tests/fuzz/fuzz.h
tests_fuzz_fuzz_ring_CFLAGS = $(AM_CFLAGS) $(FUZZ_SAN)
tests_fuzz_fuzz_ring_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_SAN)
tests_fuzz_fuzz_ring_LDADD = libcapture/libcapture.la
endif
