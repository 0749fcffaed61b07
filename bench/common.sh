# Shared by the bench scripts (sourced): the udig binary of a build tree and
# the median of numbers on stdin.

# bench_udig BUILDDIR: sets $udig to the real binary, not libtool's wrapper
# script in a build tree (it costs ~50 ms a run), with the build's
# libcapture on LD_LIBRARY_PATH.
bench_udig() {
	if [ -x "$1/tools/.libs/udig" ]; then
		udig="$1/tools/.libs/udig"
		LD_LIBRARY_PATH="$1/libcapture/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
		export LD_LIBRARY_PATH
	else
		udig="$1/tools/udig"
	fi
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# rotated ROUND CONFIG...: the configurations, starting at the
# ((ROUND - 1) mod N)th, so that no configuration always runs first or
# right after the same other one (these VMs drift within a round).
rotated() {
	k=$((($1 - 1) % ($# - 1)))
	shift
	while [ $k -gt 0 ]; do set -- "$@" "$1"; shift; k=$((k - 1)); done
	echo "$@"
}
