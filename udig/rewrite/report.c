/*
 * The -v report (UDIG_VERBOSE=1, UDIG_REWRITE_VERBOSE=1, udig run -v): one
 * stderr line per process, at its exit, with the sites seen and what became
 * of them, refusals by reason.
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/syscall.h>
#include "udig/encode/sys.h"
#include "urw.h"
#include "rewrite.h"

/* Our own copy of stderr: programs close theirs at exit (gnulib's
 * close_stdout), before our destructor runs.  Close-on-exec; it holds the
 * program's stderr open as long as the program lives, which matters only
 * to a reader of that pipe waiting for a daemon, and only with -v. */
static int report_fd = 2;
static int reported;

static const char *const reason_name[URW_R_N] = {
	[URW_R_OBJECT] = "no object", [URW_R_VDSO] = "vdso", [URW_R_MAIN] = "main program",
	[URW_R_FDE] = "no fde", [URW_R_DECODE] = "decode", [URW_R_SHORT] = "short",
	[URW_R_RELOC] = "unmovable", [URW_R_TARGET] = "branch target", [URW_R_TRAMP] = "no room",
	[URW_R_PROT] = "mprotect", [URW_R_SYNC] = "membarrier", [URW_R_ALIGN] = "unaligned",
	[URW_R_FULL] = "table full",
};

void urw_report_init(void)
{
	long fd = udig_sys3(SYS_fcntl, 2, F_DUPFD_CLOEXEC, 900);

	if (fd >= 0)
		report_fd = (int)fd;
}

static unsigned internal(void)
{
	unsigned i, n = 0;

	for (i = 0; i < URW_MAX_SITES; i++)
		n += urw_g.sites[i].at && urw_g.sites[i].state == URW_INTERNAL;
	return n;
}

/* At exit (the destructor) or at exit_group (urw_exit: _exit and the
 * like run no destructor), once per process. */
static void __attribute__((destructor)) report(void)
{
	char buf[512];
	unsigned refused = 0, in, seen;
	int n, i;

	/* Before anything else: every process exits through here, and the
	 * site table is too big to walk for a report nobody asked for. */
	if (!urw_g.verbose || reported)
		return;
	reported = 1;
	in = internal();
	seen = urw_g.seen - in;
	if (urw_g.switched_off) {
		n = snprintf(buf, sizeof buf, "udig: rewrite: pid %d: off (UDIG_REWRITE=0)\n", up_pid());
		udig_sys3(SYS_write, report_fd, buf, n);
		return;
	}
	if (!seen && !urw_g.off)
		return;
	for (i = 1; i < URW_R_N; i++)
		refused += urw_g.refused[i];
	n = snprintf(buf, sizeof buf, "udig: rewrite: pid %d: %u sites seen, %u rewritten, %u refused, %u trapped < %u times",
		     up_pid(), seen, urw_g.rewritten, refused, seen - urw_g.rewritten - refused, urw_g.after);
	for (i = 1; i < URW_R_N && n > 0 && (size_t)n < sizeof buf; i++)
		if (urw_g.refused[i])
			n += snprintf(buf + n, sizeof buf - (size_t)n, " %s=%u", reason_name[i], urw_g.refused[i]);
	if (urw_g.off && n > 0 && (size_t)n < sizeof buf)
		n += snprintf(buf + n, sizeof buf - (size_t)n, "; stopped: %s", reason_name[urw_g.off]);
	if (n > 0 && (size_t)n < sizeof buf - 1) {
		buf[n++] = '\n';
		udig_sys3(SYS_write, report_fd, buf, n);
	}
}

void urw_exit(void)
{
	report();
}
