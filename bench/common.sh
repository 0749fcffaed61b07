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
