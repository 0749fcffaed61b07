#!/bin/sh
# Every process that ends gets its procexit (issue 11), with its real
# status where udig can know it, and orphans are captured until they exit:
#  - the launched command SIGKILLed by another process: under every engine
#    (udig reaps it, or the tracer sees it die);
#  - an orphan (its parent gone) reads a file 300 ms later and exits with
#    status 7: udig run waits for it (it is the tree's subreaper), its
#    events are in the capture and so is its procexit (ret=7);
#  - a process that kills itself is told once, not twice.
# A grandchild killed from outside and reaped by its own, captured parent:
# killed.sh.
set -u
b=${top_builddir:-.}
udig="$b/tools/udig"
fwork="$b/tests/fidelity/fwork"
fcheck="$b/tests/fidelity/fcheck"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/udig-ends.XXXXXX") || exit 1
upid=""
# udig runs in a session of its own: what it launched is ended by process
# group if the test fails half-way, never by name.
trap '[ -n "$upid" ] && kill -KILL "-$upid" 2>/dev/null; rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
ok() { echo "ok: $*"; }

for engine in auto preload ptrace unotify; do
	# The command, killed from outside.
	setsid "$udig" run --engine=$engine -w "$tmp/k.scap" -- sleep 60 >/dev/null 2>"$tmp/err" &
	upid=$!
	victim=""
	for i in $(seq 1 200); do
		victim=$(pgrep -s "$upid" -x sleep | head -n 1)
		[ -n "$victim" ] && grep -q '^State:.*[SR]' "/proc/$victim/status" 2>/dev/null && break
		sleep 0.05
	done
	sleep 0.3 # past its exec: the capture knows it as sleep
	if [ -z "$victim" ]; then
		bad "$engine: the command never started"
	else
		kill -KILL "$victim"
	fi
	wait "$upid"
	rc=$?
	upid=""
	[ $rc = 137 ] || bad "$engine: udig run exited $rc, not 137 (128 + SIGKILL)"
	got=$("$fcheck" procexit "$tmp/k.scap" | awk -v p="$victim" '$1 == p')
	[ "$got" = "$victim 9 9" ] && ok "$engine: SIGKILLed command: procexit status=9 sig=9" ||
		bad "$engine: SIGKILLed command $victim: procexit '$got' ($(cat "$tmp/err"))"

	# An orphan.
	"$udig" run --engine=$engine -w "$tmp/o.scap" -- "$fwork" orphan /etc/hostname >"$tmp/out" 2>"$tmp/err" ||
		bad "$engine: orphan: udig run failed: $(cat "$tmp/err")"
	grep -q '^orphan done$' "$tmp/out" || bad "$engine: udig run ended before the orphan"
	opid=$("$fcheck" procexit "$tmp/o.scap" | awk '$2 == 1792 { print $1 }')
	if [ -z "$opid" ]; then
		bad "$engine: no procexit with the orphan's status (exit 7): $("$fcheck" procexit "$tmp/o.scap" | tr '\n' ' ')"
	elif ! "$udig" read "$tmp/o.scap" "proc.pid=$opid and evt.type=openat" | grep -q '/etc/hostname'; then
		bad "$engine: the orphan's open of /etc/hostname is missing"
	else
		ok "$engine: orphan $opid captured until its exit (status 7)"
	fi

	# A process that kills itself: one procexit.
	"$udig" run --engine=$engine -w "$tmp/s.scap" -- sh -c 'kill -TERM $$' >/dev/null 2>&1
	n=$("$fcheck" procexit "$tmp/s.scap" | grep -c ' 15 15$')
	[ "$n" = 1 ] && ok "$engine: self-killed: one procexit" || bad "$engine: self-killed: $n procexits with SIGTERM"
done
exit $fail
