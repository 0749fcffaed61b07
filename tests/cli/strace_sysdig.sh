#!/bin/sh
# Issue 13: strace's and sysdig's spellings mean what they mean there.
#   udig run: events on stderr (never in the program's stdout), -f, -e trace=SET
#   with classes, -o, -p PID (attach), -c (counts equal to strace -c's on
#   the same workload), -C, -tt/-ttt/-T, -y, -w - (capture on stdout);
#   the old -f EXPR / -c COMM spellings fail with the new names.
#   udig read: udig -r FILE, options after operands, - for stdin, -n, -A, -s.
#   udig tree: the execs a workload really ran (strace -f is the oracle).
#   --version, --help of every subcommand, help CMD.
set -u
b=${top_builddir:-.}
udig="$b/tools/udig"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
ok() { echo "ok: $*"; }
command -v strace >/dev/null || { echo "SKIP: strace is not installed (the oracle)"; exit 77; }
cd "$tmp" || exit 1

# --- events never enter the program's stdout
"$udig" run -- sh -c 'cat /etc/hostname; echo two' >out 2>err; st=$?
native=$(sh -c 'cat /etc/hostname; echo two')
[ $st = 0 ] && [ "$(cat out)" = "$native" ] && ok "run: stdout is exactly the program's" ||
	bad "run: stdout holds $(wc -l <out) lines, not the program's output: $(head -c 200 out)"
grep -q '> execve filename=' err && grep -q '^udig: .* events captured' err && ok "run: events on stderr" ||
	bad "run: no events on stderr: $(head -c 200 err)"

# --- strace spellings
"$udig" run -f -e trace=openat -o f.txt -- cat /etc/hostname >/dev/null 2>e.txt; st=$?
if [ $st != 0 ]; then bad "-f -e trace=openat -o: status $st: $(cat e.txt)"
elif grep -v ' [<>] openat ' f.txt | grep -q .; then bad "-e trace=openat: other events: $(grep -v ' openat ' f.txt | head -n 2)"
elif ! grep -q '< openat fd=[0-9]*(<f>/etc/hostname)' f.txt; then bad "-e trace=openat: no open of /etc/hostname"
else ok "-f -e trace=openat -o FILE: only openat, /etc/hostname among them"; fi

"$udig" run -e trace=%file -o c.txt -- cat /etc/hostname >/dev/null 2>&1
awk '{print $7}' c.txt | sort -u >c.types
grep -qx openat c.types && ! grep -qx read c.types && ! grep -qx close c.types && ok "-e trace=%file: $(tr '\n' ' ' <c.types)" ||
	bad "-e trace=%file selected: $(tr '\n' ' ' <c.types)"
"$udig" run -e 'trace=!%desc,%memory' -o n.txt -- cat /etc/hostname >/dev/null 2>&1
awk '{print $7}' n.txt | sort -u >n.types
! grep -qxE 'openat|read|close|mmap|brk' n.types && grep -qx execve n.types && ok "-e trace=!%desc,%memory: $(tr '\n' ' ' <n.types)" ||
	bad "-e trace=!%desc,%memory selected: $(tr '\n' ' ' <n.types)"
"$udig" run -e trace=bogus_call -- true >/dev/null 2>e.txt; st=$?
[ $st = 2 ] && grep -q "unknown syscall or class 'bogus_call'" e.txt && ok "-e trace=bogus_call: $(cat e.txt)" || bad "-e trace=bogus_call: $st $(cat e.txt)"

# -ttt: epoch seconds in the time column; -tt and -y: accepted; -T: <s.us> after exits
"$udig" run -ttt -tt -y -T -e trace=openat -o t.txt -- cat /etc/hostname >/dev/null 2>e.txt
now=$(date +%s)
awk -v now="$now" '{ if ($2 + 0 < now - 600 || $2 + 0 > now + 60) bad++ } END { exit bad > 0 || NR == 0 }' t.txt &&
	ok "-ttt: epoch seconds ($(head -n 1 t.txt | cut -d' ' -f2))" || bad "-ttt: $(head -n 1 t.txt) $(cat e.txt)"
grep ' < openat ' t.txt | grep -qv ' <[0-9]*\.[0-9]\{6\}>$' && bad "-T: an exit without <s.us>: $(grep ' < openat ' t.txt | head -n 1)" ||
	{ grep ' > openat ' t.txt | grep -q '>$' && bad "-T on an enter line" || ok "-T: $(grep ' < openat ' t.txt | head -n 1 | grep -o '<[0-9.]*>$')"; }

# -c: the strace -c table, counts equal to strace's on the same workload
# (ptrace engine: it sees every image from its first instruction, as strace
# does; the run gets the environment udig gives, the build tree's library
# path).  Compared: calls per syscall, all of them, except the two that
# depend on when signals land (wait4 restarts, rt_sigreturn); strace's dup2
# is sysdig's dup event.  Errors: for calls whose events carry a result.
wl='cat /etc/hostname >/dev/null; ls /nonexistent-udig 2>/dev/null; echo hi >/dev/null; (exit 3); true'
llp=$("$udig" run --engine=ptrace -- printenv LD_LIBRARY_PATH 2>/dev/null)
table() { awk 'NF >= 5 && $1 ~ /^[0-9.]+$/ && $NF != "total" { print $NF, $4, (NF == 6 ? $5 : 0) }' "$1" |
	sed 's/^dup2 /dup /' | grep -vE '^(wait4|rt_sigreturn) ' | sort; }
