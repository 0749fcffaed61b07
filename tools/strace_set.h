/* strace's syscall names and classes, and its `-e trace=SET` expressions. */
#ifndef UDIG_STRACE_SET_H
#define UDIG_STRACE_SET_H
#include <stddef.h>
#include <stdint.h>

/* The classes strace puts syscalls in (its TRACE_* flags). */
enum {
	SC_FILE = 1 << 0, SC_IPC = 1 << 1, SC_NETWORK = 1 << 2, SC_PROCESS = 1 << 3,
	SC_SIGNAL = 1 << 4, SC_DESC = 1 << 5, SC_MEMORY = 1 << 6, SC_CREDS = 1 << 7,
	SC_CLOCK = 1 << 8, SC_STAT = 1 << 9, SC_LSTAT = 1 << 10, SC_FSTAT = 1 << 11,
	SC_STAT_LIKE = 1 << 12, SC_STATFS = 1 << 13, SC_FSTATFS = 1 << 14,
	SC_STATFS_LIKE = 1 << 15, SC_PURE = 1 << 16,
};

/* Indexed by the native x86_64 syscall number; name NULL where there is none. */
#define STRACE_NR_MAX 512
struct strace_syscall {
	const char *name;
	uint32_t classes;
};
extern const struct strace_syscall strace_syscalls[STRACE_NR_MAX];

/* A `-e trace=` selection: a set of native syscall numbers. */
struct strace_set {
	uint8_t nr[STRACE_NR_MAX / 8];
	int negated; /* written "!SET": everything but the listed calls */
};

/*
 * Parses one -e argument: "trace=SET" (or "t=SET", or a bare SET, as
 * strace takes them), SET being comma-separated syscall names, classes
 * (%file %process %network %signal %desc %memory %ipc %creds %clock %stat
 * %lstat %fstat %%stat %statfs %fstatfs %%statfs %pure), "all" or "none",
 * the whole optionally preceded by '!'.  Several -e trace= add up.  Returns
 * 0, or -1 with the reason in err.
 */
int strace_set_parse(const char *arg, struct strace_set *s, char *err, size_t errlen);
int strace_set_has(const struct strace_set *s, unsigned nr);

/*
 * The selection as a sysdig filter clause over evt.type, written into out:
 * "evt.type in (open,openat)" or "not evt.type in (...)".  Calls that udig
 * records as one event type (dup and dup2 are both "dup") select that type.
 * Returns 0, or -1 when out is too small.
 */
int strace_set_filter(const struct strace_set *s, char *out, size_t size);

/* The name of the syscall an event stands for, as strace prints it
 * ("pread64" for sysdig's "pread"); NULL for events that are not syscalls
 * (procexit, signaldeliver, ...). */
struct udig_evt;
const char *strace_event_name(const struct udig_evt *ev);

#endif
