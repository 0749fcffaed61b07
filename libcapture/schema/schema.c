/* Lookups over the generated schema tables. */
#include "schema.h"

const struct udig_event_info *udig_event_info(uint16_t type)
{
	return type < UDIG_EVENT_MAX ? &udig_event_table[type] : 0;
}

const char *udig_syscall_name(uint16_t sc)
{
	if (sc >= USC_MAX || !udig_syscall_info_table[sc].name)
		return "<unknown>";
	return udig_syscall_info_table[sc].name;
}

/* The names `sysdig -L` gives parameter types. */
static const char *const param_type_names[UDIG_PT_MAX] = {
	"NONE", "INT8", "INT16", "INT32", "INT64", "UINT8", "UINT16", "UINT32",
	"UINT64", "CHARBUF", "BYTEBUF", "ERRNO", "SOCKADDR", "SOCKTUPLE", "FD",
	"PID", "FDLIST", "FSPATH", "SYSCALLID", "SIGTYPE", "RELTIME", "ABSTIME",
	"PORT", "L4PROTO", "SOCKFAMILY", "BOOL", "IPV4ADDR", "DYNAMIC", "FLAGS8",
	"FLAGS16", "FLAGS32", "UID", "GID", "DOUBLE", "SIGSET", "CHARBUFARRAY",
	"CHARBUF_PAIR_ARRAY", "IPV4NET", "IPV6ADDR", "IPV6NET", "IPADDR", "IPNET",
	"MODE", "FSRELPATH",
};

const char *udig_param_type_name(enum udig_param_type t)
{
	return (unsigned)t < UDIG_PT_MAX ? param_type_names[t] : "UNKNOWN";
}

/* sysdig's event list leaves out placeholders, superseded versions and
 * events only the consumer itself generates. */
int udig_event_is_listed(uint16_t type)
{
	const struct udig_event_info *e = udig_event_info(type);
	if (!e)
		return 0;
	if (e->flags & (UDIG_EF_UNUSED | UDIG_EF_OLD_VERSION))
		return 0;
	return !(e->category & UDIG_EC_INTERNAL);
}
