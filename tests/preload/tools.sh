#!/bin/sh
# Real programs under the preload: dash, bash, coreutils, tar, sort.
. "$top_srcdir/tests/preload/lib.sh"
src=$top_srcdir/include/udig
same "sud seccomp" 20 1 -- ls -la "$src"
same "sud seccomp" 10 1 -- cat "$src/event.h"
same "sud seccomp" 10 1 -- sort -r "$src/event.h"
same "sud seccomp" 20 1 -- tar -C "$top_srcdir" -cf "$WORK/t.tar" include/udig
same "sud" 30 3 -- /bin/dash -c 'for i in 1 2 3; do echo $i; done | sort -r; ls / | wc -l; x=$(cat /etc/hostname | wc -c); echo $x'
same "sud" 30 3 -- /bin/bash -c 'for i in 1 2 3; do echo $i; done | sort -r; ls / | wc -l; x=$(echo sub); echo $x; (exit 3); echo $?'
same "sud" 20 3 -- /bin/sh -c 'tar -C "$1" -cf - include/udig | tar -tf - | sort' sh "$top_srcdir"
finish
