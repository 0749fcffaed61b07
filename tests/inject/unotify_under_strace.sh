#!/bin/sh
# unotify works where ptrace cannot: the whole capture runs under strace -f.
# strace's own record of the workload (minus the supervisor's calls) is the
# oracle; ptrace under strace must fail cleanly with a message instead.
. "$(dirname "$0")/lib.sh"
need strace

( cd "$T" && "$WL" main ) >"$T/ref" 2>&1; ref=$?
( cd "$T" && env "$NOLEAK" strace -f -qq -o "$T/strace.txt" "$INJ" --engine=unotify --out="$T/u.bin" -- "$WL" main ) >"$T/out" 2>&1; rc=$?
[ "$rc" = "$ref" ] || fail "status $rc under strace+unotify, $ref without"
cmp -s "$T/ref" "$T/out" || { diff "$T/ref" "$T/out"; fail "output differs"; }
sup=$(awk 'NR == 1 { print $1 }' "$T/strace.txt")
strace_calls "$T/strace.txt" "$sup" | grep -v " $INJ\$" >"$T/oracle"
grep -q '^openat ok /etc/hostname$' "$T/oracle" || fail "oracle lacks the workload's opens"
our_calls "$T/u.bin" >"$T/ours"
covers "$T/oracle" "$T/ours" nostatus || fail "capture misses calls strace saw"
for want in 'openat ? /etc/hosts' 'openat ? /etc/shells' 'execve ? /proc/self/exe' 'execve ? /nonexistent/udig-prog' 'connect ? -'; do
	grep -qxF "$want" "$T/ours" || fail "missing: $want"
done

env "$NOLEAK" strace -f -qq -o /dev/null "$INJ" --engine=ptrace --out="$T/p.bin" -- true 2>"$T/perr"; rc=$?
[ "$rc" = 2 ] && grep -q 'PTRACE_SEIZE' "$T/perr" || fail "ptrace under strace: rc $rc, $(cat "$T/perr")"
echo "ok: unotify under strace ($(wc -l <"$T/oracle") calls), ptrace refuses cleanly"
