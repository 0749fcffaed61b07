#!/bin/sh
# A process killed from outside and reaped by its own, captured parent gets
# its procexit (issue 11), under every engine: the preloaded parent's wait
# writes it (preload, auto), the supervisor learns it from the thread's
# pidfd (unotify), the tracer sees the death (ptrace).  For each workload:
#  - the victim has exactly one procexit, with the status and signal that
#    `udig read` and `sysdig -r` print for it;
#  - no thread has two (a child that wrote its own and was reaped by a
#    preloaded parent is told twice in the ring; the consumer shows one);
#  - the ends in the capture are the ends `strace -f` reports for the same
#    workload (`+++ killed by SIGKILL +++`, `+++ exited with 3 +++`).
# Threads: the drivers write a procexit per thread, and so does every
# engine: ptrace and unotify see each thread end; under preload and auto
# the preloaded parent knows only the process it reaped, and udig's
# consumer ends the other threads of a process that died of a signal
# (libcapture/capture.c, group_end).  So the capture has 3 ends of fwork
# by SIGKILL, as strace -f reports for a process whose threads it follows.
# The same for exit_group: the caller writes the ends of the others.
set -u
b=${top_builddir:-.}
udig="$b/tools/udig"
fwork="$b/tests/fidelity/fwork"
fcheck="$b/tests/fidelity/fcheck"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/udig-killed.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
ok() { echo "ok: $*"; }

have_sysdig=0
command -v sysdig >/dev/null 2>&1 && have_sysdig=1 || echo "note: no sysdig (Debian package sysdig): its view is not checked"
have_strace=0
if command -v strace >/dev/null 2>&1 && strace -f -q -e trace=none -o /dev/null true 2>/dev/null; then
	have_strace=1
else
	echo "note: strace missing or not allowed to trace here: the ends are not compared with its"
fi

# The victim waits until it is what it should be (sleep, or fwork with its
# threads started), so that it has made calls of its own — a supervisor
# knows only the threads it has seen — and is killed by another process:
# its parent (kill -9), or a third one (sh -c 'kill -TERM').
f="$tmp/ready"
synced='sleep 30 & p=$!; echo victim=$p
until read c < /proc/$p/comm && [ "$c" = sleep ]; do :; done'
tail='wait $p; echo waited=$?; sh -c "exit 3" & wait $!'
w_kill="$synced
kill -9 \$p; $tail"
w_term="$synced
sh -c \"kill -TERM \$p\"; $tail"
# Killed at once, maybe before its exec or any call of its own (not for
# unotify, which cannot know a process that never made a call).
w_now="sleep 30 & p=\$!; echo victim=\$p; kill -9 \$p; $tail"
w_threads="rm -f $f; $fwork asleep 3 $f & p=\$!; echo victim=\$p
until [ -e $f ]; do :; done; kill -9 \$p; $tail"

# ends FILE: one line per procexit, "TID exited N" or "TID killed NAME".
ends() {
	"$fcheck" procexit "$1" | while read -r tid st sig; do
		if [ "$sig" != 0 ]; then
			echo "$tid killed $(kill -l "$sig")"
		else
			echo "$tid exited $(((st >> 8) & 255))"
		fi
	done
}

# The same from strace -f, without the tids.
strace_ends() {
	sed -n 's/^[0-9]* *+++ \(exited\) with \([0-9]*\) +++$/\1 \2/p; s/^[0-9]* *+++ \(killed\) by SIG\([A-Z0-9]*\) +++$/\1 \2/p' "$1" | sort
}

