#!/bin/sh
# wait4 and waitid behave as natively under the library, which makes them
# with buffers of its own (tp_wait.c: status, rusage, siginfo bytes, bad
# pointers, stop and continue, WNOWAIT, WNOHANG), and each child a call
# reaps gets a procexit from the reaper: tp_wait reaps 10 (its exit status).
. "$top_srcdir/tests/preload/lib.sh"
same "sud seccomp" 20 1 -- "$TP/tp_wait"
[ "$nrc" = 10 ] || fail "tp_wait reaped $nrc children natively, not 10: $(cat "$WORK/native.out")"
# procexits: the 10 reaped, the children's own (exit, the signals they
# raised) and tp_wait's: at least 10 + 1 in the last mode's count.
pex=$(awk '{ for (i = 2; i <= NF; i++) if ($i ~ /^procexit=/) s += substr($i, 10) } END { print s + 0 }' "$WORK/count")
[ "$pex" -ge 11 ] || fail "tp_wait: $pex process-exit events, want >= 11"
finish
