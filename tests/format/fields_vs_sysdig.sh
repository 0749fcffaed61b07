#!/bin/sh
# The field table against sysdig 0.29.3 on a real capture of a mixed
# workload (files, failures, a pipe, TCP/UDP over IPv4 and IPv6, unix
# stream and datagram sockets, netlink, a thread, fork and exec):
#  - every filter below selects the same events in `udig read` as in
#    `sysdig -r` (compared as the list of event numbers);
#  - every format below prints the same lines as `sysdig -p`;
#  - `-j` (alone, with -A, with each -p format below) prints the same JSON
#    objects as `sysdig -j`, byte for byte (key order, number or string,
#    null, jsoncpp's escapes of the workload's quotes, control bytes and
#    UTF-8);
#  - every filter sysdig refuses, udig refuses.
set -u
b=${top_builddir:-.}
udig="$b/tools/udig"
work="$b/tests/format/workload"
command -v sysdig >/dev/null || { echo "sysdig not installed (Debian package sysdig)" >&2; exit 77; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
export TZ=UTC
mkdir "$tmp/d"
# A session of its own: where the test's session leader lives in an outer
# PID namespace (a CI container) the session id reads 0 and proc.sid>0
# would select nothing.
if ! setsid -w "$udig" run -w "$tmp/w.scap" -- "$work" /bin/sh "$tmp/d" 2>"$tmp/run.err" || [ ! -s "$tmp/w.scap" ]; then
	echo "cannot capture the workload here: $(cat "$tmp/run.err")" >&2
	exit 77
fi
fail=0 n=0 nf=0 nr=0 nj=0

same() { # filter
	n=$((n + 1))
	sysdig -r "$tmp/w.scap" -p '%evt.num' "$1" > "$tmp/s" 2>&1
	"$udig" read -p '%evt.num' "$tmp/w.scap" "$1" > "$tmp/u" 2>&1
	if ! cmp -s "$tmp/s" "$tmp/u"; then
		echo "FAIL: filter '$1': sysdig $(wc -l < "$tmp/s") events, udig $(wc -l < "$tmp/u")"
		diff "$tmp/s" "$tmp/u" | head -5
		fail=1
	elif [ ! -s "$tmp/s" ]; then
		echo "FAIL: filter '$1' selects nothing (the check says nothing)"; fail=1
	fi
}

while IFS= read -r f; do
	case $f in ''|'#'*) continue ;; esac
	same "$f"
