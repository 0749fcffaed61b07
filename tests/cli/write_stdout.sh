#!/bin/sh
# -w -: the capture goes to stdout through libcapture's descriptor dumper
# (udig_dump_open_fd), whatever stdout is: a pipe, or a unix stream socket
# (which the earlier reopen of /proc/self/fd/N could not open).  For
# `udig run`, `udig attach`, `udig listen` and `udig read`; each result is
# read back by udig and by the reference (sysdig -r) where it is installed.
set -u
b=${top_builddir:-.}
udig="$b/tools/udig"
sockcat="$b/tests/cli/sockcat"
LIB="$b/udig/preload/.libs/libudig.so"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/udig-wstdout.XXXXXX") || exit 1
R=udig-wstdout-test-$$
pids=
cleanup() {
	for p in $pids; do kill -9 "$p" 2>/dev/null; done
	rm -rf "$tmp"
	rm -f /dev/shm/$R.*
}
trap cleanup EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
ok() { echo "ok: $*"; }
unset UDIG_RING UDIG_DESCS UDIG_SHARED_RING
have_sysdig=0
command -v sysdig >/dev/null 2>&1 && have_sysdig=1

wait_for() { # up to ~20 s for a command to succeed
	i=0
	while [ $i -lt 200 ]; do
		"$@" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}
# opens FILE: how many openat exits of /etc/hostname udig reads in FILE.
opens() { "$udig" read "$1" 'evt.type=openat and evt.dir=< and fd.name=/etc/hostname' 2>/dev/null | wc -l; }
# sysdig_reads FILE WHAT: the reference reads the same openat exits.
sysdig_reads() {
	[ $have_sysdig = 1 ] || return 0
	n=$(sysdig -r "$1" 'evt.type=openat and evt.dir=< and fd.name=/etc/hostname' 2>"$tmp/sd.err" | wc -l)
	[ "$n" -ge 1 ] && [ "$n" = "$(opens "$1")" ] && ok "$2: sysdig -r reads it ($n openat exits)" ||
		bad "$2: sysdig -r read $n openat exits, udig $(opens "$1"): $(head -c 300 "$tmp/sd.err")"
}

# 1. run -w - into a pipe; the program's stdout goes to stderr.
"$udig" run -w - -- sh -c 'cat /etc/hostname >/dev/null; echo prog-out' 2>"$tmp/p.err" | cat > "$tmp/p.scap"
grep -q '^prog-out$' "$tmp/p.err" || bad "run -w - | cat: the program's stdout did not go to stderr: $(cat "$tmp/p.err")"
[ "$(opens "$tmp/p.scap")" -ge 1 ] && ok "run -w - | cat > f: $(wc -c < "$tmp/p.scap") bytes, the openat is in it" ||
	bad "run -w - | cat: no openat of /etc/hostname in the capture: $(cat "$tmp/p.err")"
sysdig_reads "$tmp/p.scap" "run -w - | cat"
[ ! -e ./- ] || bad "run -w - wrote a file named -"

# 2. run -w - into a unix stream socket.
"$sockcat" "$tmp/s.scap" "$udig" run -w - -- cat /etc/hostname 2>"$tmp/s.err"
st=$?
[ $st = 0 ] || bad "run -w - into a socket: status $st: $(cat "$tmp/s.err")"
grep -qxF "$(cat /etc/hostname)" "$tmp/s.err" || bad "run -w - into a socket: cat's output is not on stderr"
[ "$(opens "$tmp/s.scap")" -ge 1 ] && ok "run -w - into a socket: $(wc -c < "$tmp/s.scap") bytes, the openat is in it" ||
	bad "run -w - into a socket: no openat in the capture: $(cat "$tmp/s.err")"
sysdig_reads "$tmp/s.scap" "run -w - into a socket"

# 3. attach -w - into a socket, until SIGINT.
sh -c 'while :; do cat /etc/hostname > /dev/null; sleep 0.05; done' &
loop=$!
pids="$pids $loop"
"$sockcat" "$tmp/a.scap" "$udig" attach -w - "$loop" 2>"$tmp/a.err" &
sc=$!
pids="$pids $sc"
# The header is written as the capture starts; then a few rounds of the loop.
wait_for test -s "$tmp/a.scap" || bad "attach -w -: nothing arrived: $(cat "$tmp/a.err")"
wait_for sh -c "[ \"\$('$udig' read '$tmp/a.scap' 'evt.type=openat and evt.dir=< and fd.name=/etc/hostname' 2>/dev/null | wc -l)\" -ge 3 ]" ||
	bad "attach -w -: the loop's openat calls did not arrive: $(cat "$tmp/a.err")"
