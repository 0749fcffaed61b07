#!/bin/sh
# The fast path writes the trap path's events: each workload runs under
# `udig run --engine=preload -w` with rewriting (the default) and without
# (UDIG_REWRITE=0), and the two captures must hold the same events — as a
# multiset of (process name, direction, type, and for the calls below the
# arguments), timestamps, ids, descriptor numbers, addresses and I/O data
# aside.  Calls whose number depends on timing natively (futex,
# sched_yield, sleeps, the returns of SIGCHLD handlers: the signal
# coalesces) are left out, and no workload reads /proc/self/maps (which
# shows the trampolines).
# Workloads: a shell pipeline, threads, signals, fork/exec chains, a program
# that dlopens a library after start and whose threads race into a site
# while it is patched.  As root, then as uid 65534.
. "$top_srcdir/tests/rewrite/lib.sh"
sud_ok || { echo "SKIP: no Syscall User Dispatch: no fast path"; exit 77; }
TP=$B/tests/preload

norm() { # capture -> sorted normalized events
	"$UDIG" read "$1" | awk '
	{
		comm = $4; dir = $6; type = $7
		if (type ~ /^(futex|sched_yield|nanosleep|clock_nanosleep|rt_sigtimedwait|sigreturn|rt_sigreturn)$/)
			next
		line = comm " " dir " " type
		if (type ~ /^(open|openat|close|read|write|getppid|dup2|dup3|pipe|pipe2|lseek|fcntl|getpid|kill|tgkill)$/) {
			for (i = 8; i <= NF; i++)
				line = line " " $i
		}
		gsub(/ data=[^ ]*/, "", line)
		gsub(/fd=[0-9]+/, "fd=N", line)
		gsub(/=[0-9]+\(/, "=N(", line)
		gsub(/\([0-9]+\)/, "(N)", line)
		gsub(/0x[0-9a-f]+/, "0xX", line)
		gsub(/[0-9][0-9][0-9][0-9][0-9]+/, "N", line)
		print line
	}' | sort
}

# same NAME command...: both captures, compared.
same() {
	name=$1; shift
	for rw in 1 0; do
		# The same file names in both runs: they appear in events.
		UDIG_REWRITE=$rw "$UDIG" run --engine=preload -w "$WORK/cur.scap" -- "$@" \
			> "$WORK/cur.out" 2> "$WORK/cur.err" < /dev/null
		echo "rc=$?" >> "$WORK/cur.out"
		grep -q ' 0 dropped' "$WORK/cur.err" || fail "$name ($rw): $(tail -n 1 "$WORK/cur.err")"
		norm "$WORK/cur.scap" > "$WORK/$name.$rw.ev"
		mv "$WORK/cur.out" "$WORK/$name.$rw.out"
	done
	cmp -s "$WORK/$name.1.out" "$WORK/$name.0.out" || { fail "$name: output differs"; diff "$WORK/$name.1.out" "$WORK/$name.0.out" | head; }
	n=$(wc -l < "$WORK/$name.1.ev")
	[ "$n" -gt 20 ] || fail "$name: only $n events"
	if cmp -s "$WORK/$name.1.ev" "$WORK/$name.0.ev"; then
		echo "ok: $name: $n events, the same with and without rewriting"
	else
		fail "$name: events differ (< with rewriting, > without)"
		diff "$WORK/$name.1.ev" "$WORK/$name.0.ev" | head -20
	fi
}

same pipeline /bin/sh -c 'cat /etc/passwd | sort | head -n 5 | wc -l; ls /usr/include | wc -l'
same tp_rewrite "$TPR" "$SITES" det
same threads "$TP/tp_threads"
same signals "$TP/tp_signals"
same exec "$TP/tp_exec" 3
same sh_chain /bin/sh -c 'echo a; /bin/sh -c "echo b; exit 4"; echo $?'
as_nobody "$top_srcdir/tests/rewrite/same_events.sh"
finish
