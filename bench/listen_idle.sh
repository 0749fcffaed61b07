#!/bin/sh
# What a program started with LD_PRELOAD=libudig.so pays when no consumer
# listens, next to native, the bare SUD trap (the floor of interception)
# and the same program watched by `udig listen -q`:
#   bench/listen_idle.sh BUILDDIR [ITERATIONS]
# ns per syscall, median of 5 rounds; each round runs every column once
# (these VMs drift in speed over minutes).  Loops pinned to CPU 0.
set -eu
build=${1:?usage: bench/listen_idle.sh BUILDDIR [ITERATIONS]}
n=${2:-200000}
. "$(dirname "$0")/common.sh"
bench_udig "$build"
lib="$build/udig/preload/.libs/libudig.so"
loop="$build/bench/loop"
tmp=$(mktemp -d)
R=udig-bench-idle-$$
trap 'rm -rf "$tmp"; rm -f /dev/shm/$R.* /dev/shm/$R-*' EXIT

l_native() { taskset -c 0 "$loop" "$1" "$n"; }
l_floor() { taskset -c 0 "$build/bench/sud_floor" "$1" "$n"; }
# A ring of its own that nobody consumes (the library creates it).
l_idle() { UDIG_RING=$R-idle.buf UDIG_DESCS=$R-idle.descs LD_PRELOAD=$lib taskset -c 0 "$loop" "$1" "$n"; }
l_listen() {
	"$udig" listen -q --ring "$R" 2>"$tmp/listen.err" &
	lp=$!
	while ! grep -q 'listening on ring' "$tmp/listen.err" 2>/dev/null; do sleep 0.01; done
	UDIG_RING=$R.buf UDIG_DESCS=$R.descs LD_PRELOAD=$lib taskset -c 0 "$loop" "$1" "$n"
	kill -INT "$lp"
	wait "$lp" || true
	grep -o '[0-9]* dropped' "$tmp/listen.err" >>"$tmp/drops"
}

echo "ns per syscall (median of 5 rounds; loop of $n iterations)"
printf "%-13s %8s %8s %8s %8s | %13s %13s\n" pattern native floor idle listen "idle/native" "idle/floor"
for p in getppid openclose; do
	for round in 1 2 3 4 5; do
		for c in native floor idle listen; do echo "$c $("l_$c" "$p")"; done
	done >"$tmp/rounds"
	col() { awk -v c="$1" '$1 == c { print $2 }' "$tmp/rounds" | median; }
	case $p in getppid) k=1 ;; *) k=2 ;; esac
	awk -v p="$p" -v a="$(col native)" -v f="$(col floor)" -v i="$(col idle)" -v l="$(col listen)" -v k="$k" 'BEGIN {
		printf "%-13s %8.0f %8.0f %8.0f %8.0f | %12.2fx %12.2fx\n", p, a/k, f/k, i/k, l/k, i/a, i/f }'
done
echo "udig listen drops per run: $(tr '\n' ' ' <"$tmp/drops")"
