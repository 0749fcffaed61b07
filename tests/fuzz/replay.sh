#!/bin/sh
# Replays each fuzz target's committed corpus (tests/fuzz/corpus/TARGET:
# seeds and the inputs that once crashed it), and for the .scap reader
# hostile files made afresh, through tests/fuzz/replay; any crash, sanitizer
# report or hang fails.
set -e
b=${top_builddir:-.}
s=${top_srcdir:-.}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$b/tests/fuzz/mkcorpus" "$tmp" hostile
"$b/tests/fuzz/replay" scap "$s/tests/fuzz/corpus/scap" "$tmp"
"$b/tests/fuzz/replay" filter "$s/tests/fuzz/corpus/filter"
"$b/tests/fuzz/replay" ring "$s/tests/fuzz/corpus/ring"
