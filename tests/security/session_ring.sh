#!/bin/sh
# Issue 9, attacks 2, 4 and 6: `udig run`'s ring has a name nobody can
# guess, is made with O_EXCL and mode 0600, so names raced for the next pids
# never receive a byte; a SIGKILLed udig leaves nothing in /dev/shm, not
# even after an orphan execs later; a hostile filter is an error, not a crash.
. "$top_srcdir/tests/security/lib.sh"
uid=$(id -u)

# 1. Decoys for the next pids, sized to look valid, under the old naming and
#    under the session prefix with a pid in place of the random part.
next=$(sh -c 'echo $$')
decoys=""
i=0
while [ $i -lt 48 ]; do
	p=$((next + i))
	for n in "udig.$uid.$p.buf" "udig.$uid.$p.descs" "udig-session.$uid.$p.buf" "udig-session.$uid.$p.descs"; do
		[ -e "/dev/shm/$n" ] && continue
		$attacker truncate -s 8388608 "/dev/shm/$n" 2>/dev/null && decoys="$decoys $n"
	done
	i=$((i + 1))
done
cleanup_extra='for n in $decoys; do rm -f "/dev/shm/$n"; done'
$attacker chmod 666 $(for n in $decoys; do echo "/dev/shm/$n"; done) 2>/dev/null
for k in 1 2 3; do
	"$udig" run -o /dev/null -- sh -c 'echo "$UDIG_RING $UDIG_DESCS" > '"$tmp/names.$k"'; ls -ln /dev/shm/"$UDIG_RING" /dev/shm/"$UDIG_DESCS"' \
		>"$tmp/ls.$k" 2>"$tmp/err.$k" || bad "udig run $k: $(cat "$tmp/err.$k")"
done
for n in $decoys; do untouched "$n" || bad "decoy $n received bytes"; done
read ring descs < "$tmp/names.1"
echo "$ring" | grep -Eq "^udig-session\.$uid\.[0-9a-f]{32}\.buf$" || bad "guessable ring name: $ring"
[ "$(cut -d' ' -f1 < "$tmp/names.1")" != "$(cut -d' ' -f1 < "$tmp/names.2")" ] || bad "the same name twice"
grep -c -- "^-rw------- 1 $uid " "$tmp/ls.1" | grep -q '^2$' || bad "ring objects not 0600 and ours: $(cat "$tmp/ls.1")"
[ -e "/dev/shm/$ring" ] && bad "ring left behind after a normal exit: $ring"
ok "$(echo $decoys | wc -w) decoys untouched; names like $ring, 0600, gone at exit"

# 2. kill -9 of udig: the janitor removes the names; an orphan that execs
#    later finds no ring and creates none.
# In a process group of its own, so that what it leaves running is ended
# by group at the end (nothing is killed by name: other tests run too).
setsid "$udig" run -w "$tmp/k.scap" -- sh -c 'echo "$UDIG_RING $UDIG_DESCS" > '"$tmp/names.k"'; cat /etc/hostname;
	(sleep 1.5; cat /etc/hostname) & sleep 30' >/dev/null 2>"$tmp/err.k" &
u=$!
cleanup_extra="$cleanup_extra; kill -KILL -$u 2>/dev/null"
wait_for test -s "$tmp/names.k" || bad "the command never started"
read ring descs < "$tmp/names.k"
sleep 0.3
kill -9 $u
wait $u 2>/dev/null
wait_for test ! -e "/dev/shm/$ring" || bad "ring $ring still in /dev/shm after kill -9"
[ -e "/dev/shm/$descs" ] && bad "descriptors $descs still in /dev/shm after kill -9"
sleep 2 # the orphan's late cat has run meanwhile
[ -e "/dev/shm/$ring" ] || [ -e "/dev/shm/$descs" ] && bad "a later exec recreated the ring"
kill -KILL -$u 2>/dev/null
ok "kill -9: nothing of the run left in /dev/shm, none recreated"

# 3. A filter nested 40 000 deep: a clear error, no crash.
"$udig" run -w "$tmp/f.scap" -- true 2>/dev/null
deep=$(head -c 40000 /dev/zero | tr '\0' '(')
"$udig" read "$tmp/f.scap" "$deep" >/dev/null 2>"$tmp/err.f"
rc=$?
[ $rc -gt 0 ] && [ $rc -lt 128 ] || bad "deep filter: status $rc"
grep -q "nested deeper than 256 levels" "$tmp/err.f" || bad "deep filter: $(head -c 200 "$tmp/err.f")"
ok "40 000 nested parentheses: $(head -c 120 "$tmp/err.f")"
finish
