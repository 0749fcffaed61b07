#!/bin/sh
# Odd cases libsinsp names its own way, in captures made by mkodd (mkodd.c
# says how each comes about); for each, udig read's whole output must be
# sysdig -r's:
#   blank-name     a thread known with an empty name prints an empty name,
#                  an unknown one <NA>;
#   unknown-dirfd  a file opened relative to a dirfd the capture never saw
#                  opened is "<UNKNOWN>" and the name, without a separator.
set -u
b=${top_builddir:-.}
command -v sysdig >/dev/null || { echo "sysdig not installed (Debian package sysdig)"; exit 77; }
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
fail=0

# odd MODE: writes the capture and both outputs ($tmp/MODE.s, $tmp/MODE.u)
odd() {
	"$b/tests/format/mkodd" "$1" "$tmp/$1.scap" || exit 99
	sysdig -r "$tmp/$1.scap" > "$tmp/$1.s" 2>&1
	"$b/tools/udig" read "$tmp/$1.scap" > "$tmp/$1.u" 2>&1
}
# same MODE WHAT: udig read's lines are sysdig -r's
same() {
	if ! cmp -s "$tmp/$1.s" "$tmp/$1.u"; then
		echo "FAIL: $1: udig read and sysdig -r differ:"; diff "$tmp/$1.s" "$tmp/$1.u" | head -6; fail=1
	else
		echo "ok: $1: $(wc -l < "$tmp/$1.u") lines identical, $2"
	fi
}

odd blank-name
s="$tmp/blank-name.s"
grep -q '> procexit' "$s" || { echo "FAIL: sysdig printed no procexit: $(head -c 300 "$s")"; fail=1; }
grep -q ' 0  (4000001) > procexit' "$s" || { echo "FAIL: sysdig no longer prints an empty name here: $(grep procexit "$s")"; fail=1; }
same blank-name "the child's procexit with an empty name"

odd unknown-dirfd
s="$tmp/unknown-dirfd.s"
grep -q 'read fd=978(<f><UNKNOWN>group)' "$s" ||
	{ echo "FAIL: sysdig no longer names it <UNKNOWN>group: $(grep ' read ' "$s")"; fail=1; }
same unknown-dirfd "the fd named <UNKNOWN>group"
exit $fail
