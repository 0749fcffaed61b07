# The strace oracle for `udig run --engine=$ENGINE` (sourced by engine_*.sh).
#
# For every workload below, three runs from the same fresh copy of a seed
# directory, with the same environment and stdin (/dev/null):
#   native              stdout and exit status, the reference;
#   strace -f           open/openat/execve/connect with path (or address)
#                       and success/failure: the oracle;
#   udig run -w F.scap  stdout and exit status must be the native ones; the
#                       capture, reduced to the same calls by ocalls, must
#                       hold exactly the oracle's multiset of
#                       (syscall, path or address, ok/fail): nothing
#                       missing, nothing extra, counts included.
#
# Paths are compared as the raw argument (udig's enter event keeps the
# string the program passed; strace prints the same string), so relative
# names and openat(dirfd, "name") need no resolution.
#
# Allowed to be missing — and only these, and only where the preload engine
# runs (--engine=preload; --engine=auto on a dynamic program):
#   loader  in each new image, the opens of the dynamic loader before
#           libudig.so is initialised: the run of opens right after a
#           successful execve that are /etc/ld.so.cache, a shared library
#           (NAME.so, NAME.so.N...) or /etc/ld.so.preload (only if it exists).
#           Seen on Debian 12: /etc/ld.so.cache and
#           /lib/x86_64-linux-gnu/libc.so.6 for every image, plus the
#           program's other DT_NEEDED libraries — libselinux.so.1 and
#           libpcre2-8.so.0 (ls, cp, mkdir, find, tar), libacl.so.1 (cp,
#           tar), libattr.so.1 (cp), libm.so.6 (find) — and, because an
#           uninstalled udig is a libtool wrapper that sets LD_LIBRARY_PATH
#           to BUILD/libcapture/.libs, the loader's failed probes for each of
#           them there: .libs/LIB, .libs/{tls,x86_64,tls/x86_64,x86_64/x86_64,
#           tls/x86_64/x86_64}/LIB and .libs/glibc-hwcaps/x86-64-v{2,3,4}/LIB.
# Not exempt: libraries dlopen'ed later (NSS modules, gconv) come after a
# non-loader call and must be captured; so must the execve of CMD itself
# (udig run writes its enter event from the launching child) and the calls
# that constructors of other libraries make before main (libselinux's opens
# /proc/filesystems in ls, cp, find, mkdir, tar): libudig.so is linked
# -z initfirst so that its constructor runs first.
# The exempt calls that were indeed missed are listed per workload.
set -u
: "${ENGINE:?set ENGINE before sourcing oracle.sh}"
B=$(cd "${top_builddir:-.}" && pwd)
UDIG=$B/tools/udig
OCALLS=$B/tests/oracle/ocalls
OWORK=$B/tests/oracle/owork
OWORK_STATIC=$B/tests/oracle/owork_static
T=$(mktemp -d "${TMPDIR:-/tmp}/udig-oracle.XXXXXX") || exit 99
trap '[ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT   # KEEP=1: leave the files for a look
fails=0
started=$(date +%s)

fail() { echo "FAIL: $ENGINE: $*"; fails=$((fails + 1)); }
skip() { echo "SKIP: $*"; exit 77; }

command -v strace >/dev/null 2>&1 || { echo "strace not installed (Debian package strace)"; exit 99; }
strace -f -qq -e trace=openat -o /dev/null /bin/true >/dev/null 2>&1 ||
	skip "strace cannot trace here (ptrace forbidden?): no oracle"
for f in "$UDIG" "$OCALLS" "$OWORK" "$OWORK_STATIC"; do
	[ -x "$f" ] || { echo "missing $f (make check builds it)"; exit 99; }
done

# engine_rejected E: does `udig run` refuse the engine name E (usage error
# naming the engine)?  Its message is left in $T/probe.err.
engine_rejected() {
	"$UDIG" run --engine="$1" -w "$T/probe.scap" -- /usr/bin/printenv LD_LIBRARY_PATH \
		>"$T/probe.out" 2>"$T/probe.err" </dev/null
	probe_rc=$?
	[ $probe_rc = 2 ] && grep -qi engine "$T/probe.err" && grep -q "$1" "$T/probe.err"
}

# Does the CLI take this engine?  Also learn the environment udig run gives
# its command (an uninstalled udig is a libtool wrapper that prepends its
# library directory to LD_LIBRARY_PATH): the native and strace runs get the
# same, else the loader and dlopen search different directories.
if engine_rejected "$ENGINE"; then
	skip "udig run does not accept --engine=$ENGINE yet: $(grep -i engine "$T/probe.err" | head -n 1)"
