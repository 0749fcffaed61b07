#!/bin/sh
# A file opened relative to a dirfd the capture never saw opened: libsinsp
# names it "<UNKNOWN>" and the name, without a separator, and so must udig
# read (mkodd.c says how that comes about).  The whole output is compared
# with sysdig -r's.
set -u
b=${top_builddir:-.}
command -v sysdig >/dev/null || { echo "sysdig not installed (Debian package sysdig)"; exit 77; }
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
"$b/tests/format/mkodd" unknown-dirfd "$tmp/d.scap" || exit 99
sysdig -r "$tmp/d.scap" > "$tmp/s" 2>&1
"$b/tools/udig" read "$tmp/d.scap" > "$tmp/u" 2>&1
fail=0
grep -q 'read fd=978(<f><UNKNOWN>group)' "$tmp/s" ||
	{ echo "FAIL: sysdig no longer names it <UNKNOWN>group: $(grep ' read ' "$tmp/s")"; fail=1; }
if ! cmp -s "$tmp/s" "$tmp/u"; then
	echo "FAIL: udig read and sysdig -r differ:"; diff "$tmp/s" "$tmp/u" | head -6; fail=1
fi
[ $fail = 0 ] && echo "ok: $(wc -l < "$tmp/u") lines identical, the fd named <UNKNOWN>group"
exit $fail
