/*
 * udig/encode.h — build event records in the reference format.
 *
 * One copy of the encoding, shared by every producer (the preload library,
 * the ptrace and unotify engines) and by tests.  It writes into a buffer the
 * caller owns and never past its end; it allocates nothing, takes no locks
 * and calls no libc function that is not async-signal-safe, so it runs inside
 * a SIGSYS handler.
 *
 *   struct udig_enc e;
 *   udig_enc_begin(&e, buf, sizeof buf, UEV_SYSCALL_OPEN_E, ts, tid);
 *   udig_enc_str(&e, path);  udig_enc_u32(&e, flags);  udig_enc_u32(&e, mode);
 *   size_t len = udig_enc_end(&e);      // 0 if anything did not fit or mismatched
 *
 * Parameters must be added in table order and with the table's count; a
 * mismatch is reported by udig_enc_end() (the record would make the consumer
 * misparse).  Values are not type-checked beyond their size.
 */
#ifndef UDIG_ENCODE_H
#define UDIG_ENCODE_H

#include <stddef.h>
#include <stdint.h>
#include <udig/event.h>

#ifdef __cplusplus
extern "C" {
#endif

enum udig_enc_status {
	UDIG_ENC_OK = 0,
	UDIG_ENC_NOSPACE,   /* the buffer is too small for the record */
	UDIG_ENC_BADTYPE,   /* unknown event type */
	UDIG_ENC_TOOMANY,   /* more parameters than the table declares */
	UDIG_ENC_TOOFEW,    /* udig_enc_end() before the last parameter */
	UDIG_ENC_TOOBIG,    /* one parameter longer than its length field allows */
};

struct udig_enc {
	uint8_t *buf;
	size_t cap;
	size_t pos;          /* next value byte */
	uint32_t nparams;    /* declared by the table */
	uint32_t next;       /* index of the next parameter */
	uint8_t lensize;     /* 2, or 4 for large-payload events */
	uint8_t status;      /* enum udig_enc_status, sticky */
};

/* Starts a record of `type`; reserves header and length array. */
void udig_enc_begin(struct udig_enc *e, void *buf, size_t cap, uint16_t type, uint64_t ts, uint64_t tid);

/* Appends one parameter of `len` raw bytes (len may be 0). */
void udig_enc_raw(struct udig_enc *e, const void *val, size_t len);

/* Fixed-size values, little-endian. */
void udig_enc_u8(struct udig_enc *e, uint8_t v);
void udig_enc_u16(struct udig_enc *e, uint16_t v);
void udig_enc_u32(struct udig_enc *e, uint32_t v);
void udig_enc_u64(struct udig_enc *e, uint64_t v);
static inline void udig_enc_s64(struct udig_enc *e, int64_t v) { udig_enc_u64(e, (uint64_t)v); }

/* NUL-terminated string including its NUL; NULL encodes "(NULL)" as the driver does.
 * `max` bounds the bytes read from s (0 = UDIG_MAX_ARG_SIZE). */
void udig_enc_str(struct udig_enc *e, const char *s, size_t max);

/* Byte buffer cut at `snaplen` bytes (0 = no cut beyond UDIG_MAX_ARG_SIZE). */
void udig_enc_buf(struct udig_enc *e, const void *p, size_t len, size_t snaplen);

/* Open-ended parameter: returns where up to `max` value bytes may be written
 * (NULL on error); commit the used part with udig_enc_commit(). */
uint8_t *udig_enc_reserve(struct udig_enc *e, size_t *max);
void udig_enc_commit(struct udig_enc *e, size_t used);

/* Finishes the record; returns its length, or 0 with e->status set. */
size_t udig_enc_end(struct udig_enc *e);

const char *udig_enc_strerror(enum udig_enc_status s);

#ifdef __cplusplus
}
#endif
#endif