fi
case $probe_rc in
0) RUN_LDPATH=$(cat "$T/probe.out"); RUN_LDPATH_SET=1 ;;
1) RUN_LDPATH=; RUN_LDPATH_SET=0 ;;
*) echo "udig run --engine=$ENGINE -- printenv: exit status $probe_rc"; cat "$T/probe.err"; exit 99 ;;
esac
# Native and strace runs: the same LD_LIBRARY_PATH as under udig run.
cmd_env() {
	if [ $RUN_LDPATH_SET = 1 ]; then
		LD_LIBRARY_PATH=$RUN_LDPATH; export LD_LIBRARY_PATH
	else
		unset LD_LIBRARY_PATH
	fi
}

# Static programs: the preload engine cannot capture them (by design);
# auto must pick an engine that can, once the CLI has one.
STATIC_OK=1
STATIC_WHY=
if [ "$ENGINE" = preload ]; then
	STATIC_OK=0 STATIC_WHY="the preload engine does not capture static programs"
elif [ "$ENGINE" = auto ] && engine_rejected ptrace; then
	STATIC_OK=0 STATIC_WHY="udig run has no engine for static programs yet (--engine=ptrace is rejected)"
fi

# A seed tree the coreutils workloads work on; each run starts from a copy.
mkdir -p "$T/seed/sub/deeper"
printf 'pear\napple\nfig\napple\n' >"$T/seed/a.txt"
printf 'kiwi\nfig\nplum\n' >"$T/seed/b.txt"
printf 'one\n' >"$T/seed/sub/c.txt"
printf 'two\n' >"$T/seed/sub/deeper/d.txt"
printf '#!/bin/sh\ncat "$@"\n' >"$T/seed/cat.sh"
chmod 755 "$T/seed/cat.sh"
touch -d '2020-01-02 03:04:05' "$T/seed/a.txt" "$T/seed/b.txt" "$T/seed/sub/c.txt" \
	"$T/seed/sub/deeper/d.txt" "$T/seed/cat.sh" "$T/seed/sub/deeper" "$T/seed/sub" "$T/seed"

fresh() { rm -rf "$T/w" && cp -a "$T/seed" "$T/w"; }

# strace -f -o output -> PID<TAB>CALL<TAB>ok|fail<TAB>ARG<TAB>CLASS, one line
# per completed call (the <unfinished ...> and <... resumed> halves joined
# per pid; calls that never returned, "= ?", dropped: no status to compare).
# CLASS: "loader" (see the head of this file) or "-".
strace_calls() {
	awk -v OFS='\t' '
	function unq(s) { s = substr(s, 2, length(s) - 2); gsub(/\\"/, "\"", s); gsub(/\\\\/, "\\", s); return s }
	# grab(TEXT, KEY): the value after KEY (a plain string) up to the next
	# quote or parenthesis: grab(t, "sin_port=htons(") -> "8080".
	function grab(t, key,   i, v) {
		i = index(t, key)
		if (!i) return ""
		v = substr(t, i + length(key)); sub(/["),].*/, "", v)
		return v
	}
	function addr(t) {
		if (t ~ /sa_family=AF_UNIX/) {
			if (match(t, /sun_path="([^"\\]|\\.)*"/)) return "unix " unq(substr(t, RSTART + 9, RLENGTH - 9))
			return "unix "
		}
		if (t ~ /sa_family=AF_INET6/)
			return "inet6 [" grab(t, "inet_pton(AF_INET6, \"") "]:" grab(t, "sin6_port=htons(")
		if (t ~ /sa_family=AF_INET[,}]/)
			return "inet " grab(t, "inet_addr(\"") ":" grab(t, "sin_port=htons(")
		if (match(t, /sa_family=[A-Z0-9_]+/)) return "family " substr(t, RSTART + 10, RLENGTH - 10)
		return "<none>"
	}
	function emit(pid, text,   name, arg, ret, st, cls) {
		name = text; sub(/\(.*/, "", name)
		if (name != "open" && name != "openat" && name != "execve" && name != "connect") {
			loader[pid] = 0
			return
		}
		if (!match(text, /\) += (-?[0-9]+|\?)( [A-Z].*)?$/)) return
		ret = substr(text, RSTART, RLENGTH); sub(/^\) += /, "", ret); sub(/ .*/, "", ret)
		if (ret == "?") return
		st = (ret + 0 < 0) ? "fail" : "ok"
		if (name == "connect") arg = addr(text)
		else if (match(text, /"([^"\\]|\\.)*"/)) arg = unq(substr(text, RSTART, RLENGTH))
		else arg = "<none>"
		cls = "-"
		if (name == "execve") {
			loader[pid] = (st == "ok")
		} else if (loader[pid] && (arg == "/etc/ld.so.cache" || arg == "/etc/ld.so.preload" ||
					   arg ~ /\.so(\.[0-9]+)*$/)) {
			cls = "loader"
		} else {
			loader[pid] = 0
		}
		print pid, name, st, arg, cls
	}
	{
		pid = $1; line = $0; sub(/^[0-9]+ +/, "", line)
		if (line ~ /^(\+\+\+|---) /) next
		if (line ~ / <unfinished \.\.\.>$/) { sub(/ <unfinished \.\.\.>$/, "", line); pend[pid] = line; next }
		if (line ~ /^<\.\.\. [a-z0-9_]+ resumed>/) {
			sub(/^<\.\.\. [a-z0-9_]+ resumed>/, "", line)
			line = pend[pid] line; delete pend[pid]
		}
		emit(pid, line)
	}' "$1"
}

