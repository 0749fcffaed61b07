#!/bin/sh
# The same workload gives the same events under every engine that can see
# them: from the program's first own open on (before it, the preload engine
# cannot see the dynamic loader's work), the sequence of events — direction,
# type and arguments, with addresses masked (ASLR) — is identical under
# preload, ptrace and auto; unotify, which writes enter events only, gives
# exactly the enter events of that sequence.  A second kind of workload
# hands the kernel bad pointers (tests/preload/tp_faults): the events that
# carry the program's memory (paths, buffers) must agree too, whether the
# engine reads that memory directly (preload) or through the kernel.
set -u
b=${top_builddir:-.}
udig="$b/tools/udig"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0

# Events of the launched process (its pid is the first execve's) from its
# first openat matching START on, of the types matching TYPES, as
# "dir type args".
events() { # text capture, START, TYPES -> normalized lines
	awk -v start="$2" -v types="$3" '
		!pid && $7 == "execve" { pid = $5 }
		$5 != pid { next }
		!go && $7 == "openat" && $0 ~ start { go = 1 }
		go && $7 ~ types {
			line = ""
			for (i = 6; i <= NF; i++) line = line " " $i
			# (no {6,}: mawk has no brace intervals)
			gsub(/[0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f]+/, "ADDR", line)
			# A unix socket tuple starts with its kernel address, or its
			# inode where the address is hidden: any length, any run.
			gsub(/tuple=[0-9A-Fa-f]+->/, "tuple=ADDR->", line)
			# The preloaded image maps libudig.so too: its memory differs.
			gsub(/vm_(size|rss|swap)=[0-9]+/, "vm", line)
			# mkstemp names
			gsub(/tp_faults\.[A-Za-z0-9]+/, "tp_faults.TMP", line)
			print substr(line, 2)
		}' "$1"
}

# compare NAME START TYPES COMMAND...
compare() {
	name=$1 start=$2 types=$3
	shift 3
	for e in preload ptrace auto unotify; do
		"$udig" run --engine="$e" -o "$tmp/$name.$e.txt" -- "$@" >/dev/null 2>&1
		events "$tmp/$name.$e.txt" "$start" "$types" > "$tmp/$name.$e"
	done
	n=$(wc -l < "$tmp/$name.preload")
	[ "$n" -gt 10 ] || { echo "FAIL: $name: only $n events under preload"; fail=1; return; }
	for e in ptrace auto; do
		if cmp -s "$tmp/$name.preload" "$tmp/$name.$e"; then
			echo "ok: $name: $e = preload ($n events)"
		else
			echo "FAIL: $name: $e differs from preload:"; diff "$tmp/$name.preload" "$tmp/$name.$e" | head -10; fail=1
		fi
	done
	# Without exit events (the open's result) unotify's consumer cannot
	# name fds: compare numbers only.
	strip_names() { sed 's/\(fd=-\{0,1\}[0-9]*\)([^)]*)/\1/g' "$1"; }
	grep '^>' "$tmp/$name.preload" > "$tmp/$name.e"
	strip_names "$tmp/$name.e" > "$tmp/$name.enters"
	strip_names "$tmp/$name.unotify" > "$tmp/$name.un"
	if cmp -s "$tmp/$name.enters" "$tmp/$name.un"; then
		echo "ok: $name: unotify = the enter events of preload ($(wc -l < "$tmp/$name.enters"))"
	else
		echo "FAIL: $name: unotify differs from preload's enter events:"
		diff "$tmp/$name.enters" "$tmp/$name.un" | head -10; fail=1
	fi
}

for w in "cat /etc/hostname" "ls -l /etc/hostname /nonexistent" "sort /etc/passwd"; do
	compare "$(echo "$w" | cut -d' ' -f1)" locale-archive . $w
done
# From the first bad path on: opens, stats and writes (their buffers).
compare faults aaaaa '^(openat|stat|write)$' "$b/tests/preload/tp_faults"
exit $fail
