#!/bin/sh
# The strace oracle (oracle.sh) with `udig run --engine=ptrace`.
ENGINE=ptrace
. "$(dirname "$0")/oracle.sh"
