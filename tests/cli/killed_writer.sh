#!/bin/sh
# A udig killed with SIGKILL while writing a capture leaves a file that reads
# back with what was captured (issue 9): the header goes to the file at open,
# and the consumer flushes the events it dumped (gzip: a sync flush of the
# stream) at least once a second and when the ring goes quiet.  Plain and
# gzip; read back by `udig read` and by the reference `sysdig -r`.
#
# No timing is asserted: we wait (generous deadline) until the events show
# up in the file while udig still runs, kill it, then read the file again.
set -u
b=${top_builddir:-.}
udig="$b/tools/udig"
# Writable by whoever runs the suite (root or uid 65534).
tmp=$(mktemp -d "${TMPDIR:-/tmp}/udig-killed.XXXXXX") || exit 1
export TZ=UTC
pid=""
# udig runs in a session of its own (setsid): the command it launched
# outlives it, and is ended by process group, never by name.
# (dash: "kill -KILL -PGID"; it takes no "--")
end_group() { [ -n "$pid" ] && kill -KILL "-$pid" 2>/dev/null; pid=""; }
trap 'end_group; rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
ok() { echo "ok: $*"; }

# The two events the capture must hold: cat opening /etc/hostname, and
# the launch's execve of sh.
has_events() { # text file
	grep -q ' cat ([0-9]*) < openat fd=[0-9]*(<f>/etc/hostname)' "$1" &&
		grep -q ' sh ([0-9]*) < execve res=0 exe=sh ' "$1"
}

# Running, not a zombie (kill -0 succeeds on an unreaped zombie too).
running() { # pid
	st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1)
	[ -n "$st" ] && [ "$st" != Z ]
}

DEADLINE=60 # seconds; only reached when something is broken
for f in k.scap k.scap.gz; do
	out="$tmp/$f"
	# Not a group leader (no job control here), so setsid does not fork:
	# $! is the udig process (its libtool wrapper execs the program).
	setsid "$udig" run -w "$out" -- sh -c 'cat /etc/hostname; sleep 30' \
		>"$tmp/stdout" 2>"$tmp/stderr" &
	pid=$!
	# The bug report kills udig about 1.5 s in; under load, keep waiting
	# for the events to reach the file while udig runs.
	sleep 1.5
	t=0
	while :; do
		# Whether udig ran before the read: a file complete only once
		# udig ended (closed it) does not count.
		live=0
		running "$pid" && live=1
		"$udig" read "$out" >"$tmp/live.txt" 2>/dev/null
		if has_events "$tmp/live.txt"; then
			[ $live = 1 ] || bad "$f: the events reached the file only when udig ended, not while it ran"
			break
		fi
		if [ $live = 0 ]; then
			bad "$f: udig ended without writing the events: $(cat "$tmp/stderr")"
			break
		fi
		t=$((t + 1))
		if [ $t -ge $((DEADLINE * 5)) ]; then
			bad "$f: no openat of /etc/hostname and execve of sh in the file after ${DEADLINE}s of udig running: $(head -c 300 "$tmp/live.txt")"
			break
		fi
		sleep 0.2
	done
	if running "$pid"; then
		case $(cat "/proc/$pid/comm" 2>/dev/null) in
		*udig*) ;;
		*) bad "$f: pid $pid is not udig ($(cat "/proc/$pid/comm" 2>/dev/null))" ;;
		esac
		kill -KILL "$pid" 2>/dev/null
	fi
	wait "$pid" 2>/dev/null
	st=$?
	[ $st = 137 ] || bad "$f: udig was not killed by SIGKILL (status $st)"
	# The command survives its tracer; end it (sh, sleep) by group.
	end_group

	# udig read: everything before the cut; a nonzero status only with a
	# message that says the file is truncated.
	"$udig" read "$out" >"$tmp/ud.txt" 2>"$tmp/ud.err"
	st=$?
	if has_events "$tmp/ud.txt"; then
		ok "$f: udig read shows cat's openat of /etc/hostname and sh's execve ($(wc -l <"$tmp/ud.txt") events, status $st)"
	else
		bad "$f: udig read lacks the events: $(head -c 300 "$tmp/ud.txt") $(cat "$tmp/ud.err")"
	fi
	if [ $st != 0 ] && ! grep -q 'truncated' "$tmp/ud.err"; then
		bad "$f: udig read failed (status $st) without saying the file is truncated: $(cat "$tmp/ud.err")"
	fi
	[ $st = 0 ] || ok "$f: udig read says: $(cat "$tmp/ud.err")"

	if command -v sysdig >/dev/null; then
		sysdig -r "$out" >"$tmp/sd.txt" 2>"$tmp/sd.err"
		if has_events "$tmp/sd.txt"; then
			ok "$f: sysdig -r shows them too ($(wc -l <"$tmp/sd.txt") events)"
		else
			bad "$f: sysdig -r lacks the events: $(head -c 300 "$tmp/sd.txt") $(head -c 300 "$tmp/sd.err")"
		fi
		cmp -s "$tmp/sd.txt" "$tmp/ud.txt" ||
			bad "$f: udig read and sysdig -r differ: $(diff "$tmp/sd.txt" "$tmp/ud.txt" | head -n 6)"
	else
		echo "sysdig not installed: the reference reader is not checked"
	fi
done
exit $fail
