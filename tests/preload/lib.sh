# Shared by the preload tests: run a command natively and under
# LD_PRELOAD=libudig.so in each interception mode, and require the same
# stdout and exit status, plus plausible event counts from the library's
# debug hook (UDIG_DEBUG_COUNT_FD), which counts the records it built
# whether or not a consumer is attached.
: "${top_builddir:=.}"
LIB=${UDIG_TEST_LIB:-$top_builddir/udig/preload/.libs/libudig.so}
TP=$top_builddir/tests/preload
WORK=$(mktemp -d "${TMPDIR:-/tmp}/udig-preload.XXXXXX")
# A ring of our own: never write into (or read from) someone else's capture.
UDIG_RING=udig-pretest-$$-buf UDIG_DESCS=udig-pretest-$$-descs
export UDIG_RING UDIG_DESCS
trap 'rm -rf "$WORK"; rm -f "/dev/shm/$UDIG_RING" "/dev/shm/$UDIG_DESCS" "/dev/shm/$UDIG_DESCS.mask"' EXIT
fails=0

[ -f "$LIB" ] || { echo "no $LIB"; exit 99; }

fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# same MODES MIN_ENTER MIN_LINES -- command...
#   MODES: "sud seccomp" or a subset; MIN_ENTER: records the program must
#   at least have produced; MIN_LINES: images that must have reported.
same() {
	modes=$1 min=$2 minlines=$3; shift 4
	(cd "$WORK" && "$@") > "$WORK/native.out" 2> "$WORK/native.err" < /dev/null
	nrc=$?
	for m in $modes; do
		: > "$WORK/count"
		(cd "$WORK" && UDIG_INTERCEPT=$m UDIG_DEBUG_COUNT_FD=9 LD_PRELOAD=$LIB "$@") \
			> "$WORK/$m.out" 2> "$WORK/$m.err" 9>> "$WORK/count" < /dev/null
		rc=$?
		if [ "$rc" != "$nrc" ]; then
			fail "$m: $*: exit status $rc, natively $nrc"; cat "$WORK/$m.err"
		fi
		if ! cmp -s "$WORK/native.out" "$WORK/$m.out"; then
			fail "$m: $*: output differs"; diff "$WORK/native.out" "$WORK/$m.out" | head -20
		fi
		counts "$m: $*" "$min" "$minlines"
	done
}

# counts WHAT MIN_ENTER MIN_LINES: sums the debug lines in $WORK/count.
counts() {
	set -- "$1" "$2" "$3" $(awk '
		{ for (i = 2; i <= NF; i++) { split($i, kv, "="); s[kv[1]] += kv[2] } n++ }
		END { printf "%d %d %d %d", n, s["enter"], s["exit"], s["procexit"] }' "$WORK/count")
	what=$1 min=$2 minlines=$3 lines=$4 ent=$5 ext=$6 pex=$7
	[ "$lines" -ge "$minlines" ] || fail "$what: $lines count lines, want >= $minlines"
	[ "$ent" -ge "$min" ] || fail "$what: enter=$ent, want >= $min"
	# Every enter has its exit except the calls that never return
	# (exit, exit_group: one per process-exit event) and calls cut short
	# by the death of their process (a few); and every fork child writes
	# the exit of the fork its parent entered (at most one per process).
	[ "$ext" -le $((ent + pex)) ] || fail "$what: exit=$ext > enter=$ent + procexit=$pex"
	[ $((ent - ext)) -le $((pex + 4)) ] || fail "$what: enter=$ent exit=$ext procexit=$pex: unmatched enters"
}

# For the tests of `sysdig -u` on the default ring: skips (exit 77) when
# sysdig or flock is missing or the objects belong to someone else; takes
# the lock every user of the default names takes (fd 8); existed=1 when the
# objects were there before (then they are left in place).
default_ring_take() {
	unset UDIG_RING UDIG_DESCS   # this file's private ring: such tests are about the default one
	command -v sysdig >/dev/null || { echo "sysdig not installed (Debian package sysdig)"; exit 77; }
	command -v flock >/dev/null || { echo "flock missing (util-linux)"; exit 77; }
	exec 8>>/tmp/udig-default-ring.lock 2>/dev/null || { echo "cannot open the default-ring lock"; exit 77; }
	flock 8
	existed=0
	for o in udig_buf udig_descs; do
		if [ -e "/dev/shm/$o" ]; then
			existed=1
			[ -r "/dev/shm/$o" ] && [ -w "/dev/shm/$o" ] ||
				{ echo "/dev/shm/$o belongs to someone else: cannot use the default ring"; exit 77; }
		fi
	done
}

# Ends the `sysdig -u` started as $sd, after half a second to print its last
# events, and removes the default objects unless they were there before.
default_ring_release() {
	sleep 0.5
	kill -TERM "$sd" 2>/dev/null
	wait "$sd" 2>/dev/null
	[ $existed = 1 ] || rm -f /dev/shm/udig_buf /dev/shm/udig_descs /dev/shm/udig_descs.mask /dev/shm/udig_descs.ctl
}

finish() {
	[ "$fails" -eq 0 ] && { echo "all passed"; exit 0; }
	echo "$fails failure(s)"; exit 1
}
