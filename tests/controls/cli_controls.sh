#!/bin/sh
# The capture controls through `udig run`, read back by udig and by the
# reference (sysdig -r): suppression by comm, sampling with drop markers,
# full-capture ports on loopback TCP.
set -u
b=${top_builddir:-.}
udig="$b/tools/udig"
work=$(mktemp -d "${TMPDIR:-/tmp}/udig-ctl.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# --suppress-comm cat: no event of cat, and the suppressed ones counted.
"$udig" run --suppress-comm cat -w "$work/s.scap" -- sh -c 'cat /etc/hostname >/dev/null; cat /etc/hostname >/dev/null' \
	2>"$work/s.err" || fail "run --suppress-comm: $(cat "$work/s.err")"
n=$("$udig" read "$work/s.scap" 'proc.name=cat' | wc -l)
[ "$n" -eq 0 ] || fail "$n events of cat in a capture that suppresses it"
[ "$("$udig" read "$work/s.scap" 'proc.name=sh' | wc -l)" -gt 0 ] || fail "sh's events are gone too"
grep -Eq ', [1-9][0-9]* suppressed \(2 threads\)' "$work/s.err" || fail "statistics line: $(cat "$work/s.err")"
"$udig" run --suppress-comm 0123456789abcdef -- true 2>/dev/null && fail "a 16-byte comm was accepted"

# --sampling 4: about a quarter of the reads and writes, drop events around the gaps.
"$udig" run --sampling 4 -w "$work/d.scap" -- dd if=/dev/zero of=/dev/null bs=1 count=1000000 \
	2>"$work/d.err" || fail "run --sampling: $(cat "$work/d.err")"
kept=$("$udig" read "$work/d.scap" 'evt.type=read and evt.dir=< and proc.name=dd' | wc -l)
drops=$("$udig" read "$work/d.scap" 'evt.type=drop' | wc -l)
echo "sampling 4: kept $kept of 1000000 reads, $drops drop events; $(cat "$work/d.err")"
[ "$drops" -ge 2 ] || fail "no drop events bracket the sampled spans"
[ "$kept" -gt 100000 ] && [ "$kept" -lt 450000 ] || fail "kept $kept of 1000000 reads, not about a quarter"
grep -Eq '[1-9][0-9]* sampled out' "$work/d.err" || fail "statistics line: $(cat "$work/d.err")"
"$udig" run --sampling 3 -- true 2>/dev/null && fail "--sampling 3 was accepted"
if command -v sysdig >/dev/null 2>&1; then
	# Internal events: sysdig shows them with -D.
	sysdig -D -r "$work/d.scap" 'evt.type=drop' 2>/dev/null | grep -Eq '> drop ratio=4' ||
		fail "sysdig -r does not show the drop events: $(sysdig -D -r "$work/d.scap" evt.type=drop 2>&1 | head -3)"
fi

# --fullcapture-ports: the whole 10000 bytes on that port, 80 on the other.
p=$((20000 + $$ % 20000))
q=$((p + 1))
"$b/tests/controls/tcpwork" "$p" "$q"
rc=$?
[ $rc -eq 77 ] && { echo "SKIP: port $p or $q taken"; exit 77; }
[ $rc -eq 0 ] || fail "workload"
"$udig" run --fullcapture-ports "$p-$p" -w "$work/f.scap" -- "$b/tests/controls/tcpwork" "$p" "$q" \
	2>"$work/f.err" || fail "run --fullcapture-ports: $(cat "$work/f.err")"
datalen() { "$udig" read -j "$work/f.scap" "evt.type=write and evt.dir=< and fd.sport=$1" |
	sed 's/.* data=\(x*\).*/\1/' | awk '{ print length($0) }'; }
lp=$(datalen "$p"); lq=$(datalen "$q")
echo "full-capture ports $p-$p: write data kept on $p: $lp bytes, on $q: $lq bytes"
[ "$lp" = 10000 ] || fail "port $p: the payload was cut ($lp bytes)"
[ "$lq" = 80 ] || fail "port $q: not cut at the snaplen ($lq bytes)"
"$udig" run --fullcapture-ports 9-2 -- true 2>/dev/null && fail "a reversed range was accepted"
exit 0
