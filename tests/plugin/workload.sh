#!/bin/sh
# Every event type udig produces goes through libudig-falco.so into the
# modern peer (sinsp-example, libs 0.25.4) without an abort: a workload of
# files, sockets, threads, signals, fork/exec chains and pipes is captured
# once (udig run -w), then read back both by `udig read -j` and by the peer
# through the plugin's file= source (-a -j).  Per event type, the peer must
# show every exit event udig shows (enter events are folded into their
# exits, as libsinsp 0.25's converter does) and the enter-only events
# (procexit...) it passes on.
# Usage: workload.sh TMPDIR (called by peer.sh, which sets the environment).
tmp=$1
top=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
b=${top_builddir:-$(pwd)}
peer=${UDIG_PEERS:-$top/../shared/peers}/bin/sinsp-example
plugin=$b/plugin/.libs/libudig-falco.so
w=$b/tests/inject/workload
command -v python3 >/dev/null || { echo "SKIP: workload comparison needs python3"; exit 0; }
[ -x "$w" ] || { echo "SKIP: $w not built"; exit 0; }
cd "$tmp" || exit 1
# static workload (ptrace) + dynamic shell pipelines (preload), one capture
"$b/tools/udig" run -s 256 -w "$tmp/w.scap" -- sh -c "
	'$w' main >/dev/null; '$w' signals >/dev/null 2>&1; '$w' die 2>/dev/null
	echo hello | tr a-z A-Z | wc -c >/dev/null; ls / /nonexistent >/dev/null 2>&1
	cat /etc/hostname > '$tmp/copy'; mv '$tmp/copy' '$tmp/copy2'; rm -f '$tmp/copy2'
	(sleep 0.01 &); wait; kill -0 \$\$; true" 2>"$tmp/run.err"
[ -s "$tmp/w.scap" ] || { cat "$tmp/run.err"; echo "FAIL: no capture"; exit 1; }
"$b/tools/udig" read -j "$tmp/w.scap" >"$tmp/udig.json" || { echo "FAIL: udig read"; exit 1; }
timeout 120 "$peer" -p "$plugin|{\"open\":\"file=$tmp/w.scap\"}" -a -j >"$tmp/peer.json" 2>"$tmp/peer.err"
rc=$?
[ $rc = 0 ] || { tail -5 "$tmp/peer.err"; echo "FAIL: sinsp-example exited $rc on the workload"; exit 1; }
python3 - "$tmp/udig.json" "$tmp/peer.json" <<'PY' || exit 1
import json, sys
from collections import Counter
def counts(path):
    c = Counter()
    for line in open(path, errors="replace"):
        if not line.startswith("{"):
            continue
        e = json.loads(line)
        c[(e["evt.type"], e.get("evt.dir", ""))] += 1
    return c
u, p = counts(sys.argv[1]), counts(sys.argv[2])
# The peer prints no direction: per type, it must show udig's exit events
# or, for a type udig shows only as enter events (procexit), those.
peer = Counter()
for (t, d), n in p.items():
    peer[t] += n
# Names the two syscall tables spell differently.
alias = {"sigreturn": "rt_sigreturn", "<unknown>": "unknown"}
# Syscalls that never return: udig shows their enter event; libsinsp 0.25
# folds every enter into its exit (as its converter does), and their end
# is the procexit.
folded = {"exit", "exit_group"}
bad = []
for t in sorted({t for t, d in u}):
    want = u[(t, "<")] or (0 if t in folded else u[(t, ">")])
    if peer[alias.get(t, t)] != want:
        bad.append("%s: udig %d, peer %d" % (t, want, peer[alias.get(t, t)]))
types = sorted({t for t, d in u})
print("workload: %d event types, %d udig events, %d peer events" % (len(types), sum(u.values()), sum(p.values())))
print("types: " + " ".join(types))
if bad:
    print("FAIL: the peer's events differ from udig read's:\n  " + "\n  ".join(bad))
    sys.exit(1)
PY
echo "ok: workload through the peer"
