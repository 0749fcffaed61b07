/* Socket addresses and tuples as sysdig prints them (no DNS or service
 * names: sysdig resolves nothing unless asked). */
#include <arpa/inet.h>
#include <inttypes.h>
#include <string.h>
#include "format-int.h"

/* libsinsp drops every byte that is not printable ASCII from socket paths */
static void put_sanitized(struct fmtbuf *b, const uint8_t *s, size_t maxlen)
{
	for (size_t i = 0; i < maxlen && s[i]; i++)
		if (s[i] >= 0x20 && s[i] < 0x7f)
			fb_putc(b, (char)s[i]);
}

static void put_v4(struct fmtbuf *b, const uint8_t *ip, const uint8_t *port)
{
	uint16_t p;
	memcpy(&p, port, 2);
	fb_printf(b, "%u.%u.%u.%u:%u", ip[0], ip[1], ip[2], ip[3], p);
}

static void put_v6(struct fmtbuf *b, const uint8_t *ip, const uint8_t *port)
{
	char s[INET6_ADDRSTRLEN];
	uint16_t p;
	memcpy(&p, port, 2);
	if (!inet_ntop(AF_INET6, ip, s, sizeof s))
		s[0] = 0;
	fb_printf(b, "%s:%u", s, p);
}

static int is_v4_mapped(const uint8_t *a)
{
	static const uint8_t pfx[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	return !memcmp(a, pfx, 12);
}

int net_sockaddr_str(struct fmtbuf *b, const uint8_t *v, uint32_t len)
{
	if (len < 1)
		return -1;
	switch (v[0]) {
	case UDIG_AF_UNIX:
		put_sanitized(b, v + 1, len - 1);
		return 0;
	case UDIG_AF_INET:
		if (len != 7) {
			fb_puts(b, "INVALID IPv4");
			return 0;
		}
		put_v4(b, v + 1, v + 5);
		return 0;
	case UDIG_AF_INET6:
		if (len != 19) {
			fb_puts(b, "INVALID IPv6");
			return 0;
		}
		put_v6(b, v + 1, v + 17);
		return 0;
	}
	fb_printf(b, "family %d", v[0]);
	return 0;
}

int net_socktuple_str(struct fmtbuf *b, const uint8_t *v, uint32_t len)
{
	if (len < 1)
		return -1;
	switch (v[0]) {
	case UDIG_AF_INET:
		if (len != 13) {
			fb_puts(b, "INVALID IPv4");
			return 0;
		}
		put_v4(b, v + 1, v + 5);
		fb_puts(b, "->");
		put_v4(b, v + 7, v + 11);
		return 0;
	case UDIG_AF_INET6:
		if (len != 37) {
			fb_puts(b, "INVALID IPv6");
			return 0;
		}
		if (is_v4_mapped(v + 1) && is_v4_mapped(v + 19)) {
			put_v4(b, v + 13, v + 17);
			fb_puts(b, "->");
			put_v4(b, v + 31, v + 35);
		} else {
			put_v6(b, v + 1, v + 17);
			fb_puts(b, "->");
			put_v6(b, v + 19, v + 35);
		}
		return 0;
	case UDIG_AF_UNIX: {
		if (len < 17)
			return -1;
		uint64_t src, dst;
		memcpy(&src, v + 1, 8);
		memcpy(&dst, v + 9, 8);
		fb_printf(b, "%" PRIx64 "->%" PRIx64 " ", src, dst);
		put_sanitized(b, v + 17, len - 17);
		return 0;
	}
	}
	fb_printf(b, "family %d", v[0]);
	return 0;
}
