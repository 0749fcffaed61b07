/* The ptrace engine's thread table. */
#include <stdlib.h>

#include "inject/ptrace.h"

struct pt_thread *pt_find(struct pt_state *st, pid_t tid)
{
	struct pt_thread *t;
	HASH_FIND_INT(st->threads, &tid, t);
	return t;
}

struct pt_thread *pt_add(struct inj_session *s, struct pt_state *st, pid_t tid, pid_t tgid)
{
	struct pt_thread *t = pt_find(st, tid);
	if (t)
		return t;
	t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	t->tid = tid;
	t->tgid = tgid;
	HASH_ADD_INT(st->threads, tid, t);
	s->st.threads++;
	return t;
}

void pt_del(struct pt_state *st, struct pt_thread *t)
{
	HASH_DEL(st->threads, t);
	free(t);
}

unsigned pt_count(const struct pt_state *st)
{
	return HASH_COUNT(st->threads);
}
