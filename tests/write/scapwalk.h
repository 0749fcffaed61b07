/*
 * An independent walker over a .scap file for the writer tests: checks the
 * framing of every block (length multiple of 4, trailer equal to the
 * header, SHB of 28 bytes, metadata before events, list entries filling
 * their block) and counts blocks and process-list entries.
 */
#ifndef UDIG_TESTS_WRITE_SCAPWALK_H
#define UDIG_TESTS_WRITE_SCAPWALK_H
#include <stddef.h>

struct scapwalk {
	size_t n_shb, n_mi, n_il, n_ul, n_pl, n_fdl, n_ev, n_evf, n_ev_large;
	size_t n_threads;   /* PL entries */
	size_t bytes;
	char error[256];    /* first framing problem, "" if none */
};

/* Walks a plain (not gzip) file; returns 0 if it could be read. */
int scapwalk_file(const char *path, struct scapwalk *w);

/* One thread's raw PL v9 entry and its FDL v2 entries, found in a file. */
struct sw_thread {
	unsigned char *pl;      /* entry, from its length field on */
	size_t pl_len;
	unsigned char **fd;     /* fd entries */
	size_t *fd_len, n_fd;
	int have_fdl;
};
int scapwalk_thread(const char *path, long long tid, struct sw_thread *t);
void sw_thread_free(struct sw_thread *t);
/* Compares two PL v9 entries field by field, leaving out the fields that
 * change while a process runs (vm sizes, page faults); 0 if equal, else
 * writes the first differing field into why. */
int sw_pl_compare(const struct sw_thread *a, const struct sw_thread *b, char *why, size_t cap);
/* Is every fd entry of a also in b and vice versa (any order)?  The dev of
 * FILE_V2 entries is left out.  0 if equal, else the first difference. */
int sw_fd_compare(const struct sw_thread *a, const struct sw_thread *b, char *why, size_t cap);

#endif