"$udig" run --engine=ptrace -c -- sh -c "$wl" >/dev/null 2>u.raw
LD_LIBRARY_PATH=$llp strace -f -c -o s.raw -- sh -c "$wl"
table u.raw | cut -d' ' -f1,2 >u.calls
table s.raw | cut -d' ' -f1,2 >s.calls
if ! grep -q '^% time     seconds  usecs/call     calls    errors syscall$' u.raw; then bad "-c: no strace -c header: $(head -n 2 u.raw)"
elif ! cmp -s s.calls u.calls; then bad "-c: calls differ from strace -c's: $(diff s.calls u.calls | tr '\n' ' ')"
else ok "-c: $(wc -l <u.calls) syscalls, $(awk '{n += $2} END {print n}' u.calls) calls, each count equal to strace -c's"; fi
for sc in openat access execve; do
	u=$(table u.raw | awk -v s=$sc '$1 == s {print $3}') s=$(table s.raw | awk -v s=$sc '$1 == s {print $3}')
	[ "$u" = "$s" ] && ok "-c: $sc errors $u, as strace" || bad "-c: $sc errors: udig '$u', strace '$s'"
done
"$udig" run -C -- true >/dev/null 2>C.txt
grep -q '> execve' C.txt && grep -q ' total$' C.txt && ok "-C: events and the table" || bad "-C: $(head -c 300 C.txt)"

# -p PID: attach, as strace -p
sleep 60 & sp=$!
"$udig" run -p $sp -e trace=nanosleep,clock_nanosleep -o p.txt 2>p.err & up=$!
for i in $(seq 50); do grep -q TracerPid:.[1-9] /proc/$sp/status 2>/dev/null && break; sleep 0.1; done
kill -INT $up; wait $up; st=$?
kill $sp 2>/dev/null; wait $sp 2>/dev/null
[ $st = 0 ] && grep -q 'engine ptrace (attached)' p.err && ok "run -p PID: attached, detached on ^C" || bad "run -p PID: status $st, $(cat p.err)"
"$udig" run -p $$ -- true >/dev/null 2>e.txt; [ $? = 2 ] && ok "run -p PID -- CMD refused: $(cat e.txt)" || bad "run -p with a command: $(cat e.txt)"

# the old spellings: a clear error naming the new option, nothing run
"$udig" run -f 'evt.type=open' -- touch ran >/dev/null 2>e.txt; st=$?
[ $st = 2 ] && [ ! -e ran ] && grep -q -- '--filter=EXPR' e.txt && ok "old -f EXPR: $(cat e.txt)" || bad "old -f EXPR: $st $(cat e.txt)"
"$udig" run -c cat -- touch ran >/dev/null 2>e.txt; st=$?
[ $st = 2 ] && [ ! -e ran ] && grep -q -- '--comm=NAME' e.txt && ok "old -c COMM: $(cat e.txt)" || bad "old -c COMM: $st $(cat e.txt)"
"$udig" run --comm=cat --filter='evt.type=openat' -o m.txt -- sh -c 'cat /etc/hostname' >/dev/null 2>&1
[ -s m.txt ] && ! awk '$4 != "cat" || $7 != "openat"' m.txt | grep -q . && ok "--comm, --filter" || bad "--comm/--filter: $(head -n 2 m.txt)"
"$udig" run -c -- true >/dev/null 2>e.txt
grep -q ' total$' e.txt && ok "run -c -- true: the table" || bad "run -c -- true: $(cat e.txt)"

# -w -: the capture streams to stdout; the program's stdout goes to stderr
"$udig" run -w - -- sh -c 'echo prog-out; cat /etc/hostname >/dev/null' 2>w.err | "$udig" read - 'evt.type=openat and evt.dir=<' >w.txt
grep -q '^prog-out$' w.err && grep -q '/etc/hostname' w.txt && ok "-w - | udig read -: $(wc -l <w.txt) openat exits" ||
	bad "-w - | read -: $(head -c 200 w.txt) / $(head -c 200 w.err)"
[ ! -e ./- ] && ok "-w - wrote no file named -" || bad "-w - wrote a file named -"

