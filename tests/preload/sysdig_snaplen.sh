#!/bin/sh
# What the reference consumer sets in the ring's consumer block reaches our
# producers: `sysdig -u -s 200` (libscap's udig engine writes the snaplen
# into the block after it opened the ring), and a program started with
# nothing but LD_PRELOAD=libudig.so, reading 1000-byte buffers, must hand
# it read exits whose data holds 200 bytes — not our default 80, not all
# 1000.  sysdig prints the data in base64 (-b), so the bytes it received
# are counted exactly.  Serialized with every other user of the default
# ring names; the objects are removed afterwards only if they did not
# exist before.
. "$top_srcdir/tests/preload/lib.sh"
default_ring_take
command -v base64 >/dev/null || { echo "SKIP: base64 missing (coreutils)"; exit 77; }

head -c 5000 /dev/zero | tr '\0' x > "$WORK/xs"
out="$WORK/sysdig.out"
sysdig -u -s 200 -b -p '%evt.rawarg.res %evt.arg.data' \
	'proc.name=dd and evt.type=read and evt.dir=< and evt.rawres=1000' > "$out" 2>"$WORK/sysdig.err" &
sd=$!
# Until sysdig is the ring's consumer, producers write nothing: rerun the
# workload until its events show up (or give up after 30 s).
i=0
while [ $i -lt 150 ] && ! [ -s "$out" ]; do
	if ! kill -0 "$sd" 2>/dev/null; then
		wait "$sd"
		[ $existed = 1 ] || rm -f /dev/shm/udig_buf /dev/shm/udig_descs /dev/shm/udig_descs.mask
		echo "SKIP: sysdig -u cannot run here: $(head -c 300 "$WORK/sysdig.err")"
		exit 77
	fi
	# sysdig -u makes the objects 0666: producers use them only when told to.
	UDIG_SHARED_RING=1 LD_PRELOAD=$LIB dd if="$WORK/xs" of=/dev/null bs=1000 count=4 2>/dev/null
	sleep 0.2
	i=$((i + 1))
done
default_ring_release

head -n 3 "$out" | cut -c1-120
n=0
while read -r res data; do
	[ -n "$res" ] || continue
	n=$((n + 1))
	[ "$res" = 1000 ] || fail "a read exit with res=$res (the filter asked for 1000)"
	got=$(printf '%s' "$data" | base64 -d 2>/dev/null | tr -d x | wc -c)
	len=$(printf '%s' "$data" | base64 -d 2>/dev/null | wc -c)
	[ "$len" = 200 ] && [ "$got" = 0 ] ||
		fail "read exit: $len bytes of data ($got not 'x'), want the 200 that sysdig -s 200 set"
done < "$out"
[ $n -ge 1 ] || fail "sysdig -u -s 200 showed no read exit of dd ($(head -c 300 "$WORK/sysdig.err"))"
echo "$n read exits of 1000 bytes, each with 200 bytes of data"
finish
