#!/bin/sh
# The same oracle for the unotify engine: every call strace sees is in the
# capture as an enter with the right path; no exit records are invented.
ENGINE=unotify
. "$(dirname "$0")/oracle_common.sh"
"$EVDUMP" "$T/static.bin" | grep -q '^EVT [0-9]* E procexit status=1792 ret=7 ' || fail "root procexit with its real status"
echo "ok: root procexit"
