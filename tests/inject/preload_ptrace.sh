#!/bin/sh
# Preload-aware ptrace (inject_opts.preload_path): libudig writes the events
# of the images it is loaded into, the tracer those of every other image, and
# the consumer of the shared ring sees each call exactly once, enter then
# exit on its thread.  Dynamic shells run the static workload, scrubbed and
# `env -i` environments, and execs in every direction between the modes.
# Oracle: strace -f of the same command without capture.
. "$(dirname "$0")/lib.sh"
need strace
LIB=${UDIG_TEST_LIB:-$(cd "$B/../.." && pwd)/udig/preload/.libs/libudig.so}
[ -f "$LIB" ] || { echo "SKIP: no $LIB"; exit 77; }
RINGDUMP=$B/ringdump
# A ring of our own: never write into (or read from) someone else's capture.
UDIG_RING=udig-injtest-$$-buf UDIG_DESCS=udig-injtest-$$-descs
export UDIG_RING UDIG_DESCS
trap 'rm -rf "$T"; rm -f "/dev/shm/$UDIG_RING" "/dev/shm/$UDIG_DESCS" "/dev/shm/$UDIG_DESCS.mask"' EXIT

# ld.so's own opens: before libudig is armed, so never in a preloaded
# image's capture (a traced dynamic image has them, which is fine).
LOADER='\.so(\.[0-9]+)*$|/etc/ld\.so\.(cache|preload)$'

# Every key of the oracle as often in ours, and nothing else but loader calls.
exactly() {
	awk -v loader="$LOADER" '
	NR == FNR { want[$0]++; next }
	{ have[$0]++ }
	END {
		bad = 0
		for (k in want) if (have[k] != want[k]) { printf "%s: strace %d, ours %d\n", k, want[k], have[k] + 0; bad = 1 }
		for (k in have) if (!(k in want)) {
			split(k, f, " ")
			if (f[3] !~ loader) { printf "%s: ours %d, not in strace\n", k, have[k]; bad = 1 }
		}
		exit bad
	}' "$1" "$2"
}

# The records of each thread nest properly: every exit closes the innermost
# open enter of the same call (a signal handler's calls nest inside the call
# it interrupted: libudig records them so), a thread starts with its
# child-side clone exit or an enter, and procexit ends it once.  A call
# written by both libudig and the tracer shows as an enter opened twice in a
# row, or an exit with nothing open.
wellformed() {
	awk '
	$1 != "EVT" { next }
	{ tid = $2; dir = $3; name = $4; n = depth[tid] + 0 }
	name == "procexit" {
		if (last[tid] == "procexit") { print "tid " tid ": second procexit"; bad = 1 }
		depth[tid] = 0; last[tid] = "procexit"; next
	}
	dir == "E" {
		if (n > 0 && open[tid, n] == name) { print "tid " tid ": enter " name " twice"; bad = 1 }
		open[tid, n + 1] = name; depth[tid] = n + 1; last[tid] = "E"; next
	}
	{
		if (n == 0) {
			if (!(name ~ /^(clone|clone3|fork|vfork)$/ && $5 == "res=0")) { print "tid " tid ": exit " name " without its enter"; bad = 1 }
		} else if (open[tid, n] != name) {
			print "tid " tid ": exit " name " closes enter " open[tid, n]; bad = 1
		}
		if (n > 0) depth[tid] = n - 1
		last[tid] = "X"
	}
	END {
		for (t in depth) if (depth[t] > 0 && open[t, depth[t]] !~ /^(exit|exit_group)$/) {
			print "tid " t ": " open[t, depth[t]] " never exited"; bad = 1
		}
		exit bad
	}' "$1"
}

# check NAME CMD...: same output and status as without capture, the calls
# strace sees exactly once, well formed.  Leaves $T/NAME.log (tracer -v).
check() {
	name=$1; shift
	( cd "$T" && "$@" ) >"$T/$name.ref" 2>"$T/$name.referr"; ref=$?
	( cd "$T" && strace -f -qq -o "$T/$name.strace" "$@" ) >/dev/null 2>&1
	strace_calls "$T/$name.strace" | grep -Ev "$LOADER" >"$T/$name.oracle"
	[ -s "$T/$name.oracle" ] || fail "$name: strace saw no calls"
	( cd "$T" && "$RINGDUMP" "$T/$name.bin" "$INJ" --ring -v --stats --preload="$LIB" -- "$@" ) \
		>"$T/$name.out" 2>"$T/$name.err"; rc=$?
	grep -E '^(udig-inject|inject_test|ringdump):' "$T/$name.err" >"$T/$name.log"
	grep -Ev '^(udig-inject|inject_test|ringdump):' "$T/$name.err" >"$T/$name.err2"
	grep -q '^ringdump:' "$T/$name.log" && { cat "$T/$name.log"; fail "$name: the ring lost records"; }
	[ "$rc" = "$ref" ] || { cat "$T/$name.log"; fail "$name: exit status $rc captured, $ref without"; }
	cmp -s "$T/$name.ref" "$T/$name.out" || { diff "$T/$name.ref" "$T/$name.out"; fail "$name: output differs"; }
	cmp -s "$T/$name.referr" "$T/$name.err2" || { diff "$T/$name.referr" "$T/$name.err2"; fail "$name: stderr differs"; }
	"$EVDUMP" "$T/$name.bin" >"$T/$name.dump" || fail "$name: unparsable capture"
	our_calls "$T/$name.bin" >"$T/$name.ours"
	exactly "$T/$name.oracle" "$T/$name.ours" || fail "$name: calls differ from strace's"
	wellformed "$T/$name.dump" || fail "$name: records out of order"
	echo "ok: $name ($(wc -l <"$T/$name.oracle") strace calls, each once)"
}

