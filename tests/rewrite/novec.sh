#!/bin/sh
# The fast path saves no vector or x87 state (udig/rewrite/entry.S), which is
# sound only while nothing in libudig.so touches it: no such instruction in
# its code, and none of glibc's (vectorised) string functions among its
# imports — udig/preload/novec.c supplies them.  sites.sh checks the
# behaviour (vector registers survive rewritten sites); this checks the
# build, so that a new libc call or a missing -mgeneral-regs-only is named
# here rather than found as a corrupted register in some program.
set -u
: "${top_builddir:=.}"
lib=$top_builddir/udig/preload/.libs/libudig.so
[ -e "$lib" ] || { echo "missing $lib (make builds it)"; exit 99; }
command -v objdump >/dev/null && command -v nm >/dev/null || { echo "binutils (objdump, nm) not installed"; exit 77; }
fails=0

# 1. No vector, x87 or extended-state instruction in the library's code.
objdump -d --no-show-raw-insn "$lib" |
	awk '/^[0-9a-f]+ </ { fn = $2 } /%[xyz]mm[0-9]|%st(\(|,|$)|%k[0-7]|xsave|xrstor|fxsave|fxrstor|vzero|emms/ { print fn ": " $0 }' > novec.found
if [ -s novec.found ]; then
	echo "FAIL: vector or x87 instructions in libudig.so:"; head -20 novec.found
	fails=$((fails + 1))
fi
n=$(objdump -d --no-show-raw-insn "$lib" | grep -c 'syscall\|call')
[ "$n" -gt 100 ] || { echo "FAIL: objdump shows no code in $lib ($n calls)"; fails=$((fails + 1)); }

# 2. None of glibc's string functions imported: the hidden ones are used.
nm -D --undefined-only "$lib" | awk '{ print $2 }' | sed 's/@.*//' |
	grep -x -E 'mem(cpy|move|set|cmp|chr|rchr|pcpy)|__mem(cpy|move|set)_chk|str(len|nlen|chr|rchr|cmp|ncmp|cspn|spn|cpy|ncpy|cat|dup|str)|stp(cpy|ncpy)|bcopy|bzero|wmem.*|wcs.*' > novec.imports
if [ -s novec.imports ]; then
	echo "FAIL: libudig.so imports glibc string functions: $(tr '\n' ' ' < novec.imports)"
	fails=$((fails + 1))
fi
for f in memcpy memset strlen; do
	nm "$lib" 2>/dev/null | grep -q " [tT] $f\$" || nm -D "$lib" | grep -q " [tT] $f\$" ||
		objdump -t "$lib" | grep -q " $f\$" || { echo "FAIL: libudig.so has no $f of its own"; fails=$((fails + 1)); }
done
rm -f novec.found novec.imports
[ $fails = 0 ] && echo "libudig.so: no vector or x87 instruction, no glibc string function"
exit $((fails > 0))
