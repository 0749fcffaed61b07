/*
 * udig_proc_add (scap_proc_add): a thread the caller knows of, put into the
 * capture's table as the /proc scan or a file's process list would.  What a
 * .scap process entry cannot hold is refused rather than cut, so that the
 * table never says more than a capture written from it will.
 */
#include <stdio.h>
#include <string.h>
#include "state-int.h"

/* What a process-list entry keeps (the reference's SCAP_MAX_PATH_SIZE and
 * SCAP_MAX_ARGS_SIZE, which the .scap writer also keeps). */
#define PROC_MAX_STR 1024
#define PROC_MAX_BLOB 4096

static int check_str(udig_capture *c, const char *name, const char *s)
{
	if (s && strnlen(s, PROC_MAX_STR + 1) > PROC_MAX_STR) {
		capture_seterr(c, "udig_proc_add: %s is longer than the %u bytes a process entry keeps", name,
			       PROC_MAX_STR);
		return -1;
	}
	return 0;
}

static int check_blob(udig_capture *c, const char *name, const struct udig_blob *b)
{
	if (b->len && !b->data) {
		capture_seterr(c, "udig_proc_add: %s has %u bytes but no data", name, b->len);
		return -1;
	}
	if (b->len > PROC_MAX_BLOB) {
		capture_seterr(c, "udig_proc_add: %s has %u bytes, more than the %u a process entry keeps", name,
			       b->len, PROC_MAX_BLOB);
		return -1;
	}
	return 0;
}

int udig_proc_add(udig_capture *c, const struct udig_threadinfo *ti)
{
	if (!c)
		return UDIG_ILLEGAL_INPUT;
	if (!ti) {
		capture_seterr(c, "udig_proc_add: no thread");
		return UDIG_ILLEGAL_INPUT;
	}
	if (ti->tid < 1 || ti->tid > INT32_MAX || ti->pid < 1 || ti->pid > INT32_MAX) {
		capture_seterr(c, "udig_proc_add: tid %lld, pid %lld: not a thread and a process id",
			       (long long)ti->tid, (long long)ti->pid);
		return UDIG_ILLEGAL_INPUT;
	}
	if (check_str(c, "comm", ti->comm) || check_str(c, "exe", ti->exe) || check_str(c, "exepath", ti->exepath) ||
	    check_str(c, "cwd", ti->cwd) || check_str(c, "root", ti->root) || check_blob(c, "args", &ti->args) ||
	    check_blob(c, "env", &ti->env) || check_blob(c, "cgroups", &ti->cgroups))
		return UDIG_ILLEGAL_INPUT;
	struct thread_entry *te = tables_thread_new(&c->tables, ti);
	if (!te) {
		capture_seterr(c, "udig_proc_add: out of memory");
		return UDIG_FAILURE;
	}
	/* A thread already known keeps its fds and the enter event its next
	 * exit pairs with: only what the caller describes changes. */
	tables_thread_adopt(&c->tables, te, 1);
	return UDIG_OK;
}
