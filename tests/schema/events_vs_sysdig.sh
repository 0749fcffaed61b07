#!/bin/sh
# `udig events` must print exactly what `sysdig -L` prints.
set -u
udig="${top_builddir:-.}/tools/udig"
sysdig=$(command -v sysdig) || { echo "sysdig not installed (Debian package sysdig): cannot compare" >&2; exit 1; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
"$sysdig" -L > "$tmp/ref" 2>"$tmp/ref.err" || { cat "$tmp/ref.err" >&2; exit 1; }
"$udig" events > "$tmp/ours" || exit 1
[ -s "$tmp/ref" ] || { echo "sysdig -L printed nothing" >&2; exit 1; }
if diff -u "$tmp/ref" "$tmp/ours"; then
	echo "events: $(wc -l < "$tmp/ours") lines identical to sysdig -L"
	exit 0
fi
exit 1
