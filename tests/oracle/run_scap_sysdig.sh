#!/bin/sh
# The real sysdig reads what `udig run -w` writes from a live capture:
#   out.scap     owork all (threads, fork/exec chain, vfork, posix_spawn, TCP)
#   out.scap.gz  a shell pipeline (fork, pipes, exec, a failing command)
# For each file `sysdig -r` must succeed and print the same events as
# `udig read`, compared at two levels:
#   events  evt.num, evt.cpu, thread.tid, evt.dir, evt.type and the
#           argument values, state annotations removed (every "(...)"
#           group, proc.name): the records themselves;
#   text    sysdig's whole default line, annotations included
#           (fd=3(<4t>127.0.0.1:80), pid=12(sh), proc.name): the process
#           and fd state the two consumers derive from the file.
set -u
B=$(cd "${top_builddir:-.}" && pwd)
UDIG=$B/tools/udig
OWORK=$B/tests/oracle/owork
command -v sysdig >/dev/null 2>&1 || { echo "sysdig not installed (Debian package sysdig)"; exit 99; }
[ -x "$OWORK" ] || { echo "missing $OWORK"; exit 99; }
T=$(mktemp -d "${TMPDIR:-/tmp}/udig-oracle-sysdig.XXXXXX") || exit 99
trap '[ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT   # KEEP=1: leave the files for a look
export TZ=UTC
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# events view: drop the time and proc.name columns and every annotation.
events_view() {
	sed -E 's/^([0-9]+) [^ ]+ ([0-9]+) .* \(([0-9]+)\) ([<>]) /\1 \2 \3 \4 /; :a; s/\([^()]*\)//g; ta' "$1"
}

check_file() { # FILE WHAT
	f=$1 what=$2
	[ -s "$f" ] || { fail "$what: udig run wrote no capture"; return; }
	sysdig -r "$f" >"$T/sd.txt" 2>"$T/sd.err"
	rc=$?
	[ $rc = 0 ] || { fail "$what: sysdig -r exit status $rc: $(head -n 3 "$T/sd.err")"; return; }
	"$UDIG" read "$f" >"$T/ud.txt" 2>"$T/ud.err" || { fail "$what: udig read failed: $(cat "$T/ud.err")"; return; }
	n=$(wc -l <"$T/ud.txt")
	[ "$n" -gt 100 ] || fail "$what: only $n events"
	[ "$(wc -l <"$T/sd.txt")" = "$n" ] || fail "$what: sysdig printed $(wc -l <"$T/sd.txt") events, udig read $n"
	events_view "$T/sd.txt" >"$T/sd.ev"
	events_view "$T/ud.txt" >"$T/ud.ev"
	if cmp -s "$T/sd.ev" "$T/ud.ev"; then
		echo "ok: $what: sysdig -r and udig read agree on $n events"
	else
		fail "$what: the events differ (evt.num cpu tid dir type args; < sysdig -r, > udig read)"
		diff "$T/sd.ev" "$T/ud.ev" | head -n 20
	fi
	if cmp -s "$T/sd.txt" "$T/ud.txt"; then
		echo "ok: $what: the text lines are identical"
	else
		fail "$what: $(diff "$T/sd.txt" "$T/ud.txt" | grep -c '^<') of $n text lines differ (state: proc.name, fd/pid annotations; < sysdig -r, > udig read)"
		diff "$T/sd.txt" "$T/ud.txt" | cut -c1-300 | head -n 12
	fi
}

# A port for owork's loopback server (exit 75: taken, try the next one).
port=$((20000 + $$ % 20000))
for _ in 1 2 3 4 5 6 7 8 9 10; do
	"$OWORK" tcp "$port" >/dev/null 2>&1 </dev/null
	[ $? != 75 ] && break
	port=$((port + 1))
done

cd "$T" || exit 99
"$OWORK" all "$port" >"$T/native.out" 2>/dev/null </dev/null
nrc=$?
"$UDIG" run -w "$T/out.scap" -- "$OWORK" all "$port" >"$T/run.out" 2>"$T/run.err" </dev/null
rc=$?
[ $rc = $nrc ] || { fail "owork: exit status $rc under udig, $nrc natively"; cat "$T/run.err"; }
cmp -s "$T/native.out" "$T/run.out" || fail "owork: stdout differs from the native run"
check_file "$T/out.scap" out.scap

"$UDIG" run -w "$T/out.scap.gz" -- /bin/sh -c 'cat /etc/hostname | wc -c; ls /nonexistent/udig-oracle' \
	>/dev/null 2>&1 </dev/null
gzip -t "$T/out.scap.gz" 2>/dev/null || fail "out.scap.gz is not gzip"
check_file "$T/out.scap.gz" out.scap.gz

[ $fails = 0 ] && exit 0
echo "$fails failure(s)"
exit 1
