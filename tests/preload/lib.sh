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

finish() {
	[ "$fails" -eq 0 ] && { echo "all passed"; exit 0; }
	echo "$fails failure(s)"; exit 1
}
