#!/bin/sh
# The program's SIGSYS handler, SIGSYS masks, sigaltstack, EINTR vs
# SA_RESTART, death by SIGSYS; exit codes and death by signal.
. "$top_srcdir/tests/preload/lib.sh"
same "sud seccomp" 10 1 -- "$TP/tp_signals"
same "sud seccomp" 1 1 -- "$TP/tp_exit" code 0
same "sud seccomp" 1 1 -- "$TP/tp_exit" code 42
same "sud seccomp" 1 1 -- "$TP/tp_exit" _exit 7
same "sud seccomp" 1 1 -- "$TP/tp_exit" thread 9
# death by a signal sent to itself: reported in-process (procexit, counts)
same "sud seccomp" 1 1 -- "$TP/tp_exit" signal 15
same "sud seccomp" 1 1 -- "$TP/tp_exit" abort
grep -q "procexit=1" "$WORK/count" || fail "abort: no process-exit event"
finish