# compare ORACLE OURS EXEMPT WILD: prints "missing", "extra" and "exempt"
# lines (COUNT<TAB>CALL<TAB>STATUS<TAB>ARG); EXEMPT=1 lets the
# loader calls be missing; WILD=1 lets a call without exit ("?") stand for
# either status (unotify writes exits only where it can know them).
compare() {
	awk -F '\t' -v exempt="$3" -v wild="$4" '
	FNR == NR {
		k = $2 FS $3 FS $4; want[k]++
		if (exempt && $5 != "-") { ex[k]++; excls[k] = $5 }
		next
	}
	$3 == "?" { q[$2 FS $4]++; next }
	{ have[$2 FS $3 FS $4]++ }
	END {
		for (k in want) {
			m = have[k] + 0 < want[k] ? have[k] + 0 : want[k]
			want[k] -= m; have[k] -= m
		}
		if (wild) for (k in want) if (want[k] > 0) {
			split(k, f, FS); ck = f[1] FS f[3]
			m = q[ck] + 0 < want[k] ? q[ck] + 0 : want[k]
			want[k] -= m; q[ck] -= m
		}
		for (k in want) if (want[k] > 0) {
			e = ex[k] + 0 < want[k] ? ex[k] + 0 : want[k]
			if (e) printf "exempt\t%d\t%s\t%s\n", e, excls[k], k
			if (want[k] > e) printf "missing\t%d\t%s\n", want[k] - e, k
		}
		for (k in have) if (have[k] > 0) printf "extra\t%d\t%s\n", have[k], k
		for (ck in q) if (q[ck] > 0) { split(ck, f, FS); printf "extra\t%d\t%s\t?\t%s\n", q[ck], f[1], f[2] }
	}' "$1" "$2" | sort
}