done <<'FILTERS'
evt.type=openat
evt.type!=read
evt.type in (openat,socket,connect,accept)
evt.type=close and evt.dir=<
evt.dir=>
evt.dir='<'
evt.num=5
evt.num<10
evt.num<=10
evt.num>300
evt.num>=300
evt.num in (1,3,7)
evt.num!=1 and evt.num<4
evt.time contains :
evt.res=SUCCESS
evt.res=ENOENT
evt.res=EBADF
evt.res=EEXIST
evt.res!=SUCCESS
evt.res in (EBADF,EEXIST)
evt.rawres<0
evt.rawres=-2
evt.rawres>=0 and evt.type=read
evt.rawres in (-9,-17)
evt.failed=true
evt.failed=false and evt.type=close
not evt.failed=false
evt.is_io=true
evt.is_io_read=true
evt.is_io_write=true
evt.is_io=false and evt.dir=<
evt.is_wait=false and evt.type=openat
evt.category=file
evt.category=net
evt.category=ipc
evt.category=process
evt.category=memory
evt.category in (file,net)
evt.buflen=5
evt.buflen>=5 and evt.type=sendto
evt.latency>0
evt.latency=0
evt.cpu>=0
evt.arg.fd contains <f>
evt.arg.fd contains 127.0.0.1
evt.arg[0]=3
evt.arg.res=ENOENT
evt.arg.name contains data
evt.arg.flags contains O_CREAT
evt.args contains O_DIRECTORY
evt.info contains size=
proc.name=workload
proc.name!=workload
proc.name in (sh,cat,ls)
proc.name contains ork
proc.name icontains WORK
proc.name startswith w
proc.name endswith load
proc.name glob 'w*d'
proc.name glob '?at'
proc.name < m
proc.name >= sh
proc.pid>0
proc.ppid>0 and evt.type=openat
proc.pname=workload
proc.pname=sh
proc.aname=workload
proc.aname[1]=workload
proc.aname[2]=udig
proc.aname[0]=cat
proc.apid[1]>0
proc.exe contains workload
proc.exe=sh
proc.exepath endswith /workload
proc.cmdline contains /bin/sh
proc.cmdline startswith 'sh -c'
proc.args contains exit
proc.cwd endswith /
proc.vpid>0
proc.sid>0
thread.tid>0 and evt.type=write
thread.ismain=false
thread.ismain=true and evt.type=clone
thread.vtid>0
user.uid>=0
user.name exists
group.name exists
proc.tty=0
proc.duration>0
proc.duration<1000000
proc.duration exists
fd.dev exists and fd.type=file
fd.num=3
fd.num=-1
fd.num=12345
fd.num>=4 and fd.num<6
fd.num!=3 and evt.type=read
fd.name=/etc/hostname
fd.name contains 127.0.0.1
fd.name startswith /nonexistent
fd.name endswith .txt
fd.name glob '*.log'
fd.name pmatch (/etc)
fd.name in (/etc/hostname,/dev/null)
fd.name exists
not fd.name exists
fd.name=''
fd.type=file
fd.type=directory
fd.type=ipv4
fd.type=ipv6
fd.type=unix
fd.type=pipe
fd.type=netlink
fd.type in (ipv4,ipv6)
fd.typechar=f
fd.typechar=4
fd.typechar=6
fd.typechar=u
fd.typechar=p
fd.typechar=o
fd.directory=/etc
fd.directory=/
fd.directory startswith /nonexistent
fd.filename=hostname
fd.filename exists
fd.l4proto=tcp
fd.l4proto=udp
fd.l4proto=<NA>
fd.sockfamily=ip
fd.sockfamily=unix
fd.sip=127.0.0.1
fd.sip=::1
fd.cip=127.0.0.1
fd.cip in (127.0.0.1,::1)
fd.sip!=127.0.0.1
fd.sport>0
fd.cport=0
fd.cport>1000
fd.sport exists and fd.l4proto=udp
fd.sip exists
(evt.type=read or evt.type=write) and fd.num=3
not (evt.type=read or evt.type=write) and proc.name=sh
(fd.type=ipv4 or fd.type=ipv6) and evt.dir=<
not evt.type=close and not evt.type=openat and fd.type=file
((evt.num<10))
evt.num<20 and (proc.name=workload and (fd.num=3 or fd.num=4))
FILTERS

# Formats: the whole output of `-p FORMAT` over the capture.
fmt_same() { # format [filter] [capture]
	nf=$((nf + 1))
	set -- "$1" "${2:-evt.num>0}" "${3:-$tmp/w.scap}"
	sysdig -r "$3" -p "$1" "$2" > "$tmp/s" 2>&1
	"$udig" read -p "$1" "$3" "$2" > "$tmp/u" 2>&1
	if ! cmp -s "$tmp/s" "$tmp/u"; then
		echo "FAIL: format '$1' '$2':"; diff "$tmp/s" "$tmp/u" | head -6; fail=1
	elif [ ! -s "$tmp/s" ]; then
		echo "FAIL: format '$1' '$2' prints nothing"; fail=1
	fi
}
while IFS='^' read -r f flt; do
	case $f in ''|'#'*) continue ;; esac
	fmt_same "$f" "$flt"
