/* Path joining as libsinsp does it for relative names (cwd or dirfd base). */
#include <stdlib.h>
#include <string.h>
#include "state-int.h"

/* Appends `rel` to out[0..*len), resolving "." and ".." components and
 * dropping repeated slashes; ".." never climbs above the first '/'. */
static void append_clean(char *out, size_t *len, const char *rel)
{
	const char *p = rel;
	while (*p) {
		const char *seg = p;
		size_t n = 0;
		while (seg[n] && seg[n] != '/')
			n++;
		int last = seg[n] == 0;
		p = seg + n + (last ? 0 : 1);
		if (n == 0) {
			/* "//": keep a single separator */
			if (*len == 0 || out[*len - 1] != '/')
				out[(*len)++] = '/';
			continue;
		}
		if (n == 1 && seg[0] == '.')
			continue;
		if (n == 2 && seg[0] == '.' && seg[1] == '.') {
			/* drop the last component: "/a/b/" -> "/a/" */
			if (*len > 1) {
				size_t k = *len - 1; /* the trailing '/' */
				while (k > 0 && out[k - 1] != '/')
					k--;
				*len = k ? k : 1;
			}
			continue;
		}
		memcpy(out + *len, seg, n);
		*len += n;
		if (!last)
			out[(*len)++] = '/';
	}
	out[*len] = 0;
}

char *path_join(const char *base, const char *rel)
{
	size_t bl = base ? strlen(base) : 0, rl = strlen(rel);
	char *out = malloc(bl + rl + 3);
	size_t len = 0;
	if (!out)
		return NULL;
	if (rel[0] != '/' && bl) {
		memcpy(out, base, bl);
		len = bl;
		if (out[len - 1] != '/')
			out[len++] = '/';
	}
	out[len] = 0;
	append_clean(out, &len, rel);
	return out;
}

char *path_dirfd_base(const udig_capture *c, const struct thread_entry *te, int64_t dirfd)
{
	if (dirfd == UDIG_AT_FDCWD)
		return strdup(te->ti.cwd);
	struct fd_entry *f = tables_fd_get(&c->tables, te->ti.tid, dirfd);
	if (!f || !f->fi.name[0])
		return strdup("");
	size_t n = strlen(f->fi.name);
	char *s = malloc(n + 2);
	if (!s)
		return NULL;
	memcpy(s, f->fi.name, n);
	s[n] = 0;
	if (n == 0 || s[n - 1] != '/')
		s[n] = '/', s[n + 1] = 0;
	return s;
}
