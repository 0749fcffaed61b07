/*
 * The constructor: decide whether and how to capture, then arm.  This runs
 * before interception, so libc is fine here.  Failure never stops the
 * program: it runs uncaptured (one line on stderr with UDIG_VERBOSE).
 *
 * Environment: UDIG_INTERCEPT=sud|seccomp|auto|off, UDIG_VERBOSE,
 * UDIG_DEBUG_COUNT_FD=N (debug.c), plus the ring writer's own variables.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include "udig/encode/ring_pidns.h"
#include "udig/encode/sys.h"
#include "preload.h"
#include "udig/rewrite/rewrite.h"

struct up_global up_g = { .count_fd = -1 };
__thread struct up_thread up_t __attribute__((tls_model("initial-exec")));

extern char **environ;

/* Our executable PT_LOAD segment: the region SUD lets through. */
static int find_text(struct dl_phdr_info *info, size_t size, void *data)
{
	uintptr_t me = (uintptr_t)data;
	int i;

	(void)size;
	for (i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *p = &info->dlpi_phdr[i];
		uintptr_t lo = info->dlpi_addr + p->p_vaddr;

		if (p->p_type != PT_LOAD || !(p->p_flags & PF_X))
			continue;
		if (me >= lo && me < lo + p->p_memsz) {
			up_g.text_start = lo;
			up_g.text_end = lo + p->p_memsz;
			return 1;
		}
	}
	return 0;
}

/* What the exec path needs: our own path and our UDIG_* variables (the
 * program may exec with an environment that lacks them). */
static void save_env(void)
{
	Dl_info di;
	char **e;

	/* ld.so's name for us is our LD_PRELOAD entry as written: an absolute
	 * one serves from any directory as it is, and matches that entry
	 * exactly (exec.c).  Only a relative one is resolved: realpath costs
	 * every process a readlink per path component (six for a build
	 * tree's library). */
	if (dladdr((void *)up_sigsys, &di) && di.dli_fname &&
	    (di.dli_fname[0] == '/' || !realpath(di.dli_fname, up_g.preload_path)))
		snprintf(up_g.preload_path, sizeof up_g.preload_path, "%s", di.dli_fname);
	for (e = environ; e && *e; e++) {
		size_t n = strlen(*e) + 1;

		if (strncmp(*e, "UDIG_", 5) != 0 || strncmp(*e, UDIG_ENV_EXEC_MARK, sizeof UDIG_ENV_EXEC_MARK - 1) == 0)
			continue;
		if (up_g.env_save_len + n > sizeof up_g.env_save)
			break;
		memcpy(up_g.env_save + up_g.env_save_len, *e, n);
		up_g.env_save_len += n;
	}
}

static void say(const char *what, const char *why)
{
	if (up_g.verbose)
		fprintf(stderr, "udig: %s: %s\n", what, why);
}

/* The kernel driver puts ids of the initial PID namespace in every event
 * header.  A process in a namespace of its own writes the consumer's ids
 * when it inherited the way back (pidns.c); one that did not (started
 * inside a container) knows only its namespace's ids, and that is never
 * written silently. */
static void pidns_check(const char *prog)
{
	char me[64];
	long n;

	if (udig_pidns_fd() >= 0 || up_pidns_is_consumers() != 0)
		return;
	n = udig_sys4(SYS_readlinkat, AT_FDCWD, "/proc/self/ns/pid", me, sizeof me - 1);
	me[n > 0 ? n : 0] = 0;
	fprintf(stderr, "udig: %s (pid %d in its namespace) runs in a PID namespace of its own (%s): "
		"its events carry the namespace's ids, not the host's; --engine=ptrace records host ids\n",
		prog, (int)getpid(), me);
}

/* Linked -z initfirst, this runs before libc's own constructor, which is
 * what sets environ: ld.so hands every constructor the environment, so take
 * it from there. */
static void __attribute__((constructor)) up_init(int argc, char **argv, char **envp)
{
	const char *how, *cfd, *v;
	char err[256] = "";
	int r;

	(void)argc;
	if (!environ)
		environ = envp;
	how = getenv("UDIG_INTERCEPT");
	cfd = getenv("UDIG_DEBUG_COUNT_FD");
	v = getenv("UDIG_VERBOSE");

	up_g.verbose = v && *v && strcmp(v, "0") != 0;
	if (cfd && *cfd)
		up_g.count_fd = atoi(cfd);
	up_exec_scan();
	if (how && strcmp(how, "off") == 0)
		return;
	save_env();
	dl_iterate_phdr(find_text, (void *)(uintptr_t)up_sigsys);
	if (!up_g.text_start) {
		say("capture disabled", "cannot find the library's code segment");
		return;
	}
	/* Descriptors an exec handed over (creds.c) first: after a uid drop
	 * they are the only way back into the ring. */
	if (up_creds_open(&up_g.rw, err) == 0 || udig_rw_open(&up_g.rw, NULL, NULL, err) == 0) {
		up_g.rw_ok = 1;
		up_pidns_open();
		pidns_check(argv && argv[0] ? argv[0] : "?");
	} else if (errno == EPERM) {
		/* A ring we must not trust (README, "Security model"): the user
		 * hears of it whatever the verbosity, and the program runs on. */
		fprintf(stderr, "udig: not capturing %s (pid %d): %s\n", argv && argv[0] ? argv[0] : "?",
			(int)getpid(), err);
		return;
	} else if (up_g.count_fd < 0) {
		/* Nothing to write to and nothing to count: stay out of the way. */
		say("capture disabled", err[0] ? err : "cannot open the ring");
		return;
	}
	r = up_install_handler();
	if (r < 0) {
		say("capture disabled", strerror(-r));
		return;
	}
	/* Without them the fillers read memory through process_vm_readv. */
	r = up_install_fault_handlers();
	if (r < 0)
		say("reading memory through the kernel", strerror(-r));
	up_exec_inherit_ignored();
	up_t.tid = (int)udig_sys0(SYS_gettid);
	up_t.pid = (int)udig_sys0(SYS_getpid);
	if (!how || strcmp(how, "seccomp") != 0) {
		up_g.mode = UP_SUD;
		r = up_arm_thread();
		if (r == 0)
			goto armed;
		up_g.mode = UP_OFF;
		if (how && strcmp(how, "sud") == 0) {
			say("Syscall User Dispatch unavailable, capture disabled", strerror(-r));
			goto unwind;
		}
	}
	up_g.mode = UP_SECCOMP;
	r = up_seccomp_install();
	if (r < 0) {
		up_g.mode = UP_OFF;
		say("seccomp unavailable, capture disabled", strerror(-r));
		goto unwind;
	}
armed:
	urw_init();     /* the fast path (udig/rewrite): before the program's first trap */
	up_exec_arrived();
	return;
unwind:
	/* Give the program back its own actions. */
	up_restore_fault_handlers();
	udig_sys4(SYS_rt_sigaction, SIGSYS, &up_g.app_act[UP_VSIG_SYS], 0, 8);
}
