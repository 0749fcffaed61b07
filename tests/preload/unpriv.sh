#!/bin/sh
# The preload tests again as an unprivileged user (nobody), when run as
# root: SUD and the seccomp fallback must work without privileges.
[ "$(id -u)" = 0 ] || { echo "not root: the other tests already ran unprivileged"; exit 77; }
command -v setpriv > /dev/null || exit 77
# nobody must be able to reach the build tree
setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$top_builddir/tests/preload/tp_threads" || exit 77
rc=0
for t in threads clone exec signals live; do
	TMPDIR=/tmp setpriv --reuid=65534 --regid=65534 --clear-groups \
		env top_srcdir="$top_srcdir" top_builddir="$top_builddir" \
		sh "$top_srcdir/tests/preload/$t.sh" || rc=1
done
exit $rc
