#!/bin/sh
# `sysdig -u` names a process started with nothing but LD_PRELOAD from an
# uncaptured shell: the library's first record is the exit of the execve
# that started the image (as the kernel driver writes it), so the reference
# consumer learns name, arguments and ids from the ring, not from a /proc
# entry that a short-lived process no longer has.  Serialized with every
# other user of the default ring names, as sysdig_live.sh.
. "$top_srcdir/tests/preload/lib.sh"
default_ring_take

out="$WORK/sysdig.out"
sysdig -u -p '%proc.name %thread.tid %proc.pid %proc.ppid %evt.dir %evt.type %proc.exe %proc.args' \
	'evt.type in (execve,openat,procexit)' > "$out" 2>"$WORK/sysdig.err" &
sd=$!
# Producers write nothing until sysdig is the ring's consumer: rerun until
# the program's events show up (or give up after 30 s).
i=0
while [ $i -lt 150 ] && ! grep -q '^head .* < execve head -c1 /etc/hostname$' "$out"; do
	UDIG_SHARED_RING=1 LD_PRELOAD=$LIB head -c1 /etc/hostname > /dev/null
	sleep 0.2
	i=$((i + 1))
done
default_ring_release
# the announcement: the image's execve exit, with exe and arguments
line=$(grep -m1 '^head [0-9]* [0-9]* [0-9]* < execve head -c1 /etc/hostname$' "$out")
[ -n "$line" ] || fail "sysdig -u: no execve exit naming head ($(head -c 300 "$WORK/sysdig.err"))"
tid=$(echo "$line" | cut -d' ' -f2)
echo "announced: $line"
# every event of that process is named, none is <NA>
[ -n "$tid" ] && grep -q "^<NA> $tid " "$out" && fail "sysdig -u: events of $tid without a name"
grep -q "^head $tid [0-9]* [0-9]* < openat head -c1 /etc/hostname$" "$out" ||
	fail "sysdig -u: no named openat exit of $tid"
head -n 10 "$out"
finish
