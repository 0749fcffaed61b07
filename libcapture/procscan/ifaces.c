/*
 * Network interfaces from getifaddrs(): IPv4 entries with address, netmask
 * and broadcast address, IPv6 entries with address and netmask; addresses
 * in network byte order, link speed unknown (0), as libscap lists them.
 */
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <string.h>
#include "procscan-int.h"

static void copy_in4(uint8_t out[4], const struct sockaddr *sa)
{
	memset(out, 0, 4);
	if (sa && sa->sa_family == AF_INET)
		memcpy(out, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, 4);
}

static void copy_in6(uint8_t out[16], const struct sockaddr *sa)
{
	memset(out, 0, 16);
	if (sa && sa->sa_family == AF_INET6)
		memcpy(out, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, 16);
}

int procscan_ifaces(struct udig_tables *t, char *err)
{
	struct ifaddrs *ifa, *i;
	int rc = UDIG_OK;

	if (getifaddrs(&ifa) != 0) {
		udig_errf(err, "getifaddrs: %s", strerror(errno));
		return UDIG_FAILURE;
	}
	tables_ifaces_clear(t);
	for (i = ifa; i && rc == UDIG_OK; i = i->ifa_next) {
		if (!i->ifa_addr)
			continue;
		if (i->ifa_addr->sa_family == AF_INET) {
			struct udig_iface4 f;
			memset(&f, 0, sizeof f);
			f.name = i->ifa_name;
			copy_in4(f.addr, i->ifa_addr);
			copy_in4(f.netmask, i->ifa_netmask);
			if (i->ifa_flags & IFF_BROADCAST)
				copy_in4(f.bcast, i->ifa_broadaddr);
			if (tables_iface4_add(t, &f))
				rc = UDIG_FAILURE;
		} else if (i->ifa_addr->sa_family == AF_INET6) {
			struct udig_iface6 f;
			memset(&f, 0, sizeof f);
			f.name = i->ifa_name;
			copy_in6(f.addr, i->ifa_addr);
			copy_in6(f.netmask, i->ifa_netmask);
			if (tables_iface6_add(t, &f))
				rc = UDIG_FAILURE;
		}
	}
	freeifaddrs(ifa);
	if (rc != UDIG_OK)
		udig_errf(err, "out of memory reading the interface list");
	return rc;
}
