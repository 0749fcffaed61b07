/*
 * loop getppid|openclose N — calls one cheap syscall pattern N times (after
 * 10% warm-up) and prints the ns per iteration.  openclose is open+close of
 * /etc/hostname: two syscalls per iteration.
 */
#include <stdio.h>
#include "loop_pattern.h"

int main(int argc, char **argv)
{
	int oc;
	long n;
	if (loop_args(argc, argv, "loop", &oc, &n))
		return 2;
	printf("%.1f\n", loop_time(oc, n));
	return 0;
}
