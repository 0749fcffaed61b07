/* Launching the traced command for `udig run`. */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "config.h"
#include "inject/inject.h"
#include "child.h"

const char *run_find_preload(void)
{
	static char path[PATH_MAX];
	const char *env = getenv("UDIG_PRELOAD");
	if (env && *env)
		return env;
	/* In a build tree: tools/.libs/udig or tools/udig -> udig/preload/.libs/libudig.so */
	ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
	if (n > 0) {
		path[n] = 0;
		/* the build tree's, then an installed tree's under any prefix
		 * (bin/udig -> lib/udig/libudig.so) */
		static const char *const rel[] = { "/../udig/preload/.libs/libudig.so",
						   "/../../udig/preload/.libs/libudig.so",
						   "/../lib/udig/libudig.so" };
		char *slash = strrchr(path, '/');
		if (slash) {
			*slash = 0;
			char dir[PATH_MAX];
			snprintf(dir, sizeof dir, "%s", path);
			for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
				if (strlen(dir) + strlen(rel[i]) >= sizeof path)
					continue;
				strcpy(path, dir);
				strcat(path, rel[i]);
				char *real = realpath(path, NULL);
				if (real) {
					snprintf(path, sizeof path, "%s", real);
					free(real);
					return path;
				}
			}
		}
	}
	snprintf(path, sizeof path, "%s/libudig.so", PKGLIBDIR);
	return access(path, R_OK) == 0 ? path : NULL;
}

/* PT_INTERP present => dynamic; scripts (#!) count as dynamic when their
 * interpreter is. */
static int elf_is_dynamic(const char *path, int depth)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	Elf64_Ehdr eh;
	char buf[256];
	ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
	int rc = 0;
	if (n >= 2 && buf[0] == '#' && buf[1] == '!' && depth < 4) {
		buf[n] = 0;
		char *s = buf + 2;
		while (*s == ' ' || *s == '\t')
			s++;
		s[strcspn(s, " \t\n")] = 0;
		close(fd);
		return elf_is_dynamic(s, depth + 1);
	}
	if (n < (ssize_t)sizeof eh || memcmp(buf, ELFMAG, SELFMAG) || buf[EI_CLASS] != ELFCLASS64) {
		close(fd);
		return 0;
	}
	memcpy(&eh, buf, sizeof eh);
	for (unsigned i = 0; i < eh.e_phnum && i < 256; i++) {
		Elf64_Phdr ph;
		if (pread(fd, &ph, sizeof ph, (off_t)(eh.e_phoff + (uint64_t)i * eh.e_phentsize)) != (ssize_t)sizeof ph)
			break;
		if (ph.p_type == PT_INTERP) {
			rc = 1;
			break;
		}
	}
	close(fd);
	return rc;
}

int run_is_dynamic(const char *cmd)
{
	char path[PATH_MAX];
	if (inject_resolve(cmd, path, sizeof path))
		return -1;
	return elf_is_dynamic(path, 0);
}

void run_setenv(char *const extra_env[])
{
	for (size_t i = 0; extra_env && extra_env[i]; i++) {
		char *eq = strchr(extra_env[i], '=');
		if (!eq)
			continue;
		char name[64];
		snprintf(name, sizeof name, "%.*s", (int)(eq - extra_env[i]), extra_env[i]);
		const char *old = getenv(name);
		/* The program's own preloads keep working, after ours. */
		if (!strcmp(name, "LD_PRELOAD") && old && *old) {
			size_t l = strlen(eq + 1) + strlen(old) + 2;
			char *v = malloc(l);
			if (v) {
				snprintf(v, l, "%s:%s", eq + 1, old);
				setenv(name, v, 1);
				free(v);
			}
		} else {
			setenv(name, eq + 1, 1);
		}
	}
}
