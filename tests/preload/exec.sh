#!/bin/sh
# execve chains: self-exec, an empty environment, failures, through shells
# and env -i; and exec refused (not fatal) under the seccomp fallback.
. "$top_srcdir/tests/preload/lib.sh"
same "sud" 10 5 -- "$TP/tp_exec" 3
same "sud" 10 3 -- /bin/sh -c 'echo a; /bin/sh -c "echo b; exit 4"; echo $?'
same "sud" 5 2 -- env -i "$TP/tp_exec" 0
same "sud" 5 2 -- env -i /bin/sh -c 'env | grep -c . >/dev/null; echo ok'

# Under seccomp the exec is refused and the program goes on: a missing file
# still fails with ENOENT, an executable one with EPERM.
(UDIG_INTERCEPT=seccomp LD_PRELOAD=$LIB "$TP/tp_exec" 1 > "$WORK/sc.out" 2>&1)
rc=$?
grep -q 'exec failure: No such file or directory' "$WORK/sc.out" || fail "seccomp exec: $(cat "$WORK/sc.out")"
[ "$rc" = 3 ] || fail "seccomp exec: status $rc, want 3 (execve refused)"
finish
