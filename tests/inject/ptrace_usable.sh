#!/bin/sh
# inject_ptrace_usable(): 1 here, 0 with the reason under `strace -f` (which
# takes every child we fork); quick; never leaves a child behind (inject_test
# --probe exits 3 if one is left, stopped or dead).
. "$(dirname "$0")/lib.sh"
need strace

"$INJ" --probe=20 >"$T/p" 2>&1; rc=$?
[ "$rc" = 0 ] && grep -qx usable "$T/p" || fail "probe: rc $rc, $(cat "$T/p")"
# Generous: a fork, a seize and two stops; loaded CI machines are slow.
us=$(sed -n 's/^probe: \([0-9]*\) us per call$/\1/p' "$T/p")
[ -n "$us" ] && [ "$us" -lt 50000 ] || fail "probe took $us us per call"
echo "ok: usable ($us us per call)"

env "$NOLEAK" strace -f -qq -o /dev/null "$INJ" --probe >"$T/s" 2>&1; rc=$?
[ "$rc" = 1 ] || fail "under strace -f: rc $rc, $(cat "$T/s")"
grep -q '^unusable: udig is itself being traced (TracerPid [1-9][0-9]* in /proc/self/status): ptrace is taken$' "$T/s" ||
	fail "under strace -f: $(cat "$T/s")"
echo "ok: $(head -1 "$T/s")"

# strace without -f leaves our children alone: ptrace works.
env "$NOLEAK" strace -qq -o /dev/null "$INJ" --probe >"$T/n" 2>&1; rc=$?
[ "$rc" = 0 ] || fail "under strace (no -f): rc $rc, $(cat "$T/n")"
echo "ok: usable under strace without -f"
