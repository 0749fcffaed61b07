#!/bin/sh
# The program's SIGSYS handler, SIGSYS masks, sigaltstack, EINTR vs
# SA_RESTART, death by SIGSYS; its SIGSEGV and SIGBUS use and bad pointers;
# exit codes and death by signal.
. "$top_srcdir/tests/preload/lib.sh"
same "sud seccomp" 10 1 -- "$TP/tp_signals"
same "sud seccomp" 1 1 -- "$TP/tp_exit" code 0
same "sud seccomp" 1 1 -- "$TP/tp_exit" code 42
same "sud seccomp" 1 1 -- "$TP/tp_exit" _exit 7
same "sud seccomp" 1 1 -- "$TP/tp_exit" thread 9
# SIGSEGV and SIGBUS: bad pointers in syscalls, the program's fault
# handlers, death by fault (reported in-process: 3 children + main's exit)
same "sud seccomp" 20 4 -- "$TP/tp_faults"
pex=$(awk '{ for (i = 2; i <= NF; i++) if ($i ~ /^procexit=/) s += substr($i, 10) } END { print s + 0 }' "$WORK/count")
[ "$pex" -ge 4 ] || fail "tp_faults: $pex process-exit events, want 4"
# a path unmapped by another thread while the call and its records read it
same "sud seccomp" 1000 1 -- "$TP/tp_unmap_race"
# ... and SIG_IGN of SIGSEGV and SIGSYS kept across execve
same "sud" 20 5 -- "$TP/tp_faults" exec
grep -q "SIGSEGV ignored=1 SIGBUS ignored=0 SIGSYS ignored=1" "$WORK/sud.out" || fail "tp_faults exec: dispositions after exec"
# death by a signal sent to itself: reported in-process (procexit, counts)
same "sud seccomp" 1 1 -- "$TP/tp_exit" signal 15
same "sud seccomp" 1 1 -- "$TP/tp_exit" abort
grep -q "procexit=1" "$WORK/count" || fail "abort: no process-exit event"
finish
