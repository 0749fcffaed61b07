#!/bin/sh
# udig as the init of a pid namespace: a container's entry point
# (`docker run IMAGE udig run -- CMD`) or `unshare -pf udig run`.  There
# every orphan is udig's child, the ring's janitor included, which udig
# used to wait for, forever, after the command ended, while the janitor
# waited for udig.  Every engine must end with the command, with its
# output, its events and the statistics line.
set -u
b=${top_builddir:-.}
udig="$b/tools/udig"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/udig-nsinit.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
ok() { echo "ok: $*"; }

# A pid namespace of our own: as root directly; otherwise inside a user
# namespace (-r), where the machine allows one.
ns=
for try in "unshare -p -f --mount-proc" "unshare -r -p -f --mount-proc"; do
	if $try sh -c '[ $$ = 1 ]' 2>/dev/null; then
		ns=$try
		break
	fi
done
[ -n "$ns" ] || { echo "SKIP: no pid namespace can be made here (unshare -p, unshare -r -p)"; exit 77; }
command -v timeout >/dev/null || { echo "SKIP: timeout (coreutils) missing"; exit 77; }

for e in preload auto ptrace unotify; do
	f="$tmp/$e.scap"
	timeout -s KILL 30 $ns "$udig" run --engine=$e -w "$f" -- sh -c 'echo hi; sleep 0.2 & wait' \
		> "$tmp/$e.out" 2> "$tmp/$e.err"
	st=$?
	if [ $st = 137 ]; then
		bad "$e: udig as pid 1 did not end within 30 s"
		continue
	fi
	[ $st = 0 ] || { bad "$e: status $st: $(cat "$tmp/$e.err")"; continue; }
	[ "$(cat "$tmp/$e.out")" = hi ] || bad "$e: the command's output is '$(cat "$tmp/$e.out")'"
	grep -q "events captured, 0 dropped" "$tmp/$e.err" || bad "$e: no statistics line: $(cat "$tmp/$e.err")"
	# (any direction: unotify writes enter events only)
	"$udig" read "$f" "evt.type=execve" 2>&1 | grep -q 'sleep' ||
		bad "$e: the capture lacks the exec of sleep"
	[ "$fail" = 0 ] && ok "$e: udig as pid 1 ends with its command ($ns)"
done
exit $fail
