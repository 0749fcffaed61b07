# Shared helpers of the inject tests (sourced).
set -u
B=${top_builddir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/inject
INJ=$B/inject_test
EVDUMP=$B/evdump
WL=$B/workload
T=$(mktemp -d "${TMPDIR:-/tmp}/udig-inject.XXXXXX")
chmod 755 "$T"
trap 'rm -rf "$T"' EXIT

# Sanitizer builds: LeakSanitizer cannot work under ptrace, and fails the
# process at exit.  For our programs run under strace.
NOLEAK="ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"

fail() { echo "FAIL: $*" >&2; exit 1; }
need() { command -v "$1" >/dev/null 2>&1 || { echo "SKIP: $1 not installed"; exit 77; }; }

# strace -f output (-o file) -> "name ok|fail path" for open/openat/execve/connect,
# one line per completed call; unfinished/resumed halves are joined per pid.
# $2: a pid whose lines are ignored (the capturing process itself), or 0.
strace_calls() {
	awk -v skip="${2:-0}" '
	function emit(pid, text,   name, path, ret, q) {
		if (pid == skip) return
		name = text; sub(/\(.*/, "", name)
		if (name != "open" && name != "openat" && name != "execve" && name != "connect") return
		path = "-"
		if (name != "connect" && match(text, /"[^"]*"/)) path = substr(text, RSTART + 1, RLENGTH - 2)
		if (!match(text, /\) += -?[0-9?]+/)) return
		ret = substr(text, RSTART, RLENGTH); sub(/.*= */, "", ret)
		if (ret == "?") return
		print name, (ret + 0 < 0 ? "fail" : "ok"), path
	}
	{
		pid = $1; line = $0; sub(/^[0-9]+ +/, "", line)
		if (line ~ /^(\+\+\+|---)/) next
		if (line ~ /<unfinished \.\.\.>$/) { sub(/ *<unfinished \.\.\.>$/, "", line); pend[pid] = line; next }
		if (line ~ /^<\.\.\. [a-z0-9_]+ resumed>/) { sub(/^<\.\.\. [a-z0-9_]+ resumed>/, "", line); line = pend[pid] line; delete pend[pid] }
		emit(pid, line)
	}' "$1"
}

# evdump CALL lines -> the same shape ("?" status when no exit was written).
our_calls() {
	"$EVDUMP" "$1" | awk '$1 == "CALL" && ($3 == "open" || $3 == "openat" || $3 == "execve" || $3 == "connect") {
		st = ($4 == "?") ? "?" : (($4 + 0 < 0) ? "fail" : "ok")
		print $3, st, ($3 == "connect" ? "-" : $5) }'
}

# Every line of oracle file $1 must appear in $2 at least as often.
# $3 = "nostatus": compare name and path only (unotify writes no exits).
covers() {
	awk -v mode="${3:-}" '
	function key(a, b, c) { return mode == "nostatus" ? a " " c : a " " b " " c }
	NR == FNR { want[key($1, $2, $3)]++; next }
	{ have[key($1, $2, $3)]++ }
	END {
		bad = 0
		for (k in want) if (have[k] < want[k]) { printf "missing: %s (strace %d, ours %d)\n", k, want[k], have[k] + 0; bad = 1 }
		exit bad
	}' "$1" "$2"
}
