/* Launching the traced command for `udig run`. */
#ifndef UDIG_RUN_CHILD_H
#define UDIG_RUN_CHILD_H
#include <sys/types.h>

/* Where libudig.so is: $UDIG_PRELOAD, else next to the udig binary in a build
 * tree, else the installed pkglibdir.  Returns a static buffer or NULL. */
const char *run_find_preload(void);

/* Is the program `cmd` (searched in PATH like execvp) a dynamically linked ELF
 * executable (or a script, whose interpreter is)?  1 yes, 0 static, -1 not found. */
int run_is_dynamic(const char *cmd);

/* Sets "NAME=value" entries in our environment; LD_PRELOAD is prepended to
 * the one already there. */
void run_setenv(char *const extra_env[]);

/* fork + exec argv with extra environment entries ("NAME=value", prepended to
 * LD_PRELOAD when NAME is LD_PRELOAD).  Returns the pid or -1 with err set. */
pid_t run_spawn(char *const argv[], char *const extra_env[], char *err, size_t errlen);

#endif
