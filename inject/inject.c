/* The public entry points: pick the engine, run its vtable, report. */
#include <string.h>

#include "inject/engine.h"

void inject_opts_init(struct inject_opts *o)
{
	memset(o, 0, sizeof *o);
	o->engine = INJECT_ENGINE_PTRACE;
	o->debug_fd = -1;
	o->cpu = INJECT_CPU_AUTO;
}

int inject_run(const struct inject_opts *o, char *const argv[], int *wstatus, char *err)
{
	struct inj_session s;
	int r;

	if (!argv || !argv[0]) {
		inj_err(err, "no command to run");
		return -1;
	}
	if (o->preload_path && o->engine != INJECT_ENGINE_PTRACE) {
		/* libudig and the engine would both write every enter. */
		inj_err(err, "preload-aware capture needs the ptrace engine, not %s", inject_engine_name(o->engine));
		return -1;
	}
	if (o->preload_path && !o->preload_path[0]) {
		inj_err(err, "empty preload path");
		return -1;
	}
	if (inj_session_open(&s, o, 0, err) < 0)
		return -1;
	r = s.ops->launch(&s, argv, err);
	if (r == 0)
		r = s.ops->loop(&s, NULL, err) < 0 ? -1 : 0;
	if (r == 0 && !s.root_reaped) {
		inj_err(err, "%s: lost track of the launched process", s.ops->name);
		r = -1;
	}
	if (r == 0 && wstatus)
		*wstatus = s.root_status;
	s.ops->cleanup(&s);
	inj_session_close(&s);
	return r;
}

int inject_attach(pid_t pid, const struct inject_opts *o, volatile sig_atomic_t *stop, char *err)
{
	struct inj_session s;
	int r;

	if (inj_session_open(&s, o, 1, err) < 0)
		return -1;
	if (!s.ops->attach) {
		inj_err(err, "the %s engine cannot attach to a running process "
		        "(a seccomp filter can only be installed by the process itself)", s.ops->name);
		inj_session_close(&s);
		return -1;
	}
	r = s.ops->attach(&s, pid, err);
	if (r == 0) {
		r = s.ops->loop(&s, stop, err);
		if (r == 0) {
			if (s.ops->detach(&s, err) < 0)
				r = -1;
		} else if (r < 0) {
			char derr[INJECT_ERRBUF_SIZE];
			s.ops->detach(&s, derr);
		}
	}
	s.ops->cleanup(&s);
	inj_session_close(&s);
	return r;
}
