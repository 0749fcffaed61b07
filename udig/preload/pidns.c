/*
 * Host ids for processes that run in a PID namespace of their own.
 *
 * Event headers carry the ids of the consumer's PID namespace (the
 * "reference", udig/encode/ring_pidns.h), vtid/vpid the process's own.  A
 * process that creates or enters a PID namespace (unshare or setns, whose
 * children land in it; clone or clone3 with CLONE_NEWPID) is still in the
 * reference namespace right before the call: there the library opens
 * /proc/self/ns/pid, close-on-exec at a high number, and from then on its
 * ids — and those of every child, which inherits the descriptor — are
 * translated through it.  An execve hands the descriptor to the new image
 * (close-on-exec cleared for the exec only, UDIG_PIDNS_FD=<pid>:<fd>:<ppid>
 * in its environment, <pid> the image's own id, <ppid> its parent's
 * reference id), as creds.c does with the ring's.
 *
 * What cannot be translated: a parent outside our namespace (getppid() is
 * 0) is known only from the fork that made us, or from the variable; a
 * child already reaped has no id left to translate, so the parent keeps
 * its children's reference ids from their fork (KIDS of them).  A process
 * that starts inside a namespace without the descriptor (a container's
 * own processes) keeps its namespace's ids, and says so (init.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include "udig/encode/ring_pidns.h"
#include "udig/encode/sys.h"
#include "preload.h"

#define VAR "UDIG_PIDNS_FD="
#define HIGH_FD 710     /* beside creds.c's ring descriptors */
#define KIDS 128

/* 0 nothing held, 1 being opened, 2 held, 3 unavailable (old kernel) */
static int state;
static int32_t parent_ref;      /* our parent's reference pid, when known */

/* From the environment of this image. */
static int in_pid, in_fd = -1;
static int32_t in_parent;

/* Children forked by this image: their id here and in the reference. */
static struct {
	int32_t here, ref;
} kids[KIDS];
static unsigned kid_next;

/* Are we in the consumer's namespace?  The initial one is everybody's
 * reference; otherwise the consumer's pid (published in the ring) must
 * name a process of our namespace that shares it. */
int up_pidns_is_consumers(void)
{
	char me[64], it[64], path[40];
	long n = udig_sys4(SYS_readlinkat, AT_FDCWD, "/proc/self/ns/pid", me, sizeof me - 1);
	int32_t cpid = up_g.rw.descs ? __atomic_load_n(&up_g.rw.descs->status.capturing_pid, __ATOMIC_RELAXED) : 0;
	if (n <= 0)
		return -1;
	me[n] = 0;
	if (strcmp(me, "pid:[4026531836]") == 0 /* PROC_PID_INIT_INO */ || cpid <= 0)
		return 1;
	size_t k = 0;
	memcpy(path, "/proc/", 6);
	k = 6 + up_put_dec(path + 6, (unsigned long)cpid);
	memcpy(path + k, "/ns/pid", 8);
	long m = udig_sys4(SYS_readlinkat, AT_FDCWD, path, it, sizeof it - 1);
	if (m > 0 && (it[m] = 0, strcmp(me, it) == 0))
		return 1;
	/* there, but another user's: the consumer, run by root */
	if (m == -EACCES || m == -EPERM)
		return 1;
	return 0;
}

