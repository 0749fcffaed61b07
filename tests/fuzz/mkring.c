/*
 * mkring DIR — writes the seed scripts of the ring fuzz target
 * (tests/fuzz/corpus/ring/ is this program's output; the script language
 * is described in fuzz_ring.c): well-formed records published as producers
 * do, a record split at the ring's end, lying lengths, out-of-range heads,
 * scribbled descriptor words, the event mask and every consumer call.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <udig/encode.h>
#include <udig/event_types.h>
#include <udig/ring.h>

enum { RING, APPEND, HEAD, DESCS, CTL, READ, CALL, MASK, WAIT };

struct script {
	uint8_t p[8192];
	size_t len;
};

static void put(struct script *s, const void *p, size_t n)
{
	if (s->len + n > sizeof s->p)
		abort();
	memcpy(s->p + s->len, p, n);
	s->len += n;
}

static void op(struct script *s, uint8_t o) { put(s, &o, 1); }
static void u8(struct script *s, uint8_t v) { put(s, &v, 1); }
static void u16(struct script *s, uint16_t v) { put(s, &v, 2); }
static void u32(struct script *s, uint32_t v) { put(s, &v, 4); }

static void append(struct script *s, const uint8_t *rec, size_t n)
{
	op(s, APPEND);
	u16(s, (uint16_t)n);
	put(s, rec, n);
}

static void head(struct script *s, uint32_t h)
{
	op(s, HEAD);
	u32(s, h);
}

static void descs(struct script *s, uint8_t off, const void *p, uint8_t n)
{
	op(s, DESCS);
	u8(s, off);
	u8(s, n);
	put(s, p, n);
}

static void call(struct script *s, uint8_t which, uint32_t arg)
{
	op(s, CALL);
	u8(s, which);
	u32(s, arg);
}

/* Records of a small session of thread 4242: open, write, close, exit. */
static size_t rec_open_x(uint8_t *b, size_t cap)
{
	struct udig_enc e;
	udig_enc_begin(&e, b, cap, UEV_SYSCALL_OPEN_X, 1700000000000000000ull, 4242);
	udig_enc_s64(&e, 3);
	udig_enc_str(&e, "/etc/hostname", 0);
	udig_enc_u32(&e, 1);
	udig_enc_u32(&e, 0);
	udig_enc_u32(&e, 0x803);
	return udig_enc_end(&e);
}

static size_t rec_write(uint8_t *b, size_t cap, int exit)
{
	struct udig_enc e;
	if (exit) {
		udig_enc_begin(&e, b, cap, UEV_SYSCALL_WRITE_X, 1700000000000002000ull, 4242);
		udig_enc_s64(&e, 5);
		udig_enc_buf(&e, "hello", 5, 0);
	} else {
		udig_enc_begin(&e, b, cap, UEV_SYSCALL_WRITE_E, 1700000000000001000ull, 4242);
		udig_enc_s64(&e, 3);
		udig_enc_u32(&e, 5);
	}
	return udig_enc_end(&e);
}

static size_t rec_close_e(uint8_t *b, size_t cap)
{
	struct udig_enc e;
	udig_enc_begin(&e, b, cap, UEV_SYSCALL_CLOSE_E, 1700000000000003000ull, 4242);
	udig_enc_s64(&e, 3);
	return udig_enc_end(&e);
}

static size_t rec_procexit(uint8_t *b, size_t cap)
{
	struct udig_enc e;
	udig_enc_begin(&e, b, cap, UEV_PROCEXIT_1_E, 1700000000000004000ull, 4242);
	udig_enc_s64(&e, 0);
	udig_enc_s64(&e, 0);
	udig_enc_u8(&e, 0);
	udig_enc_u8(&e, 0);
	return udig_enc_end(&e);
}

static void session(struct script *s)
{
	uint8_t b[512];
	append(s, b, rec_open_x(b, sizeof b));
	append(s, b, rec_write(b, sizeof b, 0));
	append(s, b, rec_write(b, sizeof b, 1));
	append(s, b, rec_close_e(b, sizeof b));
	append(s, b, rec_procexit(b, sizeof b));
}

static const char *dir;

