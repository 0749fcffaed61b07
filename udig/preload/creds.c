/*
 * The ring across a change of credentials.
 *
 * A process keeps its mapping of the ring when it drops privileges, but an
 * image it then execs must open the ring again, by name — and a ring made
 * 0600 by root (udig run as root) is closed to the uid the program dropped
 * to (setpriv --reuid=65534 … cmd): without help, every event after such
 * an exec would be lost without a word.
 *
 * So just before a call that changes the uid (while we are still allowed
 * to open the ring), the library opens both objects and keeps the two
 * descriptors, close-on-exec, at high numbers; an execve made afterwards
 * hands them to the new image (close-on-exec cleared for the exec only,
 * UDIG_RING_FDS=<pid>:<ring>:<descs> in its environment), whose
 * constructor maps them — after the same trust checks as by name — and
 * keeps them for its own execs.  Processes that never change their uid
 * hold no extra descriptor.
 *
 * What this shares: the dropped process can read the ring it already had
 * mapped, as before; so can, after an exec, whatever may ptrace it (README,
 * "Security model").
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "udig/encode/ring_shm.h"
#include "udig/encode/sys.h"
#include "preload.h"

#define FDS_VAR "UDIG_RING_FDS="
/* Out of the way of the program's own low descriptors (dup2 targets,
 * shells' 10+). */
#define HIGH_FD 700

/* Held descriptors (-1: none).  Taken with a CAS by the first thread that
 * changes credentials: glibc's setuid runs the call on every thread. */
static int held_ring = -1, held_descs = -1;
static int held_state; /* 0 none, 1 being opened, 2 held */

/* From the environment of this image, if the exec that made it passed them. */
static int in_pid, in_ring = -1, in_descs = -1;

static int open_high(const char *path)
{
	long fd = udig_sys4(SYS_openat, AT_FDCWD, path, O_RDWR | O_NOFOLLOW | O_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	struct stat st;
	/* The same rule as any opening of the ring; the owner is who opened it. */
	if (udig_sys2(SYS_fstat, fd, &st) < 0 ||
	    udig_shm_judge(&st, up_g.rw.euid, up_g.rw.shared_ok) != UDIG_SHM_TRUSTED) {
		udig_sys1(SYS_close, fd);
		return -1;
	}
	long hi = udig_sys3(SYS_fcntl, fd, F_DUPFD_CLOEXEC, HIGH_FD);
	if (hi >= 0) {
		udig_sys1(SYS_close, fd);
		fd = hi;
	}
	return (int)fd;
}

static void keep_ring(void)
{
	int zero = 0;
	if (!up_g.rw_ok || !up_g.rw.ring_path[0] ||
	    !__atomic_compare_exchange_n(&held_state, &zero, 1, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		return;
	int r = open_high(up_g.rw.ring_path);
	int d = r >= 0 ? open_high(up_g.rw.descs_path) : -1;
	if (d < 0) {
		if (r >= 0)
			udig_sys1(SYS_close, r);
		__atomic_store_n(&held_state, 0, __ATOMIC_RELEASE);
		return;
	}
	held_ring = r;
	held_descs = d;
	__atomic_store_n(&held_state, 2, __ATOMIC_RELEASE);
}

long up_sys_setid(const struct up_call *c)
{
	/* setfsuid changes who may open files as well. */
	keep_ring();
	return up_passthrough(c);
}

int up_creds_env(char *out, size_t size)
{
	if (__atomic_load_n(&held_state, __ATOMIC_ACQUIRE) != 2)
		return 0;
	return up_env_put3(out, size, FDS_VAR, (unsigned long)udig_sys0(SYS_getpid), (unsigned long)held_ring,
			   (unsigned long)held_descs);
}

void up_creds_exec(int before)
{
	if (__atomic_load_n(&held_state, __ATOMIC_ACQUIRE) != 2)
		return;
	/* Inherited by the new image only; back to close-on-exec if the exec
	 * failed and this image goes on. */
	udig_sys3(SYS_fcntl, held_ring, F_SETFD, before ? 0 : FD_CLOEXEC);
	udig_sys3(SYS_fcntl, held_descs, F_SETFD, before ? 0 : FD_CLOEXEC);
}

int up_creds_scan_only(const char *var)
{
	return strncmp(var, FDS_VAR, sizeof FDS_VAR - 1) == 0;
}

int up_creds_scan(const char *var)
{
	long v[3];
	if (!up_env_get3(var, FDS_VAR, v))
		return 0;
	long pid = v[0], r = v[1], d = v[2];
	/* For this process only: one left over by an uncaptured image in
	 * between names descriptors that mean something else now. */
	if (pid == (long)udig_sys0(SYS_getpid) && r >= 0 && d >= 0 && r < 1 << 20 && d < 1 << 20 && r != d) {
		in_pid = (int)pid;
		in_ring = (int)r;
		in_descs = (int)d;
	}
	return 1;
}

int up_creds_open(struct udig_ring_writer *w, char *err)
{
	if (!in_pid)
		return -1;
	const char *dn = udig_shm_pick_name(NULL, UDIG_ENV_DESCS_NAME, UDIG_DESCS_NAME_DEFAULT);
	if (udig_rw_open_fds(w, in_ring, in_descs, dn, err) < 0) {
		/* Not ours after all: leave them to the program. */
		in_pid = 0;
		return -1;
	}
	/* Kept for this image's own execs, out of the program's way. */
	udig_sys3(SYS_fcntl, in_ring, F_SETFD, FD_CLOEXEC);
	udig_sys3(SYS_fcntl, in_descs, F_SETFD, FD_CLOEXEC);
	held_ring = in_ring;
	held_descs = in_descs;
	held_state = 2;
	return 0;
}
