#!/bin/sh
# Raw clone with a new stack (shared and copied memory, with CLONE_VFORK),
# clone3; fork, vfork, posix_spawn, system().
. "$top_srcdir/tests/preload/lib.sh"
same "sud seccomp" 10 1 -- "$TP/tp_clone"
# system() and posix_spawn exec: the seccomp fallback refuses exec (exec.c),
# so this one runs under SUD only.
same "sud" 20 4 -- "$TP/tp_fork"
finish