# --- sysdig spellings of read
"$udig" run -w cap.scap -- sh -c 'printf "line1\nline2\n" > data.txt; cat data.txt' >/dev/null 2>&1
"$udig" -r cap.scap >r1.txt 2>&1 && "$udig" read cap.scap >r2.txt 2>&1 && cmp -s r1.txt r2.txt && ok "udig -r FILE = udig read FILE" || bad "udig -r: $(head -n 2 r1.txt)"
"$udig" read cap.scap -j -n 3 'evt.type=openat' >j.txt 2>&1
[ "$(wc -l <j.txt)" = 3 ] && grep -q '^{"evt' j.txt && ok "read FILE -j -n 3 FILTER: options after operands" || bad "read f -j: $(head -c 200 j.txt)"
"$udig" read - <cap.scap >r3.txt 2>&1 && cmp -s r2.txt r3.txt && ok "read - reads stdin" || bad "read -: $(head -n 2 r3.txt)"
"$udig" read -s 3 cap.scap 'evt.type=write and proc.name=cat and evt.dir=<' >s.txt
grep -q 'data=lin $' s.txt && ok "read -s 3: $(grep -o 'data=.*' s.txt | head -n 1)" || bad "read -s 3: $(cat s.txt)"
# -A as sysdig -A: every buffer a newline then its text, line ends kept
"$udig" read -A cap.scap 'evt.type=write and proc.name=cat and evt.dir=<' >A.txt
grep -q 'data=$' A.txt && grep -qx 'line1' A.txt && grep -qx 'line2' A.txt && ok "read -A: newlines echoed" ||
	bad "read -A: $(cat A.txt)"
if command -v sysdig >/dev/null; then
	TZ=UTC sysdig -r cap.scap -A >sA.txt 2>&1
	TZ=UTC "$udig" read -A cap.scap >uA.txt 2>&1
	cmp -s sA.txt uA.txt && ok "read -A = sysdig -A ($(wc -l <uA.txt) lines)" ||
		bad "read -A differs from sysdig -A: $(diff sA.txt uA.txt | head -n 4 | tr '\n' ' ')"
fi

# --- udig tree against strace -f: the same execs, argv for argv
if command -v python3 >/dev/null; then
	wl2='cat /etc/hostname >/dev/null; (cd / && ls -d /tmp >/dev/null); sh -c "exit 3"; sh -c "kill -TERM \$\$"; echo "a b" | tr a x >/dev/null; exit 0'
	for e in auto ptrace; do
		"$udig" run --engine=$e -w tree.$e.scap -- sh -c "$wl2" >/dev/null 2>&1
		"$udig" tree -j tree.$e.scap >tree.$e.json || bad "$e: udig tree failed"
	done
	strace -f -qq -e trace=execve -e signal=none -s 4096 -o st.txt -- sh -c "$wl2" >/dev/null 2>&1
	python3 - "$tmp" <<'PY' || fail=1
import json, re, sys, os
tmp = sys.argv[1]
truth = []
for line in open(os.path.join(tmp, "st.txt")):
    m = re.search(r'execve\("[^"]*", (\[.*?\]), .*\) = 0$', line)
    if m:
        truth.append(json.loads(m.group(1)))
truth.sort()
for e in ("auto", "ptrace"):
    doc = json.load(open(os.path.join(tmp, "tree.%s.json" % e)))
    got, ends = [], {}
    def walk(p, depth):
        for x in p["execs"]:
            got.append(x["argv"])
            ends[" ".join(x["argv"])] = (p["exit_code"], p["signal"])
        for c in p["children"]:
            walk(c, depth + 1)
    for p in doc["processes"]:
        walk(p, 0)
    got.sort()
    if got != truth:
        print("FAIL: %s: tree execs %s, strace saw %s" % (e, got, truth)); sys.exit(1)
    want = {"sh -c exit 3": (3, None), "sh -c kill -TERM $$": (None, "SIGTERM"), "cat /etc/hostname": (0, None)}
    for k, v in want.items():
        if ends.get(k) != v:
            print("FAIL: %s: %s ended %s, want %s" % (e, k, ends.get(k), v)); sys.exit(1)
    print("ok: %s: udig tree shows the %d execs strace saw, with their exits" % (e, len(got)))
PY
	"$udig" tree tree.auto.scap >tree.txt
	grep -q '^[0-9]* sh -c ' tree.txt && grep -q '|- [0-9]* cat /etc/hostname  \[cwd' tree.txt && grep -q 'killed by SIGTERM' tree.txt &&
		ok "tree (text): $(wc -l <tree.txt) lines" || bad "tree text: $(cat tree.txt)"
	"$udig" run --tree -- sh -c 'true; exit 2' >/dev/null 2>rt.txt; st=$?
	[ $st = 2 ] && grep -q '^[0-9]* sh -c .*exit 2' rt.txt && ok "run --tree" || bad "run --tree: $st $(cat rt.txt)"
else
	echo "note: python3 missing, udig tree not compared with strace"
fi

# --- help and version
"$udig" --version | grep -q '^udig [0-9]' && ok "--version: $("$udig" --version)" || bad "--version"
for c in run attach listen read stats events tree; do
	"$udig" $c --help >h.txt 2>&1 && grep -q "usage: udig $c" h.txt || bad "$c --help: $(head -n 1 h.txt)"
	"$udig" help $c >h2.txt 2>&1 && cmp -s h.txt h2.txt || bad "help $c differs from $c --help"
done
ok "--help and help CMD for every subcommand (exit 0)"
exit $fail
