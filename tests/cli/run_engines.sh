#!/bin/sh
# `udig run` through every engine: the program's output and exit status pass
# through unchanged, its file opens are captured with their paths, -t pushes
# the selection down, the automatic choice picks what it says, and bad
# invocations fail with a reason.
set -u
b=${top_builddir:-.}
udig="$b/tools/udig"
wl="$b/tests/inject/workload"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
ok() { echo "ok: $*"; }

# Bad invocations: status and a one-line reason, nothing run.
expect_status() { # status, what, command...
	want=$1 what=$2; shift 2
	"$@" >"$tmp/o" 2>"$tmp/e"; got=$?
	if [ "$got" != "$want" ] || ! grep -q '^udig: ' "$tmp/e"; then
		bad "$what: status $got (want $want), stderr: $(head -c 300 "$tmp/e")"
	else
		ok "$what -> $want: $(head -n 1 "$tmp/e")"
	fi
}
expect_status 2 "unknown engine" "$udig" run --engine=bogus -- true
expect_status 127 "missing command" "$udig" run -- /nonexistent/prog
expect_status 2 "no command" "$udig" run -j
expect_status 2 "bad snaplen" "$udig" run -s 0 -- true
expect_status 2 "unknown -t type" "$udig" run -t opne -- true
expect_status 2 "preload on a static program" "$udig" run --engine=preload -- "$wl" main
expect_status 2 "-w with -j" "$udig" run -w "$tmp/x.scap" -j -- true

# Each engine on a shell pipeline: same output and status as native, the
# file open seen with its path, the stats line names the engine.
native=$(sh -c 'cat /etc/hostname | wc -c; exit 3'); nst=$?
for e in preload ptrace unotify auto; do
	out=$("$udig" run --engine="$e" -j -o "$tmp/$e.json" -- sh -c 'cat /etc/hostname | wc -c; exit 3' 2>"$tmp/$e.err")
	st=$?
	[ "$st" = "$nst" ] || bad "$e: exit status $st, native $nst"
	[ "$out" = "$native" ] || bad "$e: output '$out', native '$native'"
	grep '"evt.type":"openat"' "$tmp/$e.json" | grep -q 'name=/etc/hostname' ||
		bad "$e: no openat of /etc/hostname captured"
	grep '"evt.type":"execve"' "$tmp/$e.json" | grep -q '/usr/bin/wc\|/bin/wc' ||
		bad "$e: no execve of wc captured"
	grep -q "engine $( [ $e = auto ] && echo 'preload+ptrace' || echo $e)\$" "$tmp/$e.err" ||
		bad "$e: stats line does not name the engine: $(cat "$tmp/$e.err")"
	grep -q ' 0 dropped' "$tmp/$e.err" || bad "$e: drops: $(cat "$tmp/$e.err")"
	ok "$e: $(tail -n 1 "$tmp/$e.err")"
done

# The program inherits no descriptor of ours (ring, output file, pipes).
nfd=$(ls /proc/self/fd | wc -l)
for e in preload ptrace unotify auto; do
	got=$("$udig" run --engine="$e" -o "$tmp/fd.txt" -- ls /proc/self/fd 2>/dev/null | wc -l)
	[ "$got" = "$nfd" ] || bad "$e: the program has $got fds open, $nfd natively: $("$udig" run --engine="$e" -o "$tmp/fd.txt" -- ls -l /proc/self/fd 2>&1 | tr '\n' ' ')"
done

# The command's first record is the child side of udig's fork: from it a
# consumer gives the command udig's descriptors, so the inherited stdout is
# named in a capture file too (no /proc to ask when reading it later), by
# sysdig -r and by udig read alike.
for e in preload ptrace unotify auto; do
	"$udig" run --engine="$e" -w "$tmp/inh.scap" -- sh -c 'echo hi' >/dev/null 2>"$tmp/inh.err" ||
		bad "$e: run -w failed: $(cat "$tmp/inh.err")"
	first=$("$udig" read "$tmp/inh.scap" 2>/dev/null | head -n 1)
	case $first in
	*"< clone res=0 "*" comm=udig "*) ;;
	*) bad "$e: the first record is not the launch's fork: $first" ;;
	esac
	w=$("$udig" read "$tmp/inh.scap" 2>/dev/null | grep -c '> write fd=1(<f>/dev/null)')
	[ "$w" = 1 ] && ok "$e: the inherited stdout is named in the file" ||
		bad "$e: the inherited stdout unnamed in udig read: $("$udig" read "$tmp/inh.scap" | grep '> write')"
	if command -v sysdig >/dev/null; then
		sysdig -r "$tmp/inh.scap" 'evt.type=write and evt.dir=>' 2>/dev/null | grep -q 'fd=1(<f>/dev/null)' ||
			bad "$e: the inherited stdout unnamed in sysdig -r: $(sysdig -r "$tmp/inh.scap" evt.type=write 2>&1 | head -n 3)"
	fi
