#!/bin/sh
# What a fork and exec cost under capture, and where (README,
# "Performance"):
#   bench/exec_cost.sh BUILDDIR [ROUNDS] [EXECS]
# A shell that runs /bin/true EXECS times (default 200), its CPU time and
# page faults with its children's (bench/cputime), per fork+exec, in five
# configurations:
#   native
#   library       LD_PRELOAD=libudig.so on a ring no consumer reads: the
#                 library loaded, Syscall User Dispatch armed, every
#                 syscall trapped or rewritten, nothing recorded
#   screened      udig run --engine=preload with both names suppressed
#                 (--suppress-comm): a consumer attached, the session's
#                 ring mapped, still nothing recorded
#   preload       udig run --engine=preload -w: every event recorded
#   auto          udig run -w (the default engine: preload plus the
#                 tracer that follows each exec)
# So library - native is what loading and arming the library costs a
# process, screened - library what joining udig's session adds, preload -
# screened what the events cost (the exec and clone exits read ~20 files
# of /proc between them), auto - preload the tracer's part.
# LD_LIBRARY_PATH (which the bench sets for udig itself) is taken out of
# the measured shell's environment in every configuration: it would make
# each exec search the build tree for libc.  Each round runs every
# configuration once, starting at another one; figures are medians.
set -eu
build=${1:?usage: bench/exec_cost.sh BUILDDIR [ROUNDS] [EXECS]}
rounds=${2:-11}
execs=${3:-200}
. "$(dirname "$0")/common.sh"
bench_udig "$build"
cputime="$build/bench/cputime"
lib="$build/udig/preload/.libs/libudig.so"
for f in "$cputime" "$lib"; do
	[ -e "$f" ] || { echo "exec_cost: $f missing (make in $build)" >&2; exit 2; }
done
tmp=$(mktemp -d)
ring="udigbench-exec.$$"
trap 'rm -rf "$tmp"; rm -f "/dev/shm/$ring.buf" "/dev/shm/$ring.descs" "/dev/shm/$ring.descs.mask" "/dev/shm/$ring.descs.ctl"' EXIT

loop="i=0; while [ \$i -lt $execs ]; do /bin/true; i=\$((i + 1)); done"
configs="native library screened preload auto"
run() { # config: one loop, appending "cpu_us faults" to $tmp/CONFIG
	c=$1
	m="env -u LD_LIBRARY_PATH $cputime $tmp/$c sh -c '$loop'"
	case $c in
	native) set -- sh -c "$m" ;;
	library) set -- env LD_PRELOAD="$lib" UDIG_RING="$ring.buf" UDIG_DESCS="$ring.descs" sh -c "$m" ;;
	screened) set -- "$udig" run --engine=preload --suppress-comm=sh --suppress-comm=true -w "$tmp/c.scap" -- sh -c "$m" ;;
	preload) set -- "$udig" run --engine=preload -w "$tmp/c.scap" -- sh -c "$m" ;;
	auto) set -- "$udig" run -w "$tmp/c.scap" -- sh -c "$m" ;;
	esac
	"$@" >/dev/null 2>"$tmp/$c.err" || { echo "exec_cost: $c failed:" >&2; cat "$tmp/$c.err" >&2; exit 1; }
}
i=1
while [ $i -le "$rounds" ]; do
	for c in $(rotated $i $configs); do run "$c"; done
	i=$((i + 1))
done

per() { cut -d' ' -f"$2" "$tmp/$1" | median | awk -v n="$execs" '{ printf "%.0f", $1 / n }'; }
echo "sh running /bin/true $execs times: CPU us and page faults per fork+exec, median of $rounds rounds"
printf "%-9s %8s %8s %8s\n" config "cpu us" "vs nat" faults
n=$(per native 1)
for c in $configs; do
	u=$(per "$c" 1)
	printf "%-9s %8s %7.2fx %8s\n" "$c" "$u" "$(echo "$u $n" | awk '{ print $1 / $2 }')" "$(per "$c" 2)"
done
awk -v n="$n" -v l="$(per library 1)" -v s="$(per screened 1)" -v p="$(per preload 1)" -v a="$(per auto 1)" 'BEGIN {
	printf "per fork+exec: the library +%d us, joining the session +%d, the events +%d, the tracer +%d\n",
		l - n, s - l, p - s, a - p
}'
