#!/bin/sh
# Rewritten sites of every shape the rewriter accepts (a 5-byte instruction
# before the syscall, a RIP-relative load, a window with a RIP-relative
# compare and a conditional jump) in a library dlopen'ed after start, and
# one it must refuse (only short instructions before the syscall), keep
# every register a syscall keeps (general, flags, SSE, AVX, AVX-512), run
# from racing threads while being patched, in a fork child and an exec'd
# image, under a timer signal handled on an alternate stack; the main
# program's own text is never changed.  Every getppid the program made is
# an event in the capture.  As root, then as uid 65534.
. "$top_srcdir/tests/rewrite/lib.sh"
sud_ok || { echo "SKIP: no Syscall User Dispatch: no fast path"; exit 77; }

# run MODE: udig run the program, keep its output and report.
run() {
	UDIG_REWRITE_VERBOSE=1 "$UDIG" run --engine=preload -w "$WORK/$1.scap" -- "$TPR" "$SITES" "$1" \
		> "$WORK/$1.out" 2> "$WORK/$1.err" < /dev/null
	rc=$?
	[ $rc = 0 ] || { fail "$1: exit status $rc"; cat "$WORK/$1.out" "$WORK/$1.err"; }
	grep FAIL "$WORK/$1.out" && fail "$1: the program saw something wrong"
	calls=$(awk -F= '/^getppid_calls=/ { s += $2 } END { print s + 0 }' "$WORK/$1.out")
	events=$(getppids "$WORK/$1.scap")
	grep -q ' 0 dropped' "$WORK/$1.err" || fail "$1: events dropped: $(tail -n 1 "$WORK/$1.err")"
}

run det
[ "$events" = "$calls" ] || fail "det: $events getppid exit events, the program made $calls calls"
# Two images report at exit (the program and the exec'd image; the fork child _exits).
report=$(grep "^udig: rewrite: pid" "$WORK/det.err")
[ "$(echo "$report" | wc -l)" -ge 2 ] || { fail "det: fewer than 2 reports"; echo "$report"; }
# Our shapes: getppid, race, riprel, jcc, regs (+ libc's) rewritten; the
# short one and the main program's own refused.
echo "$report" | awk '{ for (i = 1; i <= NF; i++) if ($(i + 1) == "rewritten,") r = $i } r + 0 >= 5 { ok = 1 }
	END { exit !ok }' || { fail "det: fewer than 5 sites rewritten"; echo "$report"; }
echo "$report" | grep -q 'short=[1-9]' || { fail "det: the short site was not refused as short"; echo "$report"; }
echo "$report" | grep -q 'main program=1' || { fail "det: the main program's site was not refused"; echo "$report"; }

run sig
# A record that a signal handler interrupts makes the handler's own records
# nested ones, which are dropped (as on the trap path): the main loop's
# 600 000 calls are all there, and no more than were made.
[ "$events" -ge 600001 ] && [ "$events" -le "$calls" ] ||
	fail "sig: $events getppid exit events, the program made $calls calls"

as_nobody "$top_srcdir/tests/rewrite/sites.sh"
finish
