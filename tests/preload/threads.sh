#!/bin/sh
# Many threads doing syscalls; a thread created from a signal handler on
# sigaltstack.
. "$top_srcdir/tests/preload/lib.sh"
same "sud seccomp" 8000 1 -- "$TP/tp_threads"
same "sud seccomp" 5 1 -- "$TP/tp_sigthread"
finish
