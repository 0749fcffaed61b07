#!/bin/sh
# Signal handlers on a small alternate stack (5.5 and 6 KB: plenty natively
# for the kernel's frame and a handler making a few syscalls) keep working
# under the preload engine, whose SIGSYS frames nest on that stack, and
# their syscalls are captured.  As root, then again as nobody.
. "$top_srcdir/tests/preload/lib.sh"
same "sud seccomp" 20 1 -- "$TP/tp_altstack" 5632
same "sud seccomp" 20 1 -- "$TP/tp_altstack" 6144
same "sud seccomp" 30 1 -- "$TP/tp_altstack" nested
# The handler's calls are in the capture, between the signal and its return.
UDIG=$top_builddir/tools/udig
"$UDIG" run --engine=preload -o "$WORK/events" -- "$TP/tp_altstack" 5632 > /dev/null 2> "$WORK/run.err" ||
	{ fail "udig run tp_altstack 5632: exit status $?"; cat "$WORK/run.err"; }
awk '/> tgkill .*SIGUSR1/ { on = 1 } on && /> (rt_)?sigreturn/ { on = 0 }
	on && /< write .*data=tp_altstack: handler/ { w = 1 }
	on && /> getpid/ { g = 1 }
	on && /< openat fd=[0-9]+\(<f>\/dev\/null\)/ { o = 1 }
	on && /< close res=0/ { c = 1 }
	on && /< (clock_)?nanosleep/ { n = 1 }
	END { exit !(w && g && o && c && n) }' "$WORK/events" ||
	{ fail "the handler's syscalls are not all captured"; cat "$WORK/events"; }
grep -Eq '< (rt_)?sigreturn' "$WORK/events" || fail "no rt_sigreturn exit event"
# Unprivileged too, when run as root and nobody can reach the build tree.
if [ "$(id -u)" = 0 ] && command -v setpriv > /dev/null &&
   setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$TP/tp_altstack"; then
	TMPDIR=/tmp setpriv --reuid=65534 --regid=65534 --clear-groups \
		env top_srcdir="$top_srcdir" top_builddir="$top_builddir" \
		sh "$top_srcdir/tests/preload/altstack.sh" || fail "as uid 65534"
fi
finish
