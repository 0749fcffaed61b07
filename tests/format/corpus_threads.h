/* The processes and pre-existing fds of the format corpus. */
#ifndef UDIG_TEST_CORPUS_THREADS_H
#define UDIG_TEST_CORPUS_THREADS_H
#include "scapgen.h"

struct corpus_fd {
	int64_t tid, fd;
	const char *name;
	uint32_t flags;
};

extern const struct sg_thread corpus_threads[];
extern const size_t corpus_nthreads;
extern const struct corpus_fd corpus_fds[];
extern const size_t corpus_nfds;

/* tids */
enum { T_INIT = 1, T_PROBE = 100, T_SHELL = 150, T_CHILD = 200, T_WORKER = 300, T_WTHREAD = 301, T_NOPL = 9999 };

#endif
