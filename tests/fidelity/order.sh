#!/bin/sh
# Events come out in time order (issue 11): in a capture of parallel work
# no event is older than the one before it — what the kernel drivers'
# consumers guarantee and libsinsp's state engine assumes.  The ring writer
# stamps each record under the writers' lock, right before the copy, so
# ring order is time order for every producer sharing the ring (threads,
# processes, the tracer, udig's own launch records).
#
# Workloads: 4 shell pipelines in parallel, 8 threads, make -j2; under the
# default engine and every forced one.  Checked on the -w file (what
# `udig read` and `sysdig -r` see) and on the live text output.
set -u
b=${top_builddir:-.}
udig="$b/tools/udig"
fwork="$b/tests/fidelity/fwork"
fcheck="$b/tests/fidelity/fcheck"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/udig-order.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
ok() { echo "ok: $*"; }

pipes='for i in 1 2 3 4; do (seq 1 30000 | grep 7 | sort -r | wc -l >/dev/null) & done; wait'
mkdir "$tmp/mk"
{
	printf 'all: a b c d e f\n'
	for t in a b c d e f; do
		printf '%s:\n\t@for i in 1 2 3 4 5 6 7 8 9 10 11 12; do cat /etc/hostname /etc/passwd >/dev/null; done; echo %s >%s.out\n' "$t" "$t" "$t"
	done
} >"$tmp/mk/Makefile"

check() { # label, capture file, minimum events
	r=$("$fcheck" order "$2") || { bad "$1: capture unreadable"; return; }
	set -- "$1" "$2" "$3" $r
	# events N inversions K max_ns M
	if [ "$5" -lt "$3" ]; then
		bad "$1: only $5 events (expected at least $3)"
	elif [ "$7" != 0 ]; then
		bad "$1: $7 of $5 events older than the one before them (up to $9 ns)"
	else
		ok "$1: $5 events, in time order"
	fi
}

for engine in auto preload ptrace unotify; do
	"$udig" run --engine=$engine -w "$tmp/p.scap" -- sh -c "$pipes" 2>"$tmp/err" ||
		bad "$engine pipelines: udig run failed: $(cat "$tmp/err")"
	check "$engine: 4 pipelines" "$tmp/p.scap" 500
	case $engine in
	ptrace|unotify) n=2000 ;;
	*) n=20000 ;;
	esac
	"$udig" run --engine=$engine -w "$tmp/t.scap" -- "$fwork" threads 8 $n 2>"$tmp/err" ||
		bad "$engine threads: udig run failed: $(cat "$tmp/err")"
	per=2 # an enter and an exit per call; unotify writes enters only
	[ $engine = unotify ] && per=1
	check "$engine: 8 threads x $n" "$tmp/t.scap" $((8 * n * per))
	rm -f "$tmp"/mk/*.out
	"$udig" run --engine=$engine -w "$tmp/m.scap" -- make -s -j2 -C "$tmp/mk" 2>"$tmp/err" ||
		bad "$engine make -j2: udig run failed: $(cat "$tmp/err")"
	check "$engine: make -j2" "$tmp/m.scap" 500
done

# Live text output: sysdig's layout starts with the event number and the
# time of day; the times of consecutive lines never go back.
"$udig" run -o - -- sh -c "$pipes" 2>/dev/null >"$tmp/live.txt"
back=$(awk '{ t = $2; if (t < prev) n++; prev = t } END { print n + 0 }' "$tmp/live.txt")
lines=$(wc -l <"$tmp/live.txt")
[ "$lines" -gt 500 ] && [ "$back" = 0 ] && ok "live text: $lines lines, in time order" ||
	bad "live text: $back of $lines lines older than the one before"
exit $fail
