#!/bin/sh
# Issue 9, attacks 1 and 3: a ring another user pre-created never receives a
# byte, whatever the victim opts in to; a control block crafted to stall
# (full ring, lossless for a live pid, lock held by a live pid) holds a
# victim that opted in to a shared ring for one bounded wait, not per event.
. "$top_srcdir/tests/security/lib.sh"

# 1. Another user's objects, under the default names as the attack has it.
exec 8>>/tmp/udig-default-ring.lock 2>/dev/null || { echo "SKIP: cannot open the default-ring lock"; exit 77; }
flock 8
if [ -n "$attacker" ] && [ ! -e /dev/shm/udig_buf ] && [ ! -e /dev/shm/udig_descs ]; then
	cleanup_extra='rm -f /dev/shm/udig_buf /dev/shm/udig_descs /dev/shm/udig_descs.mask'
	$attacker sh -c 'truncate -s 8388608 /dev/shm/udig_buf && truncate -s 128 /dev/shm/udig_descs &&
		chmod 666 /dev/shm/udig_buf /dev/shm/udig_descs' || bad "attacker could not plant the objects"
	$attacker sleep 30 &
	live=$!
	"$FORGE" /dev/shm/udig_descs "$live" 0 || bad "forge"
	for optin in 0 1; do
		out=$(UDIG_SHARED_RING=$optin LD_PRELOAD=$LIB head -c 60 /etc/shadow 2>"$tmp/err" | wc -c)
		[ "$out" = 60 ] || bad "victim harmed (opt-in $optin): printed $out bytes, not 60"
		grep -q "udig: not capturing head (pid [0-9]*): /dev/shm/udig_descs belongs to uid 65534" "$tmp/err" ||
			bad "no clear refusal (opt-in $optin): $(cat "$tmp/err")"
		[ "$(wc -l < "$tmp/err")" = 1 ] || bad "refusal said more than once: $(cat "$tmp/err")"
		untouched udig_buf || bad "the attacker's ring received bytes (opt-in $optin)"
	done
	ok "another user's default ring: refused, said once, nothing written, victim unharmed"
	kill "$live" 2>/dev/null
	rm -f /dev/shm/udig_buf /dev/shm/udig_descs
	cleanup_extra=:
else
	echo "no second user or default names in use: the cross-user default-ring case runs in the root pass"
fi
exec 8>&-

# 2. Our own objects that others may open: refused without the opt-in.
R=udigsec-$$-buf D=udigsec-$$-descs
cleanup_extra="rm -f /dev/shm/$R /dev/shm/$D /dev/shm/$D.mask"
truncate -s 8388608 "/dev/shm/$R" && truncate -s 128 "/dev/shm/$D" && chmod 666 "/dev/shm/$R" "/dev/shm/$D"
UDIG_RING=$R UDIG_DESCS=$D LD_PRELOAD=$LIB cat /etc/hostname >/dev/null 2>"$tmp/err" || bad "cat failed"
grep -q "has mode 666: other users may read or forge its events; set UDIG_SHARED_RING=1" "$tmp/err" ||
	bad "open mode not refused: $(cat "$tmp/err")"
ok "a ring others may open: refused with the opt-in named"

# 3. The crafted control block, in a shared ring the victim opted in to
#    (the objects 0666 as sysdig -u makes them; the attacker writes the block).
$attacker sleep 60 &
live=$!
$attacker "$FORGE" "/dev/shm/$D" "$live" "$live" || bad "forge (as the attacker)"
start=$(date +%s%N)
UDIG_RING=$R UDIG_DESCS=$D UDIG_SHARED_RING=1 UDIG_LOSSLESS=1 LD_PRELOAD=$LIB timeout 60 \
	sh -c 'i=0; while [ $i -lt 400 ]; do i=$((i + 1)); : < /dev/null; done; cat /etc/hostname' >"$tmp/out" 2>&1
rc=$?
end=$(date +%s%N)
kill "$live" 2>/dev/null
[ $rc = 0 ] || bad "victim did not finish (rc $rc; a 50 ms lock wait per event would take ~80 s)"
cmp -s "$tmp/out" /etc/hostname || bad "victim's output changed: $(head -c 200 "$tmp/out")"
untouched "$R" || bad "a byte was written into the forged full ring"
ok "forged block: the victim ran ~2 400 syscalls in $(( (end - start) / 1000000 )) ms"

# 4. A symbolic link planted under a ring's name is never followed.
rm -f "/dev/shm/$R" "/dev/shm/$D"
ln -s /etc/passwd "/dev/shm/$D"
UDIG_RING=$R UDIG_DESCS=$D LD_PRELOAD=$LIB cat /etc/hostname >/dev/null 2>"$tmp/err"
[ ! -e "/dev/shm/$R" ] || bad "a ring was created beside a planted link"
grep -q "/dev/shm/$D is a symbolic link: refused" "$tmp/err" || bad "planted link not reported: $(cat "$tmp/err")"
rm -f "/dev/shm/$D"
ok "planted link: not followed"
finish
