#!/bin/sh
# Set-ID programs under `udig run`: a set-user-ID program (passwd, from
# Debian's essential passwd package) and a set-group-ID one (chage) must
# never run silently without their privileges.  Checked as the invoking
# user and, when that is root, again as nobody (uid 65534):
#   - the default engine: same output and status as native (an unprivileged
#     udig runs it natively, uncaptured, and says so in its stats line);
#   - --engine=ptrace / unotify: same output as native (root keeps the
#     privileges), or refused before anything runs, with a message naming
#     the program, its bit and the alternatives;
#   - nested in a shell under every engine: same output as native (root),
#     or the exec refused with EPERM and a message — never the
#     unprivileged output.
set -u
b=${top_builddir:-.}
udig=$(cd "$b/tools" && pwd)/udig
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
chmod 1777 "$tmp"
fail=0
bad() { echo "FAIL: $*"; fail=1; }
ok() { echo "ok: $*"; }

passwd=$(command -v passwd) || { echo "SKIP: no passwd"; exit 77; }
chage=$(command -v chage) || { echo "SKIP: no chage"; exit 77; }
[ -u "$passwd" ] && [ -g "$chage" ] || { echo "SKIP: passwd not set-user-ID or chage not set-group-ID"; exit 77; }
# Where the kernel ignores the bits natively too, there is nothing to keep.
findmnt -no OPTIONS -T "$passwd" 2>/dev/null | grep -qw nosuid && { echo "SKIP: $passwd is on a nosuid mount"; exit 77; }
grep -q '^NoNewPrivs:[[:space:]]*1' /proc/self/status && { echo "SKIP: running with no_new_privs"; exit 77; }
nobody="setpriv --reuid=65534 --regid=65534 --clear-groups env HOME=/ TMPDIR=$tmp"

# as WHO ENGINE-OR-native CMD...: runs CMD (natively, or under udig with
# that engine) as WHO ("self" or "nobody"); stdout in $tmp/out, stderr in
# $tmp/err, status in $st.
as() {
	who=$1 engine=$2
	shift 2
	pre=""
	[ "$who" = nobody ] && pre=$nobody
	if [ "$engine" = native ]; then
		$pre "$@" >"$tmp/out" 2>"$tmp/err"
	elif [ "$engine" = default ]; then
		$pre "$udig" run -w "$tmp/c.scap" -- "$@" >"$tmp/out" 2>"$tmp/err"
	else
		$pre "$udig" run --engine="$engine" -w "$tmp/c.scap" -- "$@" >"$tmp/out" 2>"$tmp/err"
	fi
	st=$?
	rm -f "$tmp/c.scap"
}

# native WHO CMD...: the reference output ($tmp/native) and status ($nst).
native() {
	who=$1
	shift
	as "$who" native "$@"
	nst=$st
	cp "$tmp/out" "$tmp/native"
}

same_as_native() { # label
	if [ "$st" != "$nst" ] || ! cmp -s "$tmp/out" "$tmp/native"; then
		bad "$1: status $st (native $nst), output: $(head -c 200 "$tmp/out") / native: $(head -c 200 "$tmp/native"); stderr: $(head -c 400 "$tmp/err")"
	else
		ok "$1: as native ($(head -n 1 "$tmp/out" | cut -c1-60))"
	fi
}

check_user() { # self|nobody
	who=$1
	if [ "$who" = self ]; then
		uid=$(id -u) name=$(id -un)
	else
		uid=65534 name=$($nobody id -un)
	fi
	for prog in passwd chage; do
		if [ $prog = passwd ]; then
			cmd="passwd -S $name" bit="set-user-ID root"
		else
			cmd="chage -l $name" bit="set-group-ID shadow"
		fi
		native "$who" $cmd

		# The command itself.
		as "$who" default $cmd
		same_as_native "$who: udig run -- $cmd"
		if [ "$uid" != 0 ]; then
			grep -q "is $bit: it runs natively, uncaptured" "$tmp/err" &&
				grep -q 'set-ID program run uncaptured' "$tmp/err" ||
				bad "$who: default engine on $prog: no notice in stderr: $(cat "$tmp/err")"
		fi
		for e in ptrace unotify; do
			as "$who" $e $cmd
			if [ "$uid" = 0 ]; then
				# Root's filter needs no no_new_privs, its tracer keeps privileges.
				same_as_native "$who: udig run --engine=$e -- $cmd"
			elif [ "$st" = 2 ] && [ ! -s "$tmp/out" ] && grep -q "is $bit: under --engine=$e" "$tmp/err" &&
				grep -q -- '--engine=preload' "$tmp/err" && grep -q 'root' "$tmp/err"; then
				ok "$who: --engine=$e -- $prog refused: $(cut -c1-100 "$tmp/err")"
			else
				bad "$who: --engine=$e -- $cmd: status $st, stdout $(head -c 200 "$tmp/out"), stderr $(head -c 400 "$tmp/err")"
			fi
		done

		# Nested in a shell: the tracer meets the exec.
		native "$who" sh -c "$cmd; echo status \$?"
		for e in default ptrace unotify; do
			as "$who" $e sh -c "$cmd; echo status \$?"
			if [ "$uid" = 0 ]; then
				same_as_native "$who: nested $prog under $e"
			elif grep -q "refused the exec of .*$prog ($bit)" "$tmp/err" && grep -q 'set-ID execs\? refused' "$tmp/err" &&
				! grep -q "^$name " "$tmp/out" && grep -q '^status 126$' "$tmp/out"; then
				ok "$who: nested $prog under $e refused: $(head -n 1 "$tmp/err" | cut -c1-100)"
			else
				bad "$who: nested $prog under $e: stdout $(head -c 200 "$tmp/out"), stderr $(head -c 600 "$tmp/err")"
			fi
		done
	done
}

check_user self
if [ "$(id -u)" = 0 ]; then
	if $nobody test -x "$udig" 2>/dev/null; then
		check_user nobody
	else
		echo "skip: the build tree is not accessible to nobody"
	fi
fi
exit $fail
