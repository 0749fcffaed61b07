/* An in-memory event source over a corpus, plus the state seeding that a
 * .scap file's process and fd lists would give. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "corpus.h"
#include "corpus_threads.h"

struct memsrc {
	const struct corpus *co;
	size_t next;
};

static int mem_next(udig_capture *c, const uint8_t **rec, uint32_t *len, uint16_t *cpu, uint32_t *flags,
		    int timeout_ms)
{
	struct memsrc *m = c->src;
	(void)timeout_ms;
	if (m->next >= m->co->n)
		return UDIG_EOF;
	const struct corpus_rec *r = &m->co->recs[m->next++];
	*rec = r->p;
	*len = (uint32_t)r->len;
	*cpu = r->cpu;
	*flags = 0;
	return UDIG_OK;
}

static void mem_close(udig_capture *c)
{
	free(c->src);
}

static const struct udig_source_ops mem_ops = {
	.name = "memory",
	.skip_invalid = 0,
	.next = mem_next,
	.close = mem_close,
};

udig_capture *corpus_open(const struct corpus *co)
{
	struct memsrc *m = calloc(1, sizeof *m);
	if (!m)
		return NULL;
	m->co = co;
	udig_capture *c = capture_alloc(&mem_ops, m);
	if (!c) {
		free(m);
		return NULL;
	}
	for (size_t i = 0; i < corpus_nthreads; i++) {
		const struct sg_thread *t = &corpus_threads[i];
		struct udig_threadinfo ti;
		memset(&ti, 0, sizeof ti);
		ti.tid = (int64_t)t->tid;
		ti.pid = (int64_t)t->pid;
		ti.ptid = (int64_t)t->ptid;
		ti.sid = (int64_t)t->sid;
		ti.vpgid = (int64_t)t->vpgid;
		ti.comm = (char *)t->comm;
		ti.exe = (char *)t->exe;
		ti.exepath = (char *)t->exepath;
		ti.cwd = (char *)t->cwd;
		ti.root = (char *)t->root;
		ti.args = (struct udig_blob){ (char *)t->args, (uint32_t)t->args_len };
		ti.env = (struct udig_blob){ (char *)t->env, (uint32_t)t->env_len };
		ti.cgroups = (struct udig_blob){ (char *)t->cgroups, (uint32_t)t->cgroups_len };
		ti.fdlimit = t->fdlimit;
		ti.flags = t->flags;
		ti.uid = t->uid;
		ti.gid = t->gid;
		ti.vtid = t->vtid;
		ti.vpid = t->vpid;
		ti.loginuid = t->loginuid;
		tables_thread_add(&c->tables, &ti);
	}
	for (size_t i = 0; i < corpus_nfds; i++) {
		struct udig_fdinfo fi;
		memset(&fi, 0, sizeof fi);
		fi.fd = corpus_fds[i].fd;
		fi.type = UDIG_FD_FILE_V2;
		fi.open_flags = corpus_fds[i].flags;
		fi.name = (char *)corpus_fds[i].name;
		tables_fd_add(&c->tables, corpus_fds[i].tid, &fi);
	}
	return c;
}

char *run_capture_stdout(const char *cmd)
{
	FILE *f = popen(cmd, "r");
	if (!f)
		return NULL;
	size_t cap = 65536, len = 0;
	char *s = malloc(cap);
	size_t n;
	while (s && (n = fread(s + len, 1, cap - len - 1, f)) > 0) {
		len += n;
		if (cap - len < 4096) {
			cap *= 2;
			char *t = realloc(s, cap);
			if (!t) {
				free(s);
				s = NULL;
			}
			s = t;
		}
	}
	pclose(f);
	if (s)
		s[len] = 0;
	return s;
}

int have_sysdig(void)
{
	return access("/usr/bin/sysdig", X_OK) == 0 || system("command -v sysdig >/dev/null 2>&1") == 0;
}
