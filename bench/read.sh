#!/bin/sh
# Reading throughput: udig read -q against `cat FILE > /dev/null` and
# `sysdig -r FILE -q`, on one generated capture, measured in the same run.
#   bench/read.sh BUILDDIR [EVENTS]     (default 1000000 events)
# Prints events/s and MB/s for each reader and the ratios; best of 3 runs.
set -eu
build=${1:?usage: bench/read.sh BUILDDIR [EVENTS]}
n=${2:-1000000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
file="$tmp/bench.scap"
"$build/bench/mkcapture" "$file" "$n"
size=$(stat -c %s "$file")

best() { # command... ; prints the best wall time in seconds over 3 runs
	b=""
	for i in 1 2 3; do
		s=$(date +%s%N)
		"$@" > /dev/null 2>&1
		e=$(date +%s%N)
		t=$((e - s))
		if [ -z "$b" ] || [ "$t" -lt "$b" ]; then b=$t; fi
	done
	echo "$b"
}

cat_ns=$(best cat "$file")
udig_ns=$(best "$build/tools/udig" read -q "$file")
if command -v sysdig > /dev/null; then
	sysdig_ns=$(best sysdig -r "$file" -q)
else
	sysdig_ns=0
fi
report() { # name ns
	awk -v name="$1" -v ns="$2" -v n="$n" -v size="$size" -v cat="$cat_ns" -v udig="$udig_ns" 'BEGIN {
		if (ns <= 0) { printf "%-16s (not available)\n", name; exit }
		s = ns / 1e9
		printf "%-16s %8.3f s  %12.0f events/s  %8.1f MB/s  udig/this %.2fx\n", name, s, n / s, size / s / 1e6, ns / udig
	}'
}
echo "capture: $n events, $size bytes"
report "cat" "$cat_ns"
report "udig read -q" "$udig_ns"
report "sysdig -r -q" "$sysdig_ns"
awk -v c="$cat_ns" -v u="$udig_ns" 'BEGIN { printf "udig reads at %.0f%% of cat throughput\n", 100 * c / u }'
