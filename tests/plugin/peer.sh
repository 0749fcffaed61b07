#!/bin/sh
# libudig-falco.so inside the real modern consumer: libs 0.25.4's
# sinsp-example (../shared/peers).  run= and ring (with a preloaded
# program) must give libsinsp the events with their process and fd state,
# and sinsp-example must exit 0 (an event in the wrong layout aborts it).
# Skips (77) when the peer is absent or cannot run here.
top=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
b=${top_builddir:-$(pwd)}
peers=${UDIG_PEERS:-$top/../shared/peers}
peer=$peers/bin/sinsp-example
plugin=$b/plugin/.libs/libudig-falco.so
udig=$b/tools/udig
lib=$b/udig/preload/.libs/libudig.so
[ -x "$peer" ] || { echo "SKIP: no $peer"; exit 77; }
[ -r "$plugin" ] || { echo "SKIP: $plugin not built"; exit 77; }
# An ASan-built plugin cannot be loaded into the uninstrumented peer; under
# sanitizers the dlopen host (test_plugin_host) drives the plugin instead.
if ldd "$plugin" 2>/dev/null | grep -q 'libasan'; then
	echo "SKIP: sanitizer build (the peer cannot load an ASan plugin)"
	exit 77
fi
if [ "$(id -u)" = 0 ] && ! "$peer" --help >/dev/null 2>&1; then
	sh "$peers/install-runtime.sh" >/dev/null 2>&1
fi
"$peer" --help >/dev/null 2>&1 || { echo "SKIP: $peer cannot run (runtime: sh $peers/install-runtime.sh as root)"; exit 77; }
# The plugin links the build tree's libcapture.
LD_LIBRARY_PATH=$b/libcapture/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
export LD_LIBRARY_PATH
tmp=$(mktemp -d) || exit 1
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null
	rm -f "/dev/shm/udig-peer.$$.buf" "/dev/shm/udig-peer.$$.descs"
	rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }

# sinsp-example opens plugins with empty open parameters: the init
# config's "open" carries them.
cfg() { printf '{"udig":"%s","open":"%s"}' "$udig" "$1"; }
peer_run() { # CONFIG OUT [sinsp-example options...]
	c=$1 out=$2
	shift 2
	timeout 120 "$peer" -p "$plugin|$c" -a "$@" >"$out" 2>"$out.err"
	rc=$?
	[ $rc = 0 ] || { cat "$out.err"; fail "sinsp-example exited $rc ($*)"; }
}
want() { # FILE PATTERN WHAT
	grep -q -- "$2" "$1" || { echo "--- $1:"; head -50 "$1"; fail "$3"; }
}

# --- run=
c=$(cfg 'run=sh -c \"cat /etc/hostname\"')
peer_run "$c" "$tmp/open" -o '%evt.type %proc.name %proc.pname %fd.name' -f 'evt.type=openat'
want "$tmp/open" '^openat cat sh /etc/hostname$' "run=: openat of /etc/hostname by cat, child of sh"
peer_run "$c" "$tmp/exec" -o '%evt.type %proc.name %proc.cmdline' -f 'evt.type=execve'
want "$tmp/exec" '^execve cat cat /etc/hostname$' "run=: execve with proc.cmdline"
peer_run "$c" "$tmp/exit" -o '%evt.type %proc.name %proc.pname' -f 'evt.type=procexit'
want "$tmp/exit" '^procexit cat sh$' "run=: procexit of cat"
want "$tmp/exit" 'EOF' "run=: the capture ends with the command"
echo "ok: run= (openat, execve, procexit, EOF)"

# --- ring: a program preloaded by hand, outside any udig command
c=$(cfg "ring=udig-peer.$$.buf")
timeout 60 "$peer" -p "$plugin|$c" -a -o '%evt.type %proc.name %proc.pname %fd.name' \
	-f 'evt.type=openat and fd.name=/etc/hostname' >"$tmp/ring" 2>"$tmp/ring.err" &
pid=$!
n=0
until [ -e "/dev/shm/udig-peer.$$.descs" ]; do
	n=$((n + 1))
	[ $n -lt 200 ] || fail "ring: sinsp-example did not create the ring"
	sleep 0.05
done
# The /proc scan of libscap finds no threads on these machines, so a
# process is known to libsinsp only from captured events: the outer shell's
# fork (its clone records) creates the inner sh, whose fork creates cat.
LD_PRELOAD=$lib UDIG_RING=udig-peer.$$.buf UDIG_DESCS=udig-peer.$$.descs \
	sh -c "sh -c 'cat /etc/hostname >/dev/null; true'; true"
n=0
until grep -q '^openat cat' "$tmp/ring"; do
	n=$((n + 1))
	[ $n -lt 200 ] || break
	sleep 0.05
done
kill -INT "$pid"
wait "$pid"
rc=$?
pid=
[ $rc = 0 ] || { cat "$tmp/ring.err"; fail "ring: sinsp-example exited $rc"; }
want "$tmp/ring" '^openat cat sh /etc/hostname$' "ring: openat of /etc/hostname by cat, child of sh"
echo "ok: ring (preloaded program)"

# --- every event type udig produces, through the peer without an abort
if [ -x "$top/tests/plugin/workload.sh" ]; then
	"$top/tests/plugin/workload.sh" "$tmp" || exit 1
fi
exit 0
