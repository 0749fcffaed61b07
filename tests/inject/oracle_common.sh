# The strace oracle over the workloads, for engine $ENGINE (sourced).
. "$(dirname "$0")/lib.sh"
need strace

check_workload() {
	name=$1; shift
	# Reference run: output and status without capture.
	( cd "$T" && "$@" ) >"$T/$name.ref.out" 2>&1; ref=$?
	( cd "$T" && strace -f -qq -o "$T/$name.strace" "$@" ) >/dev/null 2>&1
	strace_calls "$T/$name.strace" >"$T/$name.oracle"
	[ -s "$T/$name.oracle" ] || fail "$name: strace saw no calls"
	( cd "$T" && "$INJ" --engine="$ENGINE" --out="$T/$name.bin" -- "$@" ) >"$T/$name.out" 2>&1; rc=$?
	[ "$rc" = "$ref" ] || fail "$name: exit status $rc under $ENGINE, $ref without"
	cmp -s "$T/$name.ref.out" "$T/$name.out" || { diff "$T/$name.ref.out" "$T/$name.out"; fail "$name: output differs"; }
	our_calls "$T/$name.bin" >"$T/$name.ours"
	if [ "$ENGINE" = unotify ]; then
		covers "$T/$name.oracle" "$T/$name.ours" nostatus || fail "$name: capture misses calls strace saw"
		grep -q ' ok \| fail ' "$T/$name.ours" && fail "$name: unotify wrote an exit record"
	else
		covers "$T/$name.oracle" "$T/$name.ours" || fail "$name: capture misses calls strace saw"
		grep -q ' ? ' "$T/$name.ours" && fail "$name: an enter without its exit under ptrace"
	fi
	echo "ok: $ENGINE $name ($(wc -l <"$T/$name.oracle") strace calls covered)"
}

check_workload static "$WL" main
check_workload shell sh -c 'cat /etc/hostname | wc -c'
check_workload envchain env -i PATH=/usr/bin:/bin sh -c 'exec env -i /usr/bin/cat /etc/hostname'
