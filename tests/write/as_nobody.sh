#!/bin/sh
# The writer and scanner tests again as an unprivileged user (nobody):
# the scan must work without root and sysdig must still read the files.
# Needs root to switch users; skipped (77) otherwise.
set -u
b=${top_builddir:-.}
[ "$(id -u)" = 0 ] || { echo "not root: cannot switch to nobody"; exit 77; }
command -v setpriv >/dev/null 2>&1 || { echo "no setpriv"; exit 77; }
tmp=$(mktemp -d /tmp/udig-nobody.XXXXXX) || exit 1
chmod 1777 "$tmp"
trap 'rm -rf "$tmp"' EXIT
# The build tree must be readable by nobody.
if ! setpriv --reuid=65534 --regid=65534 --clear-groups test -r "$b/tests/write/test_write"; then
	echo "build tree not readable by nobody"; exit 77
fi
rc=0
for t in test_write test_procscan test_dump_targets; do
	( cd "$tmp" && TMPDIR="$tmp" setpriv --reuid=65534 --regid=65534 --clear-groups \
		env CK_DEFAULT_TIMEOUT=120 "$b/tests/write/$t" ) || rc=1
done
exit $rc
