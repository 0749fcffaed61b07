#!/bin/sh
# `sysdig -u` (a consumer that shows every procexit it is given) on the
# default ring, over a program started with nothing but LD_PRELOAD: a child
# killed from outside and reaped by its preloaded parent gets its procexit
# from the parent's wait (SIGKILL), and a child that exits normally is told
# once — by itself; the parent's wait leaves it out for such a consumer
# (UDIG_EXT_ENDS_ONCE unset).  Serialized with every other user of the
# default ring names, as sysdig_live.sh.
. "$top_srcdir/tests/preload/lib.sh"
default_ring_take

out="$WORK/sysdig.out"
sysdig -u 'evt.type=procexit' > "$out" 2>"$WORK/sysdig.err" &
sd=$!
# Until sysdig is the ring's consumer, producers write nothing: rerun the
# workload until its victim's end shows up (or give up after 30 s).
i=0 victim="" child=""
while [ $i -lt 100 ]; do
	UDIG_SHARED_RING=1 LD_PRELOAD=$LIB sh -c 'sleep 30 & p=$!; echo $p
until read c < /proc/$p/comm && [ "$c" = sleep ]; do :; done
kill -9 $p; wait $p; sh -c "exit 3" & echo $!; wait $!' > "$WORK/pids" 2>/dev/null
	victim=$(sed -n 1p "$WORK/pids") child=$(sed -n 2p "$WORK/pids")
	sleep 0.3
	grep -q "($victim) > procexit" "$out" && break
	i=$((i + 1))
done
default_ring_release
grep -E "\(($victim|$child)\) > procexit" "$out"
n=$(grep -c "($victim) > procexit status=9 ret=0 sig=9(SIGKILL) core=0" "$out")
[ "$n" = 1 ] || fail "sysdig -u: $n procexits with SIGKILL for the killed child $victim, want 1 ($(head -c 300 "$WORK/sysdig.err"))"
n=$(grep -c "($child) > procexit" "$out")
[ "$n" = 1 ] || fail "sysdig -u: $n procexits for the child $child that exited (status 3), want 1"
grep -q "($child) > procexit status=768 ret=3 sig=0" "$out" || fail "sysdig -u: the child's procexit lacks its status 3"
finish
