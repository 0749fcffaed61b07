/* Path joining as libsinsp does it for relative names (cwd or dirfd base). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "state/state-int.h"

/* libsinsp's copy_and_sanitize_path writes a byte that is not printable
 * ASCII as '.': "a\tb" names "a.b", "\xc3\xa9" (e-acute) "..". */
static inline int path_byte_invalid(unsigned char ch)
{
	return ch < 0x20 || ch >= 0x7f;
}

static void copy_sanitized(char *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		out[i] = path_byte_invalid((unsigned char)s[i]) ? '.' : s[i];
}

/* Appends `rel` to out[0..*len), resolving "." and ".." components and
 * dropping repeated slashes; ".." never climbs above the first '/'. */
static void append_clean(char *out, size_t *len, const char *rel)
{
	const char *p = rel;
	while (*p) {
		const char *seg = p;
		size_t n = 0;
		while (seg[n] && seg[n] != '/')
			n++;
		int last = seg[n] == 0;
		p = seg + n + (last ? 0 : 1);
		if (n == 0) {
			/* "//": keep a single separator */
			if (*len == 0 || out[*len - 1] != '/')
				out[(*len)++] = '/';
			continue;
		}
		if (n == 1 && seg[0] == '.')
			continue;
		if (n == 2 && seg[0] == '.' && seg[1] == '.') {
			/* drop the last component: "/a/b/" -> "/a/" */
			if (*len > 1) {
				size_t k = *len - 1; /* the trailing '/' */
				while (k > 0 && out[k - 1] != '/')
					k--;
				*len = k ? k : 1;
			}
			continue;
		}
		copy_sanitized(out + *len, seg, n);
		*len += n;
		if (!last)
			out[(*len)++] = '/';
	}
	out[*len] = 0;
}

/* 0x80 in each byte of v that is zero, 0 elsewhere (exact: no borrow
 * spills into the neighbouring bytes). */
static inline uint64_t zero_bytes(uint64_t v)
{
	const uint64_t low7 = 0x7f7f7f7f7f7f7f7full;
	return ~(((v & low7) + low7) | v | low7);
}

/* Does the 8-byte window at p hold a '/' followed by '/' or '.', or a
 * byte that is not printable ASCII? */
static inline int window_unclean(const char *p)
{
	const uint64_t ones = 0x0101010101010101ull;
	uint64_t v;
	memcpy(&v, p, 8);
	uint64_t slash = zero_bytes(v ^ ('/' * ones)), dot = zero_bytes(v ^ ('.' * ones));
	/* below 0x20: the top three bits clear; 0x7f; 0x80 and up: the top bit */
	uint64_t invalid = zero_bytes(v & (0xe0 * ones)) | zero_bytes(v ^ (0x7f * ones)) | (v & (0x80 * ones));
	/* little-endian: byte i+1 moves to byte i */
	return (slash & ((slash | dot) >> 8)) != 0 || invalid != 0;
}

/* Measures rel and tells whether it is already clean: no empty component
 * ("//"), none that starts with a dot (only "." and ".." change
 * anything, but telling ".x" from them is not worth it here) and no byte
 * to sanitize.  Most names
 * are clean, and append_clean would copy them unchanged.  An open's name
 * goes through here, so the test looks at 8 bytes at a time, in windows
 * that overlap by one so that every pair of neighbours is seen. */
static size_t measure(const char *rel, int *clean)
{
	size_t n = strlen(rel), i = 0;
	int ok = rel[0] != '.';
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	if (n >= 8) {
		for (; ok && i + 8 <= n; i += 7)
			ok = !window_unclean(rel + i);
		if (ok)
			ok = !window_unclean(rel + n - 8);
		*clean = ok;
		return n;
	}
#endif
	for (; ok && i < n; i++)
		if ((rel[i] == '/' && (rel[i + 1] == '/' || rel[i + 1] == '.')) || path_byte_invalid((unsigned char)rel[i]))
			ok = 0;
	*clean = ok;
	return n;
}

/* Writes the joined path into out, which has room for bl + rl + 3 bytes
 * (rl = strlen(rel), clean as measure() says). */
static void join_into(char *out, const char *base, size_t bl, const char *rel, size_t rl, int clean)
{
	size_t len = 0;
	if (rel[0] != '/' && bl) {
		memcpy(out, base, bl);
		len = bl;
		if (out[len - 1] != '/')
			out[len++] = '/';
	}
	if (clean) {
		memcpy(out + len, rel, rl + 1);
		len += rl;
	} else {
		out[len] = 0;
		append_clean(out, &len, rel);
	}
	/* a trailing separator goes, as the OS drops it (copy_and_sanitize_path):
	 * "/usr/" names the directory "/usr"; "/" stays */
	if (len > 1 && out[len - 1] == '/')
		out[len - 1] = 0;
}

char *path_join(const char *base, const char *rel)
{
	int clean;
	size_t bl = base ? strlen(base) : 0, rl = measure(rel, &clean);
	char *out = malloc(bl + rl + 3);
	if (!out)
		return NULL;
	join_into(out, base, bl, rel, rl, clean);
	return out;
}

const char *path_join_buf(struct scratch *buf, const char *base, const char *rel)
{
	int clean;
	/* an absolute name ignores the base: do not even measure it */
	size_t bl = rel[0] == '/' || !base ? 0 : strlen(base), rl = measure(rel, &clean);
	size_t need = bl + rl + 3;
	if (need > buf->cap) {
		size_t cap = buf->cap ? buf->cap : 256;
		while (cap < need)
			cap *= 2;
		char *p = realloc(buf->p, cap);
		if (!p)
			return NULL;
		buf->p = p;
		buf->cap = cap;
	}
	join_into(buf->p, base, bl, rel, rl, clean);
	return buf->p;
}

const char *path_unknown_dir_buf(struct scratch *buf, const char *rel)
{
	static const char pre[] = "<UNKNOWN>";
	const size_t k = sizeof pre - 1;
	if (!path_join_buf(buf, NULL, rel))
		return NULL;
	size_t n = strlen(buf->p);
	if (n + k + 1 > buf->cap) {
		char *p = realloc(buf->p, n + k + 1);
		if (!p)
			return NULL;
		buf->p = p;
		buf->cap = n + k + 1;
	}
	memmove(buf->p + k, buf->p, n + 1);
	memcpy(buf->p, pre, k);
	return buf->p;
}

const char *path_dirfd_dir(const udig_capture *c, const struct thread_entry *te, int64_t dirfd)
{
	if (dirfd == UDIG_AT_FDCWD)
		return te->ti.cwd;
	struct fd_entry *f = tables_fd_get(&c->tables, te->ti.tid, dirfd);
	return f ? f->fi.name : "";
}

char *path_dirfd_base(const udig_capture *c, const struct thread_entry *te, int64_t dirfd)
{
	if (dirfd == UDIG_AT_FDCWD)
		return strdup(te->ti.cwd);
	struct fd_entry *f = tables_fd_get(&c->tables, te->ti.tid, dirfd);
	if (!f || !f->fi.name[0])
		return strdup("");
	size_t n = strlen(f->fi.name);
	char *s = malloc(n + 2);
	if (!s)
		return NULL;
	memcpy(s, f->fi.name, n);
	s[n] = 0;
	if (n == 0 || s[n - 1] != '/')
		s[n] = '/', s[n + 1] = 0;
	return s;
}
