/*
 * Set-ID programs under capture.
 *
 * An exec that would raise a process's credentials natively (a
 * set-user-ID or set-group-ID image, or one with file capabilities) is
 * silently downgraded by the kernel when the process has no_new_privs —
 * which an unprivileged user must set to install our seccomp filter — or
 * is ptraced by a tracer without CAP_SYS_PTRACE.  The program then runs
 * without its privileges and may print something else than natively
 * (`passwd -S` does).  The engines refuse such an exec instead (EPERM and
 * a message), and `udig run` refuses, or runs natively, a command that is
 * one itself.
 *
 * setid.c holds the kernel's rules, as pure functions (unit-tested);
 * setid_probe.c gathers the facts from the file system and /proc;
 * setid_exec.c decides for an exec a tracee is entering.
 */
#ifndef INJECT_SETID_H
#define INJECT_SETID_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* What an exec would change natively (bits of inj_setid_changes()). */
enum {
	INJ_SETID_UID = 1,   /* effective uid: set-user-ID bit */
	INJ_SETID_GID = 2,   /* effective gid: set-group-ID bit (with group execute) */
	INJ_SETID_CAPS = 4,  /* permitted capabilities gained from the file's */
};

/* The file the kernel would load, as far as credentials go. */
struct inj_setid_file {
	mode_t mode;
	uid_t uid;
	gid_t gid;
	int nosuid;                /* on a nosuid mount: bits and capabilities ignored */
	int has_fcaps;             /* a security.capability attribute was read */
	uint64_t fcap_permitted;
	uint64_t fcap_inheritable;
};

/* The process about to exec (from /proc/PID/status). */
struct inj_setid_creds {
	uid_t ruid, euid;
	gid_t rgid, egid;
	uint64_t cap_inheritable, cap_permitted, cap_effective, cap_bounding;
	int no_new_privs;
};

/*
 * The credential changes the kernel makes when a process with creds c
 * execs file f without ptrace and without a no_new_privs it did not have
 * natively (c->no_new_privs: it had it natively, so nothing changes):
 * bprm_fill_uid() and cap_bprm_creds_from_file(), which compare the new
 * effective ids with the old REAL ids.  A root-owned set-user-ID program
 * run by root changes nothing.  File capabilities are counted for
 * non-root processes only: root's capabilities come from being root, not
 * from the file.  0 when nothing changes.
 */
unsigned inj_setid_changes(const struct inj_setid_file *f, const struct inj_setid_creds *c);

/* Are those changes lost under capture: the process has no_new_privs
 * now, or is ptraced by a tracer without CAP_SYS_PTRACE? */
int inj_setid_lost(unsigned changes, int nnp_now, int ptraced, int tracer_capable);

/* "set-user-ID root", "set-group-ID shadow", "file capabilities", joined
 * with " and " (names from the user and group databases, else numbers). */
void inj_setid_describe(unsigned changes, const struct inj_setid_file *f, char *out, size_t len);

/* Parses /proc/PID/status text into c.  0, or -1 when a field is missing. */
int inj_setid_parse_status(const char *text, struct inj_setid_creds *c);

/* Parses a security.capability value (vfs_cap_data, revision 1-3) into
 * f's fcap fields.  0, or -1 when it is not one. */
int inj_setid_parse_fcaps(const void *val, size_t len, struct inj_setid_file *f);

/* setid_probe.c: the facts. */

/*
 * Opens the file an exec would load, O_PATH: path resolved as the kernel
 * resolves the exec of a process whose root is rootfd (-1: ours) from
 * directory dirfd (AT_FDCWD: ours); at_flags: execveat's AT_EMPTY_PATH and
 * AT_SYMLINK_NOFOLLOW.  The fd, or -errno.
 */
int inj_setid_open(int rootfd, int dirfd, const char *path, int at_flags);

/* The facts of an opened file into f; for a #! script, those of its
 * interpreter (the kernel ignores a script's own bits; up to the
 * kernel's 4 levels), resolved like the kernel does (from rootfd, cwdfd).
 * real receives the path of the file whose bits count.  0, or -errno:
 * not a regular file, or unreadable facts (the exec decides then). */
int inj_setid_facts(int fd, int rootfd, int cwdfd, struct inj_setid_file *f, char *real, size_t reallen);

/* The credentials of thread tid (0: ourselves).  0 or -1. */
int inj_setid_creds_of(pid_t tid, struct inj_setid_creds *c);

/* setid_exec.c: the decision for a tracee's exec. */

/* What our own credentials allow, once per session. */
struct inj_setid_guard {
	int on;              /* 0: nothing can be lost, no exec is looked at */
	int native_nnp;      /* we have no_new_privs ourselves: so would the program natively */
	int filter_nnp;      /* installing the filter needs no_new_privs (no CAP_SYS_ADMIN) */
	int tracer_capable;  /* CAP_SYS_PTRACE: a ptraced set-ID exec keeps its privileges */
};
void inj_setid_guard_init(struct inj_setid_guard *g);

/*
 * Thread tid is entering exec syscall nr (execve or execveat, x86_64) with
 * args; ptraced: it is, or will be at the exec, traced by us.  Would that
 * exec run without the privileges it gets natively?  1 with a one-line
 * message in msg (saying that it is refused, or with detach, that the
 * thread is let go to run it natively), 0 otherwise — also when the target cannot be looked
 * at (the exec then fails or succeeds on its own).  The target is read
 * from the tracee's memory while it waits in the kernel; another thread
 * of it could change the name afterwards, which harms only itself.
 */
int inj_setid_exec_check(const struct inj_setid_guard *g, pid_t tid, long nr, const uint64_t args[6], int ptraced,
                         int detach, char *msg, size_t len);

#endif