done <<'FORMATS'
%evt.num %evt.time %evt.cpu %proc.name (%thread.tid) %evt.dir %evt.type %evt.args
%evt.num %fd.name
*%evt.num %fd.name
*%evt.num %evt.type %evt.dir fd=%fd.num name=%fd.name type=%fd.type tc=%fd.typechar dir=%fd.directory file=%fd.filename
*%evt.num l4=%fd.l4proto fam=%fd.sockfamily sip=%fd.sip cip=%fd.cip sport=%fd.sport cport=%fd.cport
*%evt.num lat=%evt.latency cat=%evt.category len=%evt.buflen res=%evt.res raw=%evt.rawres failed=%evt.failed
*%evt.num io=%evt.is_io r=%evt.is_io_read w=%evt.is_io_write wait=%evt.is_wait
*%evt.num a0=%evt.arg[0] fd=%evt.arg.fd name=%evt.arg.name res=%evt.arg.res
*%evt.num %evt.info
*%proc.pid %proc.exe %proc.name [%proc.args] [%proc.cmdline] %proc.cwd %proc.ppid %proc.pname
*%proc.aname[0] %proc.aname[1] %proc.aname[2] %proc.apid[1] %proc.apid[2] %proc.exepath
*%thread.tid %thread.ismain %thread.vtid %proc.vpid %proc.sid %user.uid %user.name %group.name
%evt.num:%evt.type:%fd.num.
*%10proc.name|%3evt.type|%evt.num
%fd.sip:%fd.sport
%evt.num %fd.typechar%fd.num
*%evt.num %thread.tid %proc.tty %proc.duration
# sysdig 0.29.3 gives fd.dev a value only for files (the rest is stale memory)
*%evt.num %fd.dev %fd.name^fd.type in (file,directory)
FORMATS

# -j: the JSON object of the default format, or of -p's; "OPTIONS^FORMAT^FILTER".
json_same() { # options format filter
	nj=$((nj + 1))
	set -- "$1" "${2:-*%evt.num %evt.outputtime %evt.cpu %proc.name (%thread.tid) %evt.dir %evt.type %evt.info}" "${3:-evt.num>0}"
	# shellcheck disable=SC2086 # the options are words
	sysdig -r "$tmp/w.scap" -j $1 -p "$2" "$3" > "$tmp/s" 2>&1
	# shellcheck disable=SC2086
	"$udig" read -j $1 -p "$2" "$tmp/w.scap" "$3" > "$tmp/u" 2>&1
	if ! cmp -s "$tmp/s" "$tmp/u"; then
		echo "FAIL: -j $1 -p '$2' '$3':"; diff "$tmp/s" "$tmp/u" | cut -c 1-300 | head -4; fail=1
	elif [ ! -s "$tmp/s" ]; then
		echo "FAIL: -j $1 -p '$2' '$3' prints nothing"; fail=1
	fi
}
# sysdig's -j with no -p at all, and udig's
for opt in "" -A; do
	nj=$((nj + 1))
	# shellcheck disable=SC2086
	sysdig -r "$tmp/w.scap" -j $opt > "$tmp/s" 2>&1
	# shellcheck disable=SC2086
	"$udig" read -j $opt "$tmp/w.scap" > "$tmp/u" 2>&1
	cmp -s "$tmp/s" "$tmp/u" && [ -s "$tmp/s" ] || { echo "FAIL: -j $opt:"; diff "$tmp/s" "$tmp/u" | cut -c 1-300 | head -4; fail=1; }
done
while IFS='^' read -r o f flt; do
	case $o in '#'*) continue ;; esac
	json_same "$o" "$f" "$flt"
	case $f in *proc.cmdline*)
		# the comparison saw what it is meant to: escapes of every kind
		for e in '\"' '\\' '\t' '\u0001' '\u00e9\u20ac\ud83d\ude00' '\ufffd'; do
			grep -qF "$e" "$tmp/u" || { echo "FAIL: no $e in -j -p '$f'"; fail=1; }
		done ;;
	esac