done

# Only the ptrace engine sees syscall results for everything; check one.
grep '"evt.type":"openat"' "$tmp/ptrace.json" | grep '"evt.dir":"<"' | grep -q 'fd=[0-9]*(<f>/etc/hostname)' ||
	bad "ptrace: openat exit without the fd named"
# unotify writes no syscall exits (never an invented result).
grep -q '"evt.dir":"<","evt.info":"fd=' "$tmp/unotify.json" && bad "unotify: wrote an exit event"

# Death by signal: 128+N, as the shell reports it.
for e in preload ptrace unotify; do
	"$udig" run --engine="$e" -w "$tmp/k.scap" -- sh -c 'kill -TERM $$' 2>/dev/null
	st=$?
	[ "$st" = 143 ] && ok "$e: SIGTERM death -> 143" || bad "$e: SIGTERM death gave status $st"
done

# A reader that goes away (events, then the stats line, into a closed pipe)
# is no reason to die: udig still returns CMD's status and removes its ring
# (named as its parent, udig, maps it); CMD still gets the default SIGPIPE action.
for e in preload ptrace; do
	( "$udig" run --engine="$e" -- sh -c 'grep -o "udig-session[^ ]*buf" /proc/$PPID/maps | head -n 1 > '"$tmp/pipe.ring"'; for i in 1 2 3 4 5 6 7 8; do cat /etc/hostname; done >/dev/null; exit 5' 2>&1 &
	  wait $!; echo $? > "$tmp/pipe.st" ) | head -n 1 > /dev/null
	st=$(cat "$tmp/pipe.st") ring=$(cat "$tmp/pipe.ring")
	if [ "$st" != 5 ]; then
		bad "$e: with its reader gone, udig ended with status $st (want CMD's 5)"
	elif [ -z "$ring" ] || [ -e "/dev/shm/$ring" ]; then
		bad "$e: with its reader gone, udig left its ring: '$ring'"
	else
		ok "$e: reader gone: CMD's status, ring removed"
	fi
done
# ... and CMD keeps the default SIGPIPE action: `yes` into a closed pipe dies of it.
"$udig" run -- sh -c '(yes; echo "yes: $?" >&2) | head -c 1 >/dev/null' > /dev/null 2> "$tmp/yes.err"
grep -q '^yes: 141$' "$tmp/yes.err" && ok "CMD still dies of SIGPIPE (141)" ||
	bad "CMD's yes into a closed pipe: $(head -n 2 "$tmp/yes.err")"

# Automatic choice: static -> ptrace, said with -v.
"$udig" run -v -w "$tmp/s.scap" -- "$wl" main >/dev/null 2>"$tmp/auto-static.err"
grep -q 'engine ptrace (' "$tmp/auto-static.err" && grep -q 'engine ptrace$' "$tmp/auto-static.err" ||
	bad "auto on a static program: $(cat "$tmp/auto-static.err")"
ok "auto on a static program: $(head -n 1 "$tmp/auto-static.err")"
"$udig" read "$tmp/s.scap" 'evt.type=openat and evt.dir=<' > "$tmp/s.txt"
[ -s "$tmp/s.txt" ] || bad "auto/ptrace on the static workload captured no openat"

# -t: only the listed types printed (state events still reach the consumer).
"$udig" run -t openat -o "$tmp/t.txt" -- cat /etc/hostname >/dev/null 2>&1
awk '{ print $7 }' "$tmp/t.txt" | sort -u > "$tmp/t.types"
[ "$(cat "$tmp/t.types")" = openat ] || bad "-t openat printed: $(tr '\n' ' ' < "$tmp/t.types")"
grep -q 'cat ([0-9]*) < openat fd=3(<f>/etc/hostname)' "$tmp/t.txt" || bad "-t openat: no named openat of cat"
ok "-t openat: $(wc -l < "$tmp/t.txt") events, all openat"

# The written file opens in the reference.
if command -v sysdig >/dev/null; then
	"$udig" run -w "$tmp/r.scap.gz" -- cat /etc/hostname >/dev/null 2>&1
	sysdig -r "$tmp/r.scap.gz" 'evt.type=openat and evt.dir=<' 2>/dev/null | grep -q '/etc/hostname' ||
		bad "sysdig -r does not show cat's openat in udig run -w output"
fi
exit $fail