# The tracer's own account of each exec: "<mode> image (...), execve exit by <who>".
execs() { sed -n 's/^udig-inject: exec in [0-9]*: //p' "$T/$1.log"; }
has_exec() { execs "$1" | grep -qF "$2" || { execs "$1"; fail "$1: no exec: $2"; }; }

# A dynamic shell (preloaded) runs the static workload (traced): threads,
# fork, vfork+exec, posix_spawn, failed exec, TCP.
check static /bin/sh -c "\"$WL\" main; echo \"rc=\$?\""
has_exec static 'preloaded image (dynamic, LD_PRELOAD), execve exit by libudig'    # the root: traced until its exec, announced by its libudig
has_exec static 'traced image (static, LD_PRELOAD, marker), execve exit by tracer' # sh -> workload
grep -q '^CALL [0-9]* execve -2 /nonexistent/udig-prog$' "$T/static.dump" || fail "static: failed execve"
[ "$(grep -c '^EVT [0-9]* X execve res=0 exe=workload .* comm=exe ' "$T/static.dump")" = 2 ] || fail "static: workload's re-execs"

# env -i chains: libudig puts itself back into the scrubbed environments.
check envchain /usr/bin/env -i PATH=/usr/bin:/bin /bin/sh -c 'exec env -i /usr/bin/cat /etc/hostname'
[ "$(execs envchain | grep -c "preloaded image")" = 4 ] || { execs envchain; fail "envchain: env, sh, env, cat all preloaded"; }
has_exec envchain 'preloaded image (dynamic, LD_PRELOAD, marker), execve exit by libudig'

# A static image drops LD_PRELOAD: the dynamic images after it are traced.
check scrub /bin/sh -c "\"$WL\" scrub /bin/sh -c 'cat /etc/hostname; env -i /usr/bin/cat /etc/passwd >/dev/null; exit 3'"
has_exec scrub 'traced image (dynamic), execve exit by tracer'

# static (traced) -> dynamic with LD_PRELOAD, same pid: the marker libudig
# left for the static image is found by the new image's libudig, which
# writes the exit; the tracer must not.  From a forked child (other pid) the
# marker is stale: the new image's libudig writes the exit all the same (as
# execve, its announcement), and the calls above prove it is written once.
check tracedexec /bin/sh -c "\"$WL\" exec /usr/bin/cat /etc/hostname"
has_exec tracedexec 'preloaded image (dynamic, LD_PRELOAD, marker), execve exit by libudig'
check tracedfork /bin/sh -c "\"$WL\" forkexec /usr/bin/cat /etc/hostname; echo \$?"
# (the root's own exec is the other one)
[ "$(execs tracedfork | grep -c '^preloaded image (dynamic, LD_PRELOAD), execve exit by libudig$')" = 2 ] ||
	{ execs tracedfork; fail "tracedfork: the child's exec exit is not its libudig's"; }

# A failed exec in a preloaded process is libudig's alone.
check failexec /bin/sh -c '/nonexistent/udig-cmd; echo $?'

# Preloaded processes run detached: a shell loop of ~1000 syscalls costs the
# tracer a handful of stops, not one per syscall (libudig's SIGSYS).
check loop /bin/sh -c 'i=0; while [ $i -lt 200 ]; do i=$((i + 1)); echo $i >/dev/null; done; echo $i'
stops=$(sed -n 's/.* stops=\([0-9]*\) .*/\1/p' "$T/loop.log")
[ -n "$stops" ] && [ "$stops" -lt 100 ] || { cat "$T/loop.log"; fail "loop: $stops tracer stops for a preloaded shell"; }
echo "ok: preloaded loop cost the tracer $stops stops"

# The program's fate passes through, whichever mode it ended in.
"$INJ" --preload="$LIB" -- /bin/sh -c 'exit 42'; rc=$?
[ "$rc" = 42 ] || fail "exit 42 (preloaded): got $rc"
"$INJ" --preload="$LIB" -- /bin/sh -c 'kill -USR1 $$'; rc=$?
[ "$rc" = $((128 + 10)) ] || fail "self-kill (preloaded): got $rc"
"$INJ" --preload="$LIB" --out="$T/die.bin" -- "$WL" die; rc=$?
[ "$rc" = $((128 + 10)) ] || fail "die (traced): got $rc"
"$EVDUMP" "$T/die.bin" | grep -q '^EVT [0-9]* E procexit status=10 ret=0 sig=10 ' || fail "die (traced): procexit"
"$INJ" --preload="$LIB" -- /nonexistent/udig-cmd 2>"$T/err"; rc=$?
[ "$rc" = 127 ] && grep -q 'udig: /nonexistent/udig-cmd: No such file' "$T/err" || fail "missing command: $rc"
"$WL" signals >"$T/sig.ref" 2>&1
"$INJ" --preload="$LIB" -- /bin/sh -c "\"$WL\" signals" >"$T/sig.out" 2>&1; rc=$?
[ "$rc" = 0 ] && cmp -s "$T/sig.ref" "$T/sig.out" || { diff "$T/sig.ref" "$T/sig.out"; fail "signals (traced under a preloaded shell): rc $rc"; }
echo "ok: status, signals"

# Refused with the unotify engine (both would write every enter).
"$INJ" --engine=unotify --preload="$LIB" -- true 2>"$T/unerr"; rc=$?
[ "$rc" = 2 ] && grep -q 'needs the ptrace engine' "$T/unerr" || fail "unotify + preload: rc $rc, $(cat "$T/unerr")"
echo "ok: preload-aware ptrace"