static void out(const char *name, const struct script *s)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(s->p, 1, s->len, f) != s->len || fclose(f)) {
		perror(path);
		exit(1);
	}
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: mkring DIR\n");
		return 2;
	}
	dir = argv[1];
	struct script s;
	uint8_t b[512];

	/* Published and read in one go, then in two reads. */
	s.len = 0;
	session(&s);
	op(&s, READ);
	out("session", &s);
	s.len = 0;
	append(&s, b, rec_open_x(b, sizeof b));
	op(&s, READ);
	session(&s);
	out("session_two_reads", &s);

	/* A record split at the ring's end: the reader first skips to there
	 * (the zeroed span is one invalid record), then reads across. */
	s.len = 0;
	head(&s, UDIG_RINGBUF_SIZE - 20);
	op(&s, READ);
	session(&s);
	op(&s, READ);
	out("wrap", &s);

	/* A header whose length runs past head, and one shorter than a header. */
	s.len = 0;
	size_t n = rec_open_x(b, sizeof b);
	uint32_t lie = 4096;
	memcpy(b + 16, &lie, 4);
	append(&s, b, n);
	op(&s, READ);
	session(&s);
	n = rec_close_e(b, sizeof b);
	lie = 10;
	memcpy(b + 16, &lie, 4);
	append(&s, b, n);
	out("lying_lengths", &s);

	/* Head out of the ring, then back in. */
	s.len = 0;
	session(&s);
	head(&s, 0x80000000u);
	op(&s, READ);
	head(&s, 0);
	op(&s, READ);
	out("bad_head", &s);

	/* The consumer's words scribbled: tail, capturing pid, stopped, the
	 * extension and wake-up words; read (which repairs them) and go on. */
	s.len = 0;
	session(&s);
	uint32_t tail = 12345;
	descs(&s, offsetof(struct udig_ring_descs, info.tail), &tail, 4);
	int32_t words[3] = { 0, 0, 1 }; /* initialized, capturing_pid, stopped */
	descs(&s, offsetof(struct udig_ring_descs, status.initialized), words, sizeof words);
	uint64_t ext[2] = { ~0ull, ~0ull };
	descs(&s, offsetof(struct udig_ring_descs, status.last_print_time), ext, sizeof ext);
	op(&s, READ);
	session(&s);
	out("scribbled_descs", &s);

	/* The mask: writes filtered out by the reader, then wanted again. */
	s.len = 0;
	op(&s, MASK);
	u16(&s, UEV_SYSCALL_WRITE_X);
	u8(&s, 0);
	session(&s);
	op(&s, READ);
	op(&s, MASK);
	u16(&s, UEV_SYSCALL_WRITE_X);
	u8(&s, 1);
	session(&s);
	out("mask", &s);

	/* Every consumer call, with an argument it accepts. */
	s.len = 0;
	static const uint32_t args[13] = { 0x6873 /* "sh" */, 4242, 4242, 0, 8, 0, 0x00500050, 1, 256, 0, 0, 0, 0 };
	for (uint8_t i = 0; i < 13; i++)
		call(&s, i, args[i]);
	session(&s);
	out("calls", &s);

	/* The .ctl object's lists as a producer may leave them: a comm and a
	 * tid in force, then the calls that read them. */
	s.len = 0;
	uint32_t counts[2] = { 1, 1 }; /* n_comms, n_tids */
	op(&s, CTL);
	u16(&s, offsetof(struct udig_ctl, n_comms));
	u8(&s, sizeof counts);
	put(&s, counts, sizeof counts);
	op(&s, CTL);
	u16(&s, offsetof(struct udig_ctl, comms));
	u8(&s, 3);
	put(&s, "sh", 3);
	int64_t tid = 4242;
	op(&s, CTL);
	u16(&s, offsetof(struct udig_ctl, tids));
	u8(&s, sizeof tid);
	put(&s, &tid, sizeof tid);
	call(&s, 0, 0x6873);
	call(&s, 1, 77);
	call(&s, 2, 4242);
	call(&s, 3, 0);
	out("ctl_lists", &s);

	/* Reads that wait: through the naps, for a record published between. */
	s.len = 0;
	op(&s, WAIT);
	u8(&s, 2);
	session(&s);
	op(&s, WAIT);
	u8(&s, 0);
	out("wait", &s);
	return 0;
}
