/*
 * The string functions libudig.so calls, in versions that never touch a
 * vector or x87 register.
 *
 * Why: a rewritten syscall site (udig/rewrite) calls the recorder straight
 * from the program's code, where a `syscall` instruction would have kept
 * every register but rax, rcx and r11 — vector state included.  Saving and
 * restoring that state around the recorder (XSAVEC/XRSTOR of up to 2.5 KB
 * of AVX-512 state, which glibc's own AVX-512 memmove keeps "in use") was a
 * quarter of the fast path's cost.  So nothing the recorder runs may touch
 * it: everything linked into libudig.so is compiled with
 * -mgeneral-regs-only, and the mem and str functions it calls — glibc's are
 * vectorised — resolve here instead (hidden: the program's calls still go
 * to glibc).  tests/rewrite/novec.sh checks that libudig.so imports none of
 * them, and tests/rewrite/sites.sh that vector registers survive a
 * rewritten site.
 *
 * Also built with -fno-builtin and -fno-tree-loop-distribute-patterns, so
 * that the compiler does not turn these loops back into calls to
 * themselves.  rep movsb / rep stosb are fast on every CPU with ERMS and
 * good enough without, past their start-up cost.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define HIDDEN __attribute__((visibility("hidden")))

typedef uint64_t __attribute__((may_alias, aligned(1))) word_u;

HIDDEN void *memcpy(void *dst, const void *src, size_t n)
{
	/* Most copies are a few header fields or a short path: word moves
	 * beat rep movsb's start-up there. */
	if (n < 64) {
		unsigned char *d = dst;
		const unsigned char *s = src;
		for (; n >= 8; n -= 8, d += 8, s += 8)
			*(word_u *)d = *(const word_u *)s;
		while (n--)
			*d++ = *s++;
		return dst;
	}
	void *d = dst;
	__asm__ volatile("rep movsb" : "+D"(d), "+S"(src), "+c"(n) : : "memory");
	return dst;
}

HIDDEN void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d <= s || d >= s + n)
		return memcpy(dst, src, n);
	while (n--) /* overlapping, destination above: from the end */
		d[n] = s[n];
	return dst;
}

HIDDEN void *memset(void *dst, int c, size_t n)
{
	void *d = dst;

	__asm__ volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(c) : "memory");
	return dst;
}

HIDDEN int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

HIDDEN void *memchr(const void *p, int c, size_t n)
{
	const unsigned char *s = p;

	for (; n; n--, s++)
		if (*s == (unsigned char)c)
			return (void *)s;
	return NULL;
}

HIDDEN size_t strlen(const char *s)
{
	const char *e = s;

	while (*e)
		e++;
	return (size_t)(e - s);
}

HIDDEN size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

HIDDEN char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

HIDDEN char *strrchr(const char *s, int c)
{
	const char *last = NULL;

	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (!*s)
			return (char *)last;
	}
}

HIDDEN int strcmp(const char *a, const char *b)
{
	for (; *a && *a == *b; a++, b++)
		;
	return (unsigned char)*a - (unsigned char)*b;
}

HIDDEN int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (!*a)
			return 0;
	}
	return 0;
}

HIDDEN size_t strcspn(const char *s, const char *reject)
{
	size_t n = 0;

	for (; s[n]; n++)
		if (strchr(reject, s[n]))
			break;
	return n;
}
