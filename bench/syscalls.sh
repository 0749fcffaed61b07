#!/bin/sh
# Per-syscall cost and a real workload, side by side in one run:
#   native | bare SUD trap floor | udig (preload, consumer writing a file) | strace -f
#   bench/syscalls.sh BUILDDIR [ITERATIONS]
# The loops run pinned to CPU 0 (as specs/intercept-costs.md measured them);
# each figure is the median of 5 runs.  udig's drop count is printed too.
set -eu
build=${1:?usage: bench/syscalls.sh BUILDDIR [ITERATIONS]}
n=${2:-200000}
udig="$build/tools/udig"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
runs() { # command... -> median of the numbers printed by 5 runs
	for i in 1 2 3 4 5; do "$@"; done | median
}
udig_loop() { # pattern: the loop's own figure, from under udig run
	taskset -c 0 "$udig" run -w "$tmp/loop.scap" -- "$build/bench/loop" "$1" "$n" 2> "$tmp/udig.err"
}
strace_loop() {
	taskset -c 0 strace -f -o /dev/null "$build/bench/loop" "$1" "$n"
}

echo "per syscall, ns (median of 5; loop of $n iterations, CPU 0)"
printf "%-10s %10s %10s %10s %10s %12s %12s\n" pattern native sud-floor udig strace udig/floor strace/udig
for p in getppid openclose; do
	native=$(runs taskset -c 0 "$build/bench/loop" "$p" "$n")
	floor=$(runs taskset -c 0 "$build/bench/sud_floor" "$p" "$n")
	u=$(runs udig_loop "$p")
	s=$(runs strace_loop "$p")
	per=1; [ "$p" = openclose ] && per=2
	awk -v p="$p" -v a="$native" -v f="$floor" -v u="$u" -v s="$s" -v k="$per" 'BEGIN {
		printf "%-10s %10.0f %10.0f %10.0f %10.0f %11.2fx %11.2fx\n", p, a/k, f/k, u/k, s/k, (u-a)/(f-a), s/u }'
done
echo "(udig/floor compares the cost added over native; the issue's target is <= 1.5x)"
grep -o '[0-9]* dropped' "$tmp/udig.err" | sed 's/^/udig drops in the last loop run: /'

echo
echo "workload: tar cf /dev/null /usr/include (wall seconds, median of 5)"
wall() { # command... -> seconds
	s=$(date +%s%N); "$@" > /dev/null 2>&1; e=$(date +%s%N); echo "$(( (e - s) / 1000 ))" | awk '{ printf "%.3f\n", $1 / 1e6 }'
}
wl_native() { wall tar cf /dev/null /usr/include; }
wl_udig() { wall "$udig" run -w "$tmp/tar.scap" -- tar cf /dev/null /usr/include; }
wl_strace() { wall strace -f -o /dev/null tar cf /dev/null /usr/include; }
tn=$(runs wl_native); tu=$(runs wl_udig); ts=$(runs wl_strace)
"$udig" run -w "$tmp/tar.scap" -- tar cf /dev/null /usr/include 2> "$tmp/tar.err" > /dev/null
awk -v n="$tn" -v u="$tu" -v s="$ts" 'BEGIN {
	printf "native %.3f s | udig %.3f s (%.2fx native) | strace -f %.3f s (%.2fx native) | udig is %.1fx faster than strace\n",
		n, u, u/n, s, s/n, s/u }'
grep -o '[0-9]* events captured, [0-9]* dropped' "$tmp/tar.err" | sed 's/^/udig tar capture: /'
