#!/bin/sh
# A thread known with an empty name prints an empty name, an unknown one
# <NA>, in udig read's lines as in sysdig -r's (mkodd.c says how such a
# thread comes about).
set -u
b=${top_builddir:-.}
command -v sysdig >/dev/null || { echo "sysdig not installed (Debian package sysdig)"; exit 77; }
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
"$b/tests/format/mkodd" blank-name "$tmp/b.scap" || exit 99
sysdig -r "$tmp/b.scap" > "$tmp/s" 2>&1
"$b/tools/udig" read "$tmp/b.scap" > "$tmp/u" 2>&1
fail=0
grep -q '> procexit' "$tmp/s" || { echo "FAIL: sysdig printed no procexit: $(head -c 300 "$tmp/s")"; fail=1; }
grep -q ' 0  (4000001) > procexit' "$tmp/s" || { echo "FAIL: sysdig no longer prints an empty name here: $(grep procexit "$tmp/s")"; fail=1; }
if ! cmp -s "$tmp/s" "$tmp/u"; then
	echo "FAIL: udig read and sysdig -r differ:"; diff "$tmp/s" "$tmp/u" | head -6; fail=1
fi
[ $fail = 0 ] && echo "ok: $(wc -l < "$tmp/u") lines identical, the child's procexit with an empty name"
exit $fail
