/* Stand-in for the reference tests when configure found no reference: a failure
 * that names what to install, never a silent pass. */
#include <stdio.h>
int main(void)
{
	fprintf(stderr, "reference peer missing: install Debian's libfalcosecurity0-dev and re-run configure\n");
	return 1;
}
