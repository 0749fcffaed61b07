#!/bin/sh
# Every open/openat/execve/connect `strace -f` sees (path and success) is in
# the ptrace capture as enter + exit with a matching result; output and exit
# status unchanged.  Plus the process-lifecycle records of the static workload.
ENGINE=ptrace
. "$(dirname "$0")/oracle_common.sh"

D="$T/static.dump"
"$EVDUMP" "$T/static.bin" >"$D" || fail "unparsable capture"
root=$(awk '$1 == "EVT" && $4 == "execve" { print $2; exit }' "$D")
[ -n "$root" ] || fail "no execve of the root"
# Parent-side clone exits (res = child tid) each have the child-side one
# (res = 0, header tid = child), written before anything else of the child.
awk -v root="$root" '
	$1 == "EVT" && !($2 in first) { first[$2] = $3 " " $4 " " $5 }
	$1 == "CALL" && $3 ~ /^(clone|clone3|fork|vfork)$/ && $4 > 0 { parent[$4] = $3; n++ }
	$1 == "CALL" && $3 ~ /^(clone|clone3|fork|vfork)$/ && $4 == 0 { child[$2] = $3 }
	$1 == "EVT" && $4 == "procexit" { ex[$2] = $0 }
	END {
		bad = 0
		if (n < 6) { print "only " n " parent-side clone exits"; bad = 1 }
		for (c in parent) {
			if (child[c] != parent[c]) { print "child " c ": no child-side " parent[c] " exit"; bad = 1 }
			if (first[c] !~ /^X (clone|clone3|fork|vfork) res=0$/) { print "child " c " first record: " first[c]; bad = 1 }
			if (!(c in ex)) { print "child " c ": no procexit"; bad = 1 }
		}
		if (ex[root] !~ / ret=7 /) { print "root procexit: " ex[root]; bad = 1 }
		exit bad
	}' "$D" || fail "process lifecycle records"
grep -q '^CALL [0-9]* execve -2 /nonexistent/udig-prog$' "$D" || fail "failed execve not captured with ENOENT"
[ "$(grep -c '^CALL [0-9]* execve 0 /proc/self/exe$' "$D")" = 2 ] || fail "vfork+exec and posix_spawn execs"
# exec of /proc/self/exe: the new image's comm is "exe" (the old one was "workload").
[ "$(grep -c '^EVT [0-9]* X execve res=0 exe=workload .* comm=exe ' "$D")" = 2 ] || fail "execve exit lacks the new image's facts"
# procexit of the forked child carries its real exit code.
grep -q '^EVT [0-9]* E procexit status=768 ret=3 ' "$D" || fail "fork child's procexit status"
echo "ok: lifecycle records"
