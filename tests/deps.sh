#!/bin/sh
# Installs what building and testing udig needs on Debian 12 (run as root).
# Build: autotools, libseccomp, uthash, zlib, Zydis (the preload fast path),
# Check.  Tests: the reference peers (sysdig, libfalcosecurity0-dev), strace
# as the oracle, clang for the fuzzer.
set -e
pkgs="build-essential autoconf automake libtool pkg-config libseccomp-dev uthash-dev \
zlib1g-dev libzydis-dev check sysdig libfalcosecurity0-dev strace util-linux procps"
missing=
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "missing packages:$missing (run as root to install them)" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# sysdig recommends its DKMS driver; we never load a driver.
apt-get install -y -qq --no-install-recommends $missing
