/*
 * loop getppid|openclose|openreadclose N — calls one cheap syscall pattern
 * N times (after 10% warm-up) and prints the ns per iteration (patterns:
 * loop_pattern.h).
 */
#include <stdio.h>
#include "loop_pattern.h"

int main(int argc, char **argv)
{
	int pattern;
	long n;
	if (loop_args(argc, argv, "loop", &pattern, &n))
		return 2;
	printf("%.1f\n", loop_time(pattern, n));
	return 0;
}
