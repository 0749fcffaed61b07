#!/bin/sh
# The strace oracle (oracle.sh) with `udig run --engine=auto`.
ENGINE=auto
. "$(dirname "$0")/oracle.sh"