kill -INT "$sc"
wait "$sc"
st=$?
kill "$loop" 2>/dev/null
[ $st = 0 ] || bad "attach -w - into a socket: status $st: $(cat "$tmp/a.err")"
[ "$(opens "$tmp/a.scap")" -ge 3 ] && ok "attach -w - into a socket: $(opens "$tmp/a.scap") openat exits" ||
	bad "attach -w - into a socket: $(opens "$tmp/a.scap") openat exits: $(cat "$tmp/a.err")"
sysdig_reads "$tmp/a.scap" "attach -w - into a socket"

# 4. listen -w - into a socket, fed by a preloaded program, until SIGINT.
if [ -f "$LIB" ]; then
	"$sockcat" "$tmp/l.scap" "$udig" listen --ring "$R" -w - 2>"$tmp/l.err" &
	sc=$!
	pids="$pids $sc"
	wait_for grep -q "listening on ring" "$tmp/l.err" 2>/dev/null || bad "listen -w -: did not start: $(cat "$tmp/l.err")"
	UDIG_RING=$R.buf UDIG_DESCS=$R.descs LD_PRELOAD=$LIB cat /etc/hostname > /dev/null
	wait_for sh -c "[ \"\$('$udig' read '$tmp/l.scap' 'evt.type=openat and evt.dir=< and fd.name=/etc/hostname' 2>/dev/null | wc -l)\" -ge 1 ]" ||
		bad "listen -w -: the cat's openat did not arrive: $(cat "$tmp/l.err")"
	kill -INT "$sc"
	wait "$sc"
	st=$?
	[ $st = 0 ] || bad "listen -w - into a socket: status $st: $(cat "$tmp/l.err")"
	[ "$(opens "$tmp/l.scap")" -ge 1 ] && ok "listen -w - into a socket: $(wc -c < "$tmp/l.scap") bytes" ||
		bad "listen -w - into a socket: no openat: $(cat "$tmp/l.err")"
	sysdig_reads "$tmp/l.scap" "listen -w - into a socket"
	ls /dev/shm/$R.* >/dev/null 2>&1 && bad "listen left its ring in /dev/shm"
fi
"$udig" listen --ring "$R" -c -w - >/dev/null 2>"$tmp/e"
st=$?
[ $st = 2 ] && grep -q 'where -c would print' "$tmp/e" && ok "listen -c -w -: refused" || bad "listen -c -w -: status $st: $(cat "$tmp/e")"

# 5. read -w -: a filtered copy streamed to another reader.
n=$("$udig" read "$tmp/p.scap" 'proc.name=cat' -w - 2>"$tmp/r.err" | "$udig" read - | grep -c ' cat (')
m=$("$udig" read "$tmp/p.scap" 'proc.name=cat' | wc -l)
[ "$n" -ge 1 ] && [ "$n" = "$m" ] && ok "read -w - | read -: the $n events of cat" ||
	bad "read -w - | read -: $n events of cat, the filter alone $m: $(cat "$tmp/r.err")"

# 6. -w FILE that cannot be created: refused before the command runs (the
# file is opened before the launch; its dumper is made after the /proc
# scan, which overlaps the launch).
for e in auto preload; do
	"$udig" run --engine=$e -w "$tmp/no/such/dir/x.scap" -- sh -c "touch '$tmp/ran.$e'" >/dev/null 2>"$tmp/e"
	st=$?
	if [ $st = 0 ] || [ -e "$tmp/ran.$e" ] || ! grep -q "can't create $tmp/no/such/dir/x.scap: No such file or directory" "$tmp/e"; then
		bad "run --engine=$e -w into a missing directory: status $st, ran: $([ -e "$tmp/ran.$e" ] && echo yes || echo no): $(cat "$tmp/e")"
	else
		ok "run --engine=$e -w into a missing directory: refused before the command ran"
	fi
done
# ... and a file that can be: complete, header and process table first, even
# for a command that has ended before the scan could have seen it.
"$udig" run -w "$tmp/t.scap" -- true 2>"$tmp/e" && "$udig" read "$tmp/t.scap" 'evt.type=procexit' 2>&1 | grep -q ' true (' &&
	ok "run -w -- true: a readable capture with the procexit of true" || bad "run -w -- true: $(cat "$tmp/e")"

[ $fail = 0 ] && echo "all passed"
exit $fail
