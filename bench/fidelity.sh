#!/bin/sh
# The cost of capture fidelity (issue 11), rounds interleaved (every column
# once a round, median of 5 rounds):
#   ordering: ns per getppid under the preload engine (loop of N pinned to
#     CPU 0, -w), this build vs OLD_BUILDDIR (one without the stamp taken
#     under the writers' lock), if given;
#   lossless: the same loop, and the wall time of 32 threads x 50 000
#     getppid (2 CPUs, a ring that fills), default (lossless) vs --drop,
#     with the events dropped.
#   bench/fidelity.sh BUILDDIR [OLD_BUILDDIR] [N]
set -eu
build=${1:?usage: bench/fidelity.sh BUILDDIR [OLD_BUILDDIR] [N]}
old=${2:-}
n=${3:-200000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/common.sh"
bench_udig "$build"
# The old build's binary (in a subshell: the library path stays this build's).
old_udig=
[ -z "$old" ] || old_udig=$(bench_udig "$old" && echo "$udig")
loop="$build/bench/loop"
fwork="$build/tests/fidelity/fwork"
loop_ns() { # udig binary, extra options... -> ns per getppid
	u=$1
	shift
	"$u" run --engine=preload "$@" -w "$tmp/l.scap" -- taskset -c 0 "$loop" getppid "$n" 2>>"$tmp/err"
}
wall() { # options... -> seconds of 32 threads x 50 000 getppid, and drops
	s=$(date +%s.%N)
	"$udig" run "$@" -w "$tmp/t.scap" -- "$fwork" threads 32 50000 2>"$tmp/werr"
	e=$(date +%s.%N)
	echo "$s $e $(grep -o '[0-9]* dropped' "$tmp/werr" | grep -o '[0-9]*')" |
		awk '{ printf "%.2f %d\n", $2 - $1, $3 }'
}
for r in 1 2 3 4 5; do
	loop_ns "$udig" >>"$tmp/lossless"
	loop_ns "$udig" --drop >>"$tmp/drop"
	if [ -n "$old" ]; then
		LD_LIBRARY_PATH="$old/libcapture/.libs" \
			loop_ns "$old_udig" >>"$tmp/old"
	fi
	wall >>"$tmp/wl"
	wall --drop >>"$tmp/wd"
done
echo "getppid under preload, ns per call (median of 5):"
echo "  this build, lossless (default): $(median <"$tmp/lossless")"
echo "  this build, --drop:             $(median <"$tmp/drop")"
[ -n "$old" ] && echo "  $old (old build):   $(median <"$tmp/old")"
echo "32 threads x 50 000 getppid, seconds and events dropped (median of 5):"
echo "  lossless (default): $(cut -d' ' -f1 "$tmp/wl" | median) s, $(cut -d' ' -f2 "$tmp/wl" | median) dropped"
echo "  --drop:             $(cut -d' ' -f1 "$tmp/wd" | median) s, $(cut -d' ' -f2 "$tmp/wd" | median) dropped"
