#!/bin/sh
# What each capture control costs (README, "Capture controls"):
#   bench/controls.sh BUILDDIR [ITERATIONS]
# Two syscall-heavy loops (bench/loop): openreadclose (open, read, close of
# /etc/hostname: file I/O) and tcprw (100 bytes through a loopback TCP
# connection: socket I/O, what dynamic snaplen and the full-capture ports
# look at).  Each runs natively, under strace -f, under `udig run -w` with
# no control, and under `udig run -w` with one control at a time:
#   --sampling 8            dropping mode, 1/8 of each second kept
#   --suppress-comm other   a name no process has: the check alone
#   --suppress-comm loop    the loop itself: what a suppressed program pays
#   --dynamic-snaplen       the drivers' protocol rules
#   --fullcapture-ports 1-65535   every port in the range: whole payloads
#   --simple                only the syscalls that keep state
# Figures: ns per syscall, median of 5 rounds; each round runs every
# configuration once, so that a drift of the machine's speed weighs on all
# alike; ratios against native, against udig without controls, and
# strace's time against each, all from the same run.  The loops run pinned
# to CPU 0 (udig itself is free), as bench/syscalls.sh does.  The events
# column is the last run's statistics line: what the control did.
set -eu
build=${1:?usage: bench/controls.sh BUILDDIR [ITERATIONS]}
n=${2:-100000}
. "$(dirname "$0")/common.sh"
bench_udig "$build"
loop="$build/bench/loop"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

configs="native strace plain sampling supp_other supp_self dynsnap fullcap simple"
opts_of() {
	case $1 in
	plain) echo "" ;;
	sampling) echo "--sampling 8" ;;
	supp_other) echo "--suppress-comm other" ;;
	supp_self) echo "--suppress-comm loop" ;;
	dynsnap) echo "--dynamic-snaplen" ;;
	fullcap) echo "--fullcapture-ports 1-65535" ;;
	simple) echo "--simple" ;;
	esac
}
label_of() {
	case $1 in
	native) echo "native" ;;
	strace) echo "strace -f" ;;
	plain) echo "udig run -w (no control)" ;;
	*) echo "udig run -w $(opts_of "$1")" ;;
	esac
}
# config PATTERN -> ns per iteration (the loop prints it; udig passes the
# program's stdout through and ends with its statistics line on stderr)
run() {
	case $1 in
	native) taskset -c 0 "$loop" "$2" "$n" ;;
	strace) taskset -c 0 strace -f -o /dev/null "$loop" "$2" "$n" ;;
	*)
		# shellcheck disable=SC2046
		"$udig" run $(opts_of "$1") -w "$tmp/c.scap" -- taskset -c 0 "$loop" "$2" "$n" 2>"$tmp/$1.err"
		;;
	esac
}
stats_of() { # the last run's events and what the control took out
	[ -f "$tmp/$1.err" ] || { echo "-"; return; }
	tail -n 1 "$tmp/$1.err" | sed -e 's/^udig: //' -e 's/ (ring full [0-9]*, invalid [0-9]*)//' -e 's/, engine .*//' \
		-e 's/, 0 suppressed (0 threads)//' -e 's/, 0 sampled out//' -e 's/, 0 unreadable memory//' -e 's/, 0 bug//'
}

echo "per syscall, ns (median of 5 rounds; loops of $n iterations, pinned to CPU 0)"
for p in openreadclose tcprw; do
	case $p in openreadclose) k=3 ;; tcprw) k=2 ;; esac
	for round in 1 2 3 4 5; do
		for c in $configs; do echo "$c $(run "$c" "$p")"; done
	done >"$tmp/rounds"
	col() { awk -v c="$1" '$1 == c { print $2 }' "$tmp/rounds" | median; }
	a=$(col native)
	u=$(col plain)
	s=$(col strace)
	echo
	echo "loop $p ($k syscalls an iteration)"
	printf "%-42s %9s %9s %9s %9s   %s\n" configuration "ns/call" "x native" "x udig" "strace/x" "last run"
	for c in $configs; do
		v=$(col "$c")
		awk -v l="$(label_of "$c")" -v v="$v" -v a="$a" -v u="$u" -v s="$s" -v k="$k" -v st="$(stats_of "$c")" 'BEGIN {
			printf "%-42s %9.0f %8.2fx %8.2fx %8.1fx   %s\n", l, v / k, v / a, v / u, s / v, st }'
	done
done
echo
echo "(x native: the configuration against the uncaptured loop; x udig: against udig run -w"
echo " with no control, the cost of the control itself; strace/x: how many times slower"
echo " strace -f ran the same loop in the same rounds.  The machine is shared: figures are"
echo " noisy, compare columns of one run rather than runs.)"
