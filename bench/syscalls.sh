#!/bin/sh
# Capture cost, every engine side by side in one run:
#   native | SUD armed, nothing trapped (the kernel's tax on every syscall
#   of a task with dispatch on: the fast path's floor) | bare SUD trap (the
#   trap-only floor) | udig preload with its fast
#   path (rewritten sites, the default) | udig preload trap-only
#   (--no-rewrite) | udig ptrace | bare user-notification round trip (the
#   unotify floor) | udig unotify | strace -f
#   bench/syscalls.sh BUILDDIR [ITERATIONS [ROUNDS [PARTS]]]
# Each figure is the median of ROUNDS runs (default 5; the loops: of ROUNDS
# rounds that run every configuration once).  PARTS picks what runs, any of
# "loops workloads select" (default all): more rounds of the workloads alone
# is how to pin a ratio down on a VM whose speed drifts.  udig always consumes into a capture
# file (-w), as a real session would; its drop counts are printed.
# The loops run pinned to CPU 0 (as specs/intercept-costs.md measured them),
# udig itself is free; the ptrace engine pins tracer and tracee to one CPU
# itself, and SYNC_WAKE_UP brings the unotify supervisor to the loop's CPU.
set -eu
build=${1:?usage: bench/syscalls.sh BUILDDIR [ITERATIONS [ROUNDS [PARTS]]]}
n=${2:-200000}
rounds=${3:-5}
parts=${4:-loops workloads select}
part() { case " $parts " in *" $1 "*) return 0 ;; esac; return 1; }
seq_rounds() { i=1; while [ $i -le "$rounds" ]; do echo $i; i=$((i + 1)); done; }
# rotate K WORD...: the words, starting at the Kth (mod their count).  Each
# round starts at another configuration: one that always ran right after
# strace's 10 s of stops (and its aftermath on the VM) paid for it in every
# round, up to 15% on the pipeline.
rotate() { k=$1; shift; m=$(( (k - 1) % $# )); while [ $m -gt 0 ]; do set -- "$@" "$1"; shift; m=$((m - 1)); done; echo "$@"; }
. "$(dirname "$0")/common.sh"
bench_udig "$build"
loop="$build/bench/loop"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

runs() { # command... -> median of the numbers printed by ROUNDS runs
	for i in $(seq_rounds); do "$@"; done | median
}
drops() { # stderr file of udig run -> "N dropped"
	grep -o '[0-9]* dropped' "$1" | tail -n 1
}
# The loop prints its own ns per iteration; udig passes its stdout through.
l_native() { taskset -c 0 "$loop" "$1" "$n"; }
l_floor() { taskset -c 0 "$build/bench/sud_floor" "$1" "$n"; }
l_armed() { taskset -c 0 "$build/bench/sud_floor" --armed "$1" "$n"; }
l_preload() { "$udig" run --engine=preload -w "$tmp/l.scap" -- taskset -c 0 "$loop" "$1" "$n" 2>>"$tmp/preload.err"; }
l_trap() { "$udig" run --engine=preload --no-rewrite -w "$tmp/l.scap" -- taskset -c 0 "$loop" "$1" "$n" 2>>"$tmp/trap.err"; }
l_ptrace() { "$udig" run --engine=ptrace -w "$tmp/l.scap" -- "$loop" "$1" "$n" 2>>"$tmp/ptrace.err"; }
l_nfloor() { "$build/bench/notif_floor" "$1" "$n"; }   # pins its loop itself
l_unotify() { "$udig" run --engine=unotify -w "$tmp/l.scap" -- taskset -c 0 "$loop" "$1" "$n" 2>>"$tmp/unotify.err"; }
l_strace() { taskset -c 0 strace -f -o /dev/null "$loop" "$1" "$n"; }

if part loops; then
echo "per captured syscall, ns (median of $rounds rounds; loop of $n iterations)"
printf "%-13s %8s %8s %8s %8s %8s %8s %8s %8s %8s | %9s %9s %9s %12s %12s %14s\n" pattern native armed floor \
	rewrite trap ptrace nfloor unotify strace "armed/nat" "rewr/nat" "trap/nat" "trap/floor" "unotify/nfl" \
	"strace/rewrite"
configs="native armed floor preload trap ptrace nfloor unotify strace"
for p in getppid openclose openreadclose; do
	# Round-robin: each round runs every configuration once, so that a
	# drift of the VM's speed during the minutes a row takes weighs on
	# every column alike (one column after the other, it skews ratios).
	for round in $(seq_rounds); do
		for c in $(rotate "$round" $configs); do echo "$c $("l_$c" "$p")"; done
	done > "$tmp/rounds"
	col() { awk -v c="$1" '$1 == c { print $2 }' "$tmp/rounds" | median; }
	a=$(col native); m=$(col armed); f=$(col floor); u=$(col preload); r=$(col trap); t=$(col ptrace)
	nf=$(col nfloor); q=$(col unotify); s=$(col strace)
	case $p in getppid) k=1 ;; openclose) k=2 ;; *) k=3 ;; esac
	awk -v p="$p" -v a="$a" -v m="$m" -v f="$f" -v u="$u" -v r="$r" -v t="$t" -v nf="$nf" -v q="$q" -v s="$s" \
		-v k="$k" 'BEGIN {
		printf "%-13s %8.0f %8.0f %8.0f %8.0f %8.0f %8.0f %8.0f %8.0f %8.0f | %8.2fx %8.2fx %8.2fx %11.2fx %11.2fx %13.1fx\n",
			p, a/k, m/k, f/k, u/k, r/k, t/k, nf/k, q/k, s/k, m/a, u/a, r/a, (r-a)/(f-a), (q-a)/(nf-a), s/u }'
