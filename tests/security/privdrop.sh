#!/bin/sh
# Issue 9, attack 7 (first half): a program that drops its uid and execs
# keeps being captured, under every engine that runs it in-process or
# traces it.  Needs root to drop from; the unprivileged pass skips.
. "$top_srcdir/tests/security/lib.sh"
[ "$(id -u)" = 0 ] || { echo "SKIP: dropping privileges needs root"; exit 77; }
f="$tmp/readable.txt"
echo "seen by nobody" > "$f"
chmod 644 "$f"
for engine in preload auto ptrace; do
	"$udig" run --engine=$engine -w "$tmp/$engine.scap" -- \
		setpriv --reuid=65534 --regid=65534 --clear-groups sh -c "cat $f; id -u" >"$tmp/out" 2>"$tmp/err" ||
		bad "$engine: udig run failed: $(cat "$tmp/err")"
	grep -q "^seen by nobody$" "$tmp/out" && grep -q "^65534$" "$tmp/out" || bad "$engine: program output: $(cat "$tmp/out")"
	"$udig" read "$tmp/$engine.scap" "evt.type=openat and evt.dir=< and proc.name=cat" > "$tmp/ev" 2>&1
	grep -q "fd=3(<f>$f)" "$tmp/ev" || bad "$engine: cat's open after the drop not captured: $(head -c 300 "$tmp/ev")"
	"$udig" read "$tmp/$engine.scap" "evt.type=execve and evt.dir=< and proc.name=id" | grep -q "res=0" ||
		bad "$engine: the second exec after the drop not captured"
	ok "$engine: events after a uid drop and two execs captured"
done
finish
