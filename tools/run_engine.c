/*
 * The automatic engine choice.  The preload engine costs one signal per
 * syscall and sees everything the program does, so it wins wherever the
 * dynamic loader will load it; what it cannot enter (static programs, and
 * images exec'd later whose loader never sees LD_PRELOAD) needs a tracer,
 * and where ptrace itself is taken or forbidden, seccomp user notification
 * still sees the enter side of each syscall.
 */
#include <stdio.h>
#include <string.h>
#include "cli.h"
#include "inject/inject.h"
#include "run_child.h"
#include "run_engine.h"

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

int run_engine_choose(const char *name, const char *cmd, enum run_engine *e, char *why, size_t whylen)
{
	char perr[INJECT_ERRBUF_SIZE];
	int dyn = run_is_dynamic(cmd);
	if (dyn < 0) {
		cli_error("%s: command not found", cmd);
		return 127;
	}
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
