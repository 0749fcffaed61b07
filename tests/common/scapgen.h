/*
 * scapgen — a test-only .scap builder that can write exactly the bytes a
 * test asks for, including broken ones (wrong trailers, odd versions,
 * truncations).  Not the production writer (libcapture/scap/write.c): tests
 * use it to forge inputs for the reader and for sysdig.
 */
#ifndef UDIG_TEST_SCAPGEN_H
#define UDIG_TEST_SCAPGEN_H
#include <stddef.h>
#include <stdint.h>

/* A growable byte buffer with little-endian writers. */
struct sgbuf {
	uint8_t *p;
	size_t len, cap;
};
void sgb_bytes(struct sgbuf *b, const void *p, size_t n);
void sgb_u8(struct sgbuf *b, uint8_t v);
void sgb_u16(struct sgbuf *b, uint16_t v);
void sgb_u32(struct sgbuf *b, uint32_t v);
void sgb_u64(struct sgbuf *b, uint64_t v);
void sgb_str16(struct sgbuf *b, const char *s);              /* u16 length + bytes, no NUL */
void sgb_blob16(struct sgbuf *b, const char *s, size_t n);   /* u16 length + n bytes */
void sgb_free(struct sgbuf *b);

/* Block ids (specs/scap-file.md §3). */
enum {
	SG_SHB = 0x0A0D0D0A, SG_MI = 0x201, SG_PL1 = 0x202, SG_PL9 = 0x215, SG_FDL1 = 0x203,
	SG_FDL2 = 0x218, SG_EV1 = 0x204, SG_EV2 = 0x216, SG_EV2_LARGE = 0x221, SG_EVF2 = 0x217,
	SG_IL2 = 0x219, SG_UL2 = 0x220,
};

/* A process-list v9 entry. */
struct sg_thread {
	uint64_t tid, pid, ptid, sid, vpgid;
	const char *comm, *exe, *exepath, *cwd, *root;
	const char *args; size_t args_len;   /* NUL-separated */
	const char *env; size_t env_len;
	const char *cgroups; size_t cgroups_len;
	int64_t fdlimit;
	uint32_t flags, uid, gid;
	int64_t vtid, vpid;
	int32_t loginuid;
};

struct scapgen {
	struct sgbuf out;  /* the whole file, written at sg_close */
	const char *path;
	int gzip;
};

void sg_init(struct scapgen *g, const char *path, int gzip);
/* Any block: header, body, zero padding to 4, trailer (trailer_override != 0 replaces it). */
void sg_block(struct scapgen *g, uint32_t type, const void *body, size_t len, uint32_t trailer_override);
void sg_shb(struct scapgen *g, uint16_t major, uint16_t minor);
void sg_mi(struct scapgen *g, uint32_t ncpus, uint64_t mem, const char *hostname);
void sg_pl9(struct scapgen *g, const struct sg_thread *t, size_t n);
/* FDL v2 with FILE_V2 entries only: fds[i] opened as names[i] with PPM_O flags. */
void sg_fdl2_files(struct scapgen *g, uint64_t tid, const int64_t *fds, const char *const *names, size_t n, uint32_t flags);
/* An event record into an EV v2 block (cpu id), or EVF v2 with flags. */
void sg_ev(struct scapgen *g, uint16_t cpu, const void *rec, size_t len);
void sg_evf(struct scapgen *g, uint16_t cpu, uint32_t flags, const void *rec, size_t len);
/* Writes the file (gzip through zlib when asked); truncate_at != 0 cuts it. Returns 0 or -1. */
int sg_close(struct scapgen *g, size_t truncate_at);

#endif
