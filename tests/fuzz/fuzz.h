/*
 * One fuzz target per file, written as FUZZ_TARGET(name) { body }: the
 * body becomes fuzz_<name>(data, size).  Built for libFuzzer (the
 * --enable-fuzzers programs), the file also defines LLVMFuzzerTestOneInput
 * calling it; built for the replayer (-DFUZZ_REPLAY), it does not, so one
 * replay program holds every target and picks one by name (replay.c).
 */
#ifndef UDIG_FUZZ_H
#define UDIG_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#ifdef FUZZ_REPLAY
#define FUZZ_ENTRY(name)
#else
#define FUZZ_ENTRY(name)                                                   \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);      \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)       \
	{                                                                  \
		return fuzz_##name(data, size);                            \
	}
#endif

#define FUZZ_TARGET(name)                                     \
	int fuzz_##name(const uint8_t *data, size_t size);    \
	FUZZ_ENTRY(name)                                      \
	int fuzz_##name(const uint8_t *data, size_t size)

#endif