void up_pidns_keep(void)
{
	int zero = 0;
	if (!up_g.rw_ok || udig_pidns_fd() >= 0 ||
	    !__atomic_compare_exchange_n(&state, &zero, 1, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		return;
	/* Already in a namespace of our own, without a way back: our ids
	 * are the only ones we have. */
	if (up_pidns_is_consumers() != 1) {
		__atomic_store_n(&state, 3, __ATOMIC_RELEASE);
		return;
	}
	long fd = udig_sys4(SYS_openat, AT_FDCWD, "/proc/self/ns/pid", O_RDONLY | O_CLOEXEC, 0);
	if (fd >= 0) {
		long hi = udig_sys3(SYS_fcntl, fd, F_DUPFD_CLOEXEC, HIGH_FD);
		if (hi >= 0) {
			udig_sys1(SYS_close, fd);
			fd = hi;
		}
	}
	if (fd < 0 || udig_pidns_use((int)fd) < 0) {
		if (fd >= 0)
			udig_sys1(SYS_close, fd);
		__atomic_store_n(&state, 3, __ATOMIC_RELEASE);
		return;
	}
	__atomic_store_n(&state, 2, __ATOMIC_RELEASE);
}

/* unshare and setns put the caller's future children in a namespace
 * (clone and clone3 with CLONE_NEWPID keep the way back in clone.c). */
long up_sys_pidns(const struct up_call *c)
{
	/* setns: CLONE_NEWPID, or 0 with a descriptor of any type */
	uint64_t f = c->nr == SYS_setns && c->args[1] == 0 ? CLONE_NEWPID : c->args[c->nr == SYS_setns];
	if (f & CLONE_NEWPID)
		up_pidns_keep();
	return up_passthrough(c);
}

/* The descriptor stopped answering (the program closed or replaced it:
 * closefrom, dup2 onto it): from here on our own ids, said once. */
static void lost(void)
{
	static int said;
	static const char msg[] = "udig: lost the descriptor of the host PID namespace: "
				  "events from here on carry this namespace's ids\n";
	if (!__atomic_exchange_n(&said, 1, __ATOMIC_ACQ_REL))
		udig_sys3(SYS_write, 2, msg, sizeof msg - 1);
}

/* Thread (tgid 0) or process (1) id in the reference namespace, cached
 * in *slot unless the TLS block is shared.  Our own ids are cached too
 * when there is no reference: a process that takes one later is in the
 * reference namespace then (pidns_keep), where they are the same, and a
 * new process or thread starts with an empty cache. */
static int ref_id(int *slot, int tgid)
{
	if (*slot && !up_t.shared)
		return *slot;
	int32_t own = tgid ? up_pid() : up_tid(), r = own;
	if (udig_pidns_fd() >= 0 && (r = udig_pidns_out(up_tid(), tgid)) <= 0) {
		lost();
		r = own;
	}
	if (!up_t.shared)
		*slot = r;
	return r;
}

int up_rtid(void)
{
	return ref_id(&up_t.rtid, 0);
}

int up_rpid(void)
{
	return ref_id(&up_t.rpid, 1);
}

int up_rppid(void)
{
	int32_t pp = (int32_t)udig_sys0(SYS_getppid);
	if (udig_pidns_fd() < 0)
		return pp;
	if (pp > 0) {
		int32_t r = udig_pidns_out(pp, 1);
		if (r > 0)
			return r;
	}
	return parent_ref;
}

void up_pidns_fork_parent(void)
{
	/* What the child will take as its parent's id (its getppid() is 0
	 * when we are outside its namespace). */
	if (udig_pidns_fd() >= 0)
		parent_ref = up_rpid();
}

void up_pidns_fork_child(void)
{
	up_t.rtid = up_t.rpid = 0;
	memset(kids, 0, sizeof kids);
}

void up_pidns_note_child(int32_t here)
{
	if (udig_pidns_fd() < 0 || here <= 0)
		return;
	int32_t ref = udig_pidns_out(here, 1);
	if (ref <= 0)
		return;
	unsigned i = __atomic_fetch_add(&kid_next, 1, __ATOMIC_RELAXED) % KIDS;
	__atomic_store_n(&kids[i].ref, ref, __ATOMIC_RELAXED);
	__atomic_store_n(&kids[i].here, here, __ATOMIC_RELEASE);
}

int32_t up_pidns_reaped(int32_t here)
{
	if (udig_pidns_fd() < 0)
		return here;
	for (unsigned i = 0; i < KIDS; i++) {
		int32_t h = here;
		if (__atomic_load_n(&kids[i].here, __ATOMIC_ACQUIRE) == here) {
			int32_t ref = __atomic_load_n(&kids[i].ref, __ATOMIC_RELAXED);
			if (__atomic_compare_exchange_n(&kids[i].here, &h, 0, 0, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
				return ref;
		}
	}
	return 0;
}

int up_pidns_env(char *out, size_t size)
{
	int fd = udig_pidns_fd();
	if (fd < 0)
		return 0;
	return up_env_put3(out, size, VAR, (unsigned long)udig_sys0(SYS_getpid), (unsigned long)fd,
			   (unsigned long)(uint32_t)up_rppid());
}

void up_pidns_exec(int before)
{
	int fd = udig_pidns_fd();
	if (fd >= 0)
		udig_sys3(SYS_fcntl, fd, F_SETFD, before ? 0 : FD_CLOEXEC);
}

int up_pidns_scan_only(const char *var)
{
	return strncmp(var, VAR, sizeof VAR - 1) == 0;
}

int up_pidns_scan(const char *var)
{
	long v[3];
	if (!up_env_get3(var, VAR, v))
		return 0;
	long pid = v[0], fd = v[1], pp = v[2];
	/* For this process only: one left over by an uncaptured image in
	 * between names a descriptor that means something else now. */
	if (pid == (long)udig_sys0(SYS_getpid) && fd >= 0 && fd < 1 << 20 && pp >= 0 && pp < 1L << 31) {
		in_pid = (int)pid;
		in_fd = (int)fd;
		in_parent = (int32_t)pp;
	}
	return 1;
}

void up_pidns_open(void)
{
	char path[40], link[32];
	if (!in_pid)
		return;
	in_pid = 0;
	/* Only a PID namespace descriptor, one the kernel translates through:
	 * anything else at that number is the program's, and no ioctl of ours
	 * goes near it. */
	memcpy(path, "/proc/self/fd/", 14);
	size_t k = 14 + up_put_dec(path + 14, (unsigned long)in_fd);
	path[k] = 0;
	long n = udig_sys4(SYS_readlinkat, AT_FDCWD, path, link, sizeof link - 1);
	if (n < 5 || memcmp(link, "pid:[", 5) != 0 || udig_pidns_use(in_fd) < 0)
		return;
	udig_sys3(SYS_fcntl, in_fd, F_SETFD, FD_CLOEXEC);
	parent_ref = in_parent;
	state = 2;
}
