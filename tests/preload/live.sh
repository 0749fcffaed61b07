#!/bin/sh
# libcapture's live consumer sees the events of a program run under the
# preload: every thread's events, enter/exit paired, process exit.
. "$top_srcdir/tests/preload/lib.sh"
for m in sud seccomp; do
	# 8 threads x 500 x (getppid + read): at least 16000 events
	if ! UDIG_INTERCEPT=$m "$TP/tp_live" 16000 "$LIB" "$TP/tp_threads" > "$WORK/live.out" 2>&1; then
		fail "$m: live consumer: $(cat "$WORK/live.out")"
	fi
	cat "$WORK/live.out"
	grep -q 'tids=9 ' "$WORK/live.out" || fail "$m: expected events from 9 threads"
done
finish