done <<'JSON'
# numbers: unsigned, signed, the time fields (numbers in JSON), latency
^*%evt.num %evt.time %evt.outputtime %evt.latency %evt.cpu %evt.rawres %evt.buflen %proc.pid %proc.ppid %thread.tid %user.uid %fd.num %proc.tty %proc.duration^
# booleans and <NA>, which JSON writes null
^*%evt.num %evt.failed %evt.is_io %evt.is_io_read %evt.is_io_write %evt.is_wait %thread.ismain^
# addresses (strings) and ports (numbers)
^*%evt.num %fd.sip %fd.cip %fd.sport %fd.cport %fd.l4proto %fd.sockfamily %fd.type %fd.typechar^fd.type in (ipv4,ipv6,unix)
# args: every buffer whole (no 80-column cut in JSON), with -A as text
^*%evt.num %evt.args %evt.arg[0] %evt.arg.fd %evt.arg.data %evt.arg.name %evt.res %evt.category^
-A^*%evt.num %evt.info %evt.arg.data %evt.arg.args^
# strings jsoncpp escapes: the workload's command line and file name
^*%evt.num %proc.cmdline %proc.args %proc.exe %proc.exepath %proc.cwd %fd.name %fd.filename %fd.directory^
^*%proc.name %proc.pname %proc.aname[0] %proc.aname[2] %proc.apid[2] %user.name %group.name %proc.vpid %proc.sid^
# a hex number is a string; only files have a defined fd.dev in sysdig
^*%evt.num %fd.dev^fd.type in (file,directory)
# without '*' only the events that have every field
^%evt.num %proc.name %fd.num^
# literal text and widths have no place in JSON; a field twice is one key
^x %evt.num y %evt.num %10proc.name|%3evt.type^
# a format without fields: null
^just text^
# filters see buffers as the output shows them: whole under -j (the text
# line's 80 columns end before the command line's "exit 3"), text under -A
^%evt.num %evt.type^evt.args contains 'exit 3'
-A^%evt.num %evt.type^evt.args contains 'exit 3'
JSON

# ... and in text: nothing past the 80 columns, all of it under -A
for opt in "" -A; do
	n=$((n + 1))
	# shellcheck disable=SC2086
	sysdig -r "$tmp/w.scap" $opt -p '%evt.num' "evt.args contains 'exit 3'" > "$tmp/s" 2>&1
	# shellcheck disable=SC2086
	"$udig" read $opt -p '%evt.num' "$tmp/w.scap" "evt.args contains 'exit 3'" > "$tmp/u" 2>&1
	cmp -s "$tmp/s" "$tmp/u" || { echo "FAIL: $opt evt.args contains 'exit 3': sysdig $(wc -l < "$tmp/s"), udig $(wc -l < "$tmp/u")"; fail=1; }
done

# group.gid: sysdig 0.29.3 reads the 32-bit gid as a 64-bit field, so the
# main thread of a process with live threads shows gid + 2^32 x their
# count (libsinsp's m_nchilds follows m_gid).  udig shows the gid: equal
# modulo 2^32, and the check must have met such an event.
sysdig -r "$tmp/w.scap" -p '*%evt.num %group.gid' > "$tmp/s" 2>&1
"$udig" read -p '*%evt.num %group.gid' "$tmp/w.scap" > "$tmp/u" 2>&1
nf=$((nf + 1))
paste -d ' ' "$tmp/s" "$tmp/u" | awk '
	$1 != $3 || ($2 == "<NA>") != ($4 == "<NA>") || ($2 != "<NA>" && $2 % 4294967296 != $4) { bad++; if (bad < 4) print "FAIL: group.gid: " $0 }
	$2 != "<NA>" && $2 >= 4294967296 { wide++ }
	END { if (!wide) print "FAIL: group.gid: no event with the 2^32 offset (the workload has a thread)"; exit bad || !wide }' || fail=1

# proc.tty is 0 without a controlling terminal: a short capture under a
# pseudo-terminal (script(1)) gives it a value, from the execve exits.
if command -v script >/dev/null; then
	script -qec "\"$udig\" run -w \"$tmp/tty.scap\" -- /bin/sh -c 'cat /etc/hostname'" /dev/null >"$tmp/tty.out" 2>&1
	if [ -s "$tmp/tty.scap" ]; then
		fmt_same '*%evt.num %proc.name %proc.tty %proc.duration' '' "$tmp/tty.scap"
		fmt_same '%evt.num' 'proc.tty!=0' "$tmp/tty.scap"
		grep -q . "$tmp/u" || { echo "FAIL: proc.tty: no event with a terminal"; fail=1; }
	else
		echo "NOTE: no capture under script(1): $(head -c 200 "$tmp/tty.out")"
	fi
