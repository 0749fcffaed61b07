#!/bin/sh
# libcapture's ABI is what include/udig/capture.h declares, nothing more
# (libcapture/libcapture.map): every function the header declares is
# exported, and every exported name is a udig_ name — the state engine,
# the formatters and the .scap parsers stay inside.
set -u
: "${top_builddir:=.}" "${top_srcdir:=.}"
lib="$top_builddir/libcapture/.libs/libcapture.so"
hdr="$top_srcdir/include/udig/capture.h"
[ -e "$lib" ] || { echo "SKIP: no shared libcapture in this build"; exit 77; }
command -v nm >/dev/null || { echo "SKIP: nm missing (binutils)"; exit 77; }
t=$(mktemp -d) || exit 99
trap 'rm -rf "$t"' EXIT
nm -D --defined-only "$lib" | awk '$2 ~ /^[TDBRVW]$/ { sub(/@.*/, "", $3); print $3 }' | sort -u > "$t/exported"
grep -o '\budig_[a-z0-9_]*[[:space:]]*(' "$hdr" | sed 's/[[:space:]]*($//' | sort -u > "$t/declared"
fails=0
stray=$(grep -v '^udig_' "$t/exported")
if [ -n "$stray" ]; then
	echo "FAIL: libcapture.so exports internal names: $(echo $stray | cut -c1-300)"
	fails=1
fi
missing=$(comm -23 "$t/declared" "$t/exported")
if [ -n "$missing" ]; then
	echo "FAIL: capture.h declares functions libcapture.so does not export: $missing"
	fails=1
fi
nd=$(wc -l < "$t/declared")
[ "$nd" -ge 40 ] || { echo "FAIL: only $nd functions found in $hdr (the check says nothing)"; fails=1; }
[ $fails = 0 ] && echo "ok: the $nd functions of capture.h exported, $(wc -l < "$t/exported") names in all, all udig_"
exit $fails
