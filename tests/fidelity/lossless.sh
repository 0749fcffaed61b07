#!/bin/sh
# `udig run` is lossless by default (issue 11): the program waits for udig's
# consumer when the ring is full, as it would under strace.  32 threads x
# 50 000 getppid calls are captured exactly, enters and exits, under the
# default engine (fewer calls under the others, to keep the suite short:
# the tracers take ~30 us a call), to a -w file and as text piped into a
# reader.
# `--drop` gives the drivers' behaviour back: events may be lost, and every
# lost one is counted on the statistics line.
set -u
b=${top_builddir:-.}
udig="$b/tools/udig"
fwork="$b/tests/fidelity/fwork"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/udig-lossless.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
ok() { echo "ok: $*"; }

getppids() { # capture file: getppid events, enters and exits
	"$udig" stats "$1" | awk '$3 == "getppid" { n += $1 } END { print n + 0 }'
}
dropped() { # stderr of udig run: the dropped count of its statistics line
	sed -n 's/.* events captured, \([0-9]*\) dropped.*/\1/p' "$1" | tail -n 1
}

for engine in auto preload ptrace unotify; do
	case $engine in
	auto) n=50000 ;;
	preload) n=20000 ;;
	*) n=2000 ;;
	esac
	per=2
	[ $engine = unotify ] && per=1 # enter events only
	want=$((32 * n * per))
	"$udig" run --engine=$engine -w "$tmp/l.scap" -- "$fwork" threads 32 $n 2>"$tmp/err" ||
		bad "$engine: udig run failed: $(cat "$tmp/err")"
	got=$(getppids "$tmp/l.scap")
	d=$(dropped "$tmp/err")
	[ "$got" = $want ] && [ "$d" = 0 ] && ok "$engine: 32 threads x $n getppid: $got events, none dropped" ||
		bad "$engine: 32 threads x $n getppid: $got of $want events, $d dropped ($(cat "$tmp/err"))"
done

# In a PID namespace of its own the program cannot see udig (nor udig's
# other writers): lossless all the same, and two writers on either side of
# the namespace never take the ring's lock from each other (the lock names
# owners by host ids: udig/encode/ring_pidns.h).
if unshare -Upfr --mount-proc true 2>/dev/null; then
	for engine in auto preload; do
		n=20000
		"$udig" run --engine=$engine -w "$tmp/n.scap" -- unshare -Upfr --mount-proc "$fwork" threads 32 $n \
			2>"$tmp/err" || bad "$engine, pid namespace: udig run failed: $(cat "$tmp/err")"
		got=$(getppids "$tmp/n.scap")
		d=$(dropped "$tmp/err")
		[ "$got" = $((32 * n * 2)) ] && [ "$d" = 0 ] &&
			ok "$engine, pid namespace: 32 threads x $n getppid: $got events, none dropped" ||
			bad "$engine, pid namespace: $got of $((32 * n * 2)) getppid events, $d dropped ($(cat "$tmp/err"))"
	done
	n=100000
	"$udig" run --engine=preload -w "$tmp/t.scap" -- sh -c \
		"\"$fwork\" threads 2 $n & unshare -Upfr --mount-proc \"$fwork\" threads 2 $n; wait" 2>"$tmp/err" ||
		bad "two writers, two namespaces: udig run failed: $(cat "$tmp/err")"
	got=$("$udig" read "$tmp/t.scap" 'evt.type=getppid and proc.name=fwork' | wc -l) # not sh's
	d=$(sed -n 's/.* dropped (ring full \([0-9]*\), invalid \([0-9]*\)).*/\1 \2/p' "$tmp/err" | tail -n 1)
	[ "$got" = $((4 * n * 2)) ] && [ "$d" = "0 0" ] &&
		ok "two writers, two namespaces: $got getppid events, none dropped nor garbled" ||
		bad "two writers, two namespaces: $got of $((4 * n * 2)) getppid events, ring full/invalid: ${d:-?} ($(cat "$tmp/err"))"
else
	echo "skip: pid namespaces (unshare -Upfr --mount-proc refused here)"
fi

# Text through a pipe into a reader slower than the program.
n=10000
"$udig" run -o - -- "$fwork" threads 32 $n 2>"$tmp/err" | grep -c '[<>] getppid' >"$tmp/count"
got=$(cat "$tmp/count")
d=$(dropped "$tmp/err")
[ "$got" = $((32 * n * 2)) ] && [ "$d" = 0 ] && ok "text piped: $got getppid events, none dropped" ||
	bad "text piped: $got of $((32 * n * 2)) getppid events, $d dropped"

# --drop: whatever is missing is counted.
n=20000
"$udig" run --drop -w "$tmp/d.scap" -- "$fwork" threads 32 $n 2>"$tmp/err" ||
	bad "--drop: udig run failed: $(cat "$tmp/err")"
got=$(getppids "$tmp/d.scap")
d=$(dropped "$tmp/err")
if [ -z "$d" ] || [ "$got" -gt $((32 * n * 2)) ] || [ $((got + d)) -lt $((32 * n * 2)) ]; then
	bad "--drop: $got getppid events and ${d:-no} drops do not account for $((32 * n * 2))"
else
	ok "--drop: $got getppid events, $d dropped, all accounted for"
fi
# --lossless is still accepted (it is the default).
"$udig" run --lossless -- true >/dev/null 2>"$tmp/err" || bad "--lossless is refused: $(cat "$tmp/err")"
exit $fail
