/*
 * exit and exit_group: the thread's process-exit event (PPME_PROCEXIT_1_E)
 * is written before the call, since nothing of ours runs afterwards.  The
 * other threads that exit_group ends run nothing of ours either: the
 * caller writes theirs too, with the same status, as the drivers write one
 * per thread — for each thread /proc/self/task lists.  (A thread that is
 * exiting on its own at that instant may be told twice; libcapture shows
 * one.)
 *
 * Death by signal, best effort: a signal the process sends itself (abort,
 * raise, kill(getpid())) whose action is the default "terminate" and that
 * is not blocked gets its process-exit event (and the debug counts) before
 * the call.  Deaths we cannot see coming (a signal from elsewhere) are left
 * to the reaper, which reports them from the wait status.
 */
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>
#include <sys/syscall.h>
#include "udig/encode/sys.h"
#include "preload.h"

struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

#define NAME_AT offsetof(struct linux_dirent64, d_name)

static void others_end(int wstatus)
{
	uint8_t *area = up_area();
	long me = up_tid(), fd, n;

	if (!area)
		return;
	fd = udig_sys4(SYS_openat, AT_FDCWD, "/proc/self/task", O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
	if (fd < 0)
		return;
	/* The exec scratch: this thread execs nothing more — unless a handler
	 * of the program's runs a failed execve meanwhile, which is why every
	 * entry is checked before it is read. */
	while ((n = udig_sys3(SYS_getdents64, fd, area + UP_AREA_SCRATCH, UP_SCRATCH_CAP)) > 0) {
		for (long off = 0; off + (long)NAME_AT < n;) {
			const struct linux_dirent64 *d = (const void *)(area + UP_AREA_SCRATCH + off);
			long tid = 0;
			const char *p = d->d_name, *end = (const char *)d + d->d_reclen;
			if (d->d_reclen <= NAME_AT || d->d_reclen > n - off)
				break;
			for (; p < end && *p >= '0' && *p <= '9' && tid < 1L << 31; p++)
				tid = tid * 10 + (*p - '0');
			if (p < end && !*p && tid > 0 && tid < 1L << 31 && tid != me)
				up_record_thread_end((int)tid, wstatus);
			off += d->d_reclen;
		}
	}
	udig_sys1(SYS_close, fd);
}

long up_sys_exit(const struct up_call *c)
{
	int code = (int)c->args[0];

	up_record(c, 0, 0);
	up_record_procexit((code & 0xff) << 8);
	if (c->nr == SYS_exit_group)
		others_end((code & 0xff) << 8);
	if (c->nr == SYS_exit_group)
		up_count_flush();
	else
		up_area_release();  /* this thread's mapping; nothing of ours runs after */
	for (;;)
		udig_sys1(c->nr, code);
}

/* Signals whose default action ends the process (with a core for some).
 * Not SIGSYS: its action is virtual, signals.c reports that death (and
 * that of SIGSEGV and SIGBUS when faults.c virtualizes them, see below). */
static int fatal_default(int sig, int *core)
{
	*core = 0;
	switch (sig) {
	case SIGQUIT: case SIGILL: case SIGTRAP: case SIGABRT: case SIGBUS:
	case SIGFPE: case SIGSEGV: case SIGXCPU: case SIGXFSZ:
		*core = 1;
		return 1;
	case SIGHUP: case SIGINT: case SIGKILL: case SIGUSR1: case SIGUSR2:
	case SIGPIPE: case SIGALRM: case SIGTERM: case SIGSTKFLT: case SIGIO:
	case SIGPROF: case SIGVTALRM: case SIGPWR:
		return 1;
	default:
		return sig >= SIGRTMIN && sig <= SIGRTMAX;
	}
}

long up_sys_kill(const struct up_call *c, const ucontext_t *uc)
{
	long me = up_pid(), self = up_tid();
	int sig, core, to_self;
	uint64_t mask;

	switch (c->nr) {
	case SYS_kill:
		to_self = (long)(int)c->args[0] == me || (int)c->args[0] == 0;
		sig = (int)c->args[1];
		break;
	case SYS_tgkill:
		to_self = (long)(int)c->args[0] == me && (long)(int)c->args[1] == self;
		sig = (int)c->args[2];
		break;
	default: /* tkill */
		to_self = (long)(int)c->args[0] == self;
		sig = (int)c->args[1];
		break;
	}
	memcpy(&mask, &uc->uc_sigmask, sizeof mask);
	if (to_self && sig > 0 && sig < 65 && fatal_default(sig, &core) && !up_app_action(sig) &&
	    (sig == SIGKILL || !(mask & UP_SIGBIT(sig)))) {
		struct up_ksigaction a;

		if (udig_sys4(SYS_rt_sigaction, sig, 0, &a, 8) < 0)
			a.handler = 1;
		if (sig == SIGKILL || a.handler == (uint64_t)(uintptr_t)SIG_DFL) {
			up_record(c, 0, 0);
			up_record_procexit(sig | (core ? 0x80 : 0));
			up_count_flush();
			return udig_syscall6(c->nr, (long)c->args[0], (long)c->args[1],
					     (long)c->args[2], 0, 0, 0);
		}
	}
	return up_passthrough(c);
}
