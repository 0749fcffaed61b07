#!/bin/sh
# The strace oracle (oracle.sh) with `udig run --engine=unotify`.
ENGINE=unotify
. "$(dirname "$0")/oracle.sh"
