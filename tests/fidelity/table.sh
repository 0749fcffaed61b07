#!/bin/sh
# The process table a `udig run` capture starts with.  udig scans /proc
# while the command already starts (the scan overlaps the launch), yet the
# table must be what a scan before the launch would have made: udig and
# its ancestors, and none of the command's own, whose fork, exec and every
# later change its events tell.  No one else either: every event comes
# from the command, so the rest of the machine is neither scanned (a cost
# that grows with the machine) nor kept in the file (their command lines,
# environments and fds are none of its business) — here a process this
# script started beside udig.  The command here (sh, and a sleep it
# starts) lives through the whole scan.  Under --drop the scan comes
# before the launch (a stalled drain would drop events): the same table.
set -u
b=${top_builddir:-.}
udig="$b/tools/udig"
fcheck="$b/tests/fidelity/fcheck"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/udig-table.XXXXXX") || exit 1
sleep 60 &
bystander=$!
trap 'kill $bystander 2>/dev/null; rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
ok() { echo "ok: $*"; }

for spec in auto preload ptrace unotify auto:--drop; do
	engine=${spec%%:*}
	extra=
	[ "$spec" = "$engine" ] || extra=${spec#*:}
	names=""
	f="$tmp/$engine$extra.scap"
	"$udig" run --engine=$engine $extra -w "$f" -- sh -c 'sleep 0.4 & wait' 2>"$tmp/err" &
	upid=$!
	wait $upid || { bad "$engine: udig run failed: $(cat "$tmp/err")"; continue; }
	"$fcheck" table "$f" > "$tmp/table" || { bad "$engine: fcheck table failed"; continue; }
	"$fcheck" tids "$f" execve | sort -u > "$tmp/cmd"
	[ "$(wc -l < "$tmp/cmd")" -ge 2 ] || { bad "$engine: the command's two execs are not captured"; continue; }
	n=$(wc -l < "$tmp/table")
	[ "$n" -ge 3 ] || bad "$engine: the table holds only $n threads"
	grep -q "^$upid $upid " "$tmp/table" || bad "$engine: udig ($upid) is missing from the table"
	grep -q "^$$ $$ " "$tmp/table" || bad "$engine: udig's parent, this shell ($$), is missing from the table"
	! grep -q "^$bystander " "$tmp/table" || bad "$engine: a process beside udig ($bystander) is in the table"
	kept=""
	while read -r tid; do
		awk -v t="$tid" '$1 == t || $2 == t { found = 1 } END { exit !found }' "$tmp/table" && kept="$kept $tid"
	done < "$tmp/cmd"
	[ -z "$kept" ] || bad "$engine: the command's processes$kept are in the table it started with"
	# Their state comes from their events: sleep's parent is sh, sh's udig
	# (not under unotify, which sees no exit event, execve's included).
	[ $engine = unotify ] || names=$("$udig" read "$f" -p '%proc.name %proc.pname %proc.aname[2]' "evt.type=nanosleep or evt.type=clock_nanosleep" 2>&1 | sort -u)
	[ $engine = unotify ] || [ "$names" = "sleep sh udig" ] || bad "$engine: sleep's ancestry reads '$names', not 'sleep sh udig'"
	[ "$fail" = 0 ] && ok "$engine${extra:+ $extra}: $n threads in the table, none of the command's"
done

# udig attach: the target's line — the target with its fds, and its
# ancestors up from this shell — and no one else: not the bystander, not
# udig, whose own events are never shown.
sh -c 'exec 7</etc/hostname; while sleep 0.05; do :; done' &
target=$!
f="$tmp/attach.scap"
"$udig" attach -w "$f" "$target" 2>"$tmp/err" &
upid=$!
sleep 0.5
kill -INT $upid
if ! wait $upid; then
	bad "attach: udig attach failed: $(cat "$tmp/err")"
elif ! "$b/tests/fidelity/fcheck" table "$f" > "$tmp/table"; then
	bad "attach: fcheck table failed"
else
	grep -q "^$target $target $$ " "$tmp/table" || bad "attach: the target ($target) is missing from the table"
	grep -q "^$$ $$ " "$tmp/table" || bad "attach: the target's parent, this shell ($$), is missing from the table"
	! grep -q "^$bystander " "$tmp/table" || bad "attach: a process beside the target ($bystander) is in the table"
	! grep -q "^$upid " "$tmp/table" || bad "attach: udig ($upid) is in the table"
	"$b/tests/fidelity/fcheck" fds "$f" "$target" | grep -q '^7 /etc/hostname$' ||
		bad "attach: the target's fd 7 is not /etc/hostname in the table"
	[ "$fail" = 0 ] && ok "attach: $(wc -l < "$tmp/table") threads in the table, the target's line"
fi
kill $target 2>/dev/null
exit $fail
