#!/bin/sh
# Attach to a running loop that forks a child per round, capture the
# children's opens (enter + exit, with the right path and result), detach
# on SIGINT, and check the loop runs on unharmed: still counting, answering
# SIGUSR1, untraced, with its CPU affinity back.
. "$(dirname "$0")/lib.sh"

# Bounded waits (a hang guard, not a timing assertion).
wait_for() {
	i=0
	while ! eval "$1"; do
		i=$((i + 1)); [ $i -lt 300 ] || fail "timed out waiting for: $1"
		sleep 0.05
	done
}
count() { cat "$T/count" 2>/dev/null || echo 0; }

: >"$T/tick"
"$WL" loop "$T" >"$T/loop.out" 2>&1 &
LOOP=$!
trap 'kill -9 $LOOP 2>/dev/null; rm -rf "$T"' EXIT
wait_for '[ "$(count)" -ge 2 ]'
aff_before=$(taskset -p $LOOP | sed 's/.*: //')

"$INJ" --attach=$LOOP --out="$T/att.bin" --stats 2>"$T/att.err" &
ATT=$!
wait_for '"$EVDUMP" "$T/att.bin" 2>/dev/null | grep -q "^CALL [0-9]* openat 3 $T/tick\$"'
c=$(count); wait_for '[ "$(count)" -ge $((c + 3)) ]'
kill -INT $ATT
wait $ATT; rc=$?
[ "$rc" = 0 ] || { cat "$T/att.err"; fail "attacher exit status $rc"; }
grep -q 'detached' "$T/att.err" || fail "attacher did not detach"

D="$T/att.dump"
"$EVDUMP" "$T/att.bin" >"$D" || fail "unparsable capture"
n=$(grep -c "^CALL [0-9]* openat 3 $T/tick\$" "$D")
[ "$n" -ge 3 ] || fail "only $n child opens captured"
grep "^CALL [0-9]* openat 3 $T/tick\$" "$D" | awk -v loop=$LOOP '$2 == loop { exit 1 }' || fail "tick opened by the loop itself?"
# Each capturing child was announced by its fork's child-side exit.
grep -q '^CALL [0-9]* clone 0 -$' "$D" || fail "no child-side clone exit"
grep -q "^CALL $LOOP clone [1-9]" "$D" || fail "no parent-side clone exit"

# After detach: untraced, running, answering.
grep -q '^TracerPid:[[:space:]]*0$' /proc/$LOOP/status || fail "still traced"
c=$(count); wait_for '[ "$(count)" -ge $((c + 3)) ]'
kill -USR1 $LOOP
wait_for 'grep -q "^pong 1$" "$T/loop.out"'
aff_after=$(taskset -p $LOOP | sed 's/.*: //')
[ "$aff_before" = "$aff_after" ] || fail "affinity $aff_before became $aff_after"
kill $LOOP
echo "ok: attach ($n child opens), detach, loop unharmed"
