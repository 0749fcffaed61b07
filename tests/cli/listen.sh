#!/bin/sh
# `udig listen`: the consumer of a named live ring, fed by programs started
# with nothing but LD_PRELOAD=libudig.so.  A program started after it is
# shown with process and fd names; two programs writing at once are both
# shown, in the order their events happened; a second listen on the ring
# fails naming the holder; SIGINT (and SIGKILL, through the janitor)
# leaves nothing in /dev/shm; a program started before it is picked up;
# --keep, --shared, -w, -c.  Own ring names (--ring), so that it runs in
# parallel with everything else; the default names once, under the lock
# every user of them takes.
set -u
b=${top_builddir:-.}
udig="$b/tools/udig"
LIB="$b/udig/preload/.libs/libudig.so"
[ -f "$LIB" ] || { echo "no $LIB"; exit 99; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/udig-listen.XXXXXX") || exit 1
R=udig-listen-test-$$
pids=
cleanup() {
	for p in $pids; do kill -9 "$p" 2>/dev/null; done
	rm -rf "$tmp"
	rm -f /dev/shm/$R.* /dev/shm/$R-*
}
trap cleanup EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
ok() { echo "ok: $*"; }
unset UDIG_RING UDIG_DESCS UDIG_SHARED_RING UDIG_LOSSLESS

# Polls (up to ~20 s) until a command succeeds.
wait_for() {
	i=0
	while [ $i -lt 200 ]; do
		"$@" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}
# listen NAME ARGS...: starts `udig listen ARGS` with its stdout and stderr
# in $tmp/NAME.{out,err}, and returns once it holds the ring ($lpid: its pid;
# libtool's wrapper execs the real binary, so that is the holder's pid too).
listen() {
	n=$1
	shift
	"$udig" listen "$@" >"$tmp/$n.out" 2>"$tmp/$n.err" &
	lpid=$!
	pids="$pids $lpid"
	wait_for grep -q "listening on ring" "$tmp/$n.err" 2>/dev/null || bad "$n: listen did not start: $(cat "$tmp/$n.err")"
}
# stop PID: SIGINT, then its exit status in $st.
stop() {
	kill -INT "$1"
	wait "$1"
	st=$?
}
# Is nothing of ring $1 left in /dev/shm?
gone() { ! ls /dev/shm/"$1".* >/dev/null 2>&1; }
feed() { UDIG_RING=$R.buf UDIG_DESCS=$R.descs LD_PRELOAD=$LIB "$@"; }

# 1. A program started after listen: its openat, named.
listen one --ring "$R" 'evt.type=openat and proc.name=cat and fd.name=/etc/hostname'
grep -q "listening on ring $R.buf, $R.descs (created, mode 0600" "$tmp/one.err" || bad "start line: $(cat "$tmp/one.err")"
feed sh -c 'cat /etc/hostname' >"$tmp/cat.out" 2>"$tmp/cat.err"
cmp -s "$tmp/cat.out" /etc/hostname || bad "the preloaded cat printed something else: $(cat "$tmp/cat.err")"
wait_for grep -q 'cat ([0-9]*) < openat fd=[0-9]*(<f>/etc/hostname) .*name=/etc/hostname' "$tmp/one.out" &&
	ok "openat by proc.name=cat of fd.name=/etc/hostname: $(head -n 1 "$tmp/one.out")" ||
	bad "no openat of /etc/hostname by cat: $(cat "$tmp/one.out" "$tmp/one.err")"

# 2. A second consumer of the same ring: refused, naming the holder.
"$udig" listen --ring "$R" >/dev/null 2>"$tmp/second.err"
st2=$?
user=$(id -un 2>/dev/null || echo "?")
if [ $st2 = 1 ] && grep -q "another udig capture is already active on ring $R.descs: pid $lpid ([a-z-]*udig) of .*uid $(id -u)" "$tmp/second.err" &&
	grep -q -- '--ring NAME' "$tmp/second.err"; then
	ok "second listen (status $st2): $(head -n 1 "$tmp/second.err")"
else
	bad "second listen: status $st2, $(cat "$tmp/second.err") (holder $lpid, $user)"
fi
# ... and the first one was not disturbed.
feed sh -c 'cat /etc/hostname' >/dev/null
wait_for sh -c "[ \$(grep -c 'openat fd=' '$tmp/one.out') -ge 2 ]" || bad "the first listen stopped capturing"

# 3. SIGINT: clean exit, per-process statistics, nothing left in /dev/shm.
stop "$lpid"
[ $st = 0 ] || bad "listen exited $st after SIGINT: $(cat "$tmp/one.err")"
grep -q 'events captured, 0 dropped .*from [0-9]* processes: .*cat ([0-9]*) [0-9]' "$tmp/one.err" &&
	ok "statistics: $(tail -n 1 "$tmp/one.err")" || bad "no statistics line naming cat: $(cat "$tmp/one.err")"
gone "$R" && ok "after SIGINT nothing of $R in /dev/shm" || bad "left in /dev/shm: $(ls /dev/shm)"

# 4. Two programs writing at once.  Each waits for the other's previous
#    open before its own (a file handed back and forth), so the true order
#    of the opens is known: hostname, passwd, hostname, passwd, ...  Every
#    event is printed (no filter), and the times of all of them, the two
#    busy polling loops interleaved, never go back.
listen two --ring "$R" -v
: >"$tmp/b0"
# (not through feed(): $! must be the sh itself)
UDIG_RING=$R.buf UDIG_DESCS=$R.descs LD_PRELOAD=$LIB sh -c 'for i in 1 2 3 4 5; do
	while [ ! -e "$1/b$((i - 1))" ]; do sleep 0.01; done; cat /etc/hostname >/dev/null; : >"$1/a$i"; done' sh "$tmp" &
pa=$!
UDIG_RING=$R.buf UDIG_DESCS=$R.descs LD_PRELOAD=$LIB sh -c 'for i in 1 2 3 4 5; do
	while [ ! -e "$1/a$i" ]; do sleep 0.01; done; cat /etc/passwd >/dev/null; : >"$1/b$i"; done' sh "$tmp" &
pb=$!
wait $pa $pb
opens() { sed -n 's/.* cat ([0-9]*) < openat fd=[0-9]*(<f>\/etc\/\(hostname\|passwd\)).*/\1/p' "$tmp/two.out"; }
wait_for sh -c "[ \$(grep -c ' cat ([0-9]*) < openat fd=[0-9]*(<f>/etc/\(hostname\|passwd\))' '$tmp/two.out') -ge 10 ]"
stop "$lpid"
order=$(opens | tr '\n' ' ')
[ "$order" = "hostname passwd hostname passwd hostname passwd hostname passwd hostname passwd " ] &&
	ok "two programs at once, in the order of their opens: $order" || bad "order of the opens: $order"
# Times (column 2, HH:MM:SS.ns) never go back (one wrap past midnight allowed).
both=$(grep -c " sh ($pa) \| sh ($pb) " "$tmp/two.out")
awk '{ split($2, t, ":"); s = t[1] * 3600 + t[2] * 60 + t[3]; if (NR > 1 && s < p && p - s < 43200) bad = 1; p = s }
	END { exit bad }' "$tmp/two.out" && [ "$both" -gt 100 ] &&
	ok "all $(wc -l <"$tmp/two.out") events in time order ($both of them by the two loops)" ||
	bad "events out of time order, or too few ($both): $(head -c 2000 "$tmp/two.out")"
n_w=$(grep -c 'udig: process [0-9]* (sh) is writing' "$tmp/two.err")
[ "$n_w" -ge 2 ] && ok "-v named $n_w new writers" || bad "-v: writers not named: $(cat "$tmp/two.err")"
grep -q "process $pa (sh) is writing" "$tmp/two.err" && grep -q "process $pb (sh) is writing" "$tmp/two.err" ||
	bad "-v did not name both programs ($pa, $pb)"
gone "$R" || bad "two: left in /dev/shm"

# 5. A program started before listen (it creates the ring itself, as the
#    default protocol allows) is picked up; listen leaves the objects it did
#    not create, and says so.
feed sh -c 'while [ ! -e "$1/go" ]; do sleep 0.01; done; cat /etc/hostname >/dev/null' sh "$tmp" &
early=$!
# (it creates descs, then buf: once buf is there, both are)
wait_for test -e "/dev/shm/$R.buf" || bad "the early program did not create the ring"
listen early --ring "$R" 'proc.name=cat and evt.type=openat and fd.name=/etc/hostname'
grep -q "(existing, mode 0600" "$tmp/early.err" || bad "early: start line: $(cat "$tmp/early.err")"
: >"$tmp/go"
wait $early
wait_for grep -q 'cat ([0-9]*) < openat fd=[0-9]*(<f>/etc/hostname)' "$tmp/early.out" &&
	ok "a program started before listen is picked up" || bad "early program not captured: $(cat "$tmp/early.err")"
stop "$lpid"
[ -e "/dev/shm/$R.buf" ] && grep -q "left ring $R.buf, $R.descs in /dev/shm" "$tmp/early.err" &&
	ok "objects listen did not create stay: $(grep 'left ring' "$tmp/early.err")" ||
	bad "early: $(ls /dev/shm) $(cat "$tmp/early.err")"
rm -f /dev/shm/$R.*

# 6. --keep: the objects stay, and the next listen takes the ring over.
listen keep --ring "$R" --keep -q
stop "$lpid"
[ -e "/dev/shm/$R.buf" ] && [ -e "/dev/shm/$R.descs" ] && ok "--keep kept the objects" || bad "--keep: $(ls /dev/shm)"
listen keep2 --ring "$R" -c
grep -q '(existing, ' "$tmp/keep2.err" || bad "keep2: $(cat "$tmp/keep2.err")"
# What was written before SIGINT is still read after it.
feed sh -c 'cat /etc/hostname' >/dev/null
stop "$lpid"
# -c: the summary `udig stats` prints, instead of events.
grep -q '^events: [1-9]' "$tmp/keep2.out" && grep -q '^files opened:' "$tmp/keep2.out" &&
	grep -q '  /etc/hostname$' "$tmp/keep2.out" && ! grep -q ' openat fd=' "$tmp/keep2.out" &&
	ok "-c printed the summary (files opened: /etc/hostname)" || bad "-c: $(cat "$tmp/keep2.out")"
rm -f /dev/shm/$R.*

# 6b. -p: sysdig's %field format, as udig read -p and sysdig -p print it.
listen fmt --ring "$R" -p '%proc.name %fd.name' 'evt.type=openat and evt.dir=<'
feed sh -c 'cat /etc/hostname' >/dev/null
wait_for grep -qx 'cat /etc/hostname' "$tmp/fmt.out" && ok "-p: $(grep -x 'cat /etc/hostname' "$tmp/fmt.out")" ||
	bad "-p: $(cat "$tmp/fmt.out" "$tmp/fmt.err")"
stop "$lpid"
gone "$R" || bad "-p: ring left behind"
# -j with -p: the JSON object of the format's fields, as sysdig -j -p.
listen jfmt --ring "$R" -j -p '%proc.name %fd.name %fd.num' 'evt.type=openat and evt.dir=<'
feed sh -c 'cat /etc/hostname' >/dev/null
wait_for grep -q '^{"fd.name":"/etc/hostname","fd.num":[0-9]*,"proc.name":"cat"}$' "$tmp/jfmt.out" &&
	ok "-j -p: $(grep hostname "$tmp/jfmt.out")" || bad "-j -p: $(cat "$tmp/jfmt.out" "$tmp/jfmt.err")"
stop "$lpid"
gone "$R" || bad "-j -p: ring left behind"
"$udig" listen --ring "$R" -p '%nosuch.field' >/dev/null 2>"$tmp/e"; st=$?
[ $st = 2 ] && grep -q "nosuch.field" "$tmp/e" && gone "$R" && ok "bad -p format, no ring made: $(head -n 1 "$tmp/e")" ||
	bad "bad -p format: status $st, $(cat "$tmp/e")"

# 7. SIGKILL: the janitor removes what listen created.  -w: the file
#    written up to the kill reads back.
listen killed --ring "$R" -w "$tmp/k.scap"
feed sh -c 'cat /etc/hostname' >/dev/null
# The file is flushed soon after the ring goes quiet: poll for the event.
readback() { "$udig" read "$tmp/k.scap" 'proc.name=cat and evt.type=openat and fd.name=/etc/hostname' 2>/dev/null | grep -q openat; }
wait_for readback || bad "-w: the cat's openat never reached $tmp/k.scap"
kill -9 "$lpid"
wait "$lpid" 2>/dev/null
wait_for gone "$R" && ok "after SIGKILL the janitor removed $R" || bad "left after SIGKILL: $(ls /dev/shm)"
readback && ok "-w file of a killed listen reads back with the cat's openat" || bad "-w: nothing read back after the kill"

# 8. --shared: mode 0666; a producer needs UDIG_SHARED_RING=1; as root,
#    another user's program writes into it.
listen shared --ring "$R" --shared 'proc.name=cat and evt.type=openat and fd.name=/etc/hostname'
grep -q "mode 0666); start programs with UDIG_SHARED_RING=1 UDIG_RING=$R.buf" "$tmp/shared.err" ||
	bad "--shared start line: $(cat "$tmp/shared.err")"
[ "$(stat -c %a "/dev/shm/$R.descs")" = 666 ] || bad "--shared: mode $(stat -c %a "/dev/shm/$R.descs")"
feed cat /etc/hostname 2>"$tmp/refused.err" >/dev/null
grep -q 'has mode 666: .*set UDIG_SHARED_RING=1' "$tmp/refused.err" || bad "no opt-in, no refusal: $(cat "$tmp/refused.err")"
if [ "$(id -u)" = 0 ]; then
	chmod 755 "$tmp"
	setpriv --reuid=65534 --regid=65534 --clear-groups env UDIG_SHARED_RING=1 UDIG_RING=$R.buf UDIG_DESCS=$R.descs \
		LD_PRELOAD="$LIB" sh -c 'cat /etc/hostname' >/dev/null
	wait_for grep -q 'cat ([0-9]*) < openat fd=[0-9]*(<f>/etc/hostname)' "$tmp/shared.out" &&
		ok "--shared: uid 65534's program captured by root's listen" || bad "--shared: nothing from uid 65534"
else
	UDIG_SHARED_RING=1 feed sh -c 'cat /etc/hostname' >/dev/null
	wait_for grep -q 'cat ([0-9]*) < openat' "$tmp/shared.out" && ok "--shared: captured with the opt-in" ||
		bad "--shared: nothing captured"
fi
stop "$lpid"
gone "$R" || bad "shared: left in /dev/shm"

# 9. The default names, once, under the lock every user of them takes.
#    Objects some earlier preloaded program left there (ours, 0600) are
#    joined and left in place; anyone else's are not touched.
default_ring() { # expected start-line word, then whether the objects must stay
	listen default 'evt.type=openat and proc.name=cat and fd.name=/etc/hostname'
	grep -q "listening on ring udig_buf, udig_descs ($1, mode 0600" "$tmp/default.err" ||
		bad "default: $(cat "$tmp/default.err")"
	LD_PRELOAD=$LIB sh -c 'cat /etc/hostname' >/dev/null
	wait_for grep -q 'cat ([0-9]*) < openat fd=[0-9]*(<f>/etc/hostname)' "$tmp/default.out" ||
		bad "default ring: no openat: $(cat "$tmp/default.err")"
	stop "$lpid"
	[ $st = 0 ] || bad "default ring: status $st"
}
if exec 8>>/tmp/udig-default-ring.lock 2>/dev/null && flock 8; then
	if [ ! -e /dev/shm/udig_buf ] && [ ! -e /dev/shm/udig_descs ]; then
		default_ring created
		[ ! -e /dev/shm/udig_buf ] && [ ! -e /dev/shm/udig_descs ] &&
			ok "default ring: created, captured, removed after SIGINT" || bad "default ring left: $(ls /dev/shm)"
	elif [ -O /dev/shm/udig_buf ] && [ -O /dev/shm/udig_descs ] &&
		[ "$(stat -c %a /dev/shm/udig_buf /dev/shm/udig_descs | sort -u)" = 600 ]; then
		default_ring existing
		[ -e /dev/shm/udig_buf ] && [ -e /dev/shm/udig_descs ] &&
			grep -q 'left ring udig_buf, udig_descs in /dev/shm' "$tmp/default.err" &&
			ok "default ring (left by an earlier program): joined, captured, left in place" ||
			bad "default ring (existing): $(ls /dev/shm) $(cat "$tmp/default.err")"
	else
		echo "note: the default ring belongs to someone else ($(ls -l /dev/shm/udig_descs 2>&1)): default names not tested"
	fi
	exec 8>&-
else
	echo "note: cannot take /tmp/udig-default-ring.lock: default names not tested"
fi

# 10. Usage errors.
"$udig" listen --ring a/b >/dev/null 2>"$tmp/e"; st=$?
[ $st = 2 ] && grep -q "without '/'" "$tmp/e" && ok "bad ring name: $(cat "$tmp/e")" || bad "bad ring name: $st $(cat "$tmp/e")"
"$udig" listen -w x.scap -j >/dev/null 2>"$tmp/e"; st=$?
[ $st = 2 ] || bad "-w with -j accepted"
"$udig" listen --ring "$R" 'evt.type=' >/dev/null 2>"$tmp/e"; st=$?
[ $st = 2 ] && gone "$R" && ok "bad filter: status 2, no ring made" || bad "bad filter: $st, $(ls /dev/shm)"
[ $fail = 0 ] && echo "all checks passed"
exit $fail