done
echo "(armed/nat: the kernel's tax alone, paid by every syscall of a task with dispatch on, rewritten"
echo " or not; rewr/nat: the fast path against native, target <= 1.5x; trap/floor: cost the trap-only"
echo " engine adds over native, against the bare trap's; unotify/nfl: the same against a bare"
echo " user-notification round trip, nfloor)"
for e in preload trap ptrace unotify; do echo "udig $e loops: $(drops "$tmp/$e.err") in the last run"; done
fi

if part workloads; then
echo
# Workloads, wall seconds, median of ROUNDS rounds (each round runs every
# configuration once, as the loops do): a pipeline that reads and pipes
# ~90 MB, and a parallel build of a small C project (made here).
proj="$tmp/proj"
mkdir -p "$proj"
i=0
while [ $i -lt 24 ]; do
	printf '#include <stdio.h>\n#include <string.h>\nint f%d(const char *s) { char b[64]; snprintf(b, sizeof b, "%%s%d", s); return (int)strlen(b); }\n' \
		$i $i > "$proj/f$i.c"
	i=$((i + 1))
done
printf 'int main(void) { return 0; }\n' > "$proj/main.c"
printf 'OBJS = $(patsubst %%.c,%%.o,$(wildcard *.c))\nprog: $(OBJS)\n\t$(CC) -o $@ $(OBJS)\nclean:\n\trm -f *.o prog\n' > "$proj/Makefile"
wl_tar="tar cf - -C /usr include | wc -c"
wl_make="make -s -C $proj clean && make -s -j2 -C $proj"
wall() { # command... -> seconds
	s=$(date +%s%N); "$@" > /dev/null 2>&1; e=$(date +%s%N)
	awk -v d="$((e - s))" 'BEGIN { printf "%.3f\n", d / 1e9 }'
}
# config WORKLOAD -> seconds
w_native() { wall sh -c "$1"; }
w_strace() { wall strace -f -o /dev/null sh -c "$1"; }
w_auto() { wall "$udig" run -w "$tmp/w.scap" -- sh -c "$1"; }
w_autotrap() { wall "$udig" run --no-rewrite -w "$tmp/w.scap" -- sh -c "$1"; }
w_preload() { wall "$udig" run --engine=preload -w "$tmp/w.scap" -- sh -c "$1"; }
w_preloadtrap() { wall "$udig" run --engine=preload --no-rewrite -w "$tmp/w.scap" -- sh -c "$1"; }
w_ptrace() { wall "$udig" run --engine=ptrace -w "$tmp/w.scap" -- sh -c "$1"; }
w_unotify() { wall "$udig" run --engine=unotify -w "$tmp/w.scap" -- sh -c "$1"; }
wconfigs="native strace auto autotrap preload preloadtrap ptrace unotify"
for w in tar make; do
	eval "wl=\$wl_$w"
	echo "workload: $wl (wall seconds, median of $rounds rounds)"
	for round in $(seq_rounds); do
		for c in $(rotate "$round" $wconfigs); do echo "$c $("w_$c" "$wl")"; done
	done > "$tmp/wrounds"
	wcol() { awk -v c="$1" '$1 == c { print $2 }' "$tmp/wrounds" | median; }
	tn=$(wcol native); ts=$(wcol strace)
	printf "%-34s %8.3f s\n" native "$tn"
	printf "%-34s %8.3f s  (%.2fx native)\n" "strace -f" "$ts" "$(awk -v a="$ts" -v b="$tn" 'BEGIN { print a / b }')"
	for c in auto autotrap preload preloadtrap ptrace unotify; do
		case $c in
		auto) label="udig run -w (auto, fast path)"; opts= ;;
		autotrap) label="udig run -w (auto, --no-rewrite)"; opts=--no-rewrite ;;
		preload) label="udig --engine=preload -w"; opts=--engine=preload ;;
		preloadtrap) label="udig --engine=preload --no-rewrite"; opts="--engine=preload --no-rewrite" ;;
		*) label="udig --engine=$c -w"; opts=--engine=$c ;;
		esac
		te=$(wcol $c)
		"$udig" run $opts -w "$tmp/w.scap" -- sh -c "$wl" 2>"$tmp/w.err" >/dev/null
		awk -v e="$label" -v t="$te" -v n="$tn" -v s="$ts" -v d="$(grep -o '[0-9]* events captured, [0-9]* dropped' "$tmp/w.err")" \
			'BEGIN { printf "%-34s %8.3f s  (%.2fx native, %.1fx faster than strace -f)  %s\n", e, t, t/n, s/t, d }'
	done
