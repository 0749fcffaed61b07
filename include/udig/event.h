/*
 * udig/event.h — the event record format and the event schema.
 *
 * Everything here mirrors, value for value, the event format of the
 * Falco/sysdig kernel drivers as shipped in Debian's libfalcosecurity0
 * (libs 0.1.1dev+git20220316.e5c53d64).  tests/schema checks that claim
 * against the installed reference at run time; the numeric enums live in
 * the generated <udig/event_types.h> and <udig/flag_values.h>.
 */
#ifndef UDIG_EVENT_H
#define UDIG_EVENT_H

#include <stdint.h>
#include <stddef.h>

#include <udig/event_types.h>
#include <udig/flag_values.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Limits of the record format. */
#define UDIG_MAX_EVENT_PARAMS 32     /* parameters one event may declare */
#define UDIG_MAX_PATH_SIZE 256       /* the driver cuts enter-event paths here */
#define UDIG_MAX_ARG_SIZE 65000      /* largest single parameter the driver writes */
#define UDIG_DEFAULT_SNAPLEN 80      /* I/O payload bytes kept unless told otherwise */
#define UDIG_AT_FDCWD (-100)

/*
 * The 26-byte record header.  Records are packed back to back in rings and
 * files, so a header is usually unaligned: read it with udig_hdr_load(), never
 * by casting a pointer into a buffer.
 */
struct udig_evt_hdr {
	uint64_t ts;      /* ns since the epoch (CLOCK_REALTIME) */
	uint64_t tid;     /* host thread id */
	uint32_t len;     /* whole record: header + length array + values */
	uint16_t type;    /* enum udig_event_type */
	uint32_t nparams; /* length slots that follow the header */
} __attribute__((packed));

#define UDIG_HDR_SIZE 26u

/* Parameter value types (the PT_* of the reference). */
enum udig_param_type {
	UDIG_PT_NONE = 0,
	UDIG_PT_INT8 = 1,
	UDIG_PT_INT16 = 2,
	UDIG_PT_INT32 = 3,
	UDIG_PT_INT64 = 4,
	UDIG_PT_UINT8 = 5,
	UDIG_PT_UINT16 = 6,
	UDIG_PT_UINT32 = 7,
	UDIG_PT_UINT64 = 8,
	UDIG_PT_CHARBUF = 9,
	UDIG_PT_BYTEBUF = 10,
	UDIG_PT_ERRNO = 11,
	UDIG_PT_SOCKADDR = 12,
	UDIG_PT_SOCKTUPLE = 13,
	UDIG_PT_FD = 14,
	UDIG_PT_PID = 15,
	UDIG_PT_FDLIST = 16,
	UDIG_PT_FSPATH = 17,
	UDIG_PT_SYSCALLID = 18,
	UDIG_PT_SIGTYPE = 19,
	UDIG_PT_RELTIME = 20,
	UDIG_PT_ABSTIME = 21,
	UDIG_PT_PORT = 22,
	UDIG_PT_L4PROTO = 23,
	UDIG_PT_SOCKFAMILY = 24,
	UDIG_PT_BOOL = 25,
	UDIG_PT_IPV4ADDR = 26,
	UDIG_PT_DYN = 27,
	UDIG_PT_FLAGS8 = 28,
	UDIG_PT_FLAGS16 = 29,
	UDIG_PT_FLAGS32 = 30,
	UDIG_PT_UID = 31,
	UDIG_PT_GID = 32,
	UDIG_PT_DOUBLE = 33,
	UDIG_PT_SIGSET = 34,
	UDIG_PT_CHARBUFARRAY = 35,
	UDIG_PT_CHARBUF_PAIR_ARRAY = 36,
	UDIG_PT_IPV4NET = 37,
	UDIG_PT_IPV6ADDR = 38,
	UDIG_PT_IPV6NET = 39,
	UDIG_PT_IPADDR = 40,
	UDIG_PT_IPNET = 41,
	UDIG_PT_MODE = 42,
	UDIG_PT_FSRELPATH = 43,
	UDIG_PT_MAX = 44
};

/* How a numeric parameter is rendered. */
enum udig_print_fmt {
	UDIG_PF_NA = 0,
	UDIG_PF_DEC = 1,
	UDIG_PF_HEX = 2,
	UDIG_PF_10_PADDED_DEC = 3,
	UDIG_PF_ID = 4,
	UDIG_PF_DIR = 5,
	UDIG_PF_OCT = 6
};

