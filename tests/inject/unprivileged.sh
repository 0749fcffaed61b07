#!/bin/sh
# The same tests as an unprivileged user (nobody), when run as root.
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" = 0 ] || { echo "SKIP: already unprivileged, the other tests cover it"; exit 77; }
need setpriv
dir=$(cd "$(dirname "$0")" && pwd)
chmod 1777 "$T"
setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null || { echo "SKIP: setpriv cannot switch"; exit 77; }
[ -x "$WL" ] && setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$WL" || { echo "SKIP: build tree not accessible to nobody"; exit 77; }
for t in oracle_ptrace.sh oracle_unotify.sh status_signals.sh attach.sh unotify_under_strace.sh \
	preload_ptrace.sh ptrace_usable.sh; do
	TMPDIR=$T setpriv --reuid=65534 --regid=65534 --clear-groups env HOME=/ TMPDIR="$T" top_builddir="${top_builddir:-}" sh "$dir/$t" >"$T/$t.log" 2>&1
	rc=$?
	[ "$rc" = 0 ] || [ "$rc" = 77 ] || { cat "$T/$t.log"; fail "$t as nobody (rc $rc)"; }
	[ "$rc" = 77 ] && { echo "skip: $t as nobody: $(tail -1 "$T/$t.log")"; continue; }
	echo "ok: $t as nobody"
done
