#!/bin/sh
# Exit status and death by signal pass through; signals the program sends
# itself, blocked signals and a group-stopped child behave exactly as
# without capture (nothing lost, duplicated or reordered).
. "$(dirname "$0")/lib.sh"

for e in ptrace unotify; do
	"$WL" signals >"$T/ref" 2>&1; ref=$?
	"$INJ" --engine=$e --out="$T/sig.bin" -- "$WL" signals >"$T/out" 2>&1; rc=$?
	[ "$rc" = "$ref" ] && [ "$rc" = 0 ] || fail "$e signals: status $rc (expected $ref)"
	cmp -s "$T/ref" "$T/out" || { diff "$T/ref" "$T/out"; fail "$e signals: output differs"; }
	grep -q '^usr1 3 usr2 1$' "$T/out" || fail "$e signals: counts"
	grep -q '^child continued, exit 0$' "$T/out" || fail "$e signals: stop/continue"

	"$INJ" --engine=$e --out="$T/die.bin" -- "$WL" die; rc=$?
	[ "$rc" = $((128 + 10)) ] || fail "$e die: status $rc, expected death by SIGUSR1 (138)"
	"$EVDUMP" "$T/die.bin" | grep -q '^EVT [0-9]* E procexit status=10 ret=0 sig=10 ' || fail "$e die: procexit"

	"$INJ" --engine=$e --out="$T/x.bin" -- sh -c 'exit 42'; rc=$?
	[ "$rc" = 42 ] || fail "$e exit 42: got $rc"
	"$INJ" --engine=$e --out="$T/x.bin" -- /nonexistent/udig-cmd 2>"$T/err"; rc=$?
	[ "$rc" = 127 ] || fail "$e missing command: got $rc"
	grep -q 'udig: /nonexistent/udig-cmd: No such file' "$T/err" || fail "$e missing command: message"
	echo "ok: $e status and signals"
done
