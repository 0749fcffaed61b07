#!/bin/sh
# The real consumer: `sysdig -u` on the default ring prints the events of a
# program started with nothing but LD_PRELOAD=libudig.so — process name,
# fd names resolved, return values.  Serialized with every other user of
# the default ring names; the objects are removed afterwards only if they
# did not exist before.
. "$top_srcdir/tests/preload/lib.sh"
default_ring_take

out="$WORK/sysdig.out"
sysdig -u 'proc.name=cat and evt.type in (openat,read,close)' > "$out" 2>"$WORK/sysdig.err" &
sd=$!
# Until sysdig is the ring's consumer, producers write nothing: rerun the
# program until its events show up (or give up after 30 s).
i=0
while [ $i -lt 150 ] && ! grep -q 'hostname' "$out"; do
	# sysdig -u makes the objects 0666: producers use them only when told to.
	UDIG_SHARED_RING=1 LD_PRELOAD=$LIB cat /etc/hostname > /dev/null
	sleep 0.2
	i=$((i + 1))
done
default_ring_release
head -n 20 "$out"
grep -q 'cat ([0-9]*) < openat fd=3(<f>/etc/hostname) .*name=/etc/hostname' "$out" ||
	fail "sysdig -u: no openat exit of cat with fd 3 named /etc/hostname ($(head -c 300 "$WORK/sysdig.err"))"
grep -q 'cat ([0-9]*) > read fd=3(<f>/etc/hostname)' "$out" || fail "sysdig -u: read enter without fd name"
grep -q 'cat ([0-9]*) < read res=[1-9][0-9]* data=' "$out" || fail "sysdig -u: read exit without result"
grep -q 'cat ([0-9]*) > close fd=3(<f>/etc/hostname)' "$out" || fail "sysdig -u: close without fd name"
finish
