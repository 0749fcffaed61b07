#!/bin/sh
# An installed udig runs from any prefix (issue 13):
#  - `make install prefix=DIR` (a prefix other than configure's) installs,
#    and the installed udig uses the installed libcapture.so.0 and
#    libudig.so (no LD_LIBRARY_PATH, no build tree): it captures a program
#    and reads the capture back; the man pages are there; libcapture.pc
#    points into DIR, and a program built with its flags reads the capture
#    event for event as udig does; `make uninstall prefix=DIR` leaves no file;
#  - `make install DESTDIR=D`: D's udig runs, and pkg-config reads D's
#    libcapture.pc with PKG_CONFIG_SYSROOT_DIR=D.
set -u
b=${top_builddir:-.}
b=$(cd "$b" && pwd)
command -v make >/dev/null || { echo "SKIP: no make"; exit 77; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fail=1; }
# the nested make must not take part in the jobs of the `make check` above
mk() { env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$b" "$@" >"$tmp/make.log" 2>&1; }
# what runs installed sees neither the build tree's libraries nor its preload
clean_env() { env -u LD_LIBRARY_PATH -u UDIG_PRELOAD -u LD_PRELOAD "$@"; }

p=$tmp/prefix
mk install prefix="$p" || { cat "$tmp/make.log"; echo "FAIL: make install prefix=$p"; exit 1; }
ok "make install prefix=DIR"

clean_env "$p/bin/udig" --version >"$tmp/v" 2>&1 && grep -q '^udig ' "$tmp/v" && ok "installed udig --version: $(cat "$tmp/v")" ||
	bad "installed udig --version: $(cat "$tmp/v")"
lib=$(clean_env ldd "$p/bin/udig" | awk '$1 == "libcapture.so.0" { print $3 }')
[ "$(readlink -f "$lib")" = "$(readlink -f "$p/lib/libcapture.so.0")" ] && ok "udig links the installed libcapture" ||
	bad "udig links '$lib', not $p/lib/libcapture.so.0"

cd "$tmp" || exit 1
if clean_env "$p/bin/udig" run -v -w c.scap -- cat /etc/hostname >/dev/null 2>"$tmp/run.err"; then
	clean_env "$p/bin/udig" read c.scap 'evt.type=openat and evt.dir=< and fd.name=/etc/hostname' >r.txt 2>&1
	grep -q 'cat .* openat fd=[0-9]*(<f>/etc/hostname)' r.txt && ok "installed udig captures cat and reads it back" ||
		bad "installed run/read: $(head -c 300 r.txt) $(cat "$tmp/run.err")"
	# the preload library udig gave the program is the installed one (-v names it)
	grep -q "^udig: engine .*; $(readlink -f "$p/lib/udig/libudig.so")\$" "$tmp/run.err" &&
		ok "the installed libudig.so was preloaded" || bad "preload library: $(head -n 1 "$tmp/run.err")"
else
	bad "installed udig run: $(cat "$tmp/run.err")"
fi

for m in man1/udig.1 man3/libcapture.3; do
	[ -s "$p/share/man/$m" ] && ok "man page $m" || bad "no $p/share/man/$m"
done
[ -s "$p/share/bash-completion/completions/udig" ] && ok "bash completion" || bad "no bash completion"

if command -v pkg-config >/dev/null && command -v cc >/dev/null; then
	flags=$(PKG_CONFIG_PATH="$p/lib/pkgconfig" pkg-config --cflags --libs libcapture)
	case $flags in *"-I$p/include"*"-L$p/lib"*) ok "pkg-config libcapture: $flags" ;; *) bad "pkg-config libcapture: '$flags'" ;; esac
	cat >count.c <<'EOF'
#include <stdio.h>
#include <udig/capture.h>
int main(int argc, char **argv)
{
	char err[UDIG_ERRBUF_SIZE];
	udig_capture *c = argc > 1 ? udig_open_file(argv[1], err) : NULL;
	if (!c)
		return fprintf(stderr, "%s\n", argc > 1 ? err : "usage: count FILE"), 1;
	struct udig_evt ev;
	unsigned long n = 0;
	while (udig_next(c, &ev) == UDIG_OK)
		n++;
	printf("%lu\n", n);
	udig_close(c);
	return 0;
}
EOF
	# a sanitizer build's libcapture needs its runtime in the program too
	san=
	ldd "$p/lib/libcapture.so.0" | grep -q libasan && san="-fsanitize=address,undefined"
	# shellcheck disable=SC2086 # the flags are words
	if cc $san count.c $flags -Wl,-rpath,"$p/lib" -o count 2>cc.err; then
		if [ -s c.scap ]; then
			n=$(clean_env ./count c.scap) && [ "$n" = "$(clean_env "$p/bin/udig" read c.scap | wc -l)" ] &&
				ok "a program built with pkg-config reads the capture: $n events" || bad "count: '$n'"
		fi
	else
		bad "cc with pkg-config's flags: $(head -c 300 cc.err)"
	fi
else
	echo "NOTE: no pkg-config or cc: libcapture.pc not used"
fi

mk uninstall prefix="$p" || bad "make uninstall prefix=DIR: $(tail -n 3 "$tmp/make.log")"
left=$(find "$p" -type f -o -type l 2>/dev/null | head -n 3)
[ -z "$left" ] && ok "make uninstall prefix=DIR leaves no file" || bad "left after uninstall: $left"

d=$tmp/destdir
if mk install DESTDIR="$d"; then
	u=$(find "$d" -path '*/bin/udig' | head -n 1)
	[ -n "$u" ] && clean_env "$u" --version >"$tmp/v" 2>&1 && ok "DESTDIR udig --version: $(cat "$tmp/v")" ||
		bad "DESTDIR udig: '$u' $(cat "$tmp/v" 2>/dev/null)"
	pc=$(find "$d" -name libcapture.pc | head -n 1)
	if [ -n "$pc" ] && command -v pkg-config >/dev/null; then
		inc=$(PKG_CONFIG_SYSROOT_DIR="$d" PKG_CONFIG_PATH=$(dirname "$pc") pkg-config --cflags-only-I libcapture)
		inc=${inc#-I}
		inc=${inc%% *}
		[ -f "$inc/udig/capture.h" ] && ok "pkg-config with PKG_CONFIG_SYSROOT_DIR finds the DESTDIR headers" ||
			bad "DESTDIR pkg-config: -I'$inc'"
	fi
else
	bad "make install DESTDIR: $(tail -n 3 "$tmp/make.log")"
fi
exit $fail
