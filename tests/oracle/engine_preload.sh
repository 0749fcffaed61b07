#!/bin/sh
# The strace oracle (oracle.sh) with `udig run --engine=preload`.
ENGINE=preload
. "$(dirname "$0")/oracle.sh"
