/*
 * Where the udig program is when the init config does not say: installed,
 * the plugin is PREFIX/lib/udig/libudig-falco.so and udig PREFIX/bin/udig,
 * whatever PREFIX was (make install prefix=DIR, a DESTDIR tree moved into
 * place); in a build tree, plugin/.libs/ beside tools/.  Failing both, the
 * bindir configure chose.
 */
#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "init_config.h"

#ifndef UDIG_BINDIR
#define UDIG_BINDIR "/usr/local/bin"
#endif

void plugin_default_udig(char *out, size_t size)
{
	static const char *const rel[] = { "/../../bin/udig", "/../../tools/udig" };
	Dl_info info;
	if (dladdr((void *)plugin_default_udig, &info) && info.dli_fname && strchr(info.dli_fname, '/')) {
		char dir[PATH_MAX];
		snprintf(dir, sizeof dir, "%s", info.dli_fname);
		*strrchr(dir, '/') = 0;
		for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
			char path[PATH_MAX + 32];
			snprintf(path, sizeof path, "%s%s", dir, rel[i]);
			char *real = realpath(path, NULL);
			int ok = real && access(real, X_OK) == 0 && strlen(real) < size;
			if (ok)
				snprintf(out, size, "%s", real);
			free(real);
			if (ok)
				return;
		}
	}
	snprintf(out, size, "%s/udig", UDIG_BINDIR);
}
