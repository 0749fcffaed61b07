/*
 * The corpus's record list and its .scap image (SHB, MI, PL, FDLs, events):
 * no libcapture internals, so that programs linking the shared library
 * (the filter fuzz target) can build the corpus as well as the white-box
 * format tests.
 */
#include <stdlib.h>
#include <string.h>
#include "corpus.h"
#include "corpus_threads.h"

void corpus_add(struct corpus *co, const void *rec, size_t len, uint16_t cpu)
{
	if (co->n == co->cap) {
		co->cap = co->cap ? co->cap * 2 : 64;
		co->recs = realloc(co->recs, co->cap * sizeof *co->recs);
		if (!co->recs)
			abort();
	}
	uint8_t *p = malloc(len);
	if (!p)
		abort();
	memcpy(p, rec, len);
	co->recs[co->n++] = (struct corpus_rec){ p, len, cpu };
}

void corpus_free(struct corpus *co)
{
	for (size_t i = 0; i < co->n; i++)
		free(co->recs[i].p);
	free(co->recs);
	memset(co, 0, sizeof *co);
}

int corpus_write_scap(const struct corpus *co, const char *path)
{
	struct scapgen g;
	sg_init(&g, path, 0);
	sg_shb(&g, 1, 2);
	sg_mi(&g, 4, 1ull << 30, "corpus-host");
	sg_pl9(&g, corpus_threads, corpus_nthreads);
	for (size_t i = 0; i < corpus_nthreads; i++) {
		int64_t fds[16];
		const char *names[16];
		size_t n = 0;
		uint32_t flags = 0;
		for (size_t j = 0; j < corpus_nfds && n < 16; j++)
			if ((uint64_t)corpus_fds[j].tid == corpus_threads[i].tid) {
				fds[n] = corpus_fds[j].fd;
				names[n++] = corpus_fds[j].name;
				flags = corpus_fds[j].flags;
			}
		sg_fdl2_files(&g, corpus_threads[i].tid, fds, names, n, flags);
	}
	for (size_t i = 0; i < co->n; i++)
		sg_ev(&g, co->recs[i].cpu, co->recs[i].p, co->recs[i].len);
	return sg_close(&g, 0);
}
