#!/bin/sh
# The committed description of libs 0.25's event table (plugin/schema/)
# is what tools/maint/gen-table025.py makes from the peer's source tarball.
top=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
tarball=${LIBS025_TARBALL:-$top/../shared/peers/falcosecurity-libs-0.25.4.tar.xz}
[ -r "$tarball" ] || { echo "SKIP: no $tarball"; exit 77; }
command -v python3 >/dev/null || { echo "SKIP: no python3"; exit 77; }
out=$(mktemp -d) || exit 1
trap 'rm -rf "$out"' EXIT
python3 "$top/tools/maint/gen-table025.py" "$tarball" "$out" || exit 1
diff -u "$top/plugin/schema/table025.h" "$out/table025.h" &&
	diff -u "$top/plugin/schema/table025.c" "$out/table025.c" || {
	echo "FAIL: plugin/schema/ differs from the generator's output: re-run tools/maint/gen-table025.py"
	exit 1
}
echo "ok: plugin/schema matches $tarball"
