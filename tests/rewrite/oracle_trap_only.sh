#!/bin/sh
# The strace oracle (tests/oracle/oracle.sh) with the preload engine kept on
# the trap path (UDIG_REWRITE=0); tests/oracle/engine_preload.sh runs it
# with the fast path, the default.
UDIG_REWRITE=0
export UDIG_REWRITE
ENGINE=preload
. "$top_srcdir/tests/oracle/oracle.sh"
