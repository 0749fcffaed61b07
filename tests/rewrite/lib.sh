# Shared by tests/rewrite/*.sh: paths, a private ring, failure counting and
# the rerun as uid 65534.
: "${top_builddir:=.}" "${top_srcdir:=.}"
B=$(cd "$top_builddir" && pwd)
UDIG=$B/tools/udig
TPR=$B/tests/rewrite/tp_rewrite
SITES=$B/tests/rewrite/.libs/libtpsites.so
WORK=$(mktemp -d "${TMPDIR:-/tmp}/udig-rewrite.XXXXXX") || exit 99
trap 'rm -rf "$WORK"' EXIT
fails=0
for f in "$UDIG" "$TPR" "$SITES"; do
	[ -e "$f" ] || { echo "missing $f (make check builds it)"; exit 99; }
done
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# The fast path needs Syscall User Dispatch (the seccomp fallback is trap-only).
# Asked of a ring that does not exist (a session name, which the library
# never creates) with the debug counter on, so that the library arms but
# leaves no default ring behind in /dev/shm.
sud_ok() {
	UDIG_RING=udig-session.probe.$$.buf UDIG_DESCS=udig-session.probe.$$.descs UDIG_DEBUG_COUNT_FD=9 \
	UDIG_INTERCEPT=sud UDIG_VERBOSE=1 LD_PRELOAD=$B/udig/preload/.libs/libudig.so /bin/true 2>&1 9>/dev/null |
		grep -q 'Syscall User Dispatch unavailable' && return 1
	return 0
}

# getppid exit events in capture $1
getppids() { "$UDIG" read "$1" 'evt.type=getppid and evt.dir=<' | wc -l; }

# as_nobody SCRIPT: when root and uid 65534 can reach the build tree, the
# same script again as uid 65534.
as_nobody() {
	if [ "$(id -u)" = 0 ] && command -v setpriv > /dev/null &&
	   setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$TPR"; then
		TMPDIR=/tmp setpriv --reuid=65534 --regid=65534 --clear-groups \
			env top_srcdir="$top_srcdir" top_builddir="$top_builddir" sh "$1" || fail "as uid 65534"
	fi
}

finish() {
	[ "$fails" -eq 0 ] && { echo "all passed"; exit 0; }
	echo "$fails failure(s)"; exit 1
}