# check NAME KIND -- CMD ARGS...
#   KIND: dynamic, static, or mixed (a dynamic program that execs a static one)
check() {
	name=$1 kind=$2
	shift 3
	fails0=$fails
	if [ "$kind" != dynamic ] && [ $STATIC_OK = 0 ]; then
		echo "skip: $ENGINE $name: $STATIC_WHY"
		return
	fi
	fresh
	(cd "$T/w" && cmd_env && "$@") >"$T/$name.native" 2>/dev/null </dev/null
	nrc=$?
	fresh
	(cd "$T/w" && cmd_env && strace -f -qq -e trace=open,openat,execve,connect -o "$T/$name.strace" "$@") \
		>/dev/null 2>&1 </dev/null
	strace_calls "$T/$name.strace" >"$T/$name.oracle"
	if [ ! -s "$T/$name.oracle" ]; then
		fail "$name: strace recorded no calls"
		return
	fi
	fresh
	(cd "$T/w" && "$UDIG" run --engine="$ENGINE" -w "$T/$name.scap" -- "$@") \
		>"$T/$name.udig" 2>"$T/$name.udig.err" </dev/null
	rc=$?
	[ $rc = $nrc ] || { fail "$name: exit status $rc under udig, $nrc natively"; sed 's/^/  | /' "$T/$name.udig.err"; }
	if ! cmp -s "$T/$name.native" "$T/$name.udig"; then
		fail "$name: stdout differs from the native run"
		diff "$T/$name.native" "$T/$name.udig" | head -n 20
	fi
	if ! "$OCALLS" "$T/$name.scap" >"$T/$name.ours" 2>"$T/$name.ocalls.err"; then
		fail "$name: cannot read the capture: $(cat "$T/$name.ocalls.err")"
		return
	fi
	if [ -s "$T/$name.ocalls.err" ]; then
		fail "$name: inconsistent records"
		cat "$T/$name.ocalls.err"
	fi
	ex=0
	[ "$ENGINE" = preload ] && ex=1
	[ "$ENGINE" = auto ] && [ "$kind" != static ] && ex=1
	wild=0
	[ "$ENGINE" = unotify ] && wild=1
	compare "$T/$name.oracle" "$T/$name.ours" $ex $wild >"$T/$name.diff"
	if grep -q '^missing\|^extra' "$T/$name.diff"; then
		fail "$name: capture differs from strace (missing: strace saw it, udig did not; extra: the reverse)"
		grep '^missing\|^extra' "$T/$name.diff" | sed 's/^/  /'
	fi
	nexempt=$(awk -F '\t' '$1 == "exempt" { n += $2 } END { print n + 0 }' "$T/$name.diff")
	[ $fails = $fails0 ] && echo "ok: $ENGINE $name: $(wc -l <"$T/$name.oracle") calls in strace, all captured but $nexempt exempt ones"
	[ $nexempt = 0 ] || grep '^exempt' "$T/$name.diff" | sed 's/^exempt/  missed (exempt)/'
}

# A free port for the TCP workload: the native run tells (owork exits 75
# when it cannot bind); the strace and udig runs then use the same port.
tcp_port() {
	p=$((20000 + $$ % 20000))
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		"$1" tcp "$p" >/dev/null 2>&1 </dev/null
		[ $? != 75 ] && { echo "$p"; return; }
		p=$((p + 1))
	done
	echo "$p"
}

run_all() {
	# Shell pipelines, redirections, a script run through its #! line.
	check pipeline dynamic -- /bin/sh -c 'cat a.txt b.txt | sort | uniq -c | wc -l'
	check redirect dynamic -- /bin/sh -c '(cat a.txt; cat missing.txt 2>/dev/null) >o.txt; sort <o.txt >s.txt; ./cat.sh s.txt nothere; echo "status $?"'
	# Coreutils and friends.
	check ls dynamic -- /bin/ls -l . sub
	check cat-fail dynamic -- /bin/cat a.txt /nonexistent/udig-oracle-file
	check sort dynamic -- /usr/bin/sort -o sorted.txt a.txt b.txt
	check tar dynamic -- /bin/sh -c 'tar -czf x.tgz sub a.txt && mkdir d && tar -xzf x.tgz -C d && tar -tzf x.tgz | sort'
	check find-cp-rm dynamic -- /bin/sh -c 'cp -r sub copy && find . -name "*.txt" | sort && rm -r copy && ls'
	# fork/exec chains; an exec through env -i (the preload variables gone).
	check shell-chain dynamic -- /bin/sh -c '/bin/sh -c "exec /bin/cat b.txt" && env cat a.txt | wc -l'
	check env-i dynamic -- /usr/bin/env -i PATH=/usr/bin:/bin /bin/sh -c 'exec env -i /bin/cat a.txt'
	# Our own program: threads, fork/exec chain, vfork, posix_spawn, TCP, env -i.
	for k in dynamic static; do
		wl=$OWORK
		[ $k = static ] && wl=$OWORK_STATIC
		if [ $k = static ] && [ $STATIC_OK = 0 ]; then
			echo "skip: $ENGINE owork_static (threads fork vfork spawn tcp envi): $STATIC_WHY"
			continue
		fi
		check "$k-threads" $k -- "$wl" threads
		check "$k-fork" $k -- "$wl" fork
		check "$k-vfork" $k -- "$wl" vfork
		check "$k-spawn" $k -- "$wl" spawn
		check "$k-tcp" $k -- "$wl" tcp "$(tcp_port "$wl")"
		check "$k-envi" $k -- "$wl" envi
	done
	# A shell (dynamic) that runs the static program, then the dynamic one.
	check mixed mixed -- /bin/sh -c "$OWORK_STATIC vfork; $OWORK leaf /etc/hostname"
}

run_all
echo "$ENGINE: $(($(date +%s) - started)) s"
[ $fails = 0 ] && exit 0
echo "$fails failure(s)"
exit 1
