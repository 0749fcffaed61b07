#!/bin/sh
# `udig attach`: captures a running loop that forks children, for the time it
# is attached; after SIGINT the loop still runs and answers as before.  Bad
# targets fail with a reason naming the cause.
set -u
b=${top_builddir:-.}
udig="$b/tools/udig"
tmp=$(mktemp -d) || exit 1
loop_pid=
cleanup() { [ -n "$loop_pid" ] && kill "$loop_pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
ok() { echo "ok: $*"; }

# The loop: each round a child opens /etc/hostname; the loop reports its
# round count in a file, replaced by rename so that a reader never sees it
# truncated.
sh -c 'i=0; while :; do i=$((i + 1)); cat /etc/hostname > /dev/null; echo $i > "$1/round.new"; mv "$1/round.new" "$1/round"; sleep 0.05; done' \
	sh "$tmp" &
loop_pid=$!
sleep 0.3

"$udig" attach -j -o "$tmp/att.json" "$loop_pid" 2>"$tmp/att.err" &
att=$!
sleep 1.5
kill -INT "$att"
wait "$att"; st=$?
[ "$st" = 0 ] || bad "attach exited $st: $(cat "$tmp/att.err")"
grep -q 'engine ptrace (attached)' "$tmp/att.err" || bad "no stats line: $(cat "$tmp/att.err")"
n=$(grep '"evt.type":"openat"' "$tmp/att.json" | grep -c 'name=/etc/hostname')
[ "$n" -ge 4 ] && ok "attached 1.5 s: $n openat of /etc/hostname by the loop's children" ||
	bad "only $n openat of /etc/hostname captured while attached"
grep '"evt.type":"execve"' "$tmp/att.json" | grep -q 'cat' || bad "the children's execve of cat not captured"

# Detached: the loop keeps running, unharmed, and is no longer traced.
r1=$(cat "$tmp/round"); sleep 0.5; r2=$(cat "$tmp/round")
kill -0 "$loop_pid" 2>/dev/null || bad "the loop died after detach"
[ "$r2" -gt "$r1" ] && ok "loop still running after detach (round $r1 -> $r2)" || bad "loop stalled after detach ($r1 -> $r2)"
grep -q '^TracerPid:[[:space:]]*0$' "/proc/$loop_pid/status" || bad "the loop is still traced after detach"
# Any running or sleeping state will do (D is a short disk or fork wait under
# load); stopped (T), trace-stopped (t) or zombie would be our doing.
state=$(awk '{ print $3 }' "/proc/$loop_pid/stat")
case $state in
T | t | Z) bad "the loop is in state $state after detach" ;;
esac

# Bad targets.
"$udig" attach 999999999 >/dev/null 2>"$tmp/e"; st=$?
[ "$st" != 0 ] && grep -q '^udig: ' "$tmp/e" && ok "bad pid: $(cat "$tmp/e")" || bad "bad pid accepted ($st)"
"$udig" attach "$$" x >/dev/null 2>"$tmp/e"; st=$?
[ "$st" = 2 ] && ok "extra operand: $(cat "$tmp/e")" || bad "extra operand gave $st"
if command -v strace >/dev/null; then
	strace -o /dev/null sleep 5 &
	spid=$!
	sleep 0.3
	traced=$(pgrep -P "$spid")
	"$udig" attach "$traced" >/dev/null 2>"$tmp/e"; st=$?
	if [ "$st" != 0 ] && grep -q 'already traced' "$tmp/e"; then
		ok "already traced: $(cat "$tmp/e")"
	else
		bad "attach to a traced process: status $st, $(cat "$tmp/e")"
	fi
	kill "$traced" 2>/dev/null
	wait "$spid"
fi
exit $fail
