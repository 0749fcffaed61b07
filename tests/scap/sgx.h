/*
 * More .scap builders for the reader's tests, on top of scapgen: every block
 * type and version (process lists v1..v9, fd lists with each fd type,
 * interface and user lists, v1/v2/large/flagged event blocks), an event
 * record builder, and one sample capture the tests share.
 */
#ifndef UDIG_TEST_SGX_H
#define UDIG_TEST_SGX_H
#include <stddef.h>
#include <stdint.h>
#include "../common/scapgen.h"

struct sgx_param { const void *p; uint32_t len; };
/* A record: 26-byte header, lengths (u32 when large), values. */
void sgx_record(struct sgbuf *b, uint64_t ts, uint64_t tid, uint16_t type, const struct sgx_param *ps, unsigned n, int large);
/* An event block of any id: EVF ids (0x208, 0x217, 0x222) get the flags word;
 * v1 ids (0x204, 0x8010ABCD, 0x208) get the record without its nparams word. */
void sgx_evblock(struct scapgen *g, uint32_t id, uint16_t cpu, uint32_t flags, const uint8_t *rec, size_t len);

/* Process list of any version; tail: write loginuid + exe_writable (v9 only). */
void sgx_pl(struct scapgen *g, uint32_t id, unsigned version, const struct sg_thread *t, size_t n, int tail);

struct sgx_fd {
	int64_t fd;
	uint64_t ino;
	uint8_t type;
	uint32_t flags, dev;      /* FILE_V2 */
	const char *name;         /* file-like types and unix sockets */
	uint8_t sip[16], dip[16]; /* sockets: v4 uses the first 4 bytes */
	uint16_t sport, dport;
	uint8_t l4;
	uint64_t src_ep, dst_ep;  /* unix */
};
/* FDL v1 (0x203 / 0x8001ABCD) or v2 (0x218). */
void sgx_fdl(struct scapgen *g, uint32_t id, uint64_t tid, const struct sgx_fd *fds, size_t n);

struct sgx_if { uint16_t type; const char *name; uint8_t addr[16], mask[16], bcast[16]; uint64_t speed; };
void sgx_il(struct scapgen *g, uint32_t id, const struct sgx_if *ifs, size_t n);

struct sgx_user { uint32_t uid, gid; const char *name, *home, *shell; };
struct sgx_group { uint32_t gid; const char *name; };
void sgx_ul(struct scapgen *g, uint32_t id, const struct sgx_user *u, size_t nu, const struct sgx_group *gr, size_t ng);

/* What sgx_sample() can vary. */
struct sgx_opts {
	unsigned pl_version;  /* 0 = 9 */
	int fdl_v1, il_v1, ul_v1;
	uint32_t ev_id;       /* 0 = 0x216 */
	uint32_t flags;       /* EVF dump flags for every event */
	uint16_t cpu0;        /* event i goes on cpu cpu0 + i % 2 */
	int no_meta;          /* SHB + events only */
};
/*
 * The shared sample (like specs/scap-file.md §16.1): MI, IL, UL, PL with
 * tid 1 "init" and tid 4242 "probecat", fds 0/1/2 (FILE_V2) and 5 (IPv4
 * TCP) for 4242, an empty FDL for tid 1, then 12 events of tid 4242:
 * open, read fd 3, read fd 0, write fd 1, write fd 5, close — enter + exit.
 * Returns the number of events.
 */
unsigned sgx_sample(struct scapgen *g, const struct sgx_opts *o);
/* Only the 12 event blocks (for more sections or concatenations). */
void sgx_sample_events(struct scapgen *g, const struct sgx_opts *o);

#define SGX_TID 4242
#define SGX_NEVENTS 12u
#define SGX_TS0 1700000000000000000ull
#endif
