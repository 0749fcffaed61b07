/*
 * libscap's /proc calls on a live capture: udig_refresh_proc_table
 * (scap_refresh_proc_table) and udig_is_thread_alive (scap_is_thread_alive).
 * Only a live capture's threads are this machine's; a file's lived on the
 * recording machine, and this /proc says nothing about them.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "procscan-int.h"

static int need_local(udig_capture *c, const char *what)
{
	if (c->ops->proc_local)
		return 0;
	capture_seterr(c, "%s: %s captures are not of this machine: their threads lived on the recording "
			  "machine, whose /proc is not this one", what, c->ops->name);
	return -1;
}

int udig_refresh_proc_table(udig_capture *c)
{
	char why[UDIG_ERRBUF_SIZE];
	struct udig_tables fresh;
	if (!c)
		return UDIG_ILLEGAL_INPUT;
	if (need_local(c, "udig_refresh_proc_table") < 0)
		return UDIG_NOT_SUPPORTED;
	/* The whole scan first: a failed one leaves the table as it was. */
	tables_init(&fresh);
	if (procscan_threads(&fresh, why) != UDIG_OK) {
		tables_free(&fresh);
		capture_seterr(c, "refreshing the process table: %s", why);
		return UDIG_FAILURE;
	}
	tables_threads_replace(&c->tables, &fresh);
	tables_free(&fresh);
	return UDIG_OK;
}

/* The comm a thread's name is compared under: what the kernel keeps of it. */
#define COMM_KEPT 15

int udig_is_thread_alive(udig_capture *c, int64_t pid, int64_t tid, const char *comm, int *alive)
{
	char path[64], stat[512];
	if (!c)
		return UDIG_ILLEGAL_INPUT;
	if (!alive) {
		capture_seterr(c, "udig_is_thread_alive: alive must not be NULL");
		return UDIG_ILLEGAL_INPUT;
	}
	*alive = 0;
	if (need_local(c, "udig_is_thread_alive") < 0)
		return UDIG_NOT_SUPPORTED;
	if (pid < 1 || pid > INT32_MAX || tid < 1 || tid > INT32_MAX) {
		capture_seterr(c, "udig_is_thread_alive: pid %lld, tid %lld: not a process and a thread id",
			       (long long)pid, (long long)tid);
		return UDIG_ILLEGAL_INPUT;
	}
	if (comm && !comm[0]) {
		capture_seterr(c, "udig_is_thread_alive: empty comm (NULL matches any name)");
		return UDIG_ILLEGAL_INPUT;
	}
	/* One read gives the name and the state: "tid (comm) S ...", where
	 * comm may hold spaces and parentheses, so it ends at the last ')'.
	 * The path exists only while tid is a thread of pid. */
	snprintf(path, sizeof path, "/proc/%lld/task/%lld/stat", (long long)pid, (long long)tid);
	ssize_t n = ps_read(path, stat, sizeof stat);
	if (n <= 0)
		return UDIG_OK; /* gone (or never was) */
	char *open = strchr(stat, '('), *close = strrchr(stat, ')');
	if (!open || !close || close < open || close[1] != ' ' || !close[2])
		return UDIG_OK;
	/* A zombie has exited: it will write nothing more. */
	char state = close[2];
	if (state == 'Z' || state == 'X' || state == 'x')
		return UDIG_OK;
	if (comm) {
		size_t have = (size_t)(close - open - 1), want = strnlen(comm, COMM_KEPT);
		if (have != want || memcmp(open + 1, comm, want) != 0)
			return UDIG_OK; /* the id now belongs to another program */
	}
	*alive = 1;
	return UDIG_OK;
}
