/* Library version, for diagnostics. */
#include "config.h"
const char *udig_version(void);
const char *udig_version(void) { return PACKAGE_VERSION; }
