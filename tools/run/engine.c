/*
 * The automatic engine choice.  The preload engine costs one signal per
 * syscall and sees everything the program does, so it wins wherever the
 * dynamic loader will load it; what it cannot enter (static programs, and
 * images exec'd later whose loader never sees LD_PRELOAD) needs a tracer,
 * and where ptrace itself is taken or forbidden, seccomp user notification
 * still sees the enter side of each syscall.
 *
 * A set-ID program (set-user-ID, set-group-ID, file capabilities) is the
 * exception: an unprivileged tracer or filter makes the kernel run it
 * without its privileges, so it would not behave as natively.  The
 * default runs it natively instead (under the preload engine ld.so does
 * not load our library into a secure-execution image: uncaptured), an
 * explicit tracer engine is refused before anything runs.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include "../cli.h"
#include "inject/inject.h"
#include "child.h"
#include "engine.h"

static const char *const names[] = {
	[RUN_PRELOAD] = "preload",
	[RUN_HYBRID] = "preload+ptrace",
	[RUN_PTRACE] = "ptrace",
	[RUN_UNOTIFY] = "unotify",
};

const char *run_engine_name(enum run_engine e)
{
	return names[e];
}

/* cmd under a tracer engine: refused (an exit status) if it is a set-ID
 * program the capture would strip of its privileges. */
static int refuse_setid(const char *name, const char *path, const char *what)
{
	cli_error("run: %s is %s: under --engine=%s it would run without its privileges "
		  "(the kernel drops them for a process traced or filtered by an unprivileged user); "
		  "run udig as root to capture it, or use --engine=preload or the default to run it "
		  "natively, uncaptured", path, what, name);
	return 2;
}

int run_engine_choose(const char *name, const char *cmd, enum run_engine *e, char *why, size_t whylen,
		      int *native)
{
	char perr[INJECT_ERRBUF_SIZE], path[PATH_MAX], what[256];
	enum inject_setid setid = INJECT_SETID_NONE;
	int dyn = run_is_dynamic(cmd);
	*native = 0;
	if (dyn < 0) {
		cli_error("%s: command not found", cmd);
		return 127;
	}
	/* auto's tracers (preload-aware or not) ptrace the launched process. */
	if (!inject_resolve(cmd, path, sizeof path))
		setid = inject_setid_check(path, !strcmp(name, "unotify") ? INJECT_ENGINE_UNOTIFY : INJECT_ENGINE_PTRACE,
					   what, sizeof what);
	/* ld.so ignores LD_PRELOAD paths in a secure-execution image: under
	 * the preload engine a set-ID program runs as natively, static or not. */
	if ((!strcmp(name, "preload") && setid != INJECT_SETID_NONE) ||
	    (!strcmp(name, "auto") && setid == INJECT_SETID_LOST)) {
		*e = RUN_PRELOAD;
		*native = 1;
		snprintf(why, whylen, "%s is %s: it runs natively, uncaptured, with its privileges%s", path, what,
			 setid == INJECT_SETID_LOST ? " (a tracer of an unprivileged user would strip them: "
			 "run udig as root to capture it)" : "");
		return 0;
	}
	if ((!strcmp(name, "ptrace") || !strcmp(name, "unotify")) && setid == INJECT_SETID_LOST)
		return refuse_setid(name, path, what);
	if (!strcmp(name, "preload")) {
		if (!dyn) {
			cli_error("run: %s is statically linked: the preload engine cannot enter it "
				  "(use --engine=ptrace or the default, auto)", cmd);
			return 2;
		}
		*e = RUN_PRELOAD;
		snprintf(why, whylen, "asked for; %s is dynamically linked", cmd);
		return 0;
	}
	if (!strcmp(name, "ptrace") || !strcmp(name, "unotify")) {
		*e = !strcmp(name, "ptrace") ? RUN_PTRACE : RUN_UNOTIFY;
		snprintf(why, whylen, "asked for");
		return 0;
	}
	if (strcmp(name, "auto")) {
		cli_error("run: unknown engine '%s' (auto, preload, ptrace, unotify)", name);
		return 2;
	}
	int traceable = inject_ptrace_usable(perr);
	if (dyn && traceable) {
		*e = RUN_HYBRID;
		snprintf(why, whylen, "%s is dynamically linked: preload, with a tracer following "
			 "processes into images the preload cannot enter", cmd);
	} else if (dyn) {
		*e = RUN_PRELOAD;
		snprintf(why, whylen, "%s is dynamically linked; ptrace is unavailable (%s), so static "
			 "programs it runs are not captured", cmd, perr);
	} else if (traceable) {
		*e = RUN_PTRACE;
		snprintf(why, whylen, "%s is statically linked", cmd);
	} else {
		*e = RUN_UNOTIFY;
		snprintf(why, whylen, "%s is statically linked and ptrace is unavailable (%s): "
			 "enter events only", cmd, perr);
	}
	return 0;
}
