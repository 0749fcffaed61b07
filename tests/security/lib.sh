# Shared helpers of the security tests (sourced).
set -u
b=${top_builddir:-$(cd "$(dirname "$0")/../.." && pwd)}
udig="$b/tools/udig"
LIB="$b/udig/preload/.libs/libudig.so"
FORGE="$b/tests/security/forge"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/udig-sec.XXXXXX") || exit 1
chmod 755 "$tmp"
cleanup_extra=:
trap 'eval "$cleanup_extra"; rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
ok() { echo "ok: $*"; }
finish() { [ $fail = 0 ] && echo "all checks passed"; exit $fail; }

# The attacker: another user when we are root, else nobody else exists.
if [ "$(id -u)" = 0 ]; then
	attacker="setpriv --reuid=65534 --regid=65534 --clear-groups"
else
	attacker=""
fi

# Is /dev/shm/<name> all zero bytes (nothing was ever written into it)?
untouched() {
	cmp -s -n "$(stat -c %s "/dev/shm/$1")" "/dev/shm/$1" /dev/zero
}

# Polls (up to ~10 s) until a command succeeds.
wait_for() {
	i=0
	while [ $i -lt 100 ]; do
		"$@" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}
