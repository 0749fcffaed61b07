#!/bin/sh
# Names and ids as the reference computes them: `udig read` and `sysdig -r`
# print the same text for captures whose fd names, socket tuples and fd
# types libsinsp works out itself (tests/cli/nwork.c: unconnected and
# connected UDP, a UDP server replying, TCP over IPv4 and IPv6, a socket
# bound to port 0 that then listens, [::], unix datagrams, directories with
# a trailing '/'), captured by each engine; a relative name of a process the
# capture never described (unotify); a process in a PID namespace (host ids
# in the header and namespace ids in vtid/vpid from a tracer, a word on
# stderr from the preload engine); and `udig attach` to another
# user's process names the owner and the rule.
set -u
b=${top_builddir:-.}
udig="$b/tools/udig"
nwork="$b/tests/cli/nwork"
command -v sysdig >/dev/null || { echo "sysdig not installed (Debian package sysdig)" >&2; exit 1; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
export TZ=UTC
fail=0
bad() { echo "FAIL: $*"; fail=1; }

# both CAPTURE WHAT: udig read and sysdig -r agree on the text of CAPTURE
both() {
	sysdig -r "$1" > "$1.sd" 2>/dev/null
	"$udig" read "$1" > "$1.ud" 2>"$1.err" || bad "$2: udig read failed: $(cat "$1.err")"
	[ -s "$1.sd" ] || bad "$2: sysdig printed nothing"
	if cmp -s "$1.sd" "$1.ud"; then
		echo "ok: $2 ($(wc -l < "$1.sd") lines identical)"
	else
		bad "$2: udig read and sysdig -r differ:"; diff "$1.sd" "$1.ud" | head -20
	fi
}

# has CAPTURE WHAT REGEX: sysdig's text has it (so udig's has it too)
has() {
	grep -Eq -- "$3" "$1.sd" || bad "$2: no line matches '$3'"
}

for e in preload ptrace auto; do
	f="$tmp/nwork-$e.scap"
	"$udig" run --engine=$e -w "$f" -- "$nwork" 2>"$tmp/run.err" ||
		{ bad "$e: udig run failed: $(cat "$tmp/run.err")"; continue; }
	both "$f" "nwork, $e"
	# an unconnected UDP socket learns its tuple from sendto
	has "$f" "$e" '> close fd=[0-9]+\(<4u>127\.0\.0\.1:[1-9][0-9]*->127\.0\.0\.1:9\)'
	has "$f" "$e" '> sendto fd=[0-9]+\(<4u>127\.0\.0\.1:0->127\.0\.0\.1:[1-9][0-9]*\) size=4 tuple=0\.0\.0\.0:[1-9]'
	# bound to port 0: a name, but no role, hence no l4 letter
	has "$f" "$e" '> listen fd=[0-9]+\(<4>127\.0\.0\.1:0\)'
	# directories: the trailing '/' goes; "/" stays
	has "$f" "$e" '< openat fd=[0-9]+\(<d>/usr\) dirfd=-100\(AT_FDCWD\) name=/usr/ '
	has "$f" "$e" 'name=share/\(/usr/share\)'
	has "$f" "$e" '< openat fd=[0-9]+\(<d>/\) '
done

# unotify writes no exits: a forked child is a thread the capture never
# described, whose cwd is unknown; a relative name stays relative.
f="$tmp/unotify.scap"
(cd "$tmp" && "$udig" run --engine=unotify -w "$f" -- sh -c 'cat hello 2>/dev/null; true') ||
	bad "unotify: udig run failed"
both "$f" "relative names of an unknown process, unotify"
has "$f" unotify 'openat dirfd=-100\(AT_FDCWD\) name=hello\(hello\) '

# PID namespaces: the event headers carry host ids, vtid/vpid the
# namespace's — a tracer sees both; a preloaded process translates its own
# through the host namespace, which it keeps from the unshare that made the
# namespace (udig/preload/pidns.c).  One that starts inside a namespace
# with no way back (its creator ran uncaptured) says so on stderr.
if unshare -Upfr --mount-proc true 2>/dev/null; then
	for e in ptrace preload auto; do
		f="$tmp/pidns-$e.scap"
		"$udig" run --engine=$e -w "$f" -- unshare -Upfr --mount-proc sh -c 'cat /proc/self/stat >/dev/null; sh -c "exit 3"; sleep 30 & kill -9 $!; wait $!; true' \
			2>"$f.run" || { bad "pidns, $e: udig run failed: $(cat "$f.run")"; continue; }
		both "$f" "pid namespace, $e"
		sysdig -r "$f" -p '%thread.tid %thread.vtid %proc.name' 'evt.type=execve and evt.dir=< and proc.name=cat' \
			> "$f.ids" 2>/dev/null
		read -r tid vtid name < "$f.ids"
		if [ "${vtid:-}" != 2 ] || [ "${tid:-0}" -le 2 ]; then
			bad "pidns, $e: cat's execve has tid=${tid:-?} vtid=${vtid:-?} (want a host tid and vtid 2)"
		else
			echo "ok: pidns, $e: cat is host tid $tid, namespace tid $vtid"
		fi
		# The kernel's own word for the namespace's first process: the host
		# pid unshare's fork returned, outside the namespace.
		kid=$(sysdig -r "$f" -p '%evt.rawres' 'evt.type=clone and evt.dir=< and proc.name=unshare and evt.rawres>0' 2>/dev/null | head -n 1)
		first=$(sysdig -r "$f" -p '%thread.tid' 'evt.type=execve and evt.dir=< and thread.vtid=1 and proc.name=sh' 2>/dev/null | head -n 1)
		[ -n "$kid" ] && [ "$kid" = "$first" ] && echo "ok: pidns, $e: sh (vtid 1) is unshare's child $kid" ||
			bad "pidns, $e: unshare forked ${kid:-?}, the namespace's sh has tid ${first:-?}"
		# no event of the namespace's processes carries a namespace id as its tid
		if sysdig -r "$f" -p '%thread.tid' 'proc.name in (sh, cat)' 2>/dev/null | grep -Eqx '1|2|3'; then
			bad "pidns, $e: a namespace pid in an event header"
		fi
		# every end, with the host id: the inner sh's exit status 3 included
		sysdig -r "$f" -p '%thread.tid %evt.arg.status' 'evt.type=procexit and proc.name=sh' 2>/dev/null > "$f.ends"
		inner=$(sysdig -r "$f" -p '%thread.tid' 'evt.type=execve and evt.dir=< and thread.vtid=3' 2>/dev/null | head -n 1)
		grep -qx "${inner:-x} 768" "$f.ends" && echo "ok: pidns, $e: the inner sh's end, host tid $inner, status 768" ||
			bad "pidns, $e: no procexit of the inner sh (${inner:-?}) with status 768: $(tr '\n' ' ' < "$f.ends")"
		# a child killed from outside: its end, written by the parent that
		# reaped it, under the host id it had
		k=$(sysdig -r "$f" -p '%thread.tid %evt.args' 'evt.type=procexit' 2>/dev/null | awk '/ sig=9\(/ { print $1 }')
		[ -n "$k" ] && [ "$(echo "$k" | wc -l)" = 1 ] && [ "$k" -gt 4 ] && echo "ok: pidns, $e: the killed child's end, host tid $k" ||
			bad "pidns, $e: want one procexit by SIGKILL with a host tid, have: $(echo $k)"
		grep -q "PID namespace of its own" "$f.run" && bad "pidns, $e: said it lacks host ids: $(cat "$f.run")"
	done
	# clone(CLONE_NEWPID) itself: the child is pid 1 of its namespace from
	# its first instruction, and its events carry the host pid the parent's
	# clone returned.
	fwork="${top_builddir:-.}/tests/fidelity/fwork"
	for e in ptrace preload auto; do
		f="$tmp/newpid-$e.scap"
		out=$("$udig" run --engine=$e -w "$f" -- "$fwork" newpid /etc/hostname 2>"$f.run") ||
			{ bad "clone(CLONE_NEWPID), $e: udig run failed: $(cat "$f.run")"; continue; }
		kid=${out#child }
		ids=$(sysdig -r "$f" -p '%thread.tid %thread.vtid' 'evt.type=openat and evt.dir=< and fd.name=/etc/hostname' 2>/dev/null | head -n 1)
		[ "$ids" = "$kid 1" ] && echo "ok: clone(CLONE_NEWPID), $e: the child's openat is host tid $kid, vtid 1" ||
			bad "clone(CLONE_NEWPID), $e: the child ($kid) opened with tid/vtid '${ids:-none}'"
	done
	f="$tmp/pidns-nokey.scap"
	"$udig" run --engine=preload -w "$f" -- env UDIG_INTERCEPT=off unshare -Upfr --mount-proc \
		sh -c 'UDIG_INTERCEPT=sud cat /proc/self/stat >/dev/null' 2>"$f.run" || bad "pidns, no way back: udig run failed"
	if grep -q "^udig: cat (pid 2 in its namespace) runs in a PID namespace of its own" "$f.run"; then
		echo "ok: pidns, no way back: namespace ids announced on stderr"
	else
		bad "pidns, no way back: no word of namespace ids: $(cat "$f.run")"
	fi
else
	echo "skip: pid namespaces (unshare -Upfr --mount-proc refused here)"
fi

# attach to another user's process: the owner and the rule, not EPERM.
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null &&
   setpriv --reuid=65534 --regid=65534 --clear-groups "$udig" events >/dev/null 2>&1; then
	sleep 60 &
	victim=$!
	setpriv --reuid=65534 --regid=65534 --clear-groups "$udig" attach -w /dev/null "$victim" 2>"$tmp/attach.err"
	rc=$?
	kill "$victim" 2>/dev/null
	if [ $rc = 1 ] && grep -q "process $victim belongs to user root (uid 0)" "$tmp/attach.err" &&
	   grep -q "only a process's owner or root (CAP_SYS_PTRACE) may trace it" "$tmp/attach.err"; then
		echo "ok: attach to another user's process: $(cat "$tmp/attach.err")"
	else
		bad "attach to another user's process: rc=$rc, $(cat "$tmp/attach.err")"
	fi
fi
exit $fail
