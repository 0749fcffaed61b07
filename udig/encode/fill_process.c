/*
 * Process lifecycle: clone, fork, vfork, clone3, execve, execveat.  The
 * enter events of the clone family are empty; their exits and the execve
 * exits carry the 20 process facts of procinfo.c.  Process exit is
 * udig_fill_procexit() in fillers.c (it has no syscall of its own).
 */
#include "fill_int.h"

/* clone/fork/vfork/clone3 and execve/execveat exits: res, then the facts
 * of the calling thread (in a clone child: of the child). */
void fill_proc_x(struct fill *f)
{
	long nr = f->sc->nr;

	p_res(f);
	fill_proc_exit(f, nr != 59 && nr != 322);
}

/* The complete path (the driver does not cut execve's filename). */
void fill_execve_e(struct fill *f) { p_ustr(f, fa(f, 0), 0); }

void fill_execveat_e(struct fill *f)
{
	p_fdarg(f, 0);
	p_ustr(f, fa(f, 1), 0);
	p_u32(f, xl_execveat_flags(fa(f, 4)));
}
