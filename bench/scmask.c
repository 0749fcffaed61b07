/*
 * scmask [TYPE,...] — prints the syscall numbers `udig run -t TYPE,...` makes
 * the tracer stop for (one per line), so that a benchmark can ask strace to
 * trace exactly the same set.
 */
#include <stdio.h>
#include "tools/capture_types.h"

int main(int argc, char **argv)
{
	uint8_t ev[CAPTURE_EVMASK_BYTES], sc[INJECT_MASK_BYTES];
	char err[256];
	if (capture_types_masks(argc > 1 ? argv[1] : "", ev, sc, err, sizeof err) < 0) {
		fprintf(stderr, "scmask: %s\n", err);
		return 2;
	}
	for (long nr = 0; nr < INJECT_NSYSCALLS; nr++)
		if (inject_mask_test(sc, nr))
			printf("%ld\n", nr);
	return 0;
}
