#!/bin/sh
# Reading throughput: `udig read -q` (udig_next with state tracking) against
# `cat FILE > /dev/null` and `sysdig -r FILE -q`, on one generated capture,
# measured in the same run.
#   bench/read.sh BUILDDIR [EVENTS [BASE_BUILDDIR]]   (default 1000000 events)
# BASE_BUILDDIR: another build (say, of the previous commit) whose `udig read
# -q` is measured alongside, for before/after figures under the same load.
# RUNS (default 7) rounds; each round runs every reader once, in turn, so a
# busy machine slows them alike.  Prints the median wall time of each reader
# (and its fastest run), events/s, MB/s and the ratios.
set -eu
build=${1:?usage: bench/read.sh BUILDDIR [EVENTS [BASE_BUILDDIR]]}
n=${2:-1000000}
base=${3:-}
runs=${RUNS:-7}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
file="$tmp/bench.scap"
"$build/bench/mkcapture" "$file" "$n"
size=$(stat -c %s "$file")

# The program itself, not libtool's wrapper script: the wrapper is a shell
# script whose start-up costs several milliseconds, a good part of what is
# measured here.
run_build() { # BUILDDIR
	if [ -x "$1/tools/.libs/udig" ]; then
		LD_LIBRARY_PATH="$1/libcapture/.libs" "$1/tools/.libs/udig" read -q "$file"
	else
		"$1/tools/udig" read -q "$file"
	fi
}
run_cat() { cat "$file"; }
run_udig() { run_build "$build"; }
run_base() { run_build "$base"; }
run_sysdig() { sysdig -r "$file" -q; }

names="cat udig"
if [ -n "$base" ]; then
	names="$names base"
fi
if command -v sysdig > /dev/null; then
	names="$names sysdig"
fi

i=0
while [ $i -lt "$runs" ]; do
	for r in $names; do
		s=$(date +%s%N)
		"run_$r" > /dev/null 2>&1
		e=$(date +%s%N)
		echo $((e - s)) >> "$tmp/$r"
	done
	i=$((i + 1))
done

median() { sort -n "$tmp/$1" | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
fastest() { sort -n "$tmp/$1" | head -1; }
cat_ns=$(median cat)
udig_ns=$(median udig)
report() { # label name
	[ -s "$tmp/$2" ] || { printf "%-20s (not available)\n" "$1"; return; }
	awk -v name="$1" -v ns="$(median "$2")" -v best="$(fastest "$2")" -v n="$n" -v size="$size" \
		-v cat="$cat_ns" -v udig="$udig_ns" 'BEGIN {
		s = ns / 1e9
		printf "%-20s %8.1f ms (fastest %6.1f)  %10.0f events/s  %7.1f MB/s  %5.2fx cat  udig %.2fx as fast\n",
			name, ns / 1e6, best / 1e6, n / s, size / s / 1e6, ns / cat, ns / udig
	}'
}
echo "capture: $n events, $size bytes; median of $runs runs"
report "cat" cat
report "udig read -q" udig
if [ -n "$base" ]; then report "udig read -q (base)" base; fi
report "sysdig -r -q" sysdig
awk -v c="$cat_ns" -v u="$udig_ns" 'BEGIN { printf "udig reads at %.0f%% of cat throughput\n", 100 * c / u }'
