#!/bin/sh
# The switch: UDIG_REWRITE=0 and `udig run --no-rewrite` keep the trap-only
# engine (nothing rewritten, the program's text untouched), and the -v
# report says so; by default the report counts the sites.
. "$top_srcdir/tests/rewrite/lib.sh"
sud_ok || { echo "SKIP: no Syscall User Dispatch: no fast path"; exit 77; }

"$UDIG" run --engine=preload --no-rewrite -v -w "$WORK/a.scap" -- "$TPR" "$SITES" det > "$WORK/a.out" 2> "$WORK/a.err"
[ $? = 0 ] || { fail "--no-rewrite: exit status"; cat "$WORK/a.out" "$WORK/a.err"; }
grep -q 'rewrite: pid [0-9]*: off' "$WORK/a.err" || { fail "--no-rewrite: no 'off' report"; cat "$WORK/a.err"; }
grep -q 'rewritten' "$WORK/a.err" && fail "--no-rewrite: something was rewritten"
calls=$(awk -F= '/^getppid_calls=/ { s += $2 } END { print s + 0 }' "$WORK/a.out")
[ "$(getppids "$WORK/a.scap")" = "$calls" ] || fail "--no-rewrite: getppid events != calls"

UDIG_REWRITE=0 UDIG_REWRITE_VERBOSE=1 "$UDIG" run --engine=preload -w "$WORK/b.scap" -- "$TPR" "$SITES" det \
	> "$WORK/b.out" 2> "$WORK/b.err"
grep -q 'rewrite: pid [0-9]*: off' "$WORK/b.err" || { fail "UDIG_REWRITE=0: no 'off' report"; cat "$WORK/b.err"; }

"$UDIG" run --engine=preload -v -w "$WORK/c.scap" -- "$TPR" "$SITES" det > "$WORK/c.out" 2> "$WORK/c.err"
grep -q 'rewrite: pid [0-9]*: [0-9]* sites seen, [0-9]* rewritten' "$WORK/c.err" ||
	{ fail "-v: no report"; cat "$WORK/c.err"; }
"$UDIG" attach --no-rewrite 2147483646 > /dev/null 2>&1 && fail "attach took --no-rewrite"
finish
