#!/bin/sh
# Replays the committed seed corpus and freshly made hostile files through
# the fuzz target (tests/fuzz/replay); any crash or sanitizer report fails.
set -e
b=${top_builddir:-.}
s=${top_srcdir:-.}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$b/tests/fuzz/mkcorpus" "$tmp" hostile
"$b/tests/fuzz/replay" "$s/tests/fuzz/corpus" "$tmp"