enum udig_event_category {
	UDIG_EC_UNKNOWN = 0,
	UDIG_EC_OTHER = 1,
	UDIG_EC_FILE = 2,
	UDIG_EC_NET = 3,
	UDIG_EC_IPC = 4,
	UDIG_EC_MEMORY = 5,
	UDIG_EC_PROCESS = 6,
	UDIG_EC_SLEEP = 7,
	UDIG_EC_SYSTEM = 8,
	UDIG_EC_SIGNAL = 9,
	UDIG_EC_USER = 10,
	UDIG_EC_TIME = 11,
	UDIG_EC_PROCESSING = 12,
	UDIG_EC_IO_BASE = 32,
	UDIG_EC_IO_READ = 32,
	UDIG_EC_IO_WRITE = 33,
	UDIG_EC_IO_OTHER = 34,
	UDIG_EC_WAIT = 64,
	UDIG_EC_SCHEDULER = 128,
	UDIG_EC_INTERNAL = 256
};

enum udig_event_flags {
	UDIG_EF_NONE = 0,
	UDIG_EF_CREATES_FD = 1 << 0,
	UDIG_EF_DESTROYS_FD = 1 << 1,
	UDIG_EF_USES_FD = 1 << 2,
	UDIG_EF_READS_FROM_FD = 1 << 3,
	UDIG_EF_WRITES_TO_FD = 1 << 4,
	UDIG_EF_MODIFIES_STATE = 1 << 5,
	UDIG_EF_UNUSED = 1 << 6,
	UDIG_EF_WAITS = 1 << 7,
	UDIG_EF_SKIPPARSERESET = 1 << 8,
	UDIG_EF_OLD_VERSION = 1 << 9,
	UDIG_EF_DROP_SIMPLE_CONS = 1 << 10,
	UDIG_EF_LARGE_PAYLOAD = 1 << 11 /* u32 parameter lengths instead of u16 */
};

/* Flags of the native-syscall table (the UF_* of the reference). */
enum udig_syscall_flags {
	UDIG_UF_NONE = 0,
	UDIG_UF_USED = 1 << 0,
	UDIG_UF_NEVER_DROP = 1 << 1,
	UDIG_UF_ALWAYS_DROP = 1 << 2,
	UDIG_UF_SIMPLEDRIVER_KEEP = 1 << 3,
	UDIG_UF_ATOMIC = 1 << 4,
	UDIG_UF_UNINTERESTING = 1 << 5
};

/* One name of a flag bit or an enumerated value. Tables end with {NULL, 0}. */
struct udig_name_value {
	const char *name;
	uint32_t value;
};

struct udig_param_info {
	const char *name;
	uint8_t type;  /* enum udig_param_type */
	uint8_t fmt;   /* enum udig_print_fmt */
	uint8_t dirfd; /* FSRELPATH: index of the parameter holding the dirfd */
	uint8_t ndyn;  /* DYN: number of entries in dyn[] */
	const struct udig_name_value *names;  /* flag/value names, or NULL */
	const struct udig_param_info *dyn;    /* DYN: the type behind each index byte */
};

struct udig_event_info {
	const char *name;
	uint16_t category; /* enum udig_event_category */
	uint16_t flags;    /* enum udig_event_flags */
	uint32_t nparams;
	const struct udig_param_info *params;
};

/* Native x86_64 syscall number -> events and PPM_SC code. */
#define UDIG_SYSCALL_TABLE_SIZE 512
struct udig_syscall_entry {
	uint16_t flags; /* enum udig_syscall_flags */
	uint16_t enter; /* enum udig_event_type; UEV_GENERIC_E when not decoded */
	uint16_t exit;
	uint16_t sc;    /* enum udig_syscall_code */
};

struct udig_syscall_info {
	const char *name;
	uint16_t category;
	uint16_t flags;
};

extern const struct udig_event_info udig_event_table[UDIG_EVENT_MAX];
extern const struct udig_syscall_entry udig_syscall_table[UDIG_SYSCALL_TABLE_SIZE];
extern const struct udig_syscall_info udig_syscall_info_table[USC_MAX];

/* Schema lookups; NULL / 0 for ids out of range. */
const struct udig_event_info *udig_event_info(uint16_t type);
const char *udig_param_type_name(enum udig_param_type t); /* as `sysdig -L` prints it */
const char *udig_syscall_name(uint16_t sc);
int udig_event_is_listed(uint16_t type); /* shown by `sysdig -L`? */

/* Enter events are even, exit events odd. */
static inline int udig_event_is_enter(uint16_t type) { return !(type & 1); }

/* Header access that is safe for unaligned records. */
static inline void udig_hdr_load(struct udig_evt_hdr *dst, const void *src)
{
	__builtin_memcpy(dst, src, UDIG_HDR_SIZE);
}

#ifdef __cplusplus
}
#endif
#endif
