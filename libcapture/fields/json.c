/*
 * JSON strings exactly as sysdig writes them: sysdig 0.29.3 prints -j
 * through jsoncpp's FastWriter (Debian links jsoncpp 1.9.5), which escapes
 * quote, backslash and control characters and writes every non-ASCII
 * character as \uXXXX (UTF-16, lower-case hex), decoding UTF-8 its own
 * lenient way: a lead byte decides the length, continuation bytes are not
 * checked, and what does not decode becomes U+FFFD.
 */
#include <string.h>
#include "fields-int.h"

#define REPLACEMENT 0xFFFDu

/* jsoncpp's utf8ToCodepoint: the code point at *s, *s moved to its last byte. */
static unsigned utf8_codepoint(const unsigned char **s, const unsigned char *end)
{
	const unsigned char *p = *s;
	unsigned b0 = p[0], cp;
	size_t avail = (size_t)(end - p);
	if (b0 < 0x80)
		return b0;
	if (b0 < 0xE0) {
		if (avail < 2)
			return REPLACEMENT;
		cp = ((b0 & 0x1Fu) << 6) | (p[1] & 0x3Fu);
		*s = p + 1;
		return cp < 0x80 ? REPLACEMENT : cp;
	}
	if (b0 < 0xF0) {
		if (avail < 3)
			return REPLACEMENT;
		cp = ((b0 & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
		*s = p + 2;
		if (cp >= 0xD800 && cp <= 0xDFFF)
			return REPLACEMENT;
		return cp < 0x800 ? REPLACEMENT : cp;
	}
	if (b0 < 0xF8) {
		if (avail < 4)
			return REPLACEMENT;
		cp = ((b0 & 0x07u) << 18) | ((p[1] & 0x3Fu) << 12) | ((p[2] & 0x3Fu) << 6) | (p[3] & 0x3Fu);
		*s = p + 3;
		return cp < 0x10000 ? REPLACEMENT : cp;
	}
	return REPLACEMENT;
}

void json_put_string(struct fmtbuf *b, const char *str)
{
	const unsigned char *s = (const unsigned char *)str, *end = s + strlen(str);
	fb_putc(b, '"');
	for (; s < end; s++) {
		switch (*s) {
		case '"': fb_puts(b, "\\\""); continue;
		case '\\': fb_puts(b, "\\\\"); continue;
		case '\b': fb_puts(b, "\\b"); continue;
		case '\f': fb_puts(b, "\\f"); continue;
		case '\n': fb_puts(b, "\\n"); continue;
		case '\r': fb_puts(b, "\\r"); continue;
		case '\t': fb_puts(b, "\\t"); continue;
		}
		unsigned cp = utf8_codepoint(&s, end);
		if (cp >= 0x20 && cp < 0x80)
			fb_putc(b, (char)cp);
		else if (cp < 0x10000)
			fb_printf(b, "\\u%04x", cp);
		else /* a surrogate pair */
			fb_printf(b, "\\u%04x\\u%04x", 0xD800 + (((cp - 0x10000) >> 10) & 0x3FF),
				  0xDC00 + ((cp - 0x10000) & 0x3FF));
	}
	fb_putc(b, '"');
}
