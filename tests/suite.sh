#!/bin/sh
# The whole test suite, from a clean checkout:
#   1. make check as the invoking user (root in CI),
#   2. the same suite again as an unprivileged user (no-root is the point),
#   3. the suite under AddressSanitizer + UndefinedBehaviorSanitizer.
# Each pass builds out of tree under $UDIG_SUITE_DIR (default /tmp/udig-suite).
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
work=${UDIG_SUITE_DIR:-/tmp/udig-suite}
jobs=$(nproc 2>/dev/null || echo 2)

"$src/tests/deps.sh"
# Always: generated files older than a build fragment would make the
# unprivileged pass try to regenerate them inside the source tree.
(cd "$src" && ./autogen.sh >/dev/null 2>&1) || { echo "suite: autogen.sh failed"; exit 1; }

pass() { # name, user (or ""), configure flags...
	name=$1 user=$2
	shift 2
	dir="$work/$name"
	rm -rf "$dir"
	mkdir -p "$dir"
	run=""
	if [ -n "$user" ]; then
		chown "$user" "$dir"
		run="setpriv --reuid=$user --regid=$user --clear-groups"
	fi
	echo "== $name: configure $* && make check"
	if ! $run sh -c "cd '$dir' && '$src/configure' -q $* && make -s -j$jobs && make -s -j$jobs check"; then
		for log in $(find "$dir/tests" -name '*.log' ! -name test-suite.log 2>/dev/null); do
			if grep -q '^:test-result: \(FAIL\|ERROR\)' "${log%.log}.trs" 2>/dev/null; then
				echo "---- $log"
				tail -n 60 "$log"
				# CI keeps only the head and the tail of the output: the
				# reasons are repeated at the very end.
				{ echo "---- $name: ${log#$dir/}"; grep -m 12 -i 'fail\|error\|differ' "$log" | cut -c1-200; } >> "$failures"
			fi
		done
		echo "== $name: FAILED"
		return 1
	fi
	echo "== $name: passed"
}

status=0
mkdir -p "$work"
chmod 755 "$work"
failures="$work/failures.txt"
: > "$failures"
pass native "" || status=1
if [ "$(id -u)" = 0 ]; then
	pass unprivileged 65534 || status=1
fi
pass sanitizers "" --enable-sanitizers || status=1
[ -s "$failures" ] && { echo "== what failed:"; cat "$failures"; }
[ $status = 0 ] && echo "suite: all passes succeeded" || echo "suite: FAILED"
exit $status
