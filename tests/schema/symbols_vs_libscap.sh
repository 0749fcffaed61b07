#!/bin/sh
# libcapture's exported names and the reference libscap's must not meet:
# a program that links both (a sysdig plugin host, a test, a tool built on
# both) would have libscap's internal calls bound to our functions — its
# udig engine calls udig_stop_dropping_mode() at open, and once jumped into
# a libcapture function of that name and crashed.
set -u
b=${top_builddir:-.}
lib="$b/libcapture/.libs/libcapture.so"
ref=$(ldconfig -p 2>/dev/null | awk '/libscap\.so/ { print $NF; exit }')
[ -n "$ref" ] || ref=$(ls /lib/*/libscap.so* /usr/lib/*/libscap.so* 2>/dev/null | head -n 1)
[ -n "$ref" ] && [ -e "$ref" ] || { echo "SKIP: the reference libscap is not installed"; exit 77; }
[ -e "$lib" ] || { echo "SKIP: no shared libcapture in this build"; exit 77; }
command -v nm >/dev/null || { echo "SKIP: nm missing (binutils)"; exit 77; }
defined() { nm -D --defined-only "$1" | awk '$2 ~ /^[TDBRVW]$/ { sub(/@.*/, "", $3); print $3 }' | sort -u; } # names without their version
defined "$lib" > "${TMPDIR:-/tmp}/syms.$$.ours"
defined "$ref" > "${TMPDIR:-/tmp}/syms.$$.ref"
both=$(comm -12 "${TMPDIR:-/tmp}/syms.$$.ours" "${TMPDIR:-/tmp}/syms.$$.ref")
n=$(wc -l < "${TMPDIR:-/tmp}/syms.$$.ours")
rm -f "${TMPDIR:-/tmp}/syms.$$.ours" "${TMPDIR:-/tmp}/syms.$$.ref"
if [ -n "$both" ]; then
	echo "FAIL: libcapture exports names libscap ($ref) also exports:"
	echo "$both"
	exit 1
fi
echo "ok: none of libcapture's $n exported names is libscap's"
