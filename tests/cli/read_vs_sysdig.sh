#!/bin/sh
# `udig read` against `sysdig -r` on the same files, both ways:
#  - a capture written by libcapture (plain and gzip) prints identically;
#  - a capture rewritten by `sysdig -w` is read by udig identically;
#  - JSON lines and filters agree; stats count what the file holds;
#  - a truncated file prints every event before the cut, then fails.
set -u
b=${top_builddir:-.}
udig="$b/tools/udig"
command -v sysdig >/dev/null || { echo "sysdig not installed (Debian package sysdig)" >&2; exit 1; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
export TZ=UTC
fail=0
check_same() { # what, file-a, file-b
	if ! cmp -s "$2" "$3"; then
		echo "FAIL: $1 differs:"; diff "$2" "$3" | head -20; fail=1
	else
		echo "ok: $1 ($(wc -l < "$2") lines)"
	fi
}

"$b/bench/mkcapture" "$tmp/ours.scap" 4000 || { echo "mkcapture failed"; exit 1; }
sysdig -r "$tmp/ours.scap" > "$tmp/sd.txt" 2>/dev/null
"$udig" read "$tmp/ours.scap" > "$tmp/ud.txt" || fail=1
[ -s "$tmp/sd.txt" ] || { echo "FAIL: sysdig printed nothing"; fail=1; }
check_same "text, plain file" "$tmp/sd.txt" "$tmp/ud.txt"

"$udig" read -w "$tmp/ours.scap.gz" "$tmp/ours.scap" || fail=1
gzip -t "$tmp/ours.scap.gz" || { echo "FAIL: -w .gz is not gzip"; fail=1; }
sysdig -r "$tmp/ours.scap.gz" > "$tmp/sd.gz.txt" 2>/dev/null
"$udig" read "$tmp/ours.scap.gz" > "$tmp/ud.gz.txt" || fail=1
check_same "sysdig on our gzip rewrite" "$tmp/sd.txt" "$tmp/sd.gz.txt"
check_same "text, gzip file" "$tmp/sd.gz.txt" "$tmp/ud.gz.txt"

sysdig -r "$tmp/ours.scap" -w "$tmp/theirs.scap" >/dev/null 2>&1
sysdig -r "$tmp/theirs.scap" > "$tmp/sd.theirs.txt" 2>/dev/null
"$udig" read "$tmp/theirs.scap" > "$tmp/ud.theirs.txt" || fail=1
check_same "text, file written by sysdig -w" "$tmp/sd.theirs.txt" "$tmp/ud.theirs.txt"

sysdig -r "$tmp/ours.scap" -j > "$tmp/sd.json" 2>/dev/null
"$udig" read -j "$tmp/ours.scap" > "$tmp/ud.json" || fail=1
check_same "JSON lines" "$tmp/sd.json" "$tmp/ud.json"

sysdig -r "$tmp/ours.scap" "evt.type=read and evt.dir=<" > "$tmp/sd.f.txt" 2>/dev/null
"$udig" read "$tmp/ours.scap" "evt.type=read and evt.dir=<" > "$tmp/ud.f.txt" || fail=1
check_same "filtered" "$tmp/sd.f.txt" "$tmp/ud.f.txt"

"$udig" stats "$tmp/ours.scap" > "$tmp/stats.txt" || fail=1
grep -q '^events: 4000 ' "$tmp/stats.txt" || { echo "FAIL: stats total"; cat "$tmp/stats.txt"; fail=1; }
grep -q ' 500  < read$' "$tmp/stats.txt" || { echo "FAIL: stats per type"; cat "$tmp/stats.txt"; fail=1; }

size=$(stat -c %s "$tmp/ours.scap")
head -c $((size - 1000)) "$tmp/ours.scap" > "$tmp/cut.scap"
"$udig" read "$tmp/cut.scap" > "$tmp/cut.txt" 2> "$tmp/cut.err"
rc=$?
n=$(wc -l < "$tmp/cut.txt")
if [ $rc = 0 ] || [ "$n" -lt 3900 ] || ! grep -qi 'truncat' "$tmp/cut.err"; then
	echo "FAIL: truncated file: rc=$rc, $n events, message: $(cat "$tmp/cut.err")"; fail=1
else
	echo "ok: truncated file: $n events then '$(cat "$tmp/cut.err")'"
fi
head -n "$n" "$tmp/ud.txt" | cmp -s - "$tmp/cut.txt" || { echo "FAIL: events before the cut differ"; fail=1; }

"$udig" read --bogus "$tmp/ours.scap" >/dev/null 2>&1; [ $? = 2 ] || { echo "FAIL: bad flag exit status"; fail=1; }
"$udig" read "$tmp/ours.scap" "evt.type=" >/dev/null 2>&1; [ $? = 2 ] || { echo "FAIL: bad filter exit status"; fail=1; }
exit $fail
