#!/bin/sh
# wait4 and waitid behave as natively under the library, which makes them
# with buffers of its own (tp_wait.c: status, rusage, siginfo bytes, bad
# pointers, stop and continue, WNOWAIT, WNOHANG).  tp_wait reaps 10
# children (its exit status).  The procexits of the last mode's run, with
# no consumer (so none that shows an end once): the 7 children that exit
# and the one that raises SIGQUIT write their own; tp_wait writes those of
# the 3 it reaps dead by signal (SIGKILL, SIGTERM, SIGQUIT) and its own.
. "$top_srcdir/tests/preload/lib.sh"
same "sud seccomp" 20 1 -- "$TP/tp_wait"
[ "$nrc" = 10 ] || fail "tp_wait reaped $nrc children natively, not 10: $(cat "$WORK/native.out")"
pex=$(awk '{ for (i = 2; i <= NF; i++) if ($i ~ /^procexit=/) s += substr($i, 10) } END { print s + 0 }' "$WORK/count")
[ "$pex" = 12 ] || fail "tp_wait: $pex process-exit events, want 12: $(cat "$WORK/count")"
finish
