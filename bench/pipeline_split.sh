#!/bin/sh
# Where the tar pipeline's capture cost goes, process by process (README,
# "Performance"):
#   bench/pipeline_split.sh BUILDDIR [ROUNDS]
# `tar cf - -C /usr include | wc -c`, natively and under
# `udig run --engine=preload -w`, with tar's and wc's own CPU time and
# page faults (bench/cputime: that process alone), in four configurations:
#   native
#   tar-screened  --suppress-comm=tar: tar runs under the fast path but
#                 builds no record (the screen comes first): interception
#   wc-screened   --suppress-comm=wc: tar records, and is the ring's only
#                 writer (wc is intercepted and builds nothing)
#   both          the default: tar and wc write the ring at once
# So, for tar: tar-screened - native is what intercepting its syscalls
# costs; wc-screened - tar-screened what building and writing its own
# records costs; both - wc-screened what a second writer of the ring, on
# the other CPU, adds to that.  CPU time moves far less than wall time
# when these VMs drift; each round runs every configuration once, starting
# at another one; figures are medians of ROUNDS (default 11).
set -eu
build=${1:?usage: bench/pipeline_split.sh BUILDDIR [ROUNDS]}
rounds=${2:-11}
. "$(dirname "$0")/common.sh"
bench_udig "$build"
cputime="$build/bench/cputime"
[ -x "$cputime" ] || { echo "pipeline_split: $cputime missing (make in $build)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

configs="native tar-screened wc-screened both"
run() { # config: one pipeline, appending to $tmp/CONFIG.{wall,tar,wc}
	c=$1
	wl="'$cputime' '$tmp/$c.tar' tar cf - -C /usr include | '$cputime' '$tmp/$c.wc' wc -c >/dev/null"
	case $c in
	native) set -- sh -c "$wl" ;;
	tar-screened) set -- "$udig" run --engine=preload --suppress-comm=tar -w "$tmp/c.scap" -- sh -c "$wl" ;;
	wc-screened) set -- "$udig" run --engine=preload --suppress-comm=wc -w "$tmp/c.scap" -- sh -c "$wl" ;;
	both) set -- "$udig" run --engine=preload -w "$tmp/c.scap" -- sh -c "$wl" ;;
	esac
	t0=$(date +%s%N)
	"$@" 2>"$tmp/$c.err" || { echo "pipeline_split: $c failed:" >&2; cat "$tmp/$c.err" >&2; exit 1; }
	t1=$(date +%s%N)
	echo $(((t1 - t0) / 1000)) >>"$tmp/$c.wall"
	grep -o '[0-9]* events captured, [0-9]* dropped' "$tmp/$c.err" | tail -n 1 >"$tmp/$c.events" || true
}
i=1
while [ $i -le "$rounds" ]; do
	for c in $(rotated $i $configs); do run "$c"; done
	i=$((i + 1))
done

ms() { cut -d' ' -f1 "$1" | median | awk '{ printf "%.1f", $1 / 1000 }'; }
faults() { cut -d' ' -f2 "$1" | median; }
echo "tar cf - -C /usr include | wc -c; ms and page faults, median of $rounds rounds (udig: --engine=preload -w)"
printf "%-13s %8s %8s %8s %10s %10s  %s\n" config wall "tar cpu" "wc cpu" "tar faults" "wc faults" "events"
for c in $configs; do
	printf "%-13s %8s %8s %8s %10s %10s  %s\n" "$c" "$(ms "$tmp/$c.wall")" "$(ms "$tmp/$c.tar")" "$(ms "$tmp/$c.wc")" \
		"$(faults "$tmp/$c.tar")" "$(faults "$tmp/$c.wc")" "$(cat "$tmp/$c.events" 2>/dev/null)"
done
n=$(ms "$tmp/native.tar") ts=$(ms "$tmp/tar-screened.tar") ws=$(ms "$tmp/wc-screened.tar") b=$(ms "$tmp/both.tar")
awk -v n="$n" -v ts="$ts" -v ws="$ws" -v b="$b" 'BEGIN {
	printf "tar CPU: intercepting +%.1f ms, its own records +%.1f ms, a second writer +%.1f ms (native %.1f, captured %.1f)\n",
		ts - n, ws - ts, b - ws, n, b
}'
