/*
 * wait4 and waitid: the end of a child that the call reaps.
 *
 * A process killed from outside (SIGKILL, or SIGTERM from another process)
 * never runs our library again, so it writes no procexit; its reaper is
 * the one that learns its end.  When the program reaps a child, we write
 * the child's procexit with the status the kernel handed over, right
 * before the wait's exit event: the drivers write it at the child's death,
 * which comes before the wait returns.  A child that wrote its own
 * (exit_group, a fatal signal it sent itself, a fault) is told twice, one
 * right after the other for its tid; libcapture skips the second, and to
 * other consumers only deaths by signal are told (record.c).
 *
 * The call is made with our own status (siginfo) and rusage buffers,
 * copied to the program's as the kernel would have: the kernel reaps the
 * child before it writes them, so with a bad pointer of the program's the
 * call fails with EFAULT and we would not know which child ended.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "udig/encode/sys.h"
#include "preload.h"

/* A wait status that reports an end: not a stop (low byte 0x7f, ptrace
 * events included) nor a continue (0xffff). */
static int ended(int st)
{
	return ((unsigned)st & 0x7f) != 0x7f;
}

/* wait4(pid, status, options, rusage): the kernel writes the status, then
 * the rusage, and fails with EFAULT at the first it cannot write. */
static long sys_wait4(const struct up_call *c)
{
	int st = 0;
	struct rusage ru;
	uint64_t ust = c->args[1], uru = c->args[3];
	long r = udig_syscall6(SYS_wait4, (long)c->args[0], (long)&st, (long)c->args[2], uru ? (long)&ru : 0, 0, 0);

	if (r <= 0)
		return r;
	if (ended(st))
		up_record_reaped((int)r, st);
	if (ust && up_write_mem(ust, &st, sizeof st) != sizeof st)
		return -EFAULT;
	if (uru && up_write_mem(uru, &ru, sizeof ru) != (long)sizeof ru)
		return -EFAULT;
	return r;
}

/* The wait status of a waitid report, or -1 when it reports no end. */
static int waitid_status(const siginfo_t *si)
{
	if (si->si_signo != SIGCHLD || si->si_pid <= 0)
		return -1;
	switch (si->si_code) {
	case CLD_EXITED:
		return (si->si_status & 0xff) << 8;
	case CLD_KILLED:
		return si->si_status & 0x7f;
	case CLD_DUMPED:
		return (si->si_status & 0x7f) | 0x80;
	default: /* stopped, trapped, continued */
		return -1;
	}
}

/* waitid(idtype, id, infop, options, rusage): the kernel writes the rusage
 * when a child was reported, then — whatever the result, errors included —
 * six fields of infop (signo, errno, code; pid, uid, status), not the
 * padding between them nor the rest of the siginfo. */
static long sys_waitid(const struct up_call *c)
{
	siginfo_t si;
	struct rusage ru;
	uint64_t usi = c->args[2], uru = c->args[4];
	long r;
	int st;

	memset(&si, 0, sizeof si);
	r = udig_syscall6(SYS_waitid, (long)c->args[0], (long)c->args[1], (long)&si, (long)c->args[3],
			  uru ? (long)&ru : 0, 0);
	if (r == 0 && !((int)c->args[3] & WNOWAIT) && (st = waitid_status(&si)) >= 0)
		up_record_reaped(si.si_pid, st);
	if (r == 0 && si.si_signo == SIGCHLD && uru && up_write_mem(uru, &ru, sizeof ru) != (long)sizeof ru)
		return -EFAULT;
	if (usi) {
		const size_t head = offsetof(siginfo_t, si_code) + sizeof si.si_code;
		const size_t from = offsetof(siginfo_t, si_pid);
		const size_t to = offsetof(siginfo_t, si_status) + sizeof si.si_status;
		if (up_write_mem(usi, &si, head) != (long)head ||
		    up_write_mem(usi + from, (const uint8_t *)&si + from, to - from) != (long)(to - from))
			return -EFAULT;
	}
	return r;
}

long up_sys_wait(const struct up_call *c)
{
	long r;

	up_record(c, 0, 0);
	r = c->nr == SYS_wait4 ? sys_wait4(c) : sys_waitid(c);
	up_record(c, 1, r);
	return r;
}
