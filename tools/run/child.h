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

/* Sets "NAME=value" entries in our environment (NULL-terminated), which
 * every engine's launch passes on; LD_PRELOAD is prepended to the one
 * already there. */
void run_setenv(char *const extra_env[]);

/* fork + execve(path, argv) with our environment (set up with run_setenv
 * beforehand).  With w, the launch is captured: the child writes the execve
 * enter event into that ring and marks the environment so that the new
 * image's libudig writes the exit.  Returns the pid, or -1 with err (errno:
 * the exec's error). */
struct udig_ring_writer;
pid_t run_spawn(const char *path, char *const argv[], struct udig_ring_writer *w, char *err, size_t errlen);

#endif