fi

# fd.ino is newer than sysdig 0.29.3: libs 0.25.4's sinsp-example is the
# peer (exit events only, after its converter; fd.name aside, which the
# newer libsinsp sanitizes differently).
peer=${UDIG_PEERS:-${top_srcdir:-$b}/../shared/peers}/bin/sinsp-example
io='evt.type in (openat,read,write,pread,close,pipe,socket,bind,listen,connect,accept,sendto,recvfrom,socketpair)'
# (its event lines start with "E", the rest is its progress and totals)
if [ -x "$peer" ] && "$peer" -s "$tmp/w.scap" -a -o '*E %evt.type %fd.num %fd.ino %thread.tid' -f "$io" 2>&1 |
	grep '^E ' > "$tmp/s"; then
	nf=$((nf + 1))
	"$udig" read -p '*E %evt.type %fd.num %fd.ino %thread.tid' "$tmp/w.scap" "evt.dir=< and $io" > "$tmp/u" 2>&1
	if ! cmp -s "$tmp/s" "$tmp/u"; then
		echo "FAIL: fd.ino differs from sinsp-example's:"; diff "$tmp/s" "$tmp/u" | head -6; fail=1
	elif ! awk '$4 > 0 { n++ } END { exit !n }' "$tmp/u"; then
		echo "FAIL: fd.ino: no fd with an inode"; fail=1
	fi
else
	echo "NOTE: fd.ino not compared (no $peer)"
fi

# Filters sysdig refuses: udig must refuse them too (exit status 2).
while IFS= read -r f; do
	case $f in ''|'#'*) continue ;; esac
	nr=$((nr + 1))
	sysdig -r "$tmp/w.scap" -p '%evt.num' "$f" > "$tmp/s" 2>&1
	grep -q 'error\|not supported' "$tmp/s" || { echo "NOTE: sysdig accepts '$f' now"; fail=1; }
	"$udig" read -p '%evt.num' "$tmp/w.scap" "$f" > "$tmp/u" 2>&1
	[ $? = 2 ] || { echo "FAIL: udig accepts '$f', sysdig said: $(head -1 "$tmp/s")"; fail=1; }
done <<'REFUSED'
evt.type=opnat
evt.type in (open,opnat)
evt.type==open
evt.num=abc
evt.num=0x10
evt.num=1e3
evt.num contains 3
evt.num in (1,)
evt.failed=maybe
evt.failed=1
fd.sip=1.2.3
fd.sip=zz::zz::1
fd.sport=nosuchservice
evt.arg.nosuch=3
evt.arg=1
evt.arg[x]=1
proc.aname[x]=1
proc.namex=sh
evt.typ=1
evt.num
evt.num=1 evt.num=2
evt.num in (1, 2
evt.num in 1
evt.num=1 and (evt.num=2
evt.num=1)
evt.num=1 and
and evt.num=1
evt.num=1 or or evt.num=2
evt.type=open or evt.type=close and proc.name=sh
(evt.num=1 or evt.num=2 and evt.num=3)
evt.num=1 and (evt.num=1 or evt.num=2) or evt.num=3
proc.name='sh
fd.name intersects (/etc)
evt.num bcontains 01
fd.num pmatch (/etc)
REFUSED

echo "compared: $n filters, $nf formats, $nj JSON outputs, $nr refused filters"
if [ $fail != 0 ]; then
	# The workload's threads and processes race; keep the capture that
	# disagreed so the difference can be replayed.
	cp "$tmp/w.scap" "$b/tests/format/fields_vs_sysdig.failed.scap" 2>/dev/null &&
		echo "capture kept: $b/tests/format/fields_vs_sysdig.failed.scap"
fi
exit $fail