engines_ran=0
for engine in preload auto ptrace unotify; do
	if ! "$udig" run --engine=$engine -w "$tmp/probe.scap" -- true >/dev/null 2>"$tmp/err"; then
		echo "skip: $engine cannot run here: $(cat "$tmp/err")"
		continue
	fi
	engines_ran=$((engines_ran + 1))
	for w in kill term now threads; do
		case $w in
		kill) script=$w_kill sig=9 ;;
		term) script=$w_term sig=15 ;;
		now) [ $engine = unotify ] && continue
		     script=$w_now sig=9 ;;
		threads) script=$w_threads sig=9 ;;
		esac
		name=$(kill -l $sig) want="killed $(kill -l $sig)"
		what="$engine/$w"
		out="$tmp/$engine-$w"
		"$udig" run --engine=$engine -w "$out.scap" -- sh -c "$script" >"$out.out" 2>"$out.err"
		rc=$?
		victim=$(sed -n 's/^victim=//p' "$out.out")
		if [ $rc != 3 ] || [ -z "$victim" ] || ! grep -q "^waited=$((128 + sig))\$" "$out.out"; then
			bad "$what: the workload did not run as meant (exit $rc): $(cat "$out.out" "$out.err" | tr '\n' ' ')"
			continue
		fi
		ends "$out.scap" >"$out.ends"
		got=$(awk -v p="$victim" '$1 == p { $1 = ""; print substr($0, 2) }' "$out.ends")
		[ "$got" = "$want" ] && ok "$what: victim $victim: one procexit, $want" ||
			bad "$what: victim $victim: procexits '$got', want one '$want'"
		dups=$(cut -d' ' -f1 "$out.ends" | sort | uniq -d | tr '\n' ' ')
		[ -z "$dups" ] || bad "$what: threads with more than one procexit: $dups"

		# What udig read prints for it.
		n=$("$udig" read "$out.scap" "evt.type=procexit and thread.tid=$victim" |
			grep -c "> procexit status=$sig ret=0 sig=$sig(SIG$name) core=0")
		[ "$n" = 1 ] || bad "$what: udig read shows $n procexits of $victim with sig=$sig, want 1"

		if [ $have_sysdig = 1 ]; then
			s=$(sysdig -r "$out.scap" -p '%thread.tid %evt.arg.status %evt.arg.sig' \
				"evt.type=procexit and thread.tid=$victim" 2>&1)
			[ "$s" = "$victim $sig SIG$name" ] || bad "$what: sysdig -r shows '$s' for the victim"
			sdups=$(sysdig -r "$out.scap" -p '%thread.tid' evt.type=procexit 2>&1 | sort | uniq -d | tr '\n' ' ')
			[ -z "$sdups" ] || bad "$what: sysdig -r shows more than one procexit for $sdups"
		fi

		# The threads: each one's end where the engine can see it.
		nk=$(grep -c " $want\$" "$out.ends")
		if [ $w = threads ]; then
			[ "$nk" = 3 ] && ok "$what: 3 threads killed" || bad "$what: $nk threads killed, want 3 (fwork's)"
		fi

		# strace's view of the same workload.
		[ $have_strace = 1 ] || continue
		strace -f -q -e trace=none -o "$out.strace" sh -c "$script" >/dev/null 2>"$out.strace.err"
		theirs=$(strace_ends "$out.strace" | tr '\n' ',')
		[ -n "$theirs" ] || cat "$out.strace" "$out.strace.err"
		ours=$(cut -d' ' -f2- "$out.ends" | sort | tr '\n' ',')
		[ "$ours" = "$theirs" ] && ok "$what: the ends strace -f reports: $ours" ||
			bad "$what: ends '$ours', strace -f reports '$theirs'"
	done
done
[ $engines_ran = 0 ] && { echo "no engine can run here"; exit 77; }

# exit_group with other threads alive: one end each, the status the call
# gave (fwork quit: 4 threads, exit(5)).
for engine in auto preload ptrace unotify; do
	out="$tmp/quit-$engine"
	"$udig" run --engine=$engine -w "$out.scap" -- "$fwork" quit 4 >/dev/null 2>"$out.err"
	rc=$?
	[ $rc = 5 ] || { grep -q "cannot\|not available\|refused" "$out.err" && continue; bad "exit_group, $engine: udig run exited $rc: $(cat "$out.err")"; continue; }
	ends=$("$udig" read -p '%thread.tid %evt.arg.status' "$out.scap" 'evt.type=procexit' |
		awk '$2 == 1280 { n++ } END { print n + 0 }')
	n=$("$udig" read "$out.scap" 'evt.type=procexit' | wc -l)
	[ "$ends" = 4 ] && [ "$n" = 4 ] && ok "exit_group, $engine: 4 threads end, status 1280" ||
		bad "exit_group, $engine: $ends ends with status 1280 among $n procexits, want 4"
done
# An execve from a thread other than the main one ends every other thread
# (the drivers write a procexit for each): no thread of the old image is
# left without an end once the new image runs (fwork execthread: 3
# threads, then sh -c 'exit 4').
for engine in auto preload ptrace; do
	out="$tmp/exec-$engine"
	"$udig" run --engine=$engine -w "$out.scap" -- "$fwork" execthread >/dev/null 2>"$out.err"
	rc=$?
	[ $rc = 4 ] || { bad "exec from a thread, $engine: udig run exited $rc: $(cat "$out.err")"; continue; }
	"$udig" read -p '%thread.tid %proc.pid %proc.name %evt.type %evt.dir' "$out.scap" > "$out.txt"
	left=$(awk '$3 == "fwork" && $1 != $2 { t[$1] = 1 } $4 == "procexit" { delete t[$1] }
		END { for (k in t) printf "%s ", k }' "$out.txt")
	n=$(awk '$3 == "fwork" && $1 != $2 { t[$1] = 1 } END { print length(t) }' "$out.txt")
	[ "$n" = 2 ] && [ -z "$left" ] && ok "exec from a thread, $engine: both other threads ended" ||
		bad "exec from a thread, $engine: of $n other threads, no end for: ${left:-none}"
done
exit $fail
