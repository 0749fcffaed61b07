#!/bin/sh
# execve chains: self-exec, an empty environment, failures, through shells
# and env -i; and exec refused (not fatal) under the seccomp fallback.
. "$top_srcdir/tests/preload/lib.sh"
same "sud" 10 5 -- "$TP/tp_exec" 3
same "sud" 10 3 -- /bin/sh -c 'echo a; /bin/sh -c "echo b; exit 4"; echo $?'
same "sud" 5 2 -- env -i "$TP/tp_exec" 0
same "sud" 5 2 -- env -i /bin/sh -c 'env | grep -c . >/dev/null; echo ok'

# A relative LD_PRELOAD, then a chdir, then an exec: the new image still
# has the library, re-added by its resolved path (an absolute entry is
# kept as written).
: > "$WORK/count"
(cd "$(dirname "$LIB")" && UDIG_DEBUG_COUNT_FD=9 LD_PRELOAD="./$(basename "$LIB")" \
	/bin/sh -c 'cd /; exec /bin/true') 9>> "$WORK/count" 2> "$WORK/rel.err" < /dev/null ||
	fail "relative LD_PRELOAD: status $?: $(cat "$WORK/rel.err")"
counts "relative LD_PRELOAD, chdir, exec" 3 2

# Reading the new environment costs no fault: the last strings of a
# shell's own environment end at the top of its stack, and the reader
# stops at the NUL instead of reading across the stack's end (strace sees
# every SIGSEGV the library takes; it took four per exec).
if command -v strace >/dev/null; then
	: > "$WORK/count"
	strace -f -qq -e trace=none -e signal=SIGSEGV -o "$WORK/segv" env UDIG_DEBUG_COUNT_FD=9 LD_PRELOAD="$LIB" \
		/bin/sh -c '/bin/true; /bin/true' 9>> "$WORK/count" 2> "$WORK/segv.err" < /dev/null ||
		fail "execs under strace: status $?: $(cat "$WORK/segv.err")"
	counts "two execs of a shell's child, under strace" 3 3
	[ ! -s "$WORK/segv" ] || fail "execs took faults: $(head -3 "$WORK/segv")"
fi

# Under seccomp the exec is refused and the program goes on: a missing file
# still fails with ENOENT, an executable one with EPERM.
(UDIG_INTERCEPT=seccomp LD_PRELOAD=$LIB "$TP/tp_exec" 1 > "$WORK/sc.out" 2>&1)
rc=$?
grep -q 'exec failure: No such file or directory' "$WORK/sc.out" || fail "seccomp exec: $(cat "$WORK/sc.out")"
[ "$rc" = 3 ] || fail "seccomp exec: status $rc, want 3 (execve refused)"
finish