done
echo "(targets: udig run -w with the fast path <= 1.5x native on the tar pipeline and >= 15x"
echo " faster than strace -f in the same rounds; 0 events dropped)"
fi

part select || exit 0
wl="tar cf /dev/null /usr/include"
echo
echo "same syscalls selected: udig -t openat (openat + the state-keeping set) vs strace on that set"
set_nrs=$("$build/bench/scmask" openat)
names=$(for nr in $set_nrs; do
	awk -v nr="$nr" '$1 == "#define" && $2 ~ /^__NR_/ && $3 == nr { sub("__NR_", "", $2); print $2 }' \
		/usr/include/x86_64-linux-gnu/asm/unistd_64.h
done | paste -sd, -)
echo "($(echo "$set_nrs" | wc -l) syscalls: $names)"
w_sel_ptrace() { wall "$udig" run --engine=ptrace -t openat -w "$tmp/s.scap" -- $wl; }
w_sel_strace() { wall strace -f -o /dev/null -e trace="$names" $wl; }
w_sel_strace_bpf() { wall strace -f --seccomp-bpf -o /dev/null -e trace="$names" $wl; }
tp=$(runs w_sel_ptrace); tq=$(runs w_sel_strace); tb=$(runs w_sel_strace_bpf)
awk -v p="$tp" -v q="$tq" -v b="$tb" 'BEGIN {
	printf "udig ptrace %.3f s | strace -f -e %.3f s (%.1fx udig) | strace -f --seccomp-bpf -e %.3f s (%.1fx udig)\n",
		p, q, q/p, b, b/p }'
echo "(target: the ptrace engine >= 1.5x faster than strace -f capturing the same syscalls)"
